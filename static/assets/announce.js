// The page's one live region, there from the start (a screen reader hears only a region it
// already knew): what a script says to screen readers ("Link copied").
const announcer = document.createElement("p");
announcer.className = "sr-only";
announcer.setAttribute("role", "status");
document.body.appendChild(announcer);

export function announce(text) {
  announcer.textContent = "";
  window.setTimeout(function () { announcer.textContent = text; }, 50);
}
