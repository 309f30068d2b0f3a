// On a page of cards, a status badge or hedged date links to the page's key, which
// describes it (aria-describedby). With this script its meaning also shows beside it, on
// hover, focus and tap (instead of the jump to the key); Escape hides it.
(function () {
  "use strict";
  let tip = null;
  let owner = null;
  function hide() { if (tip) { tip.hidden = true; } owner = null; }
  function show(ref) {
    const ids = (ref.getAttribute("aria-describedby") || "").split(" ");
    const text = ids.map(function (id) {
      const node = document.getElementById(id);
      return node ? node.textContent.trim() : "";
    }).join(" ").trim();
    if (!text) { return; }
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "tip tip-float";
      tip.setAttribute("aria-hidden", "true");  // screen readers hear the description
      document.body.appendChild(tip);
    }
    tip.textContent = text;
    tip.hidden = false;
    const box = ref.getBoundingClientRect();
    const right = document.documentElement.clientWidth - tip.offsetWidth - 8;
    tip.style.left = (Math.max(8, Math.min(box.left, right)) + window.scrollX) + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    owner = ref;
  }
  function refOf(node) { return node && node.closest ? node.closest(".tip-ref") : null; }
  document.addEventListener("mouseover", function (event) {
    const ref = refOf(event.target);
    if (ref && ref !== owner) { show(ref); }
  });
  document.addEventListener("mouseout", function (event) {
    const ref = refOf(event.target);
    if (ref && ref === owner && !ref.contains(event.relatedTarget) &&
        document.activeElement !== ref) { hide(); }
  });
  document.addEventListener("focusin", function (event) {
    const ref = refOf(event.target);
    if (ref) { show(ref); } else { hide(); }
  });
  document.addEventListener("click", function (event) {
    const ref = refOf(event.target);
    if (!ref) { hide(); return; }
    event.preventDefault();  // a tap shows it (hover and focus may have already)
    show(ref);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
  });
}());
