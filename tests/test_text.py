"""Slugs, control characters, the generator's private mark, and the limits of tags."""

from __future__ import annotations

from generator.content.dates import parse_date
from generator.content.text import (
    MARK,
    MAX_TERM_LENGTH,
    controls_message,
    event_stem,
    slugify,
    strip_controls,
    term_problem,
)


def test_slugify() -> None:
    assert slugify("Résolution 2375") == "résolution-2375"
    assert [slugify(t) for t in ("C", "C++", "C#")] == ["c", "c-plus-plus", "c-sharp"]
    assert slugify("Trade war") == slugify("trade-war") == slugify("TRADE, war") == "trade-war"
    assert (slugify("U.S."), slugify("US")) == ("u-s", "us")  # a dot separates words
    assert slugify("ﬁle_name  here") == "file-name-here"  # NFKC: the ligature is two letters
    assert slugify("../../etc") == "etc"
    assert slugify("!!!") == ""


def test_strip_controls() -> None:
    assert strip_controls("plain") == ("plain", [])
    assert strip_controls("a\x00b\x1b\x1bc\x85\ud800") == (
        "abc", ["U+0000", "U+001B", "U+0085", "U+D800"])
    assert strip_controls("tab\tand\nnewline\r") == ("tab\tand\nnewline\r", [])


def test_controls_message_shows_five() -> None:
    assert controls_message(["U+0001"]) == (
        "control characters removed (U+0001): they are not text")
    found = [f"U+000{i}" for i in range(1, 8)]
    assert controls_message(found) == (
        "control characters removed (U+0001, U+0002, U+0003, U+0004, U+0005 and 2 more): "
        "they are not text")


def test_term_problem() -> None:
    assert term_problem("trade", "a tag") is None
    assert term_problem("--", "a place") == "'--' has no letter or digit: a place names a page"
    assert term_problem("x" * (MAX_TERM_LENGTH + 1), "a tag") == (
        "101 characters: a tag may have at most 100")
    assert term_problem("가" * 70, "a tag") == (
        "too long for a folder name (210 bytes in UTF-8; at most 200): shorten it")


def test_the_mark_is_private_use() -> None:
    assert MARK == "\ue000"
    assert slugify(f"a{MARK}b") == "a-b"


def test_event_stem() -> None:
    assert event_stem(parse_date("2017-09-11"), "Resolution 2375") == \
        "2017-09-11-resolution-2375"
    assert event_stem(parse_date("-0043-03-15"), "Ides of March") == \
        "44-bce-03-15-ides-of-march"
    assert event_stem(parse_date("../2017-21"), "") == "2017-21"
    assert event_stem(parse_date("201X"), "!!!") == "2010"
    assert event_stem(parse_date("2017-09-11T08:30:00"), "x") == "2017-09-11-x"
    long = event_stem(parse_date("2017"), "word " * 40)
    assert long == ("2017" + "-word" * 15)[:79]  # 80 characters at most, no trailing '-'

