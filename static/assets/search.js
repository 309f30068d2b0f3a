// Search over the prebuilt index in search/ (generator/site/search_index.py), loaded on
// first use, never with the page: index.json (ids and what the filters read), then only the
// term files a query's words live in, and titles or text for the events a result shows.
// timeline.js calls open(), then for each query ready()/prepare() and query(); results are
// shown in timeline order, so nothing is scored.
//
//   const search = await open(folderUrl);
//   search.docs        every event: {id, status, year, tag_slugs, place_slugs}, in order
//   search.query(q)    null for no words, else {size, has(id), get(id) -> {terms, where}}
//   search.records(ns) Promise of [{id, url, title, date}] for event numbers ns
//   search.highlight(li, result)  marks the card's words, adds a snippet for a hidden match
//   search.forget(li)  the card shows no result now: a mark or snippet still due is dropped
import { words, processTerm } from "./search-terms.js";

const WORD = /[\p{L}\p{N}]+/gu;
const SHOWN = 0;
const IN_TEXT = 1;
const IN_SOURCES = 2;

function chars(text) { return Array.from(text); }

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
function keyOf(term) { return chars(term).slice(0, 2).join(""); }

// FNV-1a over code points, as shard_of in search_index.py.
function shardOf(key, count) {
  let value = 0x811c9dc5;
  for (const ch of key) value = Math.imul(value ^ ch.codePointAt(0), 0x01000193) >>> 0;
  return value % count;
}

function fetchJson(url) {
  return fetch(url).then(function (r) {
    if (!r.ok) throw new Error(url + ": HTTP " + r.status);
    return r.json();
  });
}

