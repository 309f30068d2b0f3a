// The overview strip as one Tab stop: arrow keys, Home and End move between its marks or bars
// (roving tabindex), each shows its label on focus, hover and tap (a first tap shows it, a
// second follows the link); Shift+arrows or dragging across the axis choose a range of years,
// which becomes the year filter (Escape clears it). Without it the marks and bars are links.
import { overviewSvgs } from "./overview-dim.js";
import { anyInside } from "./filter.js";
import { offer, offered } from "./asked.js";

function items(svg) {
  return Array.from(svg.querySelectorAll(".ov-marks > a, .ov-bars > a"));
}

// The year filter's choices are the years that have events: the nearest one inside.
function nearest(select, year, up) {
  const years = offered(select).map(Number);
  const inside = years.filter(function (y) { return up ? y >= year : y <= year; });
  if (!inside.length) return up ? years[years.length - 1] : years[0];
  return up ? inside[0] : inside[inside.length - 1];
}

// Sets the form's years to the nearest choices inside [from, to] ("" clears), as if typed;
// a range with no year of events is chosen as it is (asked.js says so, and what is near).
function setYears(form, from, to) {
  const f = form.elements.from;
  const tEl = form.elements.to;
  if (from !== "" && to !== "" && !anyInside(offered(f).map(Number), from, to)) {
    offer(f, String(from), true);
    offer(tEl, String(to), true);
  } else {
    f.value = from === "" ? "" : String(nearest(f, from, true));
    tEl.value = to === "" ? "" : String(nearest(tEl, to, false));
  }
  if (f.value && tEl.value && Number(f.value) > Number(tEl.value)) tEl.value = f.value;
  form.dispatchEvent(new Event("input", { bubbles: true }));
}

// Dragging across ``svg`` chooses a range of years.
function wireDrag(svg, form) {
  let drag = null;
  const band = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  band.setAttribute("class", "ov-select");
  band.setAttribute("y", "0");
  band.setAttribute("height", svg.viewBox.baseVal.height);
  band.setAttribute("width", "0");
  svg.appendChild(band);
  function toX(event) {
    const box = svg.getBoundingClientRect();
    return (event.clientX - box.left) / box.width * svg.viewBox.baseVal.width;
  }
  function toYear(x) {
    const pad = Number(svg.dataset.pad);
    const w = svg.viewBox.baseVal.width - 2 * pad;
    const start = Number(svg.dataset.start);
    const end = Number(svg.dataset.end);
    return Math.floor(start + (x - pad) / w * (end - start));
  }
  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) return;
    drag = { x: toX(event), moved: false, id: event.pointerId };
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.id) return;
    const x = toX(event);
    if (!drag.moved && Math.abs(x - drag.x) < 6) return;
    if (!drag.moved) svg.setPointerCapture(event.pointerId);
    drag.moved = true;
    band.setAttribute("x", String(Math.min(x, drag.x)));
    band.setAttribute("width", String(Math.abs(x - drag.x)));
  });
  svg.addEventListener("pointerup", function (event) {
    if (!drag) return;
    const moved = drag.moved;
    const x = toX(event);
    const from = toYear(Math.min(x, drag.x));
    const to = toYear(Math.max(x, drag.x));
    drag = null;
    band.setAttribute("width", "0");
    if (!moved) return;
    svg.addEventListener("click", function stop(e) {
      e.preventDefault();
      e.stopPropagation();
      svg.removeEventListener("click", stop, true);
    }, true);
    setYears(form, from, to);
  });
}

// Wires every strip of ``overview``; ``root`` is the site's root for event pages.
export function wireOverview(overview, form, strings, root) {
  const t = strings.t;
  const tip = document.getElementById("overview-tip");
  function label(el) {
    const title = el.querySelector("title");
    let text = title ? title.textContent : "";
    if (el.dataset.matching && el.dataset.matching !== el.dataset.count) {
      text += " · " + t("{num} match the filters",
                        { num: strings.number(Number(el.dataset.matching)) });
    }
    if (el.classList.contains("is-out")) text += " · " + t("hidden by the filters");
    return text;
  }
  function showTip(el) {
    if (!tip) return;
    tip.textContent = label(el);
    tip.hidden = false;
    overview.querySelectorAll(".is-tipped").forEach(function (x) {
      x.classList.remove("is-tipped");
    });
    el.classList.add("is-tipped");
  }
  function yearOf(el) { return Number(el.dataset.year || el.dataset.from); }
  function lastYearOf(el) { return Number(el.dataset.year || el.dataset.to); }

  let anchor = null;
  overviewSvgs(overview).forEach(function (svg) {
    // Listeners on the strip, not on each mark: zoom.js redraws the marks and bars.
    function itemOf(event) {
      const el = event.target.closest && event.target.closest("a");
      return el && svg.contains(el) && items(svg).indexOf(el) !== -1 ? el : null;
    }
    // On the strip's box, not the SVG: Chromium makes an SVG with focus listeners a Tab stop.
    svg.parentElement.addEventListener("focusin", function (event) {
      const el = itemOf(event);
      if (el) showTip(el);
    });
    svg.addEventListener("mouseover", function (event) {
      const el = itemOf(event);
      if (el && !(event.relatedTarget && el.contains(event.relatedTarget))) showTip(el);
    });
    svg.addEventListener("click", function (event) {
      const el = itemOf(event);
      if (!el) return;
      // A tap shows the label first; a second tap on the same mark follows it.
      if (el.dataset.tapped !== "yes" && el.dataset.touch === "yes") {
        event.preventDefault();
        items(svg).forEach(function (x) { x.dataset.tapped = ""; });
        el.dataset.tapped = "yes";
        showTip(el);
        return;
      }
      const id = el.dataset.id;
      const li = id && document.getElementById(id);
      if (li && li.hidden) {  // filtered out here: open its own page instead
        event.preventDefault();
        location.href = root + "events/" + id + "/";
      }
    });
    svg.addEventListener("pointerdown", function (event) {
      const el = itemOf(event);
      if (el) el.dataset.touch = event.pointerType === "touch" ? "yes" : "";
    });
    svg.addEventListener("keydown", function (event) {
      const list = items(svg);
      const index = list.indexOf(document.activeElement);
      if (anchor && !anchor.isConnected) anchor = null;  // zoom.js redrew the strip
      if (index === -1) return;
      let next = index;
      if (event.key === "ArrowRight" || event.key === "ArrowDown") next = index + 1;
      else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = index - 1;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = list.length - 1;
      else if (event.key === "Escape" && anchor !== null) {
        anchor = null;
        setYears(form, "", "");
        event.preventDefault();
        return;
      } else return;
      event.preventDefault();
      next = Math.max(0, Math.min(list.length - 1, next));
      if (event.shiftKey) {
        if (anchor === null) anchor = list[index];
        const a = Math.min(yearOf(anchor), yearOf(list[next]));
        const b = Math.max(lastYearOf(anchor), lastYearOf(list[next]));
        setYears(form, a, b);
      } else {
        anchor = null;
      }
      list[index].setAttribute("tabindex", "-1");
      list[next].setAttribute("tabindex", "0");
      list[next].focus();
    });
    wireDrag(svg, form);
  });
}
