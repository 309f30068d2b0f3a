// The overview follows the filters: marks of events filtered out are dimmed, and each bar's
// dark part is the number of matching events in it (a month's bar counts the matching events
// whose first day falls in that month). A zoomed strip's bars are zoom.js's.
import { ymd } from "./days.js";

export function overviewSvgs(overview) {
  return overview ? Array.from(overview.querySelectorAll("svg.overview-svg")) : [];
}

// Whether nav.json's event ``e`` counts in ``bar`` (its data-from, data-to, data-month).
export function inBar(bar, e) {
  if (e.year < Number(bar.dataset.from) || e.year > Number(bar.dataset.to)) return false;
  return !bar.dataset.month || ymd(e.first)[1] === Number(bar.dataset.month);
}

// Returns dim(matched, active) for the strips of ``overview``.
export function overviewDimmer(overview) {
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

  return function dim(matched, active) {
    const ids = new Set(matched.map(function (e) { return e.id; }));
    overviewSvgs(overview).forEach(function (svg) {
      svg.querySelectorAll("a[data-id]").forEach(function (a) {
        a.classList.toggle("is-out", active && !ids.has(a.dataset.id));
      });
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
        bar.classList.toggle("is-out", out);
      });
    });
  };
}
