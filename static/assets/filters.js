// The home page's filters and search, progressive enhancement only (without it the form stays
// hidden and every card shows): state kept in the URL, search as you type (search.js and the
// prebuilt index in search/, loaded on first use, never with the page), the count in the
// page's language. navigator.js follows every change ("timeline:filter").
import { pageStrings } from "./strings.js";
import { announce } from "./announce.js";
import { formState, restoreForm, unoffered, passes, cardEvent } from "./filter.js";
import { offerAsked, explain } from "./asked.js";
import { dateLabels } from "./format.js";

const strings = pageStrings();
const t = strings.t;
const number = strings.number;
const dates = dateLabels(strings.lang, t);

// The form as the URL sets it, what it asks for and the form does not offer included.
function restore(form) {
  restoreForm(form, location.search);
  offerAsked(form, unoffered(form, location.search));
}

function unmark(root) {
  root.querySelectorAll("mark.hit").forEach(function (m) {
    const parent = m.parentNode;
    m.replaceWith(document.createTextNode(m.textContent));
    parent.normalize();
  });
  root.querySelectorAll(".search-snippet").forEach(function (el) { el.remove(); });
}

// On a phone the count sits below the open form: as a reader types it is scrolled up into
// the visible part of the screen (above a keyboard) when it is below it, by as little as that
// takes, never moving ``box`` (typed in) under the sticky year strip.
function keepInView(el, box) {
  const seen = window.visualViewport ? window.visualViewport.height : window.innerHeight;
  const below = el.getBoundingClientRect().bottom - seen;
  if (below <= 1) return;
  const top = box.getBoundingClientRect().top;
  const strip = document.getElementById("year-strip");
  const over = strip ? strip.getBoundingClientRect().bottom : 0;  // stuck above the box, or not
  const room = top - (over <= top ? over : 0);
  window.scrollBy(0, Math.min(below + 8, Math.max(room - 8, 0)));
}

function wireFilters(form, timeline) {
  const items = Array.from(timeline.querySelectorAll("li.event"));
  const count = document.getElementById("event-count");
  const noMatch = document.getElementById("no-match");
  const total = Number(timeline.dataset.total) || items.length;
  const paged = Number(timeline.dataset.pages) > 1;
  let search = null;      // the loaded search (search.js) once loaded
  let loading = null;     // the promise while loading
  let matches = null;     // the current query's results ({has, get}), or null
  const marked = new WeakMap();  // card -> the words it shows marked ("" for none)

  // ---- search: search.js does the finding and highlighting -------------------------
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

  function highlight(li, result) {
    search.highlight(li, result, function (field) {
      return field === "body" ? t("Text: ") : t("Sources: ");
    });
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

  // ---- apply: show, count, URL -------------------------------------------------------
  function apply(fromUser, typed) {
    const s = formState(form);
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
    matches = search ? search.query(s.q) : null;
    let shown = 0;
    const labels = " " + t("Text: ") + t("Sources: ");  // a snippet's, once strings come
    items.forEach(function (li) {
      const ok = passes(s, matches, cardEvent(li));
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
                       { events: strings.events(total), shown: number(items.length) })
        : strings.events(total);
    } else {
      text = t(paged ? "Showing {shown} of {events} on this page" : "Showing {shown} of {events}",
               { shown: number(shown), events: strings.events(paged ? items.length : total) });
      if (s.q) text += t(" matching “{query}”", { query: s.q });
    }
    count.textContent = text;
    if (typed) keepInView(count, form.elements.q);
    noMatch.hidden = !active || pending || shown > 0;
    if (!noMatch.hidden) explain(noMatch, s, form, strings, dates);
    // navigator.js counts and lists the matches on every page (the true total).
    window.timelineFilter = { state: s, active: active, pending: pending, shown: shown,
      paged: paged, matches: matches ? new Set(matches.numbers().map(function (n) {
        return search.index.ids[n];
      })) : null };
    document.dispatchEvent(new CustomEvent("timeline:filter", { detail: window.timelineFilter }));
    if (fromUser) keepInUrl(s, typed);
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
      announce(t("Search and filters reset; {events}.", { events: strings.events(total) }));
    }, 0);
  });
  form.elements.q.addEventListener("focus", function () { loadSearch(); }, { once: true });
  noMatch.querySelector("[data-reset]").addEventListener("click", function () {
    form.reset();
    form.elements.q.focus();
  });

  form.hidden = false;
  restore(form);
  if (location.search) apply(false);
  strings.ready.then(function () { if (Object.keys(formState(form)).length) apply(false); });
  window.addEventListener("popstate", function () {
    window.clearTimeout(urlLater);  // the address moved on: a pending older one is dropped
    urlPending = null;
    restore(form);
    apply(false);
  });
}

const form = document.getElementById("controls");
const timeline = document.getElementById("timeline");
if (form && timeline) wireFilters(form, timeline);
