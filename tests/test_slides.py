"""Reading TimelineJS slides into drafts: dates, titles, sources from links, images and
quotes from media, slugs from ids, eras and the title slide; every problem named by row."""

from __future__ import annotations

from generator.interop.cells import NO_ALT
from generator.interop.slides import (
    Batch,
    clean,
    description_page,
    era_draft,
    explicit_slug,
    intro_draft,
    link_source,
    read_text,
    slide_draft,
)


def said(batch: Batch) -> list[str]:
    return [str(p) for p in batch.problems]


def test_clean_and_slugs() -> None:
    assert clean("<b>A</b>&amp;  <i>B</i>\n") == "A & B"
    assert clean(None) == ""
    assert explicit_slug("my-id") == ("my-id", True)
    assert explicit_slug("My Id!") == ("my-id", True)
    assert explicit_slug("서울") == ("서울", False)  # a slug in another script: a file name
    assert explicit_slug("") == ("", False)


def test_links_become_sources() -> None:
    assert link_source("https://www.news.test/a", "A  report") == {
        "publisher": "news.test", "title": "A report", "url": "https://www.news.test/a"}
    assert link_source("https://news.test/a", "https://news.test/a/") == {
        "publisher": "news.test", "url": "https://news.test/a"}
    body, sources, meta, summary = read_text(
        '<p>Said <a href="https://a.test/x">here</a> and <a href="javascript:x">not</a>.</p>')
    # kept as written: the body is sanitised when rendered, like any editor's Markdown
    assert body == "Said [here](https://a.test/x) and [not](javascript:x)."
    assert sources == [{"publisher": "a.test", "title": "here", "url": "https://a.test/x"}]
    assert meta is None and summary == ""


def test_description_page() -> None:
    assert description_page("https://commons.wikimedia.org/wiki/File:A.jpg")
    assert not description_page("https://upload.wikimedia.org/a/A.jpg")


def test_a_slide() -> None:
    batch = Batch("t.json")
    draft = slide_draft({
        "start_date": {"year": 2017, "month": 9, "day": 11},
        "text": {"headline": "<b>Resolution</b>", "text": "<p>Body <a href='https://a.test/'>"
                 "A</a></p>"},
        "media": {"url": "https://img.test/a.jpg", "caption": "The room"},
        "group": "UN", "unique_id": "res-2375"}, batch, 3)
    assert said(batch) == ["t.json:3: warning: alt: no alt text: describe the image in the "
                           "written file's media alt"]  # a caption is not a description
    assert draft is not None
    assert draft.meta == {"title": "Resolution", "date": "2017-09-11", "status": "reported",
                          "tags": ["UN"],
                          "sources": [{"publisher": "a.test", "title": "A",
                                       "url": "https://a.test/"}],
                          "media": [{"src": "https://img.test/a.jpg", "alt": NO_ALT,
                                     "caption": "The room"}],
                          "slug": "res-2375"}
    assert (draft.stem, draft.explicit, draft.assumed) == ("res-2375", True, {"status"})


def test_slide_problems() -> None:
    batch = Batch("t.json")
    assert slide_draft("x", batch, 1) is None
    assert slide_draft({"text": {"headline": "H"}}, batch, 2) is None
    assert slide_draft({"start_date": {"year": 2017, "month": 13}}, batch, 3) is None
    assert slide_draft({"start_date": {"year": 2017}}, batch, 4) is None
    draft = slide_draft({"start_date": {"year": 2017}, "text": {"text": "Only a body here"},
                         "media": {"url": "ftp://x.test/a"}}, batch, 5)
    assert draft is not None and draft.meta["title"] == "Only a body here"
    assert said(batch) == [
        "t.json:1: expected an event with start_date and text",
        "t.json:2: start_date: missing: every event needs a start date",
        "t.json:3: start_date.month: no such month 13",
        "t.json:4: headline: missing: an event needs a headline",
        "t.json:5: warning: headline: missing: titled 'Only a body here' from its text",
        "t.json:5: warning: media: 'ftp://x.test/a' is neither a web page nor an image: left "
        "out"]


def test_sheet_problems_name_the_column() -> None:
    batch = Batch("t.csv", sheet=True)
    assert slide_draft({"start_date": {"year": 2017, "month": 2, "day": 30}}, batch, 7) is None
    assert slide_draft({"start_date": {"year": 2017}, "end_date": {"year": "x"}}, batch, 8) \
        is None
    assert said(batch) == ["t.csv:7: Day: no such day 2017-02-30",
                           "t.csv:8: End Year: 'x' is not a whole number"]


def test_eras_and_the_title_slide() -> None:
    batch = Batch("t.json")
    era = era_draft({"start_date": {"year": 1950}, "end_date": {"year": 1953},
                     "text": {"headline": "War", "text": "<p>Three years</p>"}}, batch, 1)
    assert era is not None and era.meta == {"title": "War", "start": "1950", "end": "1953",
                                            "summary": "Three years"}
    one = era_draft({"start_date": {"year": 1960}, "text": {"headline": "Year"}}, batch, 2)
    assert one is not None and one.meta == {"title": "Year", "start": "1960", "end": "1960"}
    assert era_draft({"start_date": {"year": 1960}}, batch, 3) is None
    assert said(batch) == ["t.json:3: headline: missing: an era needs a headline"]
    intro = intro_draft({"text": {"headline": "My timeline", "text": "<p>Hello</p>"},
                         "media": {"url": "https://img.test/a.png", "alt": "A"}}, batch, 0)
    assert intro is not None
    assert (intro.stem, intro.meta, intro.body) == (
        "introduction", {"title": "My timeline"}, "Hello\n\n![A](https://img.test/a.png)")
    assert batch.title == "My timeline"


def test_what_the_site_cannot_carry_is_named() -> None:
    """TimelineJS's background and media thumbnail have no place in an event: dropped, each
    with a warning (in the JSON's own names; the Sheet's columns are named by the CSV test)."""
    batch = Batch("t.json")
    draft = slide_draft({
        "start_date": {"year": 2017}, "text": {"headline": "H"},
        "media": {"url": "https://img.test/a.jpg", "alt": "A room", "thumbnail":
                  "https://img.test/a-small.jpg"},
        "background": {"color": "#330000"}}, batch, 4)
    assert draft is not None and "background" not in draft.meta
    assert draft.meta["media"] == [{"src": "https://img.test/a.jpg", "alt": "A room"}]
    assert said(batch) == [
        "t.json:4: warning: background: not imported: an event's page has no background of "
        "its own",
        "t.json:4: warning: thumbnail: not imported: the site shows the image itself (Media) "
        "on cards"]
