// An event page: ← and → (and a sideways swipe on touch) follow its previous and next
// links; a tap opens the tip of its date or status (hover and focus need no script), and
// Escape dismisses it. An enhancement only: the links and tips work without it.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !target.closest) { return false; }
    return !!target.closest("input, textarea, select, [contenteditable], [role='slider']");
  }

  function follow(rel) {
    const link = document.querySelector('.prev-next a[rel="' + rel + '"]');
    if (link) { window.location.href = link.href; }
    return !!link;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      const open = ".tip-wrap.is-open, .tip-wrap:hover, .tip-wrap:focus-within";
      document.querySelectorAll(open).forEach(function (wrap) {
        wrap.classList.remove("is-open");
        wrap.classList.add("is-dismissed");
      });
    }
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") { return; }
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey ||
        event.shiftKey || typing(event.target)) { return; }
    if (follow(event.key === "ArrowLeft" ? "prev" : "next")) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    const term = event.target.closest && event.target.closest(".tip-term");
    document.querySelectorAll(".tip-wrap.is-open").forEach(function (wrap) {
      if (!term || wrap !== term.parentElement) { wrap.classList.remove("is-open"); }
    });
    if (term) {
      term.parentElement.classList.remove("is-dismissed");
      term.parentElement.classList.toggle("is-open");
    }
  });
  function undismiss(event) {  // the pointer or the focus comes back
    const wrap = event.target.closest && event.target.closest(".tip-wrap");
    if (wrap && !wrap.contains(event.relatedTarget)) {
      wrap.classList.remove("is-dismissed");
      if (event.type === "focusout") { wrap.classList.remove("is-open"); }
    }
  }
  document.addEventListener("mouseover", undismiss);
  document.addEventListener("focusout", undismiss);

  // A swipe: mostly sideways, long enough, not inside something that scrolls sideways.
  let start = null;
  function scrollsSideways(node) {
    for (; node && node !== document.body; node = node.parentElement) {
      if (node.scrollWidth > node.clientWidth + 1 &&
          /auto|scroll/.test(getComputedStyle(node).overflowX)) { return true; }
    }
    return false;
  }
  document.addEventListener("touchstart", function (event) {
    const touch = event.touches[0];
    start = event.touches.length === 1 && !scrollsSideways(event.target) && !typing(event.target)
      ? { x: touch.clientX, y: touch.clientY } : null;
  }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (!start || !event.changedTouches.length) { return; }
    const touch = event.changedTouches[0];
    const dx = touch.clientX - start.x;
    const dy = touch.clientY - start.y;
    start = null;
    if (Math.abs(dx) >= 80 && Math.abs(dy) < Math.abs(dx) / 2) {
      follow(dx > 0 ? "prev" : "next");  // the page moves with the finger: right is earlier
    }
  }, { passive: true });
}());
