"""The front-matter editor: one value changes, every other byte stays (property-tested)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.header import parse
from generator.content.rewrite import RewriteError, rename_tag, set_source_field

WORDS = st.text(alphabet="abcdefgh xyz-:#,'\"[]{}é한국", min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s.strip())
URLS = st.builds(lambda host, path: f"https://{host}.example/{path}",
                 st.text("abcxyz", min_size=1, max_size=6),
                 st.text("abc/?=&%,#-", max_size=12))


def _quoted(value: str, style: int) -> str:
    if style == 0 and value.replace("-", "").isalnum():
        return value
    if style == 1:
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


@st.composite
def event_files(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """An event file in the styles editors write, and the data it holds."""
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    lines = ["---"]
    if draw(st.booleans()):
        lines.append("# a comment before the fields")
    title = draw(WORDS)
    lines.append(f"title: {_quoted(title, draw(st.integers(1, 2)))}  # the title")
    lines.append("date: 2017-09-11")
    tags = draw(st.lists(st.sampled_from(["alpha", "beta", "gamma", "Beta", "한국"]),
                         min_size=1, max_size=4, unique=True))
    if draw(st.booleans()):
        lines.append("tags: [" + ", ".join(_quoted(t, draw(st.integers(0, 2)))
                                           for t in tags) + "]")
    else:
        lines.append("tags:")
        lines += [f"  - {_quoted(t, draw(st.integers(0, 2)))}" for t in tags]
    sources = []
    lines.append("sources:")
    for _ in range(draw(st.integers(1, 3))):
        source = {"publisher": draw(WORDS), "url": draw(URLS)}
        style = draw(st.integers(0, 2))
        if style == 2:  # a flow mapping over lines, with comments inside
            lines.append(f"  - {{publisher: {_quoted(source['publisher'], 2)},  # who")
            lines.append(f"     url: {json.dumps(source['url'])}  # where")
            lines.append("    }")
        elif style == 1:
            pairs = ", ".join(f"{k}: {_quoted(v, 2)}" for k, v in source.items())
            lines.append(f"  - {{{pairs}}}")
        else:
            publisher = _quoted(source["publisher"], draw(st.integers(1, 2)))
            url = source["url"] if draw(st.booleans()) else json.dumps(source["url"])
            lines.append(f"  - publisher: {publisher}")
            lines.append(f"    url: {url}" + ("  # where" if draw(st.booleans()) else ""))
            if draw(st.booleans()):
                source["quote"] = "one line\nsecond line\n"
                lines += ["    quote: |", "      one line", "      second line"]
                if draw(st.booleans()):
                    lines.append("")
        if draw(st.booleans()):
            lines.append("  # a comment between sources")
        sources.append(source)
    lines += ["---", "The body, *as written*.", ""]
    text = nl.join(lines)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text, {"title": title, "tags": tags, "sources": sources}


def _data(text: str) -> dict[str, Any]:
    fm, problems = parse("e.md", text.removeprefix("\ufeff"))
    assert fm is not None, problems
    assert not [p for p in problems if p.severity == "error"]
    return fm.data


def _inserted(before: str, after: str) -> str:
    """What was added, asserting that nothing else changed."""
    start = 0
    while start < len(before) and before[start] == after[start]:
        start += 1
    end = 0
    while end < len(before) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    assert start + end == len(before), "bytes outside the insertion changed"
    return after[start:len(after) - end]


@settings(max_examples=300, deadline=None)
@given(event_files(), st.data(), URLS)
def test_set_source_field_adds_one_field_and_changes_nothing_else(
        made: tuple[str, dict[str, Any]], data: st.DataObject, archived: str) -> None:
    text, expected = made
    index = data.draw(st.integers(0, len(expected["sources"]) - 1))
    out = set_source_field(text, index, "archived", archived)
    added = _inserted(text, out)
    assert "archived" in added and added.count("\n") <= 1
    loaded = _data(out)
    assert loaded["sources"][index]["archived"] == archived
    before = _data(text)
    before["sources"][index]["archived"] = archived
    assert loaded == before
    if "\r\n" in text:
        assert out.count("\n") == out.count("\r\n")
    assert out.startswith("\ufeff") == text.startswith("\ufeff")
    # Setting it again replaces the value and nothing else.
    again = set_source_field(out, index, "archived", archived + "x")
    assert _data(again)["sources"][index]["archived"] == archived + "x"
    assert len(again) == len(out) + 1 or '"' in again


@settings(max_examples=300, deadline=None)
@given(event_files(), st.sampled_from(["alpha", "beta", "한국"]),
       st.sampled_from(["alpha", "delta", "new tag", "Ünïcode, with comma", "yes"]))
def test_rename_tag_changes_only_the_tag(made: tuple[str, dict[str, Any]], old: str,
                                         new: str) -> None:
    text, expected = made
    out = rename_tag(text, old, new)
    if old not in expected["tags"] or old == new:
        assert out is None
        return
    assert out is not None
    tags = expected["tags"]  # renamed in place, or dropped where NEW is there already
    want = [t for t in tags if t != old] if new in tags else [new if t == old else t
                                                              for t in tags]
    loaded = _data(out)
    assert loaded["tags"] == want
    before = _data(text)
    before["tags"] = want
    assert loaded == before
    # Only the tags' own lines differ.
    head = text.split("tags:", 1)[0]
    tail = text.split("sources:", 1)[1]
    assert out.startswith(head) and out.endswith(tail)


def test_rename_tag_matches_by_slug_when_asked() -> None:
    text = "---\ntitle: x\ntags: [Kaesong, kaesong, other]\n---\n"
    out = rename_tag(text, "KAESONG", "Kaesong complex",
                     lambda a, b: a.casefold() == b.casefold())
    assert out == "---\ntitle: x\ntags: [\"Kaesong complex\", other]\n---\n"


def test_short_citation_is_refused_with_a_reason() -> None:
    text = "---\ntitle: x\nsources:\n  - https://example.org/a\n---\n"
    with pytest.raises(RewriteError, match=r"sources\[0\] is a short citation"):
        set_source_field(text, 0, "archived", "https://web.archive.org/web/1/x")


def test_a_block_scalar_value_is_replaced_by_one_line() -> None:
    """A value written as ``|`` ends at the start of the next line: replaced, the next key
    stays on its own line (it was merged into the new value)."""
    from generator.content.rewrite import set_source_field
    text = ("---\ntitle: x\nsources:\n  - publisher: P\n    archived: |\n      https://a.org/x\n"
            "    url: https://e.org/\n---\nb\n")
    assert set_source_field(text, 0, "archived", "https://web.archive.org/x") == text.replace(
        "|\n      https://a.org/x\n", "https://web.archive.org/x\n")
