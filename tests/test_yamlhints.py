"""The fixes offered for YAML's commonest mistakes, on the line that has them."""

from __future__ import annotations

from generator.content.header import parse
from generator.content.yamlhints import Hint, quoted, yaml_hint


def said(yaml: str) -> list[str]:
    return [str(p) for p in parse("e.md", f"---\n{yaml}---\n")[1]]


def test_quoted() -> None:
    assert quoted("a: b") == '"a: b"'
    assert quoted('say "x"') == "'say \"x\"'"
    assert quoted("it's \"x\"") == "'it''s \"x\"'"
    assert quoted("back\\slash") == '"back\\\\slash"'


def test_hints_through_the_parser() -> None:
    assert said("title:x\n") == [  # valid YAML: the text 'title:x'
        "e.md:2: front-matter must be fields (key: value), not text"]
    assert said("title: A: B\n") == ["e.md:2: title: a ':' inside a value needs quotes: "
                                     "title: \"A: B\""]
    assert said('title: "A" B\n') == ["e.md:2: title: a value that starts with a quote must "
                                      "be quoted whole: title: '\"A\" B'"]
    assert said("tags:\n\t- a\n") == ["e.md:3: tags: a tab cannot indent YAML: indent with "
                                      "spaces (2 per level, as the lines above)"]
    assert said("sources:\n  - publisher: a\n  title: b\n") == [
        "e.md:4: sources: a list item starts with '- ': write \"  - title: b\""]


def test_no_hint_for_what_it_does_not_know() -> None:
    assert yaml_hint("a: [1, 2\n", "expected ',' or ']'", 1, 0) is None
    assert yaml_hint("date:2017\n", "x", 0, None) == Hint(
        0, "date", "a space must follow ':': date: 2017")
