// Search over the prebuilt index in search/ (generator/site/search_index.py), loaded on
// first use, never with the page: index.json (ids and what the filters read), then only the
// term files a query's words live in, and titles or text for the events a result shows.
// filters.js calls open(), then for each query ready()/prepare() and query(); results are
// shown in timeline order, so nothing is scored.
//
//   const search = await open(folderUrl);
//   search.docs        every event: {id, status, year, tag_slugs, place_slugs}, in order
//   search.query(q)    null for no words, else {size, has(id), get(id) -> {terms, where}}
//   search.records(ns) Promise of [{id, url, title, date}] for event numbers ns
//   search.highlight(li, result)  marks the card's words, adds a snippet for a hidden match
//   search.forget(li)  the card shows no result now: a mark or snippet still due is dropped
import { keyOf, shardOf, fetchJson, decode, find, parse } from "./search-index.js";
import { markText, snippet } from "./search-marks.js";

const SHOWN = 0;
const IN_TEXT = 1;
const IN_SOURCES = 2;

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

export function open(folderUrl) {
  const base = new URL(folderUrl, location.href);
  return fetchJson(new URL("index.json", base).href).then(function (index) {
    if (index.format !== 2) throw new Error("search/index.json: unknown format");
    return new Search(base, index);
  });
}
