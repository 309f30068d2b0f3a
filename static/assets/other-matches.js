// Under a filter on a paged home page, the matches on the other pages, one row per event
// linking to its card on its page. Rows are made once and kept: a keystroke moves only the
// rows that come or go (rows stay in nav.json's order, so a merge finds them). With no match
// on this page a screenful of new rows goes in at once, else none (the list is off screen,
// under the cards); the rest by batches when the browser is idle (the list is aria-busy until
// then: a batch is about 10 ms of layout); a newer keystroke stops an older one's batches,
// and the next run goes on from the rows in place. Either way the list ends as if made whole.
const SCREENFUL = 40;
const BATCH = 100;

// Wires the list ``others`` (its .other-count and ol); returns list(matched, nav), which
// shows the events of ``matched`` not in ``here`` (this page's ids), each linked to
// ``hrefOf(event)`` (its page, with the filters).
export function otherMatches(others, form, here, strings, hrefOf) {
  const t = strings.t;
  const rows = new Map();         // event id -> {li, n: its place in nav.json, label}
  const placeOf = new WeakMap();  // row's li -> its place in nav.json
  let places = null;              // nav row -> its place, made once nav.json is here
  let filling = 0;                // the current list's run; older runs stop
  form.addEventListener("input", function () { filling += 1; });
  form.addEventListener("reset", function () { filling += 1; });
  const later = window.requestIdleCallback ? function (next) {
    window.requestIdleCallback(next, { timeout: 100 });
  } : function (next) { window.setTimeout(next, 16); };

  function rowOf(e, label, nav) {
    let row = rows.get(e.id);
    const href = hrefOf(e);
    if (row && row.label === label) {  // remade if the strings say otherwise
      if (row.href !== href) { row.a.setAttribute("href", href); row.href = href; }
      return row;
    }
    if (!places || places.size !== nav.length) {
      places = new Map(nav.map(function (x, n) { return [x, n]; }));
    }
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.setAttribute("href", href);
    a.textContent = e.title;
    const where = document.createElement("span");
    where.className = "n";
    where.textContent = " (" + t("page {number}", { number: strings.number(e.page) }) + ")";
    li.append(e.date + ": ", a, where);
    row = { li: li, a: a, href: href, n: places.get(e), label: label };
    placeOf.set(li, row.n);
    rows.set(e.id, row);
    return row;
  }

  return function list(matched, nav) {
    if (!others) return;
    const list = others.querySelector("ol");
    const elsewhere = matched.filter(function (e) { return !here.has(e.id); });
    others.querySelector(".other-count").textContent = strings.events(elsewhere.length);
    others.hidden = elsewhere.length === 0;
    filling += 1;
    const run = filling;
    const label = t("page {number}");  // the template, to know rows made with older strings
    let i = 0;
    let child = list.firstElementChild;
    // Keeps rows and takes out those no longer matching, up to the limit'th row to put in
    // (what costs is laying out new rows); true when the list is whole.
    function merge(limit) {
      let added = 0;
      while (i < elsewhere.length) {
        const row = rowOf(elsewhere[i], label, nav);
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
  };
}
