"""Template helpers for cards and event pages (generator/site/face.py)."""

from __future__ import annotations

from generator.content.model import Media
from generator.site.face import face_globals, is_remote, readable_language


def test_a_language_code_reads_as_its_name_in_the_page_language() -> None:
    assert readable_language("ko", "en") == "Korean"
    assert readable_language("ko", "ko") == "한국어"
    assert readable_language("en", "ko") == "영어"
    assert readable_language("zh-Hant", "en") == "Chinese (Traditional)"


def test_a_code_cldr_does_not_know_stays_as_written() -> None:
    assert readable_language("xx", "en") == "xx"
    assert readable_language("not a code", "en") == "not a code"


def test_the_globals_speak_the_page_language() -> None:
    helpers = face_globals("ko")
    assert helpers["source_language"]("en") == "영어"
    assert set(helpers) == {"hedges", "is_remote", "page_hedges", "source_language",
                            "surfaced_on_card"}


def test_only_http_and_https_images_are_remote() -> None:
    assert is_remote(Media("https://example.org/a.png", "A"))
    assert not is_remote(Media("img/a.png", "A"))
    assert not is_remote(Media("/img/a.png", "A"))


def test_a_page_explains_each_hedge_of_its_dates_once_in_order() -> None:
    from generator.content.dates import parse_date
    from generator.content.model import Event, Source
    from generator.site.face import page_hedges

    events = [Event(f"e{i}", "e.md", "E", parse_date(d), "reported", (Source(publisher="P"),))
              for i, d in enumerate(("2017?", "2017-21", "2016~", "2018", "2015%/.."))]
    assert page_hedges(events) == ("approximate", "uncertain", "season", "open-end")
    assert page_hedges([]) == ()