// A term's events in order, each with where it is found (SHOWN, IN_TEXT, IN_SOURCES).
function decode(lists) {
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

function find(sorted, n) {
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
function parse(q) {
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

class Search {
  constructor(base, index) {
    this.base = base;
    this.index = index;
    this.count = index.ids.length;
    this.shards = new Map();   // shard number -> promise, then {key: {term: lists}}
    this.loaded = new Map();   // shard number -> {key: {term: lists}}
    this.decoded = new Map();  // term -> {events, where}
    this.chunks = new Map();   // "docs-3" -> promise of the array
    this.byId = new Map(index.ids.map(function (id, n) { return [id, n]; }));
    this.generation = 0;
    // card -> the result it shows, marked or not yet; a card kept from one query to the next
    // (the same words found in it) keeps its older result, whose marks are the same.
    this.shownWith = new WeakMap();
    this.asked = [];                 // [card, result, label] since the last flush()
    this.waiting = new WeakMap();    // card -> [result, label], marked when near the screen
    this.near = "IntersectionObserver" in window ? new IntersectionObserver(
      (entries) => { entries.forEach((entry) => this.seen(entry)); },
      { rootMargin: "100% 0px" }) : null;
    this.docs = index.ids.map(function (id, n) {
      return {
        id: id, number: n, year: index.years[n], status: index.statuses[index.status[n]],
        tag_slugs: index.tag[n].map(function (t) { return index.tags[t]; }),
        place_slugs: index.place[n].map(function (p) { return index.places[p]; })
      };
    });
  }

  url(name) { return new URL(name + "?v=" + this.index.stamp, this.base).href; }

  shardsFor(q) {
    const count = this.index.terms;
    const needed = new Set();
    parse(q).forEach(function (item) {
      needed.add(shardOf(keyOf(item.term), count));
      if (item.prefix) needed.add(shardOf(keyOf(item.raw), count));
    });
    return Array.from(needed);
  }

  ready(q) {
    const loaded = this.loaded;
    return this.shardsFor(q).every(function (n) { return loaded.has(n); });
  }

  prepare(q) {
    const self = this;
    return Promise.all(this.shardsFor(q).map(function (n) {
      if (!self.shards.has(n)) {
        const loading = fetchJson(self.url("terms-" + n + ".json")).then(function (shard) {
          self.loaded.set(n, shard);
          return shard;
        });
        loading.catch(function () { self.shards.delete(n); });
        self.shards.set(n, loading);
      }
      return self.shards.get(n);
    }));
  }

  postings(term) {
    let found = this.decoded.get(term);
    if (!found) {
      const key = keyOf(term);
      const group = this.loaded.get(shardOf(key, this.index.terms))[key];
      found = decode(group[term]);
      this.decoded.set(term, found);
    }
    return found;
  }

  // The index terms a query word finds (needs its shards loaded).
  candidates(item) {
    const count = this.index.terms;
    const out = new Set();
    const keys = item.prefix ? [item.term, item.raw] : [item.term];
    for (const start of keys) {
      const key = keyOf(start);
      const group = (this.loaded.get(shardOf(key, count)) || {})[key] || {};
      if (!item.prefix) {
        if (Object.prototype.hasOwnProperty.call(group, start)) out.add(start);
        continue;
      }
      for (const term of Object.keys(group)) if (term.startsWith(start)) out.add(term);
    }
    return Array.from(out);
  }

  query(q) {
    this.generation += 1;
    const items = q ? parse(q) : [];
    if (!items.length) return null;
    const self = this;
    const per = items.map(function (item) { return self.candidates(item); });
    let hit = null;
    per.forEach(function (terms) {
      const mine = new Uint8Array(self.count);
      terms.forEach(function (term) {
        for (const n of self.postings(term).events) mine[n] = 1;
      });
      if (hit) { for (let n = 0; n < self.count; n++) hit[n] &= mine[n]; } else { hit = mine; }
    });
    let size = 0;
    for (let n = 0; n < self.count; n++) size += hit[n];
    const all = Array.from(new Set([].concat.apply([], per)));
    const generation = this.generation;
    return {
      size: size,
      generation: generation,
      numbers: function () {
        const out = [];
        for (let n = 0; n < self.count; n++) if (hit[n]) out.push(n);
        return out;
      },
      has: function (id) {
        const n = self.byId.get(id);
        return n !== undefined && hit[n] === 1;
      },
      get: function (id) {
        const n = self.byId.get(id);
        if (n === undefined || !hit[n]) return undefined;
        const where = {};
        all.forEach(function (term) {
          const p = self.postings(term);
          const i = find(p.events, n);
          if (i !== -1) where[term] = p.where[i];
        });
        return { number: n, generation: generation, terms: Object.keys(where), where: where };
      }
    };
  }

  chunk(kind, n) {
    const name = kind + "-" + n;
    if (!this.chunks.has(name)) {
      const loading = fetchJson(this.url(name + ".json"));
      loading.catch(() => { this.chunks.delete(name); });
      this.chunks.set(name, loading);
    }
    return this.chunks.get(name);
  }

  records(numbers) {
    const per = this.index.docs;
    const ids = this.index.ids;
    const self = this;
    const runs = Array.from(new Set(numbers.map(function (n) { return Math.floor(n / per); })));
    return Promise.all(runs.map(function (r) { return self.chunk("docs", r); }))
      .then(function (loaded) {
        const byRun = new Map(runs.map(function (r, i) { return [r, loaded[i]]; }));
        return numbers.map(function (n) {
          const row = byRun.get(Math.floor(n / per))[n % per];
          return { id: ids[n], url: row[0], title: row[1], date: row[2] };
        });
      });
  }

  text(n) {
    const per = this.index.text;
    return this.chunk("text", Math.floor(n / per)).then(function (run) {
      const row = run[n % per];
      return { body: row[0], sources: row[1] };
    });
  }

  // Marks a card's words: at once when it is on or near the screen (flush), else when it
  // comes near, so a keystroke over hundreds of cards touches a screenful.
  highlight(li, result, label) {
    this.shownWith.set(li, result);
    this.asked.push([li, result, label]);
  }

  forget(li) {
    this.shownWith.delete(li);
    if (this.waiting.delete(li) && this.near) this.near.unobserve(li);
  }

  flush() {
    const asked = this.asked;
    this.asked = [];
    const height = window.innerHeight;
    const near = asked.map(function (a) {
      const box = a[0].getBoundingClientRect();
      return box.bottom > -height && box.top < 2 * height;
    });
    asked.forEach((a, i) => {
      if (near[i] || !this.near) { this.mark(a[0], a[1], a[2]); return; }
      this.waiting.set(a[0], [a[1], a[2]]);
      this.near.observe(a[0]);
    });
  }

  seen(entry) {
    if (!entry.isIntersecting) return;
    const li = entry.target;
    const wait = this.waiting.get(li);
    this.near.unobserve(li);
    this.waiting.delete(li);
    if (wait && this.shownWith.get(li) === wait[0]) {
      this.mark(li, wait[0], wait[1]);
    }
  }

  mark(li, result, label) {
    const terms = new Set(result.terms);
    li.querySelectorAll(".event-title a, .summary, .terms, .event-date time")
      .forEach(function (el) { markText(el, terms); });
    const hidden = result.terms.filter(function (t) { return result.where[t] !== SHOWN; });
    if (!hidden.length) return;
    const where = hidden.some(function (t) { return result.where[t] === IN_TEXT; })
      ? IN_TEXT : IN_SOURCES;
    const self = this;
    this.text(result.number).then(function (text) {
      if (self.shownWith.get(li) !== result || li.querySelector(".search-snippet")) return;
      const field = where === IN_TEXT ? text.body : text.sources;
      const lookFor = new Set(hidden.filter(function (t) { return result.where[t] === where; }));
      const extra = snippet(field, lookFor, terms, label(where === IN_TEXT ? "body" : "sources"));
      if (extra) (li.querySelector(".summary") || li.querySelector(".event-status")).after(extra);
    }, function () { /* no snippet: the card is still right */ });
  }
}

// The part of `word` to mark: a Hangul word without its particle, any other word whole.
function markedLength(word, term) {
  return /[\uac00-\ud7a3]$/.test(word) && word.startsWith(term) ? term.length : word.length;
}

function markText(el, terms) {
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
function snippet(text, lookFor, all, label) {
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

export function open(folderUrl) {
  const base = new URL(folderUrl, location.href);
  return fetchJson(new URL("index.json", base).href).then(function (index) {
    if (index.format !== 2) throw new Error("search/index.json: unknown format");
    return new Search(base, index);
  });
}
