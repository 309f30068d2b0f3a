// The overview strip's layout for the zoomed years, as generator/site/overview.py lays out the
// whole strip: bins, the axis's labels, era rows and mark lanes. Its numbers (padding, mark
// size, lane and row heights, tick steps, bin units) are the ones the build wrote on the strip
// (data-layout), never copied here, so the build and the browser cannot disagree.
// Pure functions: tests/js/strip-layout.test.mjs runs them under node.
import { ymd, moment, daysIn, dayNumber, startOf, endOf } from "./days.js";

// The numbers on a strip's data-layout: {pad, radius, lane, lanes, eraRow, density, bars, axis,
// font, target, ticks, units, laneLabel}; units gain the zoom's finest, the week (days 1-7, 8-14, 15-21 and 22 to
// the month's end), as [name, size in years].
export function readLayout(dataset) {
  if (!dataset.layout) throw new Error("the overview strip has no data-layout");
  const layout = JSON.parse(dataset.layout);
  layout.units = [["week", 1 / 48]].concat(layout.units);
  return layout;
}

// ---- bins: which one a day is in, where it lies, what it is called -----------------------
export function binOf(n, unit) {
  const d = ymd(n);
  if (unit[0] === "week") return [d[0], d[1], Math.min(3, Math.floor((d[2] - 1) / 7))];
  if (unit[0] === "month") return [d[0], d[1]];
  return [Math.floor(d[0] / unit[1]) * unit[1]];
}
export function binEdges(key, unit) {
  if (unit[0] === "week") {
    const y = key[0], m = key[1], q = key[2];
    return [moment(y, m, 1 + 7 * q), q < 3 ? moment(y, m, 8 + 7 * q) : y + m / 12];
  }
  if (unit[0] === "month") return [key[0] + (key[1] - 1) / 12, key[0] + key[1] / 12];
  return [key[0], key[0] + unit[1]];
}
export function binDays(key, unit) {  // a bin's first and last day, as day numbers
  const y = key[0];
  if (unit[0] === "week") {
    return [dayNumber(y, key[1], 1 + 7 * key[2]),
            dayNumber(y, key[1], key[2] < 3 ? 7 + 7 * key[2] : daysIn(y, key[1]))];
  }
  if (unit[0] === "month") return [dayNumber(y, key[1], 1), dayNumber(y, key[1], daysIn(y, key[1]))];
  return [dayNumber(y, 1, 1), dayNumber(y + unit[1] - 1, 12, 31)];
}
// A bin's name; ``labels`` from format.js's dateLabels, ``t`` for "{year}s".
export function binName(key, unit, labels, t) {
  const y = key[0];
  if (unit[0] === "week") {
    const first = 1 + 7 * key[2], last = key[2] < 3 ? 7 + 7 * key[2] : daysIn(y, key[1]);
    return labels.daysLabel(y, key[1], first, last);
  }
  if (unit[0] === "month") return labels.monthLabel(y, key[1]);
  if (unit[1] === 1) return labels.yearLabel(y);
  if (unit[1] === 10 && y > 0) return t("{year}s", { year: y });
  return labels.years(y, y + unit[1] - 1);
}
// The finest unit that cuts ``span`` years into at most ``bins`` bins.
export function unitFor(units, span, bins) {
  return units.find(function (u) { return span / u[1] <= bins; }) || units[units.length - 1];
}
// Count items ({first, id, out}) into bins: [{key, all, hit, items}] in time order.
export function bin(list, unit) {
  const byKey = new Map();
  list.forEach(function (item) {
    const key = binOf(item.first, unit);
    const name = key.join("|");
    if (!byKey.has(name)) byKey.set(name, { key: key, all: 0, hit: 0, items: [] });
    const b = byKey.get(name);
    b.all += 1;
    if (!item.out) b.hit += 1;
    b.items.push(item);
  });
  return Array.from(byKey.values()).sort(function (a, b) {
    return binEdges(a.key, unit)[0] - binEdges(b.key, unit)[0];
  });
}

