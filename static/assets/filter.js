// The filter model the home page's scripts share: the form's fields, the state they make
// (kept in the URL), and the one test of an event against it, for a card on the page and for
// a row of nav.json alike.

export const FIELDS = ["q", "tag", "place", "status", "from", "to"];

// The filled fields of the form: {tag: "kaesong", from: "2017"}.
export function formState(form) {
  const out = {};
  FIELDS.forEach(function (name) {
    const value = form.elements[name].value.trim();
    if (value) out[name] = value;
  });
  return out;
}

// Sets the form from the URL's query; a choice the form does not offer is left empty.
export function restoreForm(form, search) {
  const params = new URLSearchParams(search);
  FIELDS.forEach(function (name) {
    const field = form.elements[name];
    const value = params.get(name) || "";
    field.value = value;
    if (field.tagName === "SELECT" && field.value !== value) field.value = "";
  });
}

// Whether event ``e`` ({id, year, status, tags, places}) passes state ``s``; ``found`` (has(id))
// holds the search's matches, null while there are none to look at.
export function passes(s, found, e) {
  if (s.tag && e.tags.indexOf(s.tag) === -1) return false;
  if (s.place && e.places.indexOf(s.place) === -1) return false;
  if (s.status && e.status !== s.status) return false;
  if (s.from && e.year < Number(s.from)) return false;
  if (s.to && e.year > Number(s.to)) return false;
  return !(s.q && found && !found.has(e.id));
}

// A card's event, from its data attributes.
export function cardEvent(li) {
  return {
    id: li.id, status: li.dataset.status, year: Number(li.dataset.year),
    tags: (li.dataset.tags || "").split(" "), places: (li.dataset.places || "").split(" ")
  };
}

// What the URL's query asks for that the form does not offer (restoreForm left it empty):
// [{name, value}], e.g. a year without events or an unknown tag.
export function unoffered(form, search) {
  const params = new URLSearchParams(search);
  return FIELDS.filter(function (name) {
    const value = (params.get(name) || "").trim();
    return value && form.elements[name].value !== value;
  }).map(function (name) { return { name: name, value: params.get(name).trim() }; });
}

// The years with events (numbers, ascending) nearest outside [from, to]: {before, after},
// each null when there is none on that side.
export function nearestYears(years, from, to) {
  const before = years.filter(function (y) { return y < from; });
  const after = years.filter(function (y) { return y > to; });
  return { before: before.length ? before[before.length - 1] : null,
           after: after.length ? after[0] : null };
}

// Whether any of ``years`` lies in [from, to] (either end may be null: open).
export function anyInside(years, from, to) {
  return years.some(function (y) {
    return (from === null || y >= from) && (to === null || y <= to);
  });
}
