"""Reading one field: text, lists of tags, dates, links, sources, media, flags and slugs,
each problem with its line."""

from __future__ import annotations

from generator.content.fields import (
    Reader,
    kind_name,
    read_aliases,
    read_flag,
    read_media,
    read_slug,
    read_sources,
)
from generator.content.header import parse
from generator.content.model import Media, Source
from generator.errors import Problem


def reader(yaml: str) -> Reader:
    fm, problems = parse("e.md", f"---\n{yaml}---\n")
    assert fm is not None and problems == []
    return Reader(fm, [])


def said(r: Reader) -> list[str]:
    return [str(p) for p in r.problems]


def test_text() -> None:
    r = reader('a: " x\ue000 "\nb: 3\nc: [1]\nd: ""\nn: 2017.10\n')
    assert r.text(("a",)) == "x"  # the private-use mark is the generator's own
    assert r.text(("b",)) == "3"
    assert r.text(("n",)) == "2017.10"  # as written, not the float 2017.1
    assert r.text(("c",)) == ""
    assert r.text(("d",), required=True) == ""
    assert r.text(("missing",)) == ""
    assert said(r) == ["e.md:4: c: expected text, got a list",
                       "e.md:5: d: empty: this field is required"]


def test_text_warns_of_control_characters() -> None:
    r = reader('a: "x\\x1by\\0"\n')
    assert r.text(("a",)) == "xy"
    assert said(r) == ["e.md:2: warning: a: control characters removed (U+0000, U+001B): "
                       "they are not text"]


def test_texts_drop_duplicates_and_bad_terms() -> None:
    r = reader('tags: [a, b, a, "!!", ""]\nplaces: x\n')
    assert r.texts(("tags",)) == ("a", "b")
    assert r.texts(("places",)) == ()
    assert said(r) == [
        "e.md:2: tags[3]: '!!' has no letter or digit: a tag names a page",
        "e.md:3: places: expected a list of text like [a, b], got text"]


def test_too_many_tags() -> None:
    r = reader("tags: [" + ", ".join(f"t{i}" for i in range(51)) + "]\n")
    assert r.texts(("tags",)) == ()
    assert said(r) == ["e.md:2: tags: 51 tags: an event may have at most 50"]


def test_date_and_url() -> None:
    r = reader("d: 2017-02-30\ne: 2017-09\nu: javascript:alert(1)\nv: /x/\n")
    assert r.date(("d",)) is None
    date = r.date(("e",))
    assert date is not None and date.text == "2017-09"
    assert r.url(("u",)) == ""
    assert r.url(("v",), relative=True) == "/x/"
    assert r.url(("v",)) == ""
    assert said(r) == ["e.md:2: d: no such day 2017-02-30",
                       "e.md:4: u: 'javascript:alert(1)' is not an http, https or mailto link",
                       "e.md:5: v: '/x/' is not an http, https or mailto link"]


def test_unknown_field_hint() -> None:
    r = reader("titel: x\nzzz: y\n")
    r.unknown((), ("title", "date"))
    assert said(r) == ["e.md:2: warning: titel: unknown field (did you mean 'title'?)",
                       "e.md:3: warning: zzz: unknown field"]


def test_kind_name() -> None:
    assert [kind_name(v) for v in ([], {}, "", True, 1, None)] == [
        "a list", "fields", "text", "true/false", "int", "NoneType"]


def test_sources() -> None:
    r = reader("sources:\n  - https://www.news.test/a\n  - Agence\n  - publisher: P\n"
               "    title: T\n    published: 2017-10-03\n    url: https://p.test/\n")
    sources = read_sources(r)
    assert [(s.publisher, s.title, s.url) for s in sources] == [
        ("news.test", "", "https://www.news.test/a"), ("Agence", "", ""),
        ("P", "T", "https://p.test/")]
    assert sources[2].published is not None and sources[2].published.machine() == "2017-10-03"
    assert said(r) == ["e.md:4: warning: sources[1]: no url: cite publisher, title and date so "
                       "readers can find it"]


