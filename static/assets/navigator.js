// The home page's navigator, progressive enhancement only (without it the overview's marks
// and bars are links, the year strip links to the right page, the pager is plain links):
// the filters behind one button on narrow screens; under filters, the true total on every
// page ("312 events match; 250 on this page, 62 on pages 2–3"), every match on other pages
// listed (other-matches.js), the year strip (year-strip.js) and the overview
// (overview-dim.js) following them; the overview's keys and labels (overview-keys.js).
// It reads nav.json (one row per event) once a reader filters, and tells zoom.js what
// matched ("timeline:matched"). filters.js tells it the filters ("timeline:filter").
import { pageStrings } from "./strings.js";
import { passes } from "./filter.js";
import { navLoader, pageUrl, withQuery } from "./nav.js";
import { yearStrip } from "./year-strip.js";
import { otherMatches } from "./other-matches.js";
import { overviewDimmer } from "./overview-dim.js";
import { wireOverview } from "./overview-keys.js";

const strings = pageStrings();
const t = strings.t;
const number = strings.number;

// The filters fold behind one button on narrow screens.
function wireToggle(form) {
  const toggle = document.getElementById("filters-toggle");
  if (!toggle) return;
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

function pagesText(numbers) {
  if (numbers.length === 1) return t("page {number}", { number: number(numbers[0]) });
  return t("pages {first}–{last}", { first: number(numbers[0]),
                                     last: number(numbers[numbers.length - 1]) });
}

// "312 events match; 250 on this page, 62 on pages 2–3"; ``here``: this page's ids.
function totals(matched, here) {
  const elsewhere = matched.filter(function (e) { return !here.has(e.id); });
  const numbers = Array.from(new Set(elsewhere.map(function (e) { return e.page; })))
    .sort(function (a, b) { return a - b; });
  const total = strings.plural("matches", matched.length,
                               { one: "{num} event matches", other: "{num} events match" });
  if (!elsewhere.length) return t("{matches}, all on this page", { matches: total });
  return t("{matches}; {here} on this page, {elsewhere} on {pages}", {
    matches: total, here: number(matched.length - elsewhere.length),
    elsewhere: number(elsewhere.length), pages: pagesText(numbers) });
}

// Links to other views keep the filters: the pager, the year strip's other pages, the
// language switch (links within the page, "#y2019", already do).
const CARRIED = "nav.pager a, #year-strip a, .language-switcher a";
function carry(query) {
  document.querySelectorAll(CARRIED).forEach(function (a) {
    const href = a.getAttribute("href");
    if (!href || href.charAt(0) === "#") return;
    const next = withQuery(href, query);
    if (next !== href) a.setAttribute("href", next);
  });
}

// zoom.js redraws the overview for a year filter from what matched (null: no filter).
function matchedFor(state, all, matched) {
  document.dispatchEvent(new CustomEvent("timeline:matched", {
    detail: { state: state, all: all, matched: matched } }));
}

function wireNavigator(form, timeline) {
  const root = document.body.dataset.root || "";
  const pages = Number(timeline.dataset.pages) || 1;
  const count = document.getElementById("event-count");
  const noMatch = document.getElementById("no-match");
  const others = document.getElementById("other-matches");
  const overview = document.getElementById("overview");
  const here = new Set(Array.from(timeline.querySelectorAll("li.event"))
    .map(function (li) { return li.id; }));
  wireToggle(form);
  const hideYears = yearStrip(document.getElementById("year-strip"), timeline);
  let query = "";  // the filters as a URL query, carried by links to other views
  const listOthers = otherMatches(others, form, here, strings, function (e) {
    return withQuery(pageUrl(root, e.page), query) + "#" + e.id;
  });
  const dimOverview = overviewDimmer(overview);
  const loadNav = navLoader(form.dataset.nav);
  let nav = null;

  // The page's one share control copies the view as filtered (the URL keeps the filters).
  const share = document.querySelector(".count-line .copy-link");
  const shareBase = share ? share.dataset.url : "";

  function follow(detail) {
    const s = detail.state;
    query = new URLSearchParams(s).toString();
    carry(query);
    if (share) share.dataset.url = shareBase + (query ? "?" + query : "");
    if (!detail.active) {
      matchedFor(s, nav, null);
      hideYears([], false);
      dimOverview([], false);
      if (others) others.hidden = true;
      return;
    }
    if (detail.pending) return;
    loadNav().then(function (all) {
      nav = all;
      const now = window.timelineFilter;
      if (now && now.state !== s) return;  // a newer filter is on its way
      const matched = all.filter(function (e) { return passes(s, detail.matches, e); });
      if (pages > 1) {
        let text = totals(matched, here);
        if (s.q) text += t(" matching “{query}”", { query: s.q });
        count.textContent = text;
        if (noMatch && matched.length) noMatch.hidden = true;
        listOthers(matched, all);
      }
      matchedFor(s, all, matched);
      hideYears(matched, true);
      dimOverview(matched, true);
    }, function () {
      if (others) others.hidden = true;
    });
  }

  document.addEventListener("timeline:filter", function (event) { follow(event.detail); });
  strings.ready.then(function () {
    if (window.timelineFilter) follow(window.timelineFilter);
  });
  if (overview) wireOverview(overview, form, strings, root);
}

const form = document.getElementById("controls");
const timeline = document.getElementById("timeline");
if (form && timeline) wireNavigator(form, timeline);
