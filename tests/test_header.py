"""Front-matter: split from the body, parsed with each value's line and raw text, and every
way it can be broken named with its line."""

from __future__ import annotations

from generator.content.header import decode, field_name, parse, parse_document, split


def messages(text: str) -> list[str]:
    fm, problems = parse("e.md", text)
    return [str(p) for p in problems]


def test_split_keeps_lines() -> None:
    assert split("e.md", "\n\n---\na: 1\n---\nbody\n") == ("a: 1", 4, "body\n", 6)
    assert split("e.md", "---\n...\n") == ("", 2, "", 3)  # '...' closes too


def test_split_problems() -> None:
    assert str(split("e.md", "\n\ntitle: x\n")) == (
        "e.md:3: no front-matter: an event starts with a line '---', then fields, then '---'")
    assert str(split("e.md", "")) == (
        "e.md:1: no front-matter: an event starts with a line '---', then fields, then '---'")
    assert str(split("e.md", "---\na: 1\n")) == (
        "e.md:1: front-matter is never closed: add a line '---' after the last field")


def test_values_lines_and_raw_text() -> None:
    fm, problems = parse("e.md", '---\ntitle: "A"\ndate: 2017-09\ntags:\n  - x\n  - y\n---\n'
                         "Body.\n")
    assert problems == [] and fm is not None
    assert fm.data["title"] == "A" and fm.data["tags"] == ["x", "y"]
    assert (fm.line(("title",)), fm.line(("tags", 1)), fm.line(("tags", 9))) == (2, 6, 4)
    assert fm.raw[("date",)] == "2017-09"
    assert ("date",) in fm.plain and ("title",) not in fm.plain
    assert (fm.body, fm.body_line) == ("Body.\n", 8)
    assert fm.line(("nothing",)) == 2  # the line the fields start on


def test_duplicate_key_warns_and_the_last_wins() -> None:
    fm, problems = parse("e.md", "---\ntitle: a\ntitle: b\n---\n")
    assert fm is not None and fm.data["title"] == "b"
    assert [str(p) for p in problems] == [
        "e.md:3: warning: title: duplicate key: the last value wins"]


def test_broken_front_matter() -> None:
    assert messages("---\n---\n") == ["e.md:1: front-matter is empty: add title, date and "
                                      "sources"]
    assert messages("---\n- a\n---\n") == [
        "e.md:2: front-matter must be fields (key: value), not a list"]
    assert messages("---\na: &x [1]\nb: *x\n---\n") == [
        "e.md:3: b: YAML anchors and aliases (&name, *name) are not supported"]
    assert messages("---\na: !!python/object:os.system x\n---\n") == [
        "e.md:2: YAML tag !!python/object:os.system is not allowed: front-matter is plain "
        "data"]


def test_decode() -> None:
    assert decode("e.md", "\ufeff---\n".encode()) == ("---\n", [])
    text, problems = decode("e.md", b"---\n\xff\n")
    assert text is None
    assert [str(p) for p in problems] == ["e.md:2: not valid UTF-8: byte 0xff at offset 4"]
    text, problems = decode("e.md", b"x" * 1_500_000)
    assert [str(p) for p in problems] == [
        "e.md: file is 1.5 MB; an event file may be at most 1 MB"]


def test_parse_document_roots_every_key() -> None:
    fm, problems = parse_document("eras.yaml", "- name: War\n  date: 1914..1918\n", "eras")
    assert problems == [] and fm is not None
    assert fm.data == {"eras": [{"name": "War", "date": "1914..1918"}]}
    assert fm.line(("eras", 0, "date")) == 2


def test_an_alias_in_a_list_is_named_where_it_is_used() -> None:
    assert messages('---\na: &a ["x"]\nb: [1, *a]\n---\n') == [
        "e.md:3: b: YAML anchors and aliases (&name, *name) are not supported"]


def test_field_name() -> None:
    assert field_name(("sources", 0, "url")) == "sources[0].url"
    assert field_name(("eras", 2)) == "eras[2]"
    assert field_name(()) == ""
