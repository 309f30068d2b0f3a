// The page's strings: its language's strings.json (body data-strings), keyed by the English
// text, fetched once for every script of the page. Until it arrives each text is its English
// key, so a page is usable at once; ``ready`` says when to redo what was said before.
// Plurals follow the language's CLDR rules (Intl.PluralRules).
import { numberFormatter } from "./format.js";

const EVENTS = { one: "{num} event", other: "{num} events" };

// "Showing {shown} of {events}" with each {name} filled in from ``values``.
export function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, function (all, name) {
    return values && name in values ? values[name] : all;
  });
}

// Strings over ``table`` (strings.json's content) for ``lang``: t(key, values),
// plural(key, n, fallback), events(n) and number(n).
export function makeStrings(lang, table) {
  const rules = typeof Intl !== "undefined" && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  const self = { lang: lang, table: table || {}, number: numberFormatter(lang) };
  self.t = function (key, values) {
    const text = typeof self.table[key] === "string" ? self.table[key] : key;
    return fill(text, values);
  };
  self.plural = function (key, n, fallback) {
    const forms = self.table[key] || fallback;
    const form = forms[rules ? rules.select(n) : (n === 1 ? "one" : "other")] || forms.other;
    return form.replace("{num}", self.number(n));
  };
  self.events = function (n) { return self.plural("events", n, EVENTS); };
  return self;
}

// Fetches a strings file: its table, or {} when it cannot be had (the keys are shown).
export function loadTable(url, fetcher) {
  return (fetcher || fetch)(url).then(function (r) { return r.ok ? r.json() : {}; })
    .catch(function () { return {}; });
}

let page = null;

// The page's strings, one object for all its scripts; ``ready`` resolves once the table is in.
export function pageStrings() {
  if (page) return page;
  page = makeStrings(document.documentElement.lang || "en", {});
  const url = document.body.dataset.strings;
  page.ready = !url ? Promise.resolve(page) : loadTable(url).then(function (loaded) {
    page.table = loaded;
    return page;
  });
  return page;
}
