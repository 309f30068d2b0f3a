// The prebuilt index's parts (generator/site/search_index.py): which term file a word lives
// in, a term's events decoded from its gaps, and a query cut into words to look up.
import { words, processTerm } from "./search-terms.js";

export function chars(text) { return Array.from(text); }
export function keyOf(term) { return chars(term).slice(0, 2).join(""); }

// FNV-1a over code points, as shard_of in search_index.py.
export function shardOf(key, count) {
  let value = 0x811c9dc5;
  for (const ch of key) value = Math.imul(value ^ ch.codePointAt(0), 0x01000193) >>> 0;
  return value % count;
}

export function fetchJson(url) {
  return fetch(url).then(function (r) {
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    return r.json();
  });
}

// A term's events in order, each with where it is found (SHOWN, IN_TEXT, IN_SOURCES).
export function decode(lists) {
  const pairs = [];
  lists.forEach(function (gaps, where) {
    let n = 0;
    for (const gap of gaps) { n += gap; pairs.push(n * 4 + where); }
  });
  pairs.sort(function (a, b) { return a - b; });
  const events = new Int32Array(pairs.length);
  const where = new Uint8Array(pairs.length);
  pairs.forEach(function (p, i) { events[i] = p >> 2; where[i] = p & 3; });
  return { events: events, where: where };
}

// Where ``n`` is in the ascending ``sorted``, or -1.
export function find(sorted, n) {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === n) return mid;
    if (sorted[mid] < n) { lo = mid + 1; } else { hi = mid - 1; }
  }
  return -1;
}

// The query's words: each finds its own term, and longer terms that begin with it when it
// has three characters or more (two for the word being typed, the last one).
export function parse(q) {
  const found = words(q);
  const typing = found.length > 0 && !/[^\p{L}\p{N}]$/u.test(q);
  const seen = new Set();
  const items = [];
  found.forEach(function (raw, i) {
    const term = processTerm(raw);
    if (seen.has(term + " " + raw)) return;
    seen.add(term + " " + raw);
    const last = typing && i === found.length - 1;
    const prefix = chars(term).length >= 3 || (last && chars(raw).length >= 2);
    items.push({ raw: raw, term: term, prefix: prefix });
  });
  return items;
}
