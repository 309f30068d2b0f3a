// SVG pieces of the zoomed overview strip, drawn as overview_svg.py draws the whole one:
// numbers rounded to a tenth, bars with their matching part over them, marks shaped by status,
// the era rows and the axis. ``layout`` is the strip's data-layout (strip-layout.js).
const NS = "http://www.w3.org/2000/svg";

export function el(name, attrs, children) {
  const node = document.createElementNS(NS, name);
  Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
  (children || []).forEach(function (c) { node.append(c); });
  return node;
}
export function num(v) { return String(Math.round(v * 10) / 10); }
export function rect(x, y, w, h, extra) {
  return el("rect", Object.assign({ x: num(x), y: num(y), width: num(w), height: num(h) },
                                  extra || {}));
}
export function title(text) { const n = el("title"); n.textContent = text; return n; }

// A bar: the full count, and the matching part (``hit``, 0 to 1) over it.
export function barShapes(x, y, w, h, hit) {
  const bottom = y + h;
  const hh = h * hit;
  return [rect(x, y, w, h), rect(x, bottom - hh, w, hh, { class: "ov-hit" })];
}

// A mark's shape for link ``a``: a diamond when disputed, round when confirmed, else square.
export function markShape(layout, a, x, y, w) {
  const h = 2 * layout.radius;
  if (a.classList.contains("ov-disputed") && w <= h + 0.1) {
    const cx = x + w / 2, cy = y + h / 2, r = h / 2 + 1;
    return el("polygon", { points: [[cx, cy - r], [cx + r, cy], [cx, cy + r], [cx - r, cy]]
      .map(function (p) { return num(p[0]) + "," + num(p[1]); }).join(" ") });
  }
  return rect(x, y, w, h, a.classList.contains("ov-confirmed") ?
    { rx: num(Math.min(h, w) / 2) } : {});
}

// The eras' group: for each, a band from ``bodyTop`` to ``axisY`` and a labelled bar in its row.
export function erasGroup(layout, eras, bodyTop, axisY) {
  const row = layout.eraRow;
  return el("g", { class: "ov-eras" }, eras.map(function (e) {
    const y = 4 + e.row * row;
    const text = el("text", { x: num(e.label[0]), y: num(y + row - 8),
                              "text-anchor": e.label[1] });
    text.textContent = e.era.title;
    return el("g", { class: "ov-era" }, [title(e.era.label),
      el("g", { class: "ov-era-band" }, [rect(e.x0, bodyTop - 3, e.x1 - e.x0, axisY - bodyTop + 3)]),
      el("g", { class: "ov-era-bar" }, [rect(e.x0, y + row - 5, e.x1 - e.x0, 3)]), text]);
  }));
}

// The axis at ``axisY`` with its ``ticks`` ({x, label, minor}), each label kept inside.
export function axisGroup(layout, ticks, axisY, width) {
  const axis = el("g", { class: "ov-axis", "aria-hidden": "true" }, [
    el("line", { x1: layout.pad, x2: width - layout.pad, y1: num(axisY), y2: num(axisY) })]);
  ticks.forEach(function (tick) {
    const half = tick.label.length * layout.font * 0.3;
    let anchor = "middle", x = tick.x;
    if (tick.x - half < 0) { anchor = "start"; x = Math.max(0, tick.x - 4); }
    else if (tick.x + half > width) { anchor = "end"; x = Math.min(width, tick.x + 4); }
    const text = el("text", { x: num(x), y: num(axisY + 18), "text-anchor": anchor });
    text.textContent = tick.label;
    axis.append(el("g", tick.minor ? { class: "ov-minor" } : {}, [
      el("line", { x1: num(tick.x), x2: num(tick.x), y1: num(axisY), y2: num(axisY + 5) }),
      text]));
  });
  return axis;
}

// The lanes per tag: a rule at each lane's top (``tops``, as bands() gives them, moved to the
// strip's body) and its label (``labels``), as overview_svg.py draws them.
export function lanesGroup(layout, labels, tops, width) {
  return el("g", { class: "ov-lanes" }, labels.map(function (label, n) {
    const text = el("text", { x: layout.pad, y: num(tops[n] + layout.laneLabel - 3) });
    text.textContent = label;
    return el("g", { class: "ov-lane", "data-lane": n }, [
      el("line", { x1: layout.pad, x2: width - layout.pad, y1: num(tops[n]), y2: num(tops[n]) }),
      text]);
  }));
}