def test_source_problems() -> None:
    for yaml, message in [
            ("x: 1\n", "e.md:2: sources: missing: every event needs at least one source"),
            ("sources: []\n", "e.md:2: sources: empty: every event needs at least one source"),
            ("sources: x\n", "e.md:2: sources: expected a list of sources, got text"),
            ("sources:\n  - [1]\n",
             "e.md:3: sources[0]: expected a source with publisher, title, url, got a list"),
            ("sources:\n  - url: https://a.test/\n",
             "e.md:3: sources[0]: a source needs a title or a publisher")]:
        r = reader(yaml)
        assert read_sources(r) == () or r.problems, yaml
        assert said(r)[0] == message


def test_a_bare_link_is_cited_as_a_name_with_a_warning() -> None:
    r = reader("sources:\n  - news.test/a\n")
    assert read_sources(r) == (Source(publisher="news.test/a"),)
    assert said(r) == [
        "e.md:3: warning: sources[0]: 'news.test/a' looks like a link without https://: write "
        "https://news.test/a (as it is, it is cited as a publisher's name)",
        "e.md:2: warning: sources: no external source: link at least one report readers can "
        "check"]


def test_media() -> None:
    r = reader("media:\n  - src: /i/a.jpg\n    alt: A\n    width: 3\n"
               "  - src: http://x.test/b.jpg\n    alt: B\n  - src: c.jpg\n    height: 0\n")
    assert read_media(r) == (Media("/i/a.jpg", "A", "", "", 3, None),
                             Media("c.jpg", "", "", "", None, None))
    assert said(r)[0].startswith("e.md:6: media[1].src: 'http://x.test/b.jpg' cannot be shown: ")
    assert said(r)[1:] == [
        "e.md:8: media[2].alt: missing: describe the image for readers who cannot see it "
        "(alt: \"\" only for decoration)",
        "e.md:9: media[2].height: expected a whole number of pixels"]


def test_flag_slug_and_aliases() -> None:
    r = reader("draft: yes please\nslug: Bad_Slug\n")
    assert read_flag(r, ("draft",)) is False
    assert read_flag(r, ("other",)) is False
    assert read_slug(r, "x") == ""
    assert said(r) == ["e.md:2: draft: expected true or false, got text",
                       "e.md:3: slug: 'Bad_Slug' may only use a-z, 0-9 and single hyphens"]
    r = reader("title: x\n")
    assert read_slug(r, "2017-09-11 Résolution 2375") == "2017-09-11-résolution-2375"
    assert read_slug(r, "!!!") == ""
    assert r.problems == [Problem("e.md", 2, None, "the file name gives no usable slug; "
                                  "add slug: to '!!!'")]
    assert read_aliases(reader("aliases: [/old/page, /old/page/, /a.html]\n")) == (
        "old/page/", "a.html")  # site-relative, as output paths are


def test_a_source_with_neither_url_nor_publisher_warns_naming_the_publisher() -> None:
    r = reader("sources:\n  - title: A leaked memo\n")
    assert read_sources(r) == (Source(title="A leaked memo"),)
    assert said(r) == [
        "e.md:2: warning: sources: no external source: link at least one report readers can "
        "check",
        "e.md:3: warning: sources[0]: no publisher and no url: say who published it "
        "(publisher: ...) or link it (url: https://...)"]
    r = reader("sources:\n  - https://a.test/x\n  - title: A leaked memo\n"
               "  - publisher: Agence\n    title: Print\n")
    read_sources(r)
    assert said(r) == [
        "e.md:4: warning: sources[1]: no publisher and no url: say who published it "
        "(publisher: ...) or link it (url: https://...)",
        "e.md:5: warning: sources[2]: no url: cite publisher, title and date so readers "
        "can find it"]
    r = reader("sources:\n  - title: 'TODO: cite the report'\n")  # warned as a placeholder
    read_sources(r)
    assert [p.field for p in r.problems] == ["sources"]
