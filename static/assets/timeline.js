// Progressive enhancement only: every page works without this file. j/k and arrow keys
// between events, "copy link" buttons, and open source lists when printing. The home page's
// filters and search are filters.js's. Its strings come from the page's strings.json
// (strings.js).
import { pageStrings } from "./strings.js";
import { announce } from "./announce.js";

const strings = pageStrings();
const t = strings.t;

// ---- keyboard: j/k anywhere, arrows inside the list ----------------------------------
function visibleEvents() {
  return Array.from(document.querySelectorAll("li.event")).filter(function (li) {
    return !li.hidden && !li.closest("[hidden]");
  });
}

function currentEvent() {
  const active = document.activeElement;
  const inside = active && active.closest ? active.closest("li.event") : null;
  return inside || document.querySelector("li.event.is-current");
}

function moveTo(li) {
  document.querySelectorAll("li.event.is-current").forEach(function (el) {
    el.classList.remove("is-current");
  });
  li.classList.add("is-current");
  const target = li.querySelector(".event-title a") || li;
  target.focus();
}

function step(delta) {
  const list = visibleEvents();
  if (!list.length) return false;
  const index = list.indexOf(currentEvent());
  let next = index === -1 ? (delta > 0 ? 0 : list.length - 1) : index + delta;
  next = Math.max(0, Math.min(list.length - 1, next));
  moveTo(list[next]);
  return true;
}

function typing(el) {
  return el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
}

document.addEventListener("keydown", function (event) {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  if (typing(event.target)) return;
  let delta = 0;
  if (event.key === "j" || event.key === "k") {
    delta = event.key === "j" ? 1 : -1;
  } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") &&
             event.target.closest && event.target.closest("li.event")) {
    delta = event.key === "ArrowDown" ? 1 : -1;
  }
  if (delta && step(delta)) event.preventDefault();
});

// ---- copy link ---------------------------------------------------------------------
function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    return navigator.clipboard.writeText(text);
  }
  return new Promise(function (resolve, reject) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sr-only";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    if (ok) { resolve(); } else { reject(new Error("copy failed")); }
  });
}

function canonicalFor(href) {
  const canonical = document.querySelector('link[rel="canonical"]');
  const base = canonical ? canonical.href : location.href;
  return new URL(href, base).href;
}

function wireCopy(button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    const url = button.dataset.url;
    copyText(url).then(function () {
      button.textContent = t("Link copied");
      announce(t("Link copied: {url}", { url: url }));
      window.setTimeout(function () { button.textContent = t("Copy link"); }, 2500);
    }, function () {
      window.prompt(t("Copy this link:"), url);
    });
  });
}

document.querySelectorAll("button.copy-link").forEach(wireCopy);
strings.ready.then(function () {
  document.querySelectorAll("button.copy-link").forEach(function (button) {
    button.textContent = t("Copy link");
  });
});
// One share control per page (each card keeps its permalink, the title's link).

// ---- print: open every source list, then put them back -----------------------------
let closed = [];
window.addEventListener("beforeprint", function () {
  closed = Array.from(document.querySelectorAll("details:not([open])"));
  closed.forEach(function (d) { d.open = true; });
});
window.addEventListener("afterprint", function () {
  closed.forEach(function (d) { d.open = false; });
  closed = [];
});
