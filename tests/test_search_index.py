"""The prebuilt search index: what each file holds, where a term lives, and stable bytes."""

from __future__ import annotations

import json
from itertools import accumulate
from typing import Any

from generator.site.search_index import (
    DOCS_PER_FILE,
    search_files,
    shard_key,
    shard_of,
    term_classes,
)


def doc(n: int, title: str = "Mask factory", body: str = "", sources: str = "",
        tags: tuple[str, ...] = ("trade",), status: str = "confirmed") -> dict[str, Any]:
    return {"id": f"e-{n}", "url": f"events/e-{n}/", "title": title, "date": "2017",
            "summary": "", "body": body, "sources": sources, "places": "", "tags": " ".join(tags),
            "status": status, "year": 2000 + n, "tag_slugs": list(tags), "place_slugs": []}


def read(files: dict[str, bytes], name: str) -> Any:
    return json.loads(files[name])


def lookup(files: dict[str, bytes], term: str) -> list[list[int]]:
    """A term's events by class (shown, text, sources), with its gaps added up."""
    index = read(files, "index.json")
    shard = read(files, f"terms-{shard_of(shard_key(term), index['terms'])}.json")
    return [list(accumulate(gaps)) for gaps in shard[shard_key(term)][term]]


def test_a_term_keeps_its_most_visible_place() -> None:
    found = term_classes(doc(0, title="Masks", body="masks and factories",
                             sources="Factory Gazette, Reuters"))
    assert found == {"mask": 0, "trade": 0, "2017": 0, "and": 1, "factori": 1, "gazett": 2,
                     "reuter": 2}


def test_terms_list_their_events_by_where_they_are_found() -> None:
    docs = [doc(0), doc(1, title="Other", body="the factories"), doc(2, title="Other"),
            doc(3, title="Other", sources="Mask Weekly"), doc(4, title="Factory masks")]
    files = search_files(docs)
    assert lookup(files, "factori") == [[0, 4], [1]]
    assert lookup(files, "mask") == [[0, 4], [], [3]]
    index = read(files, "index.json")
    assert index["ids"] == [f"e-{n}" for n in range(5)]
    assert index["years"] == [2000, 2001, 2002, 2003, 2004]
    assert (index["tags"], index["tag"]) == (["trade"], [[0]] * 5)
    assert read(files, "docs-0.json")[1] == ["events/e-1/", "Other", "2017"]
    per = index["text"]
    assert read(files, f"text-{3 // per}.json")[3 % per] == ["", "Mask Weekly"]


def test_every_prefix_of_two_characters_or_more_is_in_one_file() -> None:
    docs = [doc(n, title=f"word{n} wore{n} w{n}") for n in range(3000)]
    files = search_files(docs)
    index = read(files, "index.json")
    assert index["terms"] > 1
    holding = [name for name, data in files.items() if name.startswith("terms-")
               and any(t.startswith("wo") for group in json.loads(data).values() for t in group)]
    assert holding == [f"terms-{shard_of('wo', index['terms'])}.json"]
    assert len(read(files, "docs-0.json")) == DOCS_PER_FILE
    assert f"docs-{2999 // DOCS_PER_FILE}.json" in files


def test_the_key_hash_is_fnv_1a_over_code_points() -> None:
    assert shard_of("", 1 << 32) == 0x811C9DC5
    assert shard_of("a", 1 << 32) == 0xE40C292C  # the published FNV-1a value of "a"
    assert shard_key("개성공단") == "개성" and shard_key("x") == "x"


def test_the_same_events_give_the_same_bytes_and_a_stamp_that_follows_them() -> None:
    docs = [doc(n, status=("confirmed", "reported")[n % 2]) for n in range(40)]
    first, again = search_files(docs), search_files([dict(d) for d in docs])
    assert first == again
    changed = search_files([*docs[:-1], doc(39, title="Changed")])
    assert read(changed, "index.json")["stamp"] != read(first, "index.json")["stamp"]
    assert read(first, "index.json")["status"][:3] == [0, 1, 0]


def test_no_events_still_make_an_index() -> None:
    files = search_files([])
    assert sorted(files) == ["index.json", "terms-0.json"]
    assert read(files, "index.json")["ids"] == []
