// A zoomed overview strip's state: the strip as built (its nodes, size and legend), kept
// when zoom.js first redraws it and put back when the year filter is cleared.
import { readLayout } from "./strip-layout.js";

// The strip ``svg`` with its legend's parts and the layout the build wrote on it.
export function stripOf(svg) {
  const key = svg.parentElement.querySelector(".overview-key");
  const part = function (name) { return key && key.querySelector(name); };
  return { svg: svg, bars: !!svg.querySelector(".ov-bars"), saved: null,
           layout: readLayout(svg.dataset), keyBars: part(".ov-key-bars"),
           keyDensity: part(".ov-key-density"), keyEra: part(".ov-key-era"),
           start: Number(svg.dataset.start), end: Number(svg.dataset.end) };
}

export function save(s) {
  if (s.saved) return;
  const svg = s.svg;
  s.saved = { nodes: Array.from(svg.childNodes), viewBox: svg.getAttribute("viewBox"),
              height: svg.getAttribute("height"),
              keyBars: s.keyBars && s.keyBars.textContent,
              keyDensity: s.keyDensity && s.keyDensity.textContent };
  s.marks = Array.from(svg.querySelectorAll(".ov-marks > a[data-id]"));
  s.lanes = Array.from(svg.querySelectorAll(".ov-lanes > .ov-lane > text")).map(function (t) {
    return t.textContent;
  });
  s.eras = Array.from(svg.querySelectorAll(".ov-era[data-first]")).map(function (g) {
    return { first: Number(g.dataset.first), last: g.dataset.last ? Number(g.dataset.last) : 0,
             title: g.querySelector("text").textContent,
             label: g.querySelector("title").textContent };
  });
}

export function restore(s) {
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
