"""Building events, pages and eras from front-matter: every problem at once, with its line."""

from __future__ import annotations

from generator.content.header import parse, parse_document
from generator.content.model import Event
from generator.content.validate import build_eras, build_event, build_page

TODAY = "2026-12-01"
SOURCE = "sources:\n  - publisher: P\n    url: https://p.test/\n"


def event(yaml: str, stem: str = "2017-09-11-x") -> tuple[object, list[str]]:
    fm, problems = parse("e.md", f"---\n{yaml}---\nBody\n")
    assert fm is not None, problems
    item, found = build_event(fm, stem, TODAY)
    return item, [str(p) for p in found]


def test_a_whole_event() -> None:
    item, said = event("title: T\ndate: 2017-09-11\nend: 2017-09-12\nstatus: confirmed\n"
                       "tags: [a]\nplaces: [Seoul]\nsummary: S\n" + SOURCE)
    assert said == []
    assert isinstance(item, Event)
    assert (item.slug, item.title, item.date.text, item.status, item.tags, item.places,
            item.summary, item.body) == (
        "2017-09-11-x", "T", "2017-09-11/2017-09-12", "confirmed", ("a",), ("Seoul",), "S",
        "Body\n")
    assert item.front_matter["date"] == "2017-09-11"


def test_every_problem_at_once() -> None:
    item, said = event("title: ''\ndate: 2017-02-30\nstatus: confrimed\ntags: [a]\n")
    assert item is None
    assert said == [
        "e.md:2: title: empty: this field is required",
        "e.md:3: date: no such day 2017-02-30",
        "e.md:4: status: unknown status 'confrimed': did you mean 'confirmed'? use one of "
        "confirmed, reported, disputed",
        "e.md:2: sources: missing: every event needs at least one source",
    ]


def test_warnings_keep_the_event() -> None:
    item, said = event("title: T\ndate: 2030-01\nextra: 1\n" + SOURCE)
    assert item is not None
    assert said == ["e.md:4: warning: extra: unknown field",
                    "e.md:2: warning: tags: no tags: readers find events by tag",
                    "e.md:3: warning: date: 2030-01 is in the future"]


def test_end_before_start() -> None:
    item, said = event("title: T\ndate: 2017-09-11\nend: 2017-09-01\ntags: [a]\n" + SOURCE)
    assert item is None
    assert len(said) == 1 and said[0].startswith("e.md:4: end: ")


def test_control_characters_in_the_body_warn_at_their_line() -> None:
    fm, _ = parse("e.md", "---\ntitle: T\n---\none\ntwo \x1b\n")
    assert fm is not None
    page, problems = build_page(fm, "about")
    assert page is not None and page.body == "one\ntwo \n"
    assert [str(p) for p in problems] == [
        "e.md:5: warning: body: control characters removed (U+001B): they are not text"]


def test_page() -> None:
    fm, _ = parse("p.md", "---\ntitle: About\norder: 2\ndraft: true\nslug: about-us\n---\nx\n")
    assert fm is not None
    page, problems = build_page(fm, "about")
    assert problems == [] and page is not None
    assert (page.slug, page.title, page.order, page.draft) == ("about-us", "About", 2, True)
    fm, _ = parse("p.md", "---\ntitle: About\norder: first\n---\n")
    assert fm is not None
    page, problems = build_page(fm, "about")
    assert page is None
    assert [str(p) for p in problems] == ["p.md:3: order: expected a whole number"]


def test_eras() -> None:
    text = ("- title: War\n  start: 1950-06-25\n  end: 1953-07-27\n"
            "- title: After\n  start: 1953-07-28\n- 3\n- title: Bad\n  start: 1960\n"
            "  end: 1950\n")
    fm, _ = parse_document("content/eras.yaml", text, "eras")
    assert fm is not None
    eras, problems = build_eras(fm, fm.data["eras"])
    assert [(e.title, e.date.text) for e in eras] == [("War", "1950-06-25/1953-07-27"),
                                                      ("After", "1953-07-28/..")]
    said = [str(p) for p in problems]
    assert said[0] == ("content/eras.yaml:6: eras[2]: expected an era with title, start and "
                       "end, got int")
    assert said[1].startswith("content/eras.yaml:9: eras[3].end: ")
    assert len(said) == 2


def test_a_date_past_9999_is_in_the_future_too() -> None:
    # It was not: dates were compared with today as ISO text.
    item, said = event("title: T\ndate: Y12000\ntags: [a]\n" + SOURCE)
    assert item is not None
    assert said == ["e.md:3: warning: date: Y12000 is in the future"]
    item, said = event("title: T\ndate: '-0043'\ntags: [a]\n" + SOURCE)
    assert item is not None and said == []
