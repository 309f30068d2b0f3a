// A URL that asks for nothing (a year without events, an unknown tag, place or status) says
// so and offers the nearest alternatives ("No events in 2018 · 2017 · 2019"), never silently
// showing something else: the form takes the asked value as a choice of its own (so nothing
// matches, and the overview zooms to the empty years), and the "no match" line says why.
import { anyInside, nearestYears } from "./filter.js";

const YEAR = /^-?\d{1,6}$/;
const NAMED = { tag: ["No tag “{value}”", "All tags"], place: ["No place “{value}”", "All places"],
                status: ["No status “{value}”", "Any status"] };

// Chooses ``value`` in ``select``, adding it (marked data-asked; a year in its order) when the
// form does not offer it.
export function offer(select, value, year) {
  const options = Array.from(select.options);
  if (!options.some(function (o) { return o.value === value; })) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = value;
    option.dataset.asked = "yes";
    const after = year ? options.find(function (o) {
      return o.value && Number(o.value) > Number(value);
    }) : null;
    select.insertBefore(option, after || null);
  }
  select.value = value;
}

// Adds what the URL asked for and the form does not offer ([{name, value}], filter.js's
// unoffered) to the form's choices.
export function offerAsked(form, asked) {
  asked.forEach(function (x) {
    const select = form.elements[x.name];
    const year = x.name === "from" || x.name === "to";
    if (select.tagName === "SELECT" && (!year || YEAR.test(x.value))) offer(select, x.value, year);
  });
}

// The values a select offers from the build (not added by offer()).
export function offered(select) {
  return Array.from(select.options).filter(function (o) {
    return o.value && !o.dataset.asked;
  }).map(function (o) { return o.value; });
}

// Why state ``s`` shows nothing when it asks for nothing: a list of {years: [from, to],
// before, after} (the nearest years with events, or null) and {name, value} (an unknown
// choice). ``years`` are the years with events, ascending; ``known`` {tag, place, status}
// lists the choices there are.
export function reasons(s, years, known) {
  const out = [];
  const from = s.from ? Number(s.from) : null;
  const to = s.to ? Number(s.to) : null;
  if ((from !== null || to !== null) && !anyInside(years, from, to)) {
    const near = nearestYears(years, from === null ? -Infinity : from, to === null ? Infinity : to);
    out.push({ years: [from, to], before: near.before, after: near.after });
  }
  Object.keys(NAMED).forEach(function (name) {
    if (s[name] && known[name].indexOf(s[name]) === -1) out.push({ name: name, value: s[name] });
  });
  return out;
}

function link(text, state) {
  const a = document.createElement("a");
  const query = new URLSearchParams(state).toString();
  a.href = location.pathname + (query ? "?" + query : "");
  a.textContent = text;
  return a;
}

// Says in ``p`` (the "no match" line) why form state ``s`` shows nothing, with links to the
// nearest alternatives; the line's own words stay when there is no such reason.
export function explain(p, s, form, strings, labels) {
  const t = strings.t;
  let why = p.querySelector(".no-match-why");
  if (!why) {
    why = document.createElement("span");
    why.className = "no-match-why";
    p.insertBefore(why, p.firstChild);
  }
  const plain = why.nextSibling;
  if (!p.dataset.plain) p.dataset.plain = plain.textContent;
  const known = { tag: offered(form.elements.tag), place: offered(form.elements.place),
                  status: offered(form.elements.status) };
  const list = reasons(s, offered(form.elements.from).map(Number), known);
  why.replaceChildren();
  plain.textContent = list.length ? " " : p.dataset.plain;
  list.forEach(function (r, n) {
    if (n) why.append("; ");
    if (r.years) {
      const f = r.years[0], e = r.years[1];
      why.append(f !== null && e !== null ? t("No events in {years}", { years: labels.years(f, e) })
        : f !== null ? t("No events from {year} on", { year: labels.yearLabel(f) })
          : t("No events up to {year}", { year: labels.yearLabel(e) }));
      [r.before, r.after].forEach(function (y) {
        if (y !== null) why.append(" · ", link(labels.yearLabel(y), Object.assign({}, s, {
          from: String(y), to: String(y) })));
      });
    } else {
      const rest = Object.assign({}, s);
      delete rest[r.name];
      why.append(t(NAMED[r.name][0], { value: r.value }), " · ", link(t(NAMED[r.name][1]), rest));
    }
  });
}
