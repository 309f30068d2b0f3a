// Progressive enhancement only: every page works without this file.
// Filters and search on the home page (state kept in the URL), j/k and arrow keys between
// events, "copy link" buttons, and open source lists when printing. Search (search.js and
// the prebuilt index in search/) is loaded on first use, never with the page.
// Every string it shows comes from the page's language's strings.json (body data-strings),
// keyed by the English text; plurals follow the language's CLDR rules (Intl.PluralRules).
"use strict";

(function () {
  // The strings arrive after the page is usable: keys and filters work at once, and the few
  // texts made before they come (the copy buttons, a restored filter's count) are redone.
  let strings = {};
  const whenStrings = [];
  const stringsUrl = document.body.dataset.strings;
  if (stringsUrl) {
    fetch(stringsUrl).then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
      .then(function (loaded) {
        strings = loaded;
        whenStrings.forEach(function (redo) { redo(); });
      });
  }
  const lang = document.documentElement.lang || "en";
  const rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  // "Showing {shown} of {events}": the translation of `key`, with each {name} filled in.
  function t(key, values) {
    const text = typeof strings[key] === "string" ? strings[key] : key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? values[name] : all;
    });
  }
  function number(n) { return n.toLocaleString(lang); }
  const announcer = document.createElement("p");
  announcer.className = "sr-only";
  announcer.setAttribute("role", "status");
  document.body.appendChild(announcer);

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  // ---- keyboard: j/k anywhere, arrows inside the list ----------------------------------
  function visibleEvents() {
    return Array.from(document.querySelectorAll("li.event")).filter(function (li) {
      return !li.hidden && !li.closest("[hidden]");
    });
  }

  function currentEvent() {
    const active = document.activeElement;
    const inside = active && active.closest ? active.closest("li.event") : null;
    return inside || document.querySelector("li.event.is-current");
  }

  function moveTo(li) {
    document.querySelectorAll("li.event.is-current").forEach(function (el) {
      el.classList.remove("is-current");
    });
    li.classList.add("is-current");
    const target = li.querySelector(".event-title a") || li;
    target.focus();
  }

  function step(delta) {
    const list = visibleEvents();
    if (!list.length) return false;
    const index = list.indexOf(currentEvent());
    let next = index === -1 ? (delta > 0 ? 0 : list.length - 1) : index + delta;
    next = Math.max(0, Math.min(list.length - 1, next));
    moveTo(list[next]);
    return true;
  }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    let delta = 0;
    if (event.key === "j" || event.key === "k") {
      delta = event.key === "j" ? 1 : -1;
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") &&
               event.target.closest && event.target.closest("li.event")) {
      delta = event.key === "ArrowDown" ? 1 : -1;
    }
    if (delta && step(delta)) event.preventDefault();
  });

  // ---- copy link ---------------------------------------------------------------------
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "sr-only";
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function canonicalFor(href) {
    const canonical = document.querySelector('link[rel="canonical"]');
    const base = canonical ? canonical.href : location.href;
    return new URL(href, base).href;
  }

  function wireCopy(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      const url = button.dataset.url;
      copyText(url).then(function () {
        button.textContent = t("Link copied");
        announce(t("Link copied: {url}", { url: url }));
        window.setTimeout(function () { button.textContent = t("Copy link"); }, 2500);
      }, function () {
        window.prompt(t("Copy this link:"), url);
      });
    });
  }

  document.querySelectorAll("button.copy-link").forEach(wireCopy);
  whenStrings.push(function () {
    document.querySelectorAll("button.copy-link").forEach(function (button) {
      button.textContent = t("Copy link");
    });
  });
  // One share control per page (each card keeps its permalink, the title's link).

  // ---- print: open every source list, then put them back -----------------------------
  let closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.from(document.querySelectorAll("details:not([open])"));
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });

  // ---- filters and search (home page) ------------------------------------------------
  const form = document.getElementById("controls");
  const timeline = document.getElementById("timeline");
  if (!form || !timeline) return;
  const FIELDS = ["q", "tag", "place", "status", "from", "to"];
  const items = Array.from(timeline.querySelectorAll("li.event"));
  const count = document.getElementById("event-count");
  const noMatch = document.getElementById("no-match");
  const total = Number(timeline.dataset.total) || items.length;
  const paged = Number(timeline.dataset.pages) > 1;
  let search = null;      // the loaded search (search.js) once loaded
  let loading = null;     // the promise while loading
  let matches = null;     // the current query's results ({has, get}), or null
  const marked = new WeakMap();  // card -> the words it shows marked ("" for none)

  function state() {
    const out = {};
    FIELDS.forEach(function (name) {
      const value = form.elements[name].value.trim();
      if (value) out[name] = value;
    });
    return out;
  }

  function passes(s, meta) {
    if (s.tag && meta.tags.indexOf(s.tag) === -1) return false;
    if (s.place && meta.places.indexOf(s.place) === -1) return false;
    if (s.status && meta.status !== s.status) return false;
    if (s.from && meta.year < Number(s.from)) return false;
    if (s.to && meta.year > Number(s.to)) return false;
    return !(s.q && matches && !matches.has(meta.id));
  }

  function metaOf(li) {
    return {
      id: li.id, status: li.dataset.status, year: Number(li.dataset.year),
      tags: (li.dataset.tags || "").split(" "), places: (li.dataset.places || "").split(" ")
    };
  }

  // ---- search: search.js does the finding and highlighting ---------------------------
  function loadSearch() {
    if (search) return Promise.resolve(search);
    if (loading) return loading;
    loading = import(new URL(form.dataset.library, location.href).href).then(function (mod) {
      return mod.open(form.dataset.index);
    }).then(function (loaded) {
      search = loaded;
      return search;
    });
    loading.catch(function () {
      loading = null;
      count.textContent = t("Search could not load; filters still work.");
    });
    return loading;
  }

  function runQuery(q) {
    return search.query(q);
  }

  function unmark(root) {
    root.querySelectorAll("mark.hit").forEach(function (m) {
      const parent = m.parentNode;
      m.replaceWith(document.createTextNode(m.textContent));
      parent.normalize();
    });
    root.querySelectorAll(".search-snippet").forEach(function (el) { el.remove(); });
  }

  function highlight(li, result) {
    search.highlight(li, result, function (field) {
      return field === "body" ? t("Text: ") : t("Sources: ");
    });
  }

  // ---- apply: show, count, URL ---------------------------------------------------------
  function plural(n) {
    const forms = strings.events || { one: "{num} event", other: "{num} events" };
    const form = forms[rules ? rules.select(n) : (n === 1 ? "one" : "other")] || forms.other;
    return form.replace("{num}", number(n));
  }

  // The URL keeps the filters. While a reader types in the search box it follows once the
  // typing pauses: replaceState takes 5 to 20 ms a call here, and browsers refuse it past
  // about 100 calls in 10 s. Leaving the page writes a pending one first.
  let urlLater = 0;
  let urlPending = null;
  function keepInUrl(s, typed) {
    window.clearTimeout(urlLater);
    urlPending = function () {
      urlPending = null;
      const params = new URLSearchParams(s).toString();
      const url = location.pathname + (params ? "?" + params : "") + location.hash;
      history.replaceState(null, "", url);
    };
    if (typed) {
      urlLater = window.setTimeout(urlPending, 300);
    } else {
      urlPending();
    }
  }
  window.addEventListener("pagehide", function () { if (urlPending) urlPending(); });

  function apply(fromUser, typed) {
    const s = state();
    const active = Object.keys(s).length > 0;
    if (s.q && !search) {
      loadSearch().then(function () { apply(fromUser, typed); });
    } else if (s.q && !search.ready(s.q)) {
      // The words' term files are still coming: keep what is shown until they are here.
      search.prepare(s.q).then(function () { apply(fromUser, typed); }, function () {
        count.textContent = t("Search could not load; filters still work.");
      });
    }
    if (s.q && !(search && search.ready(s.q))) {
      // Until the index is here the list stays as it is: one pass over it, not two.
      if (!matches) count.textContent = t("Searching…");
      return;
    }
    matches = search ? runQuery(s.q) : null;
    let shown = 0;
    const labels = " " + t("Text: ") + t("Sources: ");  // a snippet's, once strings come
    items.forEach(function (li) {
      const ok = passes(s, metaOf(li));
      const result = ok && matches && matches.has(li.id) ? matches.get(li.id) : null;
      // A card that shows the same words as before is left as it is (marks and snippet):
      // most keystrokes change few cards, and redrawing every card's text is the cost.
      const key = result ? result.terms.slice().sort().join(" ") + labels : "";
      if (marked.get(li) !== key) {
        if (marked.get(li)) unmark(li);
        marked.set(li, key);
        if (result) { highlight(li, result); } else if (search) { search.forget(li); }
      }
      if (li.hidden === ok) li.hidden = !ok;
      if (ok) shown += 1;
    });
    if (matches) search.flush();
    timeline.querySelectorAll("section.year").forEach(function (section) {
      section.hidden = !section.querySelector("li.event:not([hidden])");
    });
    const pending = s.q && !matches;
    let text;
    if (pending) {
      text = t("Searching…");
    } else if (!active) {
      text = paged ? t("{events} in all; this page shows {shown}",
                       { events: plural(total), shown: number(items.length) }) : plural(total);
    } else {
      text = t(paged ? "Showing {shown} of {events} on this page" : "Showing {shown} of {events}",
               { shown: number(shown), events: plural(paged ? items.length : total) });
      if (s.q) text += t(" matching “{query}”", { query: s.q });
    }
    count.textContent = text;
    noMatch.hidden = !active || pending || shown > 0;
    // navigator.js counts and lists the matches on every page (the true total).
    window.timelineFilter = { state: s, active: active, pending: pending, shown: shown,
      paged: paged, matches: matches ? new Set(matches.numbers().map(function (n) {
        return search.index.ids[n];
      })) : null };
    document.dispatchEvent(new CustomEvent("timeline:filter", { detail: window.timelineFilter }));
    if (fromUser) keepInUrl(s, typed);
  }

  function restore() {
    const params = new URLSearchParams(location.search);
    FIELDS.forEach(function (name) {
      const field = form.elements[name];
      const value = params.get(name) || "";
      field.value = value;
      if (field.tagName === "SELECT" && field.value !== value) field.value = "";
    });
  }

  let timer = 0;
  form.addEventListener("input", function (event) {
    window.clearTimeout(timer);
    const typed = event.target === form.elements.q;
    timer = window.setTimeout(function () { apply(true, typed); }, 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply(true);
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () {
      apply(true);
      announce(t("Search and filters reset; {events}.", { events: plural(total) }));
    }, 0);
  });
  form.elements.q.addEventListener("focus", function () { loadSearch(); }, { once: true });
  noMatch.querySelector("[data-reset]").addEventListener("click", function () {
    form.reset();
    form.elements.q.focus();
  });

  form.hidden = false;
  restore();
  if (location.search) apply(false);
  whenStrings.push(function () { if (Object.keys(state()).length) apply(false); });
  window.addEventListener("popstate", function () {
    window.clearTimeout(urlLater);  // the address moved on: a pending older one is dropped
    urlPending = null;
    restore();
    apply(false);
  });
})();
