// The home page's overview zoomed to the year filter, progressive enhancement only (without
// JavaScript the server-drawn strip stays as it is). Whenever a year filter is set (by
// dragging across the strip, Shift and arrows on it, the filter form or the URL), each
// overview strip is redrawn for exactly those years: marks or bars spread over the full
// width, year labels for the range, and bins as fine as there is room for (weeks, months,
// years ...). Every bar is as tall as its events and the part matching the filters is
// drawn over it, at every scale. The legend says what is drawn at the zoomed scale; a
// "Show all years" button (a Tab stop after the strip) and Escape on the strip clear the
// year filter, which restores the full strip. The layout is strip-layout.js's, with the
// numbers the build wrote on the strip; navigator.js tells it what matches (the
// "timeline:matched" event, nav.json's rows).
import { pageStrings } from "./strings.js";
import { dateLabels } from "./format.js";
import { ymd, startOf, endOf } from "./days.js";
import { pageNumber, pageUrl } from "./nav.js";
import { stripOf, save, restore } from "./strip-saved.js";
import { unitFor, bin, binEdges, binDays, binName, ticks, bands, eraRows,
         markBox, targetBox } from "./strip-layout.js";
import { el, title, rect, barShapes, markShape, erasGroup, axisGroup,
         lanesGroup } from "./strip-svg.js";

const strings = pageStrings();
const t = strings.t;
const labels = dateLabels(strings.lang, t);
const root = document.body.dataset.root || "";
const here = pageNumber(location.pathname);

function hrefOf(row) {
  return (row.page === here ? "" : pageUrl(root, row.page)) + "#" + row.id;
}

// ---- one strip, drawn for a range ----------------------------------------------------
// The marks inside [start, end) at their dates, each in a row of its lane per tag (all in
// one lane on a strip without them).
function placeMarks(s, start, end, scale, ids) {
  const L = s.layout;
  const inside = function (first) { const y = ymd(first)[0]; return y >= start && y < end; };
  const marks = s.marks.filter(function (a) { return inside(Number(a.dataset.first)); });
  const items = marks.map(function (a) {
    return { first: Number(a.dataset.first), id: a.dataset.id, out: !ids.has(a.dataset.id) };
  });
  const boxes = marks.map(function (a) {
    const x0 = scale(Number(a.dataset.first) ? startOf(Number(a.dataset.first)) : start);
    const x1 = scale(Math.min(a.dataset.last ? endOf(Number(a.dataset.last)) : end, end));
    return markBox(L, x0, x1);
  });
  const groups = marks.map(function (a) { return Number(a.dataset.lane || 0); });
  const rows = bands(L, boxes.map(function (b) { return [b[0] - 2, b[0] + b[1] + 2]; }),
                     groups, Math.max(s.lanes.length, 1), s.lanes.length > 0);
  return { items: items, rows: rows, groups: groups,
           marks: marks.map(function (a, i) { return { a: a, box: boxes[i] }; }) };
}