// ---- the axis's labels, as overview.py's _tick_step and _ticks --------------------------
export function tickStep(steps, span) {
  const step = steps.find(function (s) { return span / s <= 8; });
  if (step) return step;
  for (let power = 10000; ; power *= 10) {
    for (const f of [1, 2, 5]) if (span / (f * power) <= 8) return f * power;
  }
}
// [{x, label, minor}]: months over a span of two years or less (every month on a wide strip
// over one year, else quarters), else round years.
export function ticks(layout, start, end, scale, wide, labels) {
  const span = end - start;
  const out = [];
  if (span <= 2) {
    const per = span <= 1 && wide ? 12 : 4;
    for (let i = 0; i <= Math.round(span * per); i++) {
      const at = start + i / per;
      const y = Math.floor(at + 1e-9);
      const m = Math.round((at - y) * 12);
      out.push({ x: scale(at), label: m === 0 ? labels.yearLabel(y) : labels.monthName(y, m + 1, "short"),
                 minor: m !== 0 && (per === 12 ? m % 3 !== 0 : span > 1) });
    }
    return out;
  }
  const step = tickStep(layout.ticks, span);
  const list = [];
  for (let r = Math.ceil(start / step) * step - step; r < Math.floor(end) + step; r += step) {
    const y = r <= 0 && step > 1 ? r + 1 : r;  // no year 0: 40 BCE is year -39
    if (y >= start && y <= end) list.push(y);
  }
  return list.map(function (y, n) {
    return { x: scale(y), label: labels.yearLabel(y), minor: list.length > 4 && n % 2 === 1 };
  });
}

// ---- eras, as overview.py's _era_rows: a label only where no other bar or label is -------
export function textWidth(layout, text) {
  let w = 0;
  for (const c of text) w += c.codePointAt(0) >= 0x2e80 ? 1 : 0.6;
  return w * layout.font;
}
function labelAt(layout, x0, x1, title, width) {
  const size = textWidth(layout, title);
  return x0 + size <= width ? [x0, "start"] : [Math.max(x1, size), "end"];
}
// Greedy lanes for [left, right] boxes in order, as overview.py's _lanes, except that a box
// with no lane left gets null (overview.py gives up on marks there and draws bars).
export function lanes(boxes, max) {
  const rights = [];
  return boxes.map(function (b) {
    let lane = rights.findIndex(function (r) { return r <= b[0]; });
    if (lane === -1) {
      if (rights.length === max) return null;
      rights.push(b[1]);
      lane = rights.length - 1;
    }
    rights[lane] = b[1];
    return lane;
  });
}
// Rows within lanes per tag, as overview_lanes.py's banded_rows and lane_tops: each box's
// row in its lane (``groups[i]``: box i's lane, of ``count``), the lanes' tops from 0 (a lane
// has at least one row, and a label row above it when ``labelled``; the last top is where the
// marks end), and that label row. A box with no row left goes in row i modulo the most.
export function bands(layout, boxes, groups, count, labelled) {
  const rows = boxes.map(function () { return 0; });
  const label = labelled ? layout.laneLabel : 0;
  const tops = [0];
  for (let g = 0; g < count; g++) {
    const members = groups.reduce(function (m, k, i) { return k === g ? m.concat([i]) : m; }, []);
    let most = 0;
    lanes(members.map(function (i) { return boxes[i]; }), layout.lanes).forEach(function (r, n) {
      rows[members[n]] = r === null ? n % layout.lanes : r;
      most = Math.max(most, rows[members[n]]);
    });
    tops.push(tops[g] + label + (most + 1) * layout.lane);
  }
  return { rows: rows, tops: tops, label: label };
}

// The eras ({first, last, title}) inside [start, end): {era, x0, x1, label: [x, anchor], row}.
export function eraRows(layout, eras, start, end, scale, width) {
  const shown = [];
  eras.forEach(function (era) {
    const lo = Math.max(startOf(era.first), start);
    const hi = Math.min(era.last ? endOf(era.last) : end, end);
    if (hi > lo) shown.push({ era: era, x0: scale(lo), x1: scale(hi) });
  });
  const spans = shown.map(function (s) {
    const at = labelAt(layout, s.x0, s.x1, s.era.title, width);
    const size = textWidth(layout, s.era.title);
    const left = at[1] === "start" ? at[0] : at[0] - size;
    s.label = at;
    return [Math.min(left, s.x0), Math.max(left + size, s.x1) + 8];
  });
  const order = spans.map(function (_, i) { return i; })
    .sort(function (a, b) { return spans[a][0] - spans[b][0] || spans[a][1] - spans[b][1]; });
  const rows = lanes(order.map(function (i) { return spans[i]; }), spans.length);
  order.forEach(function (i, n) { shown[i].row = rows[n] === null ? n : rows[n]; });
  return shown;
}

// Where a mark's box lies: [left, width], a circle for a day, a pill for anything longer.
export function markBox(layout, x0, x1) {
  const r = layout.radius;
  return x1 - x0 < 2 * r ? [(x0 + x1) / 2 - r, 2 * r] : [x0, x1 - x0];
}

// A mark's invisible hit area, as overview_svg.py's _target: [x, y, w, h], at least
// layout.target units each way, centred on the mark's box.
export function targetBox(layout, x, y, w, h) {
  const tw = Math.max(w, layout.target), th = Math.max(h, layout.target);
  return [x + w / 2 - tw / 2, y + h / 2 - th / 2, tw, th];
}
