// The home page's navigator, progressive enhancement only (without it the overview's marks
// and bars are links, the year strip links to the right page, the pager is plain links):
// - the overview strip is one Tab stop: arrow keys move between its marks or bars (roving
//   tabindex), each shows its label on focus, hover and tap; Shift+arrows or dragging
//   across the axis choose a range of years, which becomes the year filter;
// - the year strip highlights the year being read and hides years no event matches; it
//   is one Tab stop too, with arrow keys along it;
// - under filters, the true total on every page ("312 events match; 250 on this page,
//   62 on pages 2–3"), every match on other pages listed, the overview dimmed to match.
// It reads nav.json (one row per event) once a reader filters. Strings come from the
// page's strings.json, as in timeline.js.
"use strict";

(function () {
  const form = document.getElementById("controls");
  const timeline = document.getElementById("timeline");
  if (!form || !timeline) return;
  let strings = {};
  const lang = document.documentElement.lang || "en";
  const rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  function t(key, values) {
    const text = typeof strings[key] === "string" ? strings[key] : key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? values[name] : all;
    });
  }
  // One formatter for every number (toLocaleString makes one per call: 65 ms a keystroke
  // over thousands of rows).
  const numbers = window.Intl && Intl.NumberFormat ? new Intl.NumberFormat(lang) : null;
  function number(n) { return numbers ? numbers.format(n) : String(n); }
  function plural(key, n, fallback) {
    const forms = strings[key] || fallback;
    const form = forms[rules ? rules.select(n) : (n === 1 ? "one" : "other")] || forms.other;
    return form.replace("{num}", number(n));
  }
  const root = document.body.dataset.root || "";
  const pages = Number(timeline.dataset.pages) || 1;
  const count = document.getElementById("event-count");
  const noMatch = document.getElementById("no-match");
  const others = document.getElementById("other-matches");
  const strip = document.getElementById("year-strip");
  const overview = document.getElementById("overview");
  const tip = document.getElementById("overview-tip");
  const here = new Set(Array.from(timeline.querySelectorAll("li.event"))
    .map(function (li) { return li.id; }));
  const pageNumber = (function () {
    const m = location.pathname.match(/\/page\/(\d+)\/(index\.html)?$/);
    return m ? Number(m[1]) : 1;
  })();

  // ---- filters behind one button on narrow screens -----------------------------------
  const toggle = document.getElementById("filters-toggle");
  if (toggle) {
    toggle.hidden = false;
    form.classList.add("collapsible");
    const open = function (yes) {
      toggle.setAttribute("aria-expanded", yes ? "true" : "false");
      form.classList.toggle("is-open", yes);
    };
    open(location.search.length > 1);
    toggle.addEventListener("click", function () {
      const yes = toggle.getAttribute("aria-expanded") !== "true";
      open(yes);
      if (yes) form.querySelector("input, select").focus();
    });
  }

  // ---- the year being read, highlighted in the strip -----------------------------------
  function markCurrent(year) {
    if (!strip) return;
    strip.querySelectorAll("a[aria-current]").forEach(function (a) {
      a.removeAttribute("aria-current");
    });
    const li = strip.querySelector('li[data-year="' + year + '"]');
    if (!li) return;
    const a = li.querySelector("a");
    a.setAttribute("aria-current", "location");
    const list = strip.querySelector("ul");
    const left = li.offsetLeft - list.offsetLeft;
    if (left < list.scrollLeft || left + li.offsetWidth > list.scrollLeft + list.clientWidth) {
      list.scrollLeft = left - list.clientWidth / 2 + li.offsetWidth / 2;
    }
  }
  // The strip is one Tab stop too (the year being read); arrow keys move along it.
  function stripLinks() {
    return strip ? Array.from(strip.querySelectorAll("li:not([hidden]) a")) : [];
  }
  function rove() {
    const links = stripLinks();
    const current = links.find(function (a) { return a.hasAttribute("aria-current"); });
    const focused = links.indexOf(document.activeElement) !== -1;
    links.forEach(function (a) {
      if (!focused) a.tabIndex = a === (current || links[0]) ? 0 : -1;
    });
  }
  if (strip) {
    strip.addEventListener("keydown", function (event) {
      const links = stripLinks();
      const index = links.indexOf(document.activeElement);
      if (index === -1) return;
      const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0,
                      End: links.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = links[Math.max(0, Math.min(links.length - 1, moves[event.key]))];
      links.forEach(function (a) { a.tabIndex = a === next ? 0 : -1; });
      next.focus();
    });
  }

  function onScroll() {
    const top = (strip ? strip.getBoundingClientRect().bottom : 0) + 8;
    let current = null;
    timeline.querySelectorAll("section.year:not([hidden])").forEach(function (section) {
      if (section.getBoundingClientRect().top <= top + 40) current = section;
    });
    if (!current) current = timeline.querySelector("section.year:not([hidden])");
    if (current) markCurrent(current.id.slice(1));
    rove();
  }
  let ticking = false;
  window.addEventListener("scroll", function () {
    if (ticking) return;
    ticking = true;
    window.requestAnimationFrame(function () { ticking = false; onScroll(); });
  }, { passive: true });
  onScroll();

  // ---- nav.json: every event's id, year, status, terms, page, date and title ---------
  let nav = null;
  let navLoading = null;
  function loadNav() {
    if (nav) return Promise.resolve(nav);
    if (!navLoading) {
      navLoading = fetch(form.dataset.nav).then(function (r) {
        if (!r.ok) throw new Error("nav.json: HTTP " + r.status);
        return r.json();
      }).then(function (data) {
        const size = data.size || 1;  // a row's page is its place in the list over size
        nav = data.events.map(function (row, n) {
          return { id: row[0], year: row[1], status: row[2], tags: row[3], places: row[4],
                   page: Math.floor(n / size) + 1, date: row[5], title: row[6],
                   first: row[7], last: row[8] };
        });
        return nav;
      });
      navLoading.catch(function () { navLoading = null; });
    }
    return navLoading;
  }

  function passes(s, found, e) {
    if (s.tag && e.tags.indexOf(s.tag) === -1) return false;
    if (s.place && e.places.indexOf(s.place) === -1) return false;
    if (s.status && e.status !== s.status) return false;
    if (s.from && e.year < Number(s.from)) return false;
    if (s.to && e.year > Number(s.to)) return false;
    return !(s.q && found && !found.has(e.id));
  }

  function pageUrl(n) { return root + (n === 1 ? "" : "page/" + n + "/"); }

  function pagesText(numbers) {
    if (numbers.length === 1) return t("page {number}", { number: number(numbers[0]) });
    return t("pages {first}–{last}", { first: number(numbers[0]),
                                       last: number(numbers[numbers.length - 1]) });
  }

  function totals(all, matched) {
    const elsewhere = matched.filter(function (e) { return !here.has(e.id); });
    const numbers = Array.from(new Set(elsewhere.map(function (e) { return e.page; })))
      .sort(function (a, b) { return a - b; });
    const total = plural("matches", matched.length,
                         { one: "{num} event matches", other: "{num} events match" });
    if (!elsewhere.length) return t("{matches}, all on this page", { matches: total });
    return t("{matches}; {here} on this page, {elsewhere} on {pages}", {
      matches: total, here: number(matched.length - elsewhere.length),
      elsewhere: number(elsewhere.length), pages: pagesText(numbers) });
  }

  // The other pages' matches, one row per event, made once and kept: a keystroke moves only
  // the rows that come or go (rows stay in nav.json's order, so a merge finds them). With
  // no match on this page a screenful of new rows goes in at once, else none (the list is
  // off screen, under the cards); the rest by batches when the browser is idle (the list
  // is aria-busy until then: a batch is about 10 ms of layout); a newer keystroke
  // stops an older one's batches, and the next run goes on from the rows in place. Either
  // way the list ends as if made whole.
  const SCREENFUL = 40;
  const BATCH = 100;
  const rows = new Map();      // event id -> {li, n: its place in nav.json, label}
  const placeOf = new WeakMap();  // row's li -> its place in nav.json
  let places = null;           // nav row -> its place, made once nav.json is here
  let filling = 0;             // the current list's run; older runs stop
  form.addEventListener("input", function () { filling += 1; });
  form.addEventListener("reset", function () { filling += 1; });
  const later = window.requestIdleCallback ? function (next) {
    window.requestIdleCallback(next, { timeout: 100 });
  } : function (next) { window.setTimeout(next, 16); };

  function pageLabel() {
    return typeof strings["page {number}"] === "string" ? strings["page {number}"]
      : "page {number}";
  }

  function rowOf(e, label) {
    let row = rows.get(e.id);
    if (row && row.label === label) return row;  // remade if the strings say otherwise
    if (!places || places.size !== nav.length) {
      places = new Map(nav.map(function (x, n) { return [x, n]; }));
    }
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = pageUrl(e.page) + "#" + e.id;
    a.textContent = e.title;
    const where = document.createElement("span");
    where.className = "n";
    where.textContent = " (" + t("page {number}", { number: number(e.page) }) + ")";
    li.append(e.date + ": ", a, where);
    row = { li: li, n: places.get(e), label: label };
    placeOf.set(li, row.n);
    rows.set(e.id, row);
    return row;
  }

  function listOthers(matched) {
    if (!others) return;
    const list = others.querySelector("ol");
    const elsewhere = matched.filter(function (e) { return !here.has(e.id); });
    others.querySelector(".other-count").textContent =
      plural("events", elsewhere.length, { one: "{num} event", other: "{num} events" });
    others.hidden = elsewhere.length === 0;
    filling += 1;
    const run = filling;
    const label = pageLabel();
    let i = 0;
    let child = list.firstElementChild;
    // Keeps rows and takes out those no longer matching, up to the limit'th row to put in
    // (what costs is laying out new rows); true when the list is whole.
    function merge(limit) {
      let added = 0;
      while (i < elsewhere.length) {
        const row = rowOf(elsewhere[i], label);
        if (child === row.li) {
          child = child.nextElementSibling;
          i += 1;
          continue;
        }
        const at = child ? placeOf.get(child) : Infinity;
        const old = child;
        if (at < row.n) {         // a row no longer matching
          child = child.nextElementSibling;
          old.remove();
          continue;
        }
        if (added >= limit) return false;
        if (at === row.n) {       // the same event's row, made with older strings
          child = child.nextElementSibling;
          old.replaceWith(row.li);
        } else {
          list.insertBefore(row.li, child);
        }
        i += 1;
        added += 1;
      }
      if (child) {  // the rows after the last match, at once
        const rest = document.createRange();
        rest.setStartBefore(child);
        rest.setEndAfter(list.lastChild);
        rest.deleteContents();
      }
      return true;
    }
    function go(limit) {
      if (run !== filling) return;
      if (merge(limit)) {
        list.removeAttribute("aria-busy");
      } else {
        list.setAttribute("aria-busy", "true");
        later(function () { go(BATCH); });
      }
    }
    // Under this page's own matches the list is off screen: all of it can wait.
    go(matched.length > elsewhere.length ? 0 : SCREENFUL);
  }

  function hideYears(matched, active) {
    if (!strip) return;
    const years = new Set(matched.map(function (e) { return String(e.year); }));
    strip.querySelectorAll("li[data-year]").forEach(function (li) {
      li.hidden = active && !years.has(li.dataset.year);
    });
    rove();
  }

  // What matched in a bar's years, by inBar: each bar looks only at its own years' events
  // (grouped once per filter), not at every match (85 ms a keystroke at 10,000 events).
  let grouped = { matched: null, years: new Map() };
  function countIn(bar, matched) {
    if (grouped.matched !== matched) {
      const years = new Map();
      matched.forEach(function (e) {
        const same = years.get(e.year);
        if (same) { same.push(e); } else { years.set(e.year, [e]); }
      });
      grouped = { matched: matched, years: years };
    }
    const from = Number(bar.dataset.from);
    const to = Number(bar.dataset.to);
    let n = 0;
    const month = bar.dataset.month;  // a year's events all lie in its year bars
    const add = function (events) {
      if (!month) { n += events.length; return; }
      events.forEach(function (e) { if (inBar(bar, e)) n += 1; });
    };
    if (to - from < grouped.years.size) {
      for (let y = from; y <= to; y++) add(grouped.years.get(y) || []);
    } else {  // a wide bar, few years matching: look at those years
      grouped.years.forEach(function (events, y) { if (y >= from && y <= to) add(events); });
    }
    return n;
  }

  // ---- the overview follows the filters ----------------------------------------------
  function svgs() {
    return overview ? Array.from(overview.querySelectorAll("svg.overview-svg")) : [];
  }
  function visibleSvg() {
    return svgs().find(function (svg) { return svg.getBoundingClientRect().width > 0; });
  }

  function inBar(bar, e) {
    if (e.year < Number(bar.dataset.from) || e.year > Number(bar.dataset.to)) return false;
    // A month's bar counts the events whose first day is in that month (day numbers are
    // year * 10000 + month * 100 + day).
    return !bar.dataset.month ||
      Math.floor((e.first - Math.floor(e.first / 10000) * 10000) / 100) ===
        Number(bar.dataset.month);
  }

  function dimOverview(matched, active) {
    const ids = new Set(matched.map(function (e) { return e.id; }));
    svgs().forEach(function (svg) {
      svg.querySelectorAll("a[data-id]").forEach(function (a) {
        a.classList.toggle("is-out", active && !ids.has(a.dataset.id));
      });
      // A zoomed strip's bars were counted by zoom.js, by week or month where it draws them.
      if (svg.dataset.zoomed) return;
      svg.querySelectorAll("[data-from]").forEach(function (bar) {
        const full = bar.querySelector("rect");
        const hit = bar.querySelector("rect.ov-hit");
        if (!full || !hit) return;
        const all = Number(bar.dataset.count) || 0;
        const n = !active ? all : countIn(bar, matched);
        const out = active && n === 0;  // an unchanged bar is not drawn again
        if (bar.dataset.matching === String(n)) { bar.classList.toggle("is-out", out); return; }
        bar.dataset.matching = String(n);
        const height = all ? Number(full.getAttribute("height")) * n / all : 0;
        const bottom = Number(full.getAttribute("y")) + Number(full.getAttribute("height"));
        hit.setAttribute("height", String(height));
        hit.setAttribute("y", String(bottom - height));
        bar.classList.toggle("is-out", active && n === 0);
      });
    });
  }

  // The page's one share control copies the view as filtered (the URL keeps the filters).
  const share = document.querySelector(".count-line .copy-link");
  const shareBase = share ? share.dataset.url : "";

  function follow(detail) {
    const s = detail.state;
    if (share) {
      const query = new URLSearchParams(s).toString();
      share.dataset.url = shareBase + (query ? "?" + query : "");
    }
    if (!detail.active) {
      matchedFor(s, nav, null);
      hideYears([], false);
      dimOverview([], false);
      if (others) others.hidden = true;
      return;
    }
    if (detail.pending) return;
    loadNav().then(function (all) {
      const now = window.timelineFilter;
      if (now && now.state !== s) return;  // a newer filter is on its way
      const matched = all.filter(function (e) { return passes(s, detail.matches, e); });
      if (pages > 1) {
        let text = totals(all, matched);
        if (s.q) text += t(" matching “{query}”", { query: s.q });
        count.textContent = text;
        if (noMatch && matched.length) noMatch.hidden = true;
        listOthers(matched);
      }
      matchedFor(s, all, matched);
      hideYears(matched, true);
      dimOverview(matched, true);
    }, function () {
      if (others) others.hidden = true;
    });
  }

  // zoom.js redraws the overview for a year filter from what matched (null: no filter).
  function matchedFor(state, all, matched) {
    document.dispatchEvent(new CustomEvent("timeline:matched", {
      detail: { state: state, all: all, matched: matched } }));
  }

  document.addEventListener("timeline:filter", function (event) { follow(event.detail); });
  const stringsUrl = document.body.dataset.strings;
  if (stringsUrl) {
    fetch(stringsUrl).then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
      .then(function (loaded) {
        strings = loaded;
        if (window.timelineFilter) follow(window.timelineFilter);
      });
  } else if (window.timelineFilter) {
    follow(window.timelineFilter);
  }

  // ---- the overview: one Tab stop, arrow keys, labels, ranges ------------------------
  if (!overview) return;
  function items(svg) {
    return Array.from(svg.querySelectorAll(".ov-marks > a, .ov-bars > a"));
  }
  function label(el) {
    const title = el.querySelector("title");
    let text = title ? title.textContent : "";
    if (el.dataset.matching && el.dataset.matching !== el.dataset.count) {
      text += " · " + t("{num} match the filters", { num: number(Number(el.dataset.matching)) });
    }
    if (el.classList.contains("is-out")) text += " · " + t("hidden by the filters");
    return text;
  }
  function showTip(el) {
    if (!tip) return;
    tip.textContent = label(el);
    tip.hidden = false;
    overview.querySelectorAll(".is-tipped").forEach(function (x) {
      x.classList.remove("is-tipped");
    });
    el.classList.add("is-tipped");
  }
  function yearOf(el) { return Number(el.dataset.year || el.dataset.from); }
  function lastYearOf(el) { return Number(el.dataset.year || el.dataset.to); }

  let anchor = null;
  svgs().forEach(function (svg) {
    // Listeners on the strip, not on each mark: zoom.js redraws the marks and bars.
    function itemOf(event) {
      const el = event.target.closest && event.target.closest("a");
      return el && svg.contains(el) && items(svg).indexOf(el) !== -1 ? el : null;
    }
    // On the strip's box, not the SVG: Chromium makes an SVG with focus listeners a Tab stop.
    svg.parentElement.addEventListener("focusin", function (event) {
      const el = itemOf(event);
      if (el) showTip(el);
    });
    svg.addEventListener("mouseover", function (event) {
      const el = itemOf(event);
      if (el && !(event.relatedTarget && el.contains(event.relatedTarget))) showTip(el);
    });
    svg.addEventListener("click", function (event) {
      const el = itemOf(event);
      if (!el) return;
      // A tap shows the label first; a second tap on the same mark follows it.
      if (el.dataset.tapped !== "yes" && el.dataset.touch === "yes") {
        event.preventDefault();
        items(svg).forEach(function (x) { x.dataset.tapped = ""; });
        el.dataset.tapped = "yes";
        showTip(el);
        return;
      }
      const id = el.dataset.id;
      const li = id && document.getElementById(id);
      if (li && li.hidden) {  // filtered out here: open its own page instead
        event.preventDefault();
        location.href = root + "events/" + id + "/";
      }
    });
    svg.addEventListener("pointerdown", function (event) {
      const el = itemOf(event);
      if (el) el.dataset.touch = event.pointerType === "touch" ? "yes" : "";
    });
    svg.addEventListener("keydown", function (event) {
      const list = items(svg);
      const index = list.indexOf(document.activeElement);
      if (anchor && !anchor.isConnected) anchor = null;  // zoom.js redrew the strip
      if (index === -1) return;
      let next = index;
      if (event.key === "ArrowRight" || event.key === "ArrowDown") next = index + 1;
      else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = index - 1;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = list.length - 1;
      else if (event.key === "Escape" && anchor !== null) {
        anchor = null;
        setYears("", "");
        event.preventDefault();
        return;
      } else return;
      event.preventDefault();
      next = Math.max(0, Math.min(list.length - 1, next));
      if (event.shiftKey) {
        if (anchor === null) anchor = list[index];
        const a = Math.min(yearOf(anchor), yearOf(list[next]));
        const b = Math.max(lastYearOf(anchor), lastYearOf(list[next]));
        setYears(a, b);
      } else {
        anchor = null;
      }
      list[index].setAttribute("tabindex", "-1");
      list[next].setAttribute("tabindex", "0");
      list[next].focus();
    });
    // Dragging across the strip chooses a range of years.
    let drag = null;
    const band = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    band.setAttribute("class", "ov-select");
    band.setAttribute("y", "0");
    band.setAttribute("height", svg.viewBox.baseVal.height);
    band.setAttribute("width", "0");
    svg.appendChild(band);
    function toX(event) {
      const box = svg.getBoundingClientRect();
      return (event.clientX - box.left) / box.width * svg.viewBox.baseVal.width;
    }
    function toYear(x) {
      const pad = Number(svg.dataset.pad);
      const w = svg.viewBox.baseVal.width - 2 * pad;
      const start = Number(svg.dataset.start);
      const end = Number(svg.dataset.end);
      return Math.floor(start + (x - pad) / w * (end - start));
    }
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      drag = { x: toX(event), moved: false, id: event.pointerId };
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) return;
      const x = toX(event);
      if (!drag.moved && Math.abs(x - drag.x) < 6) return;
      if (!drag.moved) svg.setPointerCapture(event.pointerId);
      drag.moved = true;
      band.setAttribute("x", String(Math.min(x, drag.x)));
      band.setAttribute("width", String(Math.abs(x - drag.x)));
    });
    svg.addEventListener("pointerup", function (event) {
      if (!drag) return;
      const moved = drag.moved;
      const x = toX(event);
      const from = toYear(Math.min(x, drag.x));
      const to = toYear(Math.max(x, drag.x));
      drag = null;
      band.setAttribute("width", "0");
      if (!moved) return;
      svg.addEventListener("click", function stop(e) {
        e.preventDefault();
        e.stopPropagation();
        svg.removeEventListener("click", stop, true);
      }, true);
      setYears(from, to);
    });
  });

  function nearest(select, year, up) {
    // The year filter's choices are the years that have events: the nearest one inside.
    const years = Array.from(select.options).map(function (o) { return o.value; })
      .filter(Boolean).map(Number);
    const inside = years.filter(function (y) { return up ? y >= year : y <= year; });
    if (!inside.length) return up ? years[years.length - 1] : years[0];
    return up ? inside[0] : inside[inside.length - 1];
  }

  function setYears(from, to) {
    const f = form.elements.from;
    const tEl = form.elements.to;
    f.value = from === "" ? "" : String(nearest(f, from, true));
    tEl.value = to === "" ? "" : String(nearest(tEl, to, false));
    if (f.value && tEl.value && Number(f.value) > Number(tEl.value)) tEl.value = f.value;
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }
})();
