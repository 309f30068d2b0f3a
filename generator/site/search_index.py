"""The search index, built here and split into small files, so the reader's browser fetches
a few tens of kilobytes for a query instead of indexing every event's text itself.

``search/index.json`` holds what every search needs: each event's id and what the filters
look at (year, status, tags, places), and how the rest is split. Terms live in
``terms-N.json``, by the first two characters of the term (hashed into a number of files
that grows with the index), so a query fetches the one or two files of its words, and a
prefix (``fact`` for factories) is always in one file. Each term lists the events that
hold it, three times: where a card shows it (title, summary, tags, places, date), in the
text only, in the sources only; numbers are gaps from the previous event. Titles, dates and
links (``docs-N.json``) and the text and sources for snippets (``text-N.json``) come in
runs of events in timeline order, fetched only for the events a result list shows. Every
file is compact JSON with sorted keys: the same events give the same bytes.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import Any

from generator.hashing import digest
from generator.site.search_terms import term_set

INDEX_FORMAT = 2
SHOWN_FIELDS = ("title", "summary", "tags", "places", "date")
"""What a card shows: a term found there is highlighted in place; one found only in the text
(class 1) or the sources (class 2) gets a snippet."""
TERM_FILE_BYTES = 24_000
"""About how much of the term lists one file holds: one or two such files answer a query."""
DOCS_PER_FILE = 500
TEXT_FILE_BYTES = 120_000


def _compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def term_classes(doc: dict[str, Any]) -> dict[str, int]:
    """Each term of one search document, with the most visible place it is found."""
    found: dict[str, int] = {}
    for term in term_set(" ".join(str(doc[field]) for field in SHOWN_FIELDS)):
        found[term] = 0
    for where, field in ((1, "body"), (2, "sources")):
        for term in term_set(doc[field]):
            found.setdefault(term, where)
    return found


def shard_key(term: str) -> str:
    """What decides a term's file: its first two characters (a prefix of two or more
    characters is therefore in one file)."""
    return term[:2]


def shard_of(key: str, count: int) -> int:
    """FNV-1a over the key's code points (the script computes the same)."""
    value = 0x811C9DC5
    for char in key:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % count


def _gaps(numbers: list[int]) -> list[int]:
    return list(map(operator.sub, numbers, chain((0,), numbers)))


def _postings(classes_of: Iterable[dict[str, int]]) -> dict[str, list[list[int]]]:
    """Term → [events where shown, in the text only, in the sources only], as gaps."""
    lists: dict[str, list[list[int]]] = {}
    known = lists.get  # about 40 terms per event, ten thousand events
    for number, found in enumerate(classes_of):
        for term, where in found.items():
            entry = known(term)
            if entry is None:
                entry = lists[term] = [[], [], []]
            entry[where].append(number)
    out: dict[str, list[list[int]]] = {}
    for term, classes in lists.items():
        while not classes[-1]:
            classes.pop()
        out[term] = [_gaps(c) for c in classes]
    return out


def _labels(values: Iterable[str]) -> list[str]:
    return sorted(set(values))


def _numbered(labels: list[str], values: Iterable[list[str]], single: bool = False
              ) -> list[Any]:
    """Each event's labels as their numbers in ``labels`` (one number when ``single``)."""
    number = {label: n for n, label in enumerate(labels)}
    return [number[v[0]] if single else [number[x] for x in v] for v in values]


def _runs(items: list[Any], size_of: Any, budget: int) -> list[list[Any]]:
    """``items`` cut into consecutive runs of about ``budget`` (every run the same length,
    so the script finds an event's run by division)."""
    total = sum(map(size_of, items)) or 1
    per = max(1, min(len(items) or 1, len(items) * budget // total))
    return [items[i:i + per] for i in range(0, len(items), per)]


def search_files(docs: Sequence[dict[str, Any]],
                 terms: Sequence[dict[str, int]] | None = None) -> dict[str, bytes]:
    """Every file of the index, by its path under the language's ``search/`` folder;
    ``terms``: each document's ``term_classes``, when they are known already."""
    postings = _postings(map(term_classes, docs) if terms is None else terms)
    grouped: dict[str, dict[str, list[list[int]]]] = {}
    size = 0
    for term, lists in postings.items():
        grouped.setdefault(shard_key(term), {})[term] = lists
        size += len(term) + 4 + sum(len(x) * 3 for x in lists)
    count = max(1, -(-size // TERM_FILE_BYTES))
    shards: list[dict[str, Any]] = [{} for _ in range(count)]
    for key, group in grouped.items():
        shards[shard_of(key, count)][key] = group
    files = {f"terms-{n}.json": _compact(shard) for n, shard in enumerate(shards)}
    cards = [[d["url"], d["title"], d["date"]] for d in docs]
    texts = [[d["body"], d["sources"]] for d in docs]
    doc_runs = [cards[i:i + DOCS_PER_FILE] for i in range(0, len(cards), DOCS_PER_FILE)]
    text_runs = _runs(texts, lambda t: len(t[0]) + len(t[1]) + 8, TEXT_FILE_BYTES)
    files.update({f"docs-{n}.json": _compact(run) for n, run in enumerate(doc_runs)})
    files.update({f"text-{n}.json": _compact(run) for n, run in enumerate(text_runs)})
    statuses = _labels(d["status"] for d in docs)
    tags = _labels(t for d in docs for t in d["tag_slugs"])
    places = _labels(p for d in docs for p in d["place_slugs"])
    index = {
        "format": INDEX_FORMAT,
        "stamp": digest(*(part for item in sorted(files.items()) for part in item))[:16],
        "terms": count,
        "docs": DOCS_PER_FILE,
        "text": len(text_runs[0]) if text_runs else 1,
        "ids": [d["id"] for d in docs],
        "years": [d["year"] for d in docs],
        "statuses": statuses,
        "status": _numbered(statuses, ([d["status"]] for d in docs), single=True),
        "tags": tags,
        "tag": _numbered(tags, (d["tag_slugs"] for d in docs)),
        "places": places,
        "place": _numbered(places, (d["place_slugs"] for d in docs)),
    }
    files["index.json"] = _compact(index)
    return files
