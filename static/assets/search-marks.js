// Highlighting: a card's words marked where they are a query's terms, and a snippet of a
// match the card does not show (in the text or the sources).
import { processTerm } from "./search-terms.js";

const WORD = /[\p{L}\p{N}]+/gu;

// Highlighting cuts every word of every card shown: each distinct word is cut once.
const cut = new Map();
function termOf(word) {
  let term = cut.get(word);
  if (term === undefined) {
    term = processTerm(word.toLowerCase());
    if (cut.size > 50000) cut.clear();
    cut.set(word, term);
  }
  return term;
}

// The part of `word` to mark: a Hangul word without its particle, any other word whole.
function markedLength(word, term) {
  return /[\uac00-\ud7a3]$/.test(word) && word.startsWith(term) ? term.length : word.length;
}

export function markText(el, terms) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  nodes.forEach(function (node) {
    const text = node.nodeValue;
    const frag = document.createDocumentFragment();
    let last = 0;
    for (const m of text.matchAll(WORD)) {
      const term = termOf(m[0]);
      if (!terms.has(term)) continue;
      const length = markedLength(m[0].toLowerCase(), term);
      frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      const mark = document.createElement("mark");
      mark.className = "hit";
      mark.textContent = text.slice(m.index, m.index + length);
      frag.appendChild(mark);
      last = m.index + length;
    }
    if (last === 0) return;
    frag.appendChild(document.createTextNode(text.slice(last)));
    node.replaceWith(frag);
  });
}

// A match the card does not show (in the text or the sources): the words around it.
export function snippet(text, lookFor, all, label) {
  let at = null;
  for (const m of text.matchAll(WORD)) {
    if (lookFor.has(termOf(m[0]))) { at = m; break; }
  }
  if (!at) return null;
  const start = Math.max(0, text.lastIndexOf(" ", Math.max(0, at.index - 60)));
  const end = Math.min(text.length, at.index + at[0].length + 90);
  const p = document.createElement("p");
  p.className = "search-snippet";
  p.textContent = label + (start > 0 ? "…" : "") + text.slice(start, end).trim() +
    (end < text.length ? "…" : "");
  markText(p, all);
  return p;
}