// Draw strip ``s`` for [start, end) in years; ``rows`` are nav.json's (bars) and ``ids``
// the matching events' ids.
function draw(s, start, end, rows, ids) {
  save(s);
  const L = s.layout;
  const svg = s.svg;
  const width = svg.viewBox.baseVal.width;
  const inner = width - 2 * L.pad;
  const scale = function (at) { return L.pad + (at - start) / (end - start) * inner; };
  const eras = eraRows(L, s.eras, start, end, scale, width);
  const bodyTop = 4 + (eras.length ? Math.max.apply(null, eras.map(function (e) {
    return e.row; })) + 1 : 0) * L.eraRow + (eras.length ? 6 : 0);
  let items, placed = null, unit, binsTop, barsHeight;
  if (s.bars) {
    items = rows.filter(function (r) {
      const y = ymd(r.first)[0];
      return y >= start && y < end;
    }).map(function (r) { return { first: r.first, id: r.id, out: !ids.has(r.id), row: r }; });
    unit = unitFor(L.units, end - start, Math.floor(inner / 6));
    binsTop = bodyTop;
    barsHeight = L.bars;
  } else {
    placed = placeMarks(s, start, end, scale, ids);
    items = placed.items;
    unit = unitFor(L.units, end - start, Math.floor(inner / 3));
    binsTop = bodyTop + placed.rows.tops[placed.rows.tops.length - 1] + 8;
    barsHeight = L.density;
  }
  const bins = bin(items, unit);
  const peak = Math.max.apply(null, bins.map(function (b) { return b.all; }).concat([1]));
  const axisY = binsTop + barsHeight + 1;
  const height = Math.ceil(axisY + L.axis);
  const out = [];
  if (eras.length) out.push(erasGroup(L, eras, bodyTop, axisY));
  out.push(axisGroup(L, ticks(L, start, end, scale, width >= 600, labels), axisY, width));
  if (placed && s.lanes.length) {
    out.push(lanesGroup(L, s.lanes, placed.rows.tops.map(function (top) { return bodyTop + top; }),
                        width));
  }
  const shapes = bins.map(function (b) {
    const edges = binEdges(b.key, unit);
    const x0 = scale(Math.max(edges[0], start)), x1 = scale(Math.min(edges[1], end));
    const h = Math.max(2, barsHeight * b.all / peak);
    const data = { "data-from": b.key[0], "data-to": unit[1] >= 1 ? b.key[0] + unit[1] - 1 : b.key[0],
                   "data-count": b.all, "data-matching": b.hit,
                   "data-first": binDays(b.key, unit)[0], "data-last": binDays(b.key, unit)[1] };
    if (unit[1] < 1) data["data-month"] = b.key[1];
    return { b: b, x: x0 + 0.5, y: binsTop + barsHeight - h, w: Math.max(1, x1 - x0 - 1), h: h,
             data: data, label: binName(b.key, unit, labels, t) + ": " + strings.events(b.all) };
  });
  let focusable;
  if (s.bars) {
    focusable = shapes.map(function (p) {
      const target = p.b.items.find(function (i) { return !i.out; }) || p.b.items[0];
      return el("a", Object.assign({ href: hrefOf(target.row), class: "ov-bar" +
        (p.b.hit === 0 ? " is-out" : "") }, p.data),
      [title(p.label)].concat(barShapes(p.x, p.y, p.w, p.h, p.b.hit / p.b.all)));
    });
    out.push(el("g", { class: "ov-bars" }, focusable));
  } else {
    out.push(el("g", { class: "ov-density", "aria-hidden": "true" }, shapes.map(function (p) {
      return el("g", Object.assign({ class: p.b.hit === 0 ? "is-out" : "" }, p.data),
                [title(p.label)].concat(barShapes(p.x, p.y, p.w, p.h, p.b.hit / p.b.all)));
    })));
    focusable = placed.marks.map(function (m, i) {
      const a = m.a.cloneNode(true);
      const y = bodyTop + placed.rows.tops[placed.groups[i]] + placed.rows.label +
        placed.rows.rows[i] * L.lane + L.lane / 2 - L.radius;
      a.querySelectorAll("rect, polygon").forEach(function (n) { n.remove(); });
      if (m.box[1] > 2 * L.radius) a.classList.add("ov-span");
      a.classList.toggle("is-out", !ids.has(a.dataset.id));
      a.classList.remove("is-tipped");
      const hit = targetBox(L, m.box[0], y, m.box[1], 2 * L.radius);
      a.append(markShape(L, a, m.box[0], y, m.box[1]),
               rect(hit[0], hit[1], hit[2], hit[3], { class: "ov-target" }));
      return a;
    });
    out.push(el("g", { class: "ov-marks" }, focusable));
  }
  focusable.forEach(function (a, i) { a.setAttribute("tabindex", i === 0 ? "0" : "-1"); });
  const select = s.saved.nodes.find(function (n) {
    return n.classList && n.classList.contains("ov-select");
  });
  if (select) { select.setAttribute("height", String(height)); out.push(select); }
  const focused = svg.contains(document.activeElement);
  svg.replaceChildren.apply(svg, out);
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  svg.setAttribute("height", String(height));
  svg.dataset.start = String(start);
  svg.dataset.end = String(end);
  svg.dataset.zoomed = "yes";
  if (focused && focusable.length) focusable[0].focus();
  // The legend, at this scale.
  const name = t(unit[0]);
  if (s.keyBars) {
    s.keyBars.textContent = t("Each bar counts the events of one {unit} (the tallest: {num});" +
      " the dark part, those matching the filters. Choose a bar to go to its events.",
    { unit: name, num: strings.number(peak) });
  }
  if (s.keyDensity) s.keyDensity.textContent = t("grey bars: events per {unit}", { unit: name });
  if (s.keyEra) s.keyEra.hidden = eras.length === 0;
}

// ---- the control back to every year, and when to zoom --------------------------------
function wireZoom(overview, form, strips) {
  const bar = document.createElement("p");
  bar.className = "ov-zoom";
  bar.hidden = true;
  const said = document.createElement("span");
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "ov-reset";
  bar.append(said, " ", reset);
  overview.insertBefore(bar, document.getElementById("overview-tip"));
  function clearYears() {
    form.elements.from.value = "";
    form.elements.to.value = "";
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }
  reset.addEventListener("click", function () {
    clearYears();
    const first = strips.map(function (s) { return s.svg; }).find(function (svg) {
      return svg.getBoundingClientRect().width > 0;
    });
    const mark = first && first.querySelector("a:not([tabindex='-1'])");
    if (mark) mark.focus();
  });
  strips.forEach(function (s) {
    s.svg.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && s.svg.dataset.zoomed) { event.preventDefault(); clearYears(); }
    });
  });

  let last = null;     // the latest "timeline:matched" detail
  let holding = false; // Shift held on the strip: a range is being chosen, zoom when it ends
  function apply() {
    const detail = last;
    if (!detail) return;
    const st = detail.state || {};
    const zoomed = !!(st.from || st.to) && !!detail.matched;
    bar.hidden = !zoomed;
    if (!zoomed) { strips.forEach(restore); return; }
    const ids = new Set(detail.matched.map(function (e) { return e.id; }));
    const from = st.from ? Number(st.from) : null;
    const to = st.to ? Number(st.to) + 1 : null;
    strips.forEach(function (s) {
      const start = from === null ? s.start : Math.max(s.start, from);
      const end = to === null ? s.end : Math.min(s.end, to);
      draw(s, start, Math.max(end, start + 1), detail.all, ids);
    });
    reset.textContent = t("Show all years");
    said.textContent = t("Zoomed to {range}.", {
      range: labels.years(from === null ? Math.floor(strips[0].start) : from,
                          (to === null ? Math.ceil(strips[0].end) : to) - 1) });
  }
  document.addEventListener("timeline:matched", function (event) {
    last = event.detail;
    if (!holding) apply();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Shift" && overview.contains(document.activeElement)) holding = true;
  });
  function release() {
    if (!holding) return;
    holding = false;
    apply();
  }
  document.addEventListener("keyup", function (event) { if (event.key === "Shift") release(); });
  window.addEventListener("blur", release);
  strings.ready.then(function () { if (!holding) apply(); });
}

const overview = document.getElementById("overview");
const form = document.getElementById("controls");
if (overview && form) {
  const strips = Array.from(overview.querySelectorAll("svg.overview-svg")).map(stripOf);
  if (strips.length) wireZoom(overview, form, strips);
}
