// The home page's overview zoomed to the year filter, progressive enhancement only (without
// JavaScript the server-drawn strip stays as it is). Whenever a year filter is set (by
// dragging across the strip, Shift and arrows on it, the filter form or the URL), each
// overview strip is redrawn for exactly those years: marks or bars spread over the full
// width, year labels for the range, and bins as fine as there is room for (weeks, months,
// years ...). Every bar is as tall as its events and the part matching the filters is
// drawn over it, at every scale. The legend says what is drawn at the zoomed scale; a
// "Show all years" button (a Tab stop after the strip) and Escape on the strip clear the
// year filter, which restores the full strip. The drawing mirrors overview.py's layout.
// navigator.js tells it what matches (the "timeline:matched" event, nav.json's rows).
"use strict";

(function () {
  const overview = document.getElementById("overview");
  const form = document.getElementById("controls");
  if (!overview || !form) return;
  const NS = "http://www.w3.org/2000/svg";
  const PAD = 16, RADIUS = 5, LANE = 16, MAX_LANES = 5, ERA_ROW = 21, DENSITY = 26,
    BARS = 72, AXIS = 26, FONT = 13;
  // (name, size in years); a "week" is days 1-7, 8-14, 15-21 or 22 to the month's end.
  const UNITS = [["week", 1 / 48], ["month", 1 / 12], ["year", 1], ["decade", 10],
                 ["century", 100], ["millennium", 1000]];
  const TICK_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000];
  const lang = document.documentElement.lang || "en";
  const root = document.body.dataset.root || "";
  const pageNumber = (function () {
    const m = location.pathname.match(/\/page\/(\d+)\/(index\.html)?$/);
    return m ? Number(m[1]) : 1;
  })();
  let strings = {};
  const rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  function t(key, values) {
    const text = typeof strings[key] === "string" ? strings[key] : key;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? values[name] : all;
    });
  }
  function number(n) { return n.toLocaleString(lang); }
  function events(n) {
    const forms = strings.events || { one: "{num} event", other: "{num} events" };
    const form = forms[rules ? rules.select(n) : (n === 1 ? "one" : "other")] || forms.other;
    return form.replace("{num}", number(n));
  }

  // ---- days and their names ----------------------------------------------------------
  function ymd(n) {  // day numbers are year * 10000 + month * 100 + day
    const y = Math.floor(n / 10000);
    const rest = n - y * 10000;
    return [y, Math.floor(rest / 100), rest % 100];
  }
  function leap(y) { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0; }
  function daysIn(y, m) {
    if (m === 2) return leap(y) ? 29 : 28;
    return [4, 6, 9, 11].indexOf(m) !== -1 ? 30 : 31;
  }
  function moment(y, m, d) { return y + (m - 1) / 12 + (d - 1) / 372; }
  function startOf(n) { const d = ymd(n); return moment(d[0], d[1], d[2]); }
  function endOf(n) {  // the moment a day is over, as overview.py's day_end
    const d = ymd(n);
    return d[2] >= daysIn(d[0], d[1]) ? d[0] + d[1] / 12 : moment(d[0], d[1], d[2]) + 1 / 372;
  }
  function day(y, m, d) {
    const x = new Date(2000, 0, 1);
    x.setFullYear(y, m - 1, d);
    return x;
  }
  function format(options, y, m, d) {
    return new Intl.DateTimeFormat(lang, options).format(day(y, m || 1, d || 1));
  }
  function yearLabel(y) {
    return y > 0 ? format({ year: "numeric" }, y) : t("{year} BCE", { year: 1 - y });
  }
  function monthName(y, m, style) { return format({ month: style || "long" }, y, m); }
  function monthLabel(y, m) {
    return y > 0 ? format({ year: "numeric", month: "long" }, y, m)
      : monthName(y, m) + " " + yearLabel(y);
  }
  function years(a, b) {
    return a === b ? yearLabel(a) : t("{start} – {end}", { start: yearLabel(a),
                                                            end: yearLabel(b) });
  }

  // ---- bins: which one a day is in, where it lies, what it is called ---------------------
  function binOf(n, unit) {
    const d = ymd(n);
    if (unit[0] === "week") return [d[0], d[1], Math.min(3, Math.floor((d[2] - 1) / 7))];
    if (unit[0] === "month") return [d[0], d[1]];
    return [Math.floor(d[0] / unit[1]) * unit[1]];
  }
  function binEdges(key, unit) {
    if (unit[0] === "week") {
      const y = key[0], m = key[1], q = key[2];
      return [moment(y, m, 1 + 7 * q), q < 3 ? moment(y, m, 8 + 7 * q) : y + m / 12];
    }
    if (unit[0] === "month") return [key[0] + (key[1] - 1) / 12, key[0] + key[1] / 12];
    return [key[0], key[0] + unit[1]];
  }
  function dayNumber(y, m, d) { return y * 10000 + m * 100 + d; }
  function binDays(key, unit) {  // a bin's first and last day, as day numbers
    const y = key[0];
    if (unit[0] === "week") {
      return [dayNumber(y, key[1], 1 + 7 * key[2]),
              dayNumber(y, key[1], key[2] < 3 ? 7 + 7 * key[2] : daysIn(y, key[1]))];
    }
    if (unit[0] === "month") return [dayNumber(y, key[1], 1), dayNumber(y, key[1], daysIn(y, key[1]))];
    return [dayNumber(y, 1, 1), dayNumber(y + unit[1] - 1, 12, 31)];
  }
  function binName(key, unit) {
    const y = key[0];
    if (unit[0] === "week") {
      const first = 1 + 7 * key[2], last = key[2] < 3 ? 7 + 7 * key[2] : daysIn(y, key[1]);
      const f = new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric" });
      if (y > 0 && f.formatRange) return f.formatRange(day(y, key[1], first), day(y, key[1], last));
      return first + "–" + last + " " + monthLabel(y, key[1]);
    }
    if (unit[0] === "month") return monthLabel(y, key[1]);
    if (unit[1] === 1) return yearLabel(y);
    if (unit[1] === 10 && y > 0) return t("{year}s", { year: y });
    return years(y, y + unit[1] - 1);
  }
  function unitFor(span, bins) {
    return UNITS.find(function (u) { return span / u[1] <= bins; }) || UNITS[UNITS.length - 1];
  }
  // Count items ({first, id, out}) into bins: [{key, all, hit, items}] in time order.
  function bin(list, unit) {
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

  // ---- the axis's labels, as overview.py's _ticks ----------------------------------------
  function tickStep(span) {
    const step = TICK_STEPS.find(function (s) { return span / s <= 8; });
    if (step) return step;
    for (let power = 10000; ; power *= 10) {
      for (const f of [1, 2, 5]) if (span / (f * power) <= 8) return f * power;
    }
  }
  function ticks(start, end, scale, wide) {
    const span = end - start;
    const out = [];
    if (span <= 2) {  // months: every month on a wide strip over a year, else quarters
      const per = span <= 1 && wide ? 12 : 4;
      for (let i = 0; i <= Math.round(span * per); i++) {
        const at = start + i / per;
        const y = Math.floor(at + 1e-9);
        const m = Math.round((at - y) * 12);
        out.push({ x: scale(at), label: m === 0 ? yearLabel(y) : monthName(y, m + 1, "short"),
                   minor: m !== 0 && (per === 12 ? m % 3 !== 0 : span > 1) });
      }
      return out;
    }
    const step = tickStep(span);
    const list = [];
    for (let r = Math.ceil(start / step) * step - step; r < Math.floor(end) + step; r += step) {
      const y = r <= 0 && step > 1 ? r + 1 : r;  // no year 0: 40 BCE is year -39
      if (y >= start && y <= end) list.push(y);
    }
    return list.map(function (y, n) {
      return { x: scale(y), label: yearLabel(y), minor: list.length > 4 && n % 2 === 1 };
    });
  }

  // ---- eras, as overview.py's _era_rows: a label only where no other bar or label is ------
  function textWidth(text) {
    let w = 0;
    for (const c of text) w += c.codePointAt(0) >= 0x2e80 ? 1 : 0.6;
    return w * FONT;
  }
  function labelAt(x0, x1, title, width) {
    const size = textWidth(title);
    return x0 + size <= width ? [x0, "start"] : [Math.max(x1, size), "end"];
  }
  function lanes(boxes, max) {  // greedy lanes for [left, right] in order; null if too many
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
  function eraRows(eras, start, end, scale, width) {
    const shown = [];
    eras.forEach(function (era) {
      const lo = Math.max(startOf(era.first), start);
      const hi = Math.min(era.last ? endOf(era.last) : end, end);
      if (hi > lo) shown.push({ era: era, x0: scale(lo), x1: scale(hi) });
    });
    const spans = shown.map(function (s) {
      const at = labelAt(s.x0, s.x1, s.era.title, width);
      const size = textWidth(s.era.title);
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

  // ---- SVG ---------------------------------------------------------------------------------
  function el(name, attrs, children) {
    const node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function num(v) { return String(Math.round(v * 10) / 10); }
  function rect(x, y, w, h, extra) {
    return el("rect", Object.assign({ x: num(x), y: num(y), width: num(w), height: num(h) },
                                    extra || {}));
  }
  function title(text) { const n = el("title"); n.textContent = text; return n; }
  function barShapes(x, y, w, h, hit) {  // the full count, and the matching part over it
    const bottom = y + h;
    const hh = h * hit;
    return [rect(x, y, w, h), rect(x, bottom - hh, w, hh, { class: "ov-hit" })];
  }
  function markShape(a, x, y, w) {
    const h = 2 * RADIUS;
    if (a.classList.contains("ov-disputed") && w <= h + 0.1) {
      const cx = x + w / 2, cy = y + h / 2, r = h / 2 + 1;
      return el("polygon", { points: [[cx, cy - r], [cx + r, cy], [cx, cy + r], [cx - r, cy]]
        .map(function (p) { return num(p[0]) + "," + num(p[1]); }).join(" ") });
    }
    return rect(x, y, w, h, a.classList.contains("ov-confirmed") ?
      { rx: num(Math.min(h, w) / 2) } : {});
  }
  function hrefOf(row) {
    const page = row.page === pageNumber ? "" : root + (row.page === 1 ? "" : "page/" + row.page + "/");
    return page + "#" + row.id;
  }

  // ---- one strip, zoomed ------------------------------------------------------------------
  const strips = Array.from(overview.querySelectorAll("svg.overview-svg")).map(function (svg) {
    const key = svg.parentElement.querySelector(".overview-key");
    const part = function (name) { return key && key.querySelector(name); };
    return { svg: svg, bars: !!svg.querySelector(".ov-bars"), saved: null,
             keyBars: part(".ov-key-bars"), keyDensity: part(".ov-key-density"),
             keyEra: part(".ov-key-era"), start: Number(svg.dataset.start),
             end: Number(svg.dataset.end) };
  });
  if (!strips.length) return;

  function save(s) {
    if (s.saved) return;
    const svg = s.svg;
    s.saved = { nodes: Array.from(svg.childNodes), viewBox: svg.getAttribute("viewBox"),
                height: svg.getAttribute("height"),
                keyBars: s.keyBars && s.keyBars.textContent,
                keyDensity: s.keyDensity && s.keyDensity.textContent };
    s.marks = Array.from(svg.querySelectorAll(".ov-marks > a[data-id]"));
    s.eras = Array.from(svg.querySelectorAll(".ov-era[data-first]")).map(function (g) {
      return { first: Number(g.dataset.first), last: g.dataset.last ? Number(g.dataset.last) : 0,
               title: g.querySelector("text").textContent,
               label: g.querySelector("title").textContent };
    });
  }

  function restore(s) {
    if (!s.saved) return;
    const svg = s.svg;
    const focused = svg.contains(document.activeElement);
    svg.replaceChildren.apply(svg, s.saved.nodes);
    svg.setAttribute("viewBox", s.saved.viewBox);
    svg.setAttribute("height", s.saved.height);
    svg.dataset.start = String(s.start);
    svg.dataset.end = String(s.end);
    delete svg.dataset.zoomed;
    if (s.keyBars) s.keyBars.textContent = s.saved.keyBars;
    if (s.keyDensity) s.keyDensity.textContent = s.saved.keyDensity;
    if (s.keyEra) s.keyEra.hidden = false;
    s.saved = null;
    const mark = focused && svg.querySelector(".ov-marks > a:not([tabindex='-1']), " +
                                              ".ov-bars > a:not([tabindex='-1'])");
    if (mark) mark.focus();  // the keyboard stays on the strip, now whole
  }

  // Draw strip ``s`` for [start, end) in years; ``rows`` are nav.json's (bars) and ``ids``
  // the matching events' ids.
  function draw(s, start, end, rows, ids) {
    save(s);
    const svg = s.svg;
    const width = svg.viewBox.baseVal.width;
    const inner = width - 2 * PAD;
    const scale = function (at) { return PAD + (at - start) / (end - start) * inner; };
    const inside = function (first) { const y = ymd(first)[0]; return y >= start && y < end; };
    const eras = eraRows(s.eras, start, end, scale, width);
    const bodyTop = 4 + (eras.length ? Math.max.apply(null, eras.map(function (e) {
      return e.row; })) + 1 : 0) * ERA_ROW + (eras.length ? 6 : 0);
    let items, marks = [], laneOf = [], unit, binsTop, barsHeight;
    if (s.bars) {
      items = rows.filter(function (r) { return inside(r.first); }).map(function (r) {
        return { first: r.first, id: r.id, out: !ids.has(r.id), row: r };
      });
      unit = unitFor(end - start, Math.floor(inner / 6));
      binsTop = bodyTop;
      barsHeight = BARS;
    } else {
      marks = s.marks.filter(function (a) { return inside(Number(a.dataset.first)); });
      items = marks.map(function (a) {
        return { first: Number(a.dataset.first), id: a.dataset.id, out: !ids.has(a.dataset.id) };
      });
      const boxes = marks.map(function (a) {
        const x0 = scale(Number(a.dataset.first) ? startOf(Number(a.dataset.first)) : start);
        const x1 = scale(Math.min(a.dataset.last ? endOf(Number(a.dataset.last)) : end, end));
        return x1 - x0 < 2 * RADIUS ? [(x0 + x1) / 2 - RADIUS, 2 * RADIUS] : [x0, x1 - x0];
      });
      laneOf = lanes(boxes.map(function (b) { return [b[0] - 2, b[0] + b[1] + 2]; }),
                     MAX_LANES) || boxes.map(function (_, i) { return i % MAX_LANES; });
      marks = marks.map(function (a, i) { return { a: a, box: boxes[i] }; });
      unit = unitFor(end - start, Math.floor(inner / 3));
      binsTop = bodyTop + (laneOf.length ? Math.max.apply(null, laneOf) + 1 : 1) * LANE + 8;
      barsHeight = DENSITY;
    }
    const bins = bin(items, unit);
    const peak = Math.max.apply(null, bins.map(function (b) { return b.all; }).concat([1]));
    const axisY = binsTop + barsHeight + 1;
    const height = Math.ceil(axisY + AXIS);
    const out = [];
    if (eras.length) {
      out.push(el("g", { class: "ov-eras" }, eras.map(function (e) {
        const y = 4 + e.row * ERA_ROW;
        const text = el("text", { x: num(e.label[0]), y: num(y + ERA_ROW - 8),
                                  "text-anchor": e.label[1] });
        text.textContent = e.era.title;
        return el("g", { class: "ov-era" }, [title(e.era.label),
          el("g", { class: "ov-era-band" }, [rect(e.x0, bodyTop - 3, e.x1 - e.x0, axisY - bodyTop + 3)]),
          el("g", { class: "ov-era-bar" }, [rect(e.x0, y + ERA_ROW - 5, e.x1 - e.x0, 3)]), text]);
      })));
    }
    const axis = el("g", { class: "ov-axis", "aria-hidden": "true" }, [
      el("line", { x1: PAD, x2: width - PAD, y1: num(axisY), y2: num(axisY) })]);
    ticks(start, end, scale, width >= 600).forEach(function (tick) {
      const half = tick.label.length * FONT * 0.3;
      let anchor = "middle", x = tick.x;
      if (tick.x - half < 0) { anchor = "start"; x = Math.max(0, tick.x - 4); }
      else if (tick.x + half > width) { anchor = "end"; x = Math.min(width, tick.x + 4); }
      const text = el("text", { x: num(x), y: num(axisY + 18), "text-anchor": anchor });
      text.textContent = tick.label;
      axis.append(el("g", tick.minor ? { class: "ov-minor" } : {}, [
        el("line", { x1: num(tick.x), x2: num(tick.x), y1: num(axisY), y2: num(axisY + 5) }),
        text]));
    });
    out.push(axis);
    const shapes = bins.map(function (b) {
      const edges = binEdges(b.key, unit);
      const x0 = scale(Math.max(edges[0], start)), x1 = scale(Math.min(edges[1], end));
      const h = Math.max(2, barsHeight * b.all / peak);
      const data = { "data-from": b.key[0], "data-to": unit[1] >= 1 ? b.key[0] + unit[1] - 1 : b.key[0],
                     "data-count": b.all, "data-matching": b.hit,
                     "data-first": binDays(b.key, unit)[0], "data-last": binDays(b.key, unit)[1] };
      if (unit[1] < 1) data["data-month"] = b.key[1];
      return { b: b, x: x0 + 0.5, y: binsTop + barsHeight - h, w: Math.max(1, x1 - x0 - 1), h: h,
               data: data, label: binName(b.key, unit) + ": " + events(b.all) };
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
      focusable = marks.map(function (m, i) {
        const a = m.a.cloneNode(true);
        const y = bodyTop + laneOf[i] * LANE + LANE / 2 - RADIUS;
        a.querySelectorAll("rect, polygon").forEach(function (n) { n.remove(); });
        if (m.box[1] > 2 * RADIUS) a.classList.add("ov-span");
        a.classList.toggle("is-out", !ids.has(a.dataset.id));
        a.classList.remove("is-tipped");
        a.append(markShape(a, m.box[0], y, m.box[1]));
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
      { unit: name, num: number(peak) });
    }
    if (s.keyDensity) s.keyDensity.textContent = t("grey bars: events per {unit}", { unit: name });
    if (s.keyEra) s.keyEra.hidden = eras.length === 0;
  }

  // ---- the control back to every year, and when to zoom --------------------------------
  const bar = document.createElement("p");
  bar.className = "ov-zoom";
  bar.hidden = true;
  const said = document.createElement("span");
  const reset = document.createElement("button");
  reset.type = "button";
  reset.className = "ov-reset";
  bar.append(said, " ", reset);
  const tip = document.getElementById("overview-tip");
  overview.insertBefore(bar, tip);
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
      range: years(from === null ? Math.floor(strips[0].start) : from,
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

  const stringsUrl = document.body.dataset.strings;
  if (stringsUrl) {
    fetch(stringsUrl).then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
      .then(function (loaded) { strings = loaded; if (!holding) apply(); });
  }
})();
