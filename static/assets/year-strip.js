// The home page's year strip: the year being read highlighted as the reader scrolls, years no
// matching event falls in hidden, and one Tab stop (the year being read) with arrow keys,
// Home and End along it. Without it the strip is plain links.

// Wires ``strip`` to the list ``timeline``; returns hideYears(matched, active), which hides
// the years none of ``matched`` (events with a year) falls in while a filter is active.
export function yearStrip(strip, timeline) {
  function markCurrent(year) {
    if (!strip) return;
    strip.querySelectorAll("a[aria-current]").forEach(function (a) {
      a.removeAttribute("aria-current");
    });
    const li = strip.querySelector('li[data-year="' + year + '"]');
    if (!li) return;
    const a = li.querySelector("a");
    a.setAttribute("aria-current", "location");
    const list = strip.querySelector("ul");
    const left = li.offsetLeft - list.offsetLeft;
    if (left < list.scrollLeft || left + li.offsetWidth > list.scrollLeft + list.clientWidth) {
      list.scrollLeft = left - list.clientWidth / 2 + li.offsetWidth / 2;
    }
  }
  function stripLinks() {
    return strip ? Array.from(strip.querySelectorAll("li:not([hidden]) a")) : [];
  }
  function rove() {
    const links = stripLinks();
    const current = links.find(function (a) { return a.hasAttribute("aria-current"); });
    const focused = links.indexOf(document.activeElement) !== -1;
    links.forEach(function (a) {
      if (!focused) a.tabIndex = a === (current || links[0]) ? 0 : -1;
    });
  }
  if (strip) {
    strip.addEventListener("keydown", function (event) {
      const links = stripLinks();
      const index = links.indexOf(document.activeElement);
      if (index === -1) return;
      const moves = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0,
                      End: links.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = links[Math.max(0, Math.min(links.length - 1, moves[event.key]))];
      links.forEach(function (a) { a.tabIndex = a === next ? 0 : -1; });
      next.focus();
    });
  }

  function onScroll() {
    const top = (strip ? strip.getBoundingClientRect().bottom : 0) + 8;
    let current = null;
    timeline.querySelectorAll("section.year:not([hidden])").forEach(function (section) {
      if (section.getBoundingClientRect().top <= top + 40) current = section;
    });
    if (!current) current = timeline.querySelector("section.year:not([hidden])");
    if (current) markCurrent(current.id.slice(1));
    rove();
  }
  let ticking = false;
  window.addEventListener("scroll", function () {
    if (ticking) return;
    ticking = true;
    window.requestAnimationFrame(function () { ticking = false; onScroll(); });
  }, { passive: true });
  onScroll();

  return function hideYears(matched, active) {
    if (!strip) return;
    const years = new Set(matched.map(function (e) { return String(e.year); }));
    strip.querySelectorAll("li[data-year]").forEach(function (li) {
      li.hidden = active && !years.has(li.dataset.year);
    });
    rove();
  };
}
