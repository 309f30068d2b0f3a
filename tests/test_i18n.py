"""Bilingual sites: Korean and English dates through Babel, translations at /ko/ with
hreflang both ways, the switcher, fallback marking, catalogs in step with the templates,
and bad input refused with one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from lxml import html as lhtml

from generator.build import build_site
from generator.content.dates import parse_date
from generator.errors import SiteError
from generator.report import BuildResult
from generator.site.datetext import date_text
from generator.site.i18n import LOCALES

from conftest import write_site

ROOT = Path(__file__).resolve().parent.parent
KO = Translations.load(str(LOCALES), ["ko"])
EN = Translations.load(str(LOCALES), ["en"])

DATES = [
    ("2017-09-11", "11 September 2017", "2017년 9월 11일"),
    ("2017-09", "September 2017", "2017년 9월"),
    ("2017", "2017", "2017년"),
    ("2017-21", "Spring 2017", "2017년 봄"),
    ("2017-24", "Winter 2017", "2017년 겨울"),
    ("2017~", "c. 2017", "2017년경"),
    ("2017-09?", "September 2017?", "2017년 9월?"),
    ("2017%", "c. 2017?", "2017년경?"),
    ("201X", "2010s", "2010년대"),
    ("-0043", "44 BCE", "기원전 44년"),
    ("2017/..", "2017 onwards", "2017년 이후"),
    ("../2017", "until 2017", "2017년까지"),
    ("2017-09/2017-12", "September\u2009–\u2009December 2017", "2017년 9월~12월"),
    ("2017/2019", "2017\u2009–\u20092019", "2017년 ~ 2019년"),
    ("2017~/2019", "c. 2017 – 2019", "2017년경~2019년"),
    ("2017-09-11T14:30:00Z", "11 September 2017, 14:30 UTC", "2017년 9월 11일 14:30 UTC"),
]


@pytest.mark.parametrize(("written", "english", "korean"), DATES)
def test_date_forms_in_both_languages(written: str, english: str, korean: str) -> None:
    date = parse_date(written)
    assert date_text(date, "en", EN) == english
    assert date_text(date, "ko", KO) == korean


def test_ranges_are_babels_interval_formats() -> None:
    """Korean is Babel's format_interval as it is; English too, with the month widened
    where Babel falls back to the abbreviated pattern (CLDR's rule, which Babel skips)."""
    import datetime as dt

    from babel.dates import format_interval
    date = parse_date("2017-09-11/2017-09-22")
    first, last = dt.date(2017, 9, 11), dt.date(2017, 9, 22)
    assert date_text(date, "ko", KO) == format_interval(first, last, "yMMMMd", locale="ko")
    babel_en = format_interval(first, last, "yMMMMd", locale="en_GB")
    assert babel_en == "11\u2009–\u200922 Sept 2017"
    assert date_text(date, "en", EN) == babel_en.replace("Sept", "September")


def test_catalogs_hold_every_template_string_and_mo_matches_po(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-k", "N_",
                    "--no-location", "-F", str(LOCALES / "babel.cfg"), "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for language in ("en", "ko"):
        folder = LOCALES / language / "LC_MESSAGES"
        with (folder / "messages.po").open("rb") as handle:
            po = read_po(handle)
        with (folder / "messages.mo").open("rb") as handle:
            mo = read_mo(handle)
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in po if m.id}
        assert wanted <= ids, wanted - ids
        assert _pairs(po) == _pairs(mo)
        if language == "ko":
            untranslated = [m.id for m in po if m.id and not all(
                [m.string] if isinstance(m.string, str) else m.string)]
            assert untranslated == [], "untranslated Korean messages"


def _pairs(catalog: object) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(ids, strings) of each translated message, plural or not."""
    def seq(value: object) -> tuple[str, ...]:
        return (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]
    return {(seq(m.id), seq(m.string)) for m in catalog  # type: ignore[attr-defined]
            if m.id and any(seq(m.string)) and seq(m.string) != seq(m.id)}


def _pairs(catalog: object) -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(ids, strings) of each translated message, plural or not."""
    def seq(value: object) -> tuple[str, ...]:
        return (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]
    return {(seq(m.id), seq(m.string)) for m in catalog  # type: ignore[attr-defined]
            if m.id and any(seq(m.string)) and seq(m.string) != seq(m.id)}


EVENT = """---
title: UN bans textile exports
date: 2017-09-11
status: confirmed
summary: Resolution 2375 bans textiles.
tags: [sanctions]
places: [New York]
sources:
  - publisher: United Nations
    title: 제재 결의
    language: ko
    url: https://www.un.org/a
---
The Council acted.
"""
OTHER = EVENT.replace("UN bans textile exports", "Kaesong closes").replace(
    "2017-09-11", "2016-02-10").replace("un.org/a", "un.org/b")
KO_EVENT = """---
title: 유엔, 섬유 수출 금지
summary: 결의 2375호가 섬유 수출을 금지한다.
---
안보리가 개성공단에서 조치했다.
"""
CONFIG = 'title = "T"\nbase_url = "https://t.example.net/"\nlanguages = ["en", "ko"]\n'


def _site(make_site, extra=None, config=CONFIG):  # type: ignore[no-untyped-def]
    files = {"content/events/un.md": EVENT, "content/events/un.ko.md": KO_EVENT,
             "content/events/kaesong.md": OTHER,
             "content/labels.ko.yaml": "sanctions: 제재\nNew York: 뉴욕\n"}
    files.update(extra or {})
    return make_site(files, config)


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``_site()`` built once (no cache), for the tests that only read its output."""
    site = tmp_path_factory.mktemp("bilingual") / "site"
    _site(lambda files, config: write_site(site, files, config))
    build_site(site, use_cache=False)
    return site


def _page(site: Path, rel: str) -> lhtml.HtmlElement:
    return lhtml.fromstring((site / "site" / rel).read_bytes())


def test_translation_at_ko_with_hreflang_both_ways_and_switcher(bilingual: Path) -> None:
    site = bilingual
    en, ko = _page(site, "events/un/index.html"), _page(site, "ko/events/un/index.html")
    assert ko.get("lang") == "ko" and en.get("lang") == "en"
    assert ko.xpath("//h1/text()") == ["유엔, 섬유 수출 금지"]
    assert ko.xpath("//p[@class='event-date']/time/text()") == ["2017년 9월 11일"]
    for page in (en, ko):
        links = {a.get("hreflang"): a.get("href") for a in page.xpath("//link[@hreflang]")}
        assert links == {"en": "https://t.example.net/events/un/",
                         "ko": "https://t.example.net/ko/events/un/",
                         "x-default": "https://t.example.net/events/un/"}
    switch = {a.get("hreflang"): a.get("href")
              for a in ko.xpath("//nav[@class='language-switcher']//a")}
    assert switch == {"en": "../../../events/un/"}
    assert en.xpath("//nav[@class='language-switcher']//a/@href") == ["../../ko/events/un/"]
    assert ko.xpath("//h2[@id='sources-h']/text()") == ["출처"]
    assert ko.xpath("//a[@class='tag']/text()") == ["#제재"]
    assert ko.xpath("//a[@class='tag']/@href") == ["../../../ko/tags/sanctions/"]
    assert en.xpath("//cite/@lang") == ["ko"] and ko.xpath("//cite/@lang") == []
    sitemap = (site / "site" / "sitemap.xml").read_text()
    assert 'hreflang="ko" href="https://t.example.net/ko/events/un/"' in sitemap


def test_untranslated_event_appears_in_ko_marked_english(bilingual: Path) -> None:
    site = bilingual
    page = _page(site, "ko/events/kaesong/index.html")
    assert page.xpath("//h1/@lang") == ["en"]
    assert page.xpath("//p[@class='fallback-note']/text()") == ["영어만 있음"]
    home = _page(site, "ko/index.html")
    assert len(home.xpath("//li[@class='event']")) == 2
    assert home.xpath("//p[@id='event-count']/text()") == ["사건 2건"]


def test_one_language_site_has_no_alternates(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/events/un.md": EVENT}, 'title = "T"\n')
    build_site(site, use_cache=False)
    page = _page(site, "events/un/index.html")
    assert page.xpath("//link[@hreflang]") == [] and not (site / "site" / "ko").exists()


@pytest.mark.parametrize(("extra", "config", "message"), [
    ({}, 'title = "T"\nlanguages = ["kr"]\n',
     "timeline.toml:2: languages: 'kr' is not a language code CLDR knows: did you mean 'ko'?"),
    ({"content/events/gone.ko.md": KO_EVENT}, CONFIG,
     "content/events/gone.ko.md:1: translation: its original content/events/gone.md does not "
     "exist: name the file after its original"),
    ({"content/events/un.ja.md": KO_EVENT}, CONFIG,
     "content/events/un.ja.md:1: language: 'ja' is not in languages (\"en\", \"ko\") in "
     "timeline.toml"),
    ({"content/events/kaesong.ko.md": KO_EVENT.replace("summary:", "date: 2016-02-11\nsummary:")},
     CONFIG, "content/events/kaesong.ko.md:3: date: differs from content/events/kaesong.md: "
     "a translation may not change date; leave it out"),
    ({"content/events/kaesong.ko.md": KO_EVENT.replace(
        "summary:", "sources:\n  - https://x.example.net/\nsummary:")},
     CONFIG, "content/events/kaesong.ko.md:3: sources: differs from content/events/"
     "kaesong.md: a translation may not change sources; leave it out"),
    ({"content/events/un.KO.md": KO_EVENT}, CONFIG,
     "content/events/un.ko.md:1: language: a second ko translation of content/events/un.md "
     "(the first "
     "is content/events/un.KO.md)"),
])
def test_bad_input_is_one_line_and_keeps_the_site(make_site, extra, config, message) -> None:  # type: ignore[no-untyped-def]
    site = _site(make_site, extra, config)
    (site / "site").mkdir()
    (site / "site" / "index.html").write_text("old")
    with pytest.raises(SiteError) as caught:
        build_site(site, use_cache=False)
    assert message in [str(p) for p in caught.value.problems]
    assert (site / "site" / "index.html").read_text() == "old"


def test_real_site_builds_in_korean(real_build: tuple[Path, BuildResult]) -> None:
    out, result = real_build  # the session's build of the real site (conftest.py)
    originals = list((ROOT / "content" / "events").rglob("*[!.][!k][!o].md"))
    home = lhtml.fromstring((out / "ko" / "index.html").read_bytes())
    cards = "//li[contains(concat(' ', @class, ' '), ' event ')]"
    assert result.events == len(home.xpath(cards))
    assert home.xpath(cards + "//h3[@lang]") == [], "an event lacks Korean"
    assert originals


def test_numbers_and_plurals_follow_the_language() -> None:
    from generator.site.datetext import format_number
    from generator.site.languages import plural_forms

    assert format_number(10000, "en") == "10,000" and format_number(10000, "ko") == "10,000"
    assert plural_forms(EN, "en") == {"one": "{num} event", "other": "{num} events"}
    assert plural_forms(KO, "ko") == {"other": "사건 {num}건"}


def test_one_language_korean_site_is_korean_throughout(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"content/events/un.md": EVENT}, 'title = "T"\nlanguage = "ko"\n')
    build_site(site, use_cache=False)
    page = _page(site, "events/un/index.html")
    assert page.get("lang") == "ko"
    assert page.xpath("//p[@class='event-date']/time/text()") == ["2017년 9월 11일"]
    assert page.xpath("//h2[@id='sources-h']/text()") == ["출처"]
    assert page.xpath("//button[contains(@class,'status-confirmed')]/text()")[-1].strip() \
        == "확인됨"
    assert page.xpath("//h1/@lang") == [] and page.xpath("//p[@class='fallback-note']") == []
    missing = lhtml.fromstring((site / "site" / "404.html").read_bytes())
    assert missing.xpath("//h1/text()") == ["페이지를 찾을 수 없습니다"]


def test_language_files_exports_and_feed_per_language(bilingual: Path) -> None:
    import json

    from lxml import etree
    site = bilingual
    out = site / "site"
    strings = json.loads((out / "ko" / "strings.json").read_bytes())
    assert strings["Copy link"] == "링크 복사" and strings["events"] == {"other": "사건 {num}건"}
    assert json.loads((out / "strings.json").read_bytes())["Copy link"] == "Copy link"
    records = {e["slug"]: e for e in json.loads((out / "events.json").read_bytes())["events"]}
    assert records["un"]["translations"] == {"ko": {
        "title": "유엔, 섬유 수출 금지", "summary": "결의 2375호가 섬유 수출을 금지한다.",
        "body": "안보리가 개성공단에서 조치했다.", "url": "https://t.example.net/ko/events/un/",
        "display_date": "2017년 9월 11일"}}
    assert records["un"]["display_date"] == "11 September 2017"
    assert "translations" not in records["kaesong"]
    slides = json.loads((out / "ko" / "timelinejs.json").read_bytes())["events"]
    assert {s["text"]["headline"] for s in slides} >= {"유엔, 섬유 수출 금지"}
    search = json.loads((out / "ko" / "search.json").read_bytes())["events"]
    assert [d["title"] for d in search] == ["Kaesong closes", "유엔, 섬유 수출 금지"]
    assert [d["date"] for d in search] == ["2016년 2월 10일", "2017년 9월 11일"]
    feed = etree.parse(str(out / "ko" / "feed.xml")).getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ko"
    assert [e.findtext(f"{atom}id") for e in feed.iter(f"{atom}entry")] == [
        "https://t.example.net/ko/events/un/", "https://t.example.net/ko/events/kaesong/"]
    assert not (out / "ko" / "sitemap.xml").exists()


def test_translated_media_text_and_page(make_site) -> None:  # type: ignore[no-untyped-def]
    event = EVENT.replace("---\nThe Council", "media:\n  - src: https://img.example.net/a.jpg"
                          "\n    alt: The hall\n    caption: At noon\n---\nThe Council")
    site = _site(make_site, {
        "content/events/un.md": event,
        "content/events/un.ko.md": KO_EVENT.replace(
            "---\n안보", "media:\n  - alt: 회의장\n---\n안보"),
        "content/pages/about.md": "---\ntitle: About\n---\nWho we are.\n",
        "content/pages/about.ko.md": "---\ntitle: 소개\n---\n우리는 누구인가.\n"})
    build_site(site, use_cache=False)
    page = _page(site, "ko/events/un/index.html")
    assert page.xpath("//figure/img/@alt") == ["회의장"]
    assert page.xpath("//figure[contains(@class,'media')]/figcaption/text()") == [
        "At noon"]  # the original's, kept
    about = _page(site, "ko/about/index.html")
    assert about.xpath("//h1/text()") == ["소개"]
    import json

    import jsonschema
    data = json.loads((site / "site" / "events.json").read_bytes())
    record = next(e for e in data["events"] if e["slug"] == "un")
    assert record["body"] == "The Council acted."
    assert record["translations"]["ko"]["media"] == [{"alt": "회의장", "caption": ""}]
    schema = json.loads((site / "site" / "events.schema.json").read_bytes())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    assert about.xpath("//nav[@class='site-nav']//a/text()")[-1] == "소개"


def test_site_catalog_and_template_override(make_site) -> None:  # type: ignore[no-untyped-def]
    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgid "Our method"\nmsgstr "우리의 방법"\n\nmsgid "Sources"\nmsgstr "근거"\n')
    override = ('{% extends "base.html" %}{% block main %}<h1>{{ _("Our method") }}</h1>'
                '<p>{{ _("Sources") }}</p>{% endblock %}')
    site = _site(make_site, {"locales/ko/LC_MESSAGES/messages.po": po,
                             "templates/page.html": override,
                             "content/pages/method.md": "---\ntitle: Method\n---\nText.\n"})
    build_site(site, use_cache=False)
    ko, en = _page(site, "ko/method/index.html"), _page(site, "method/index.html")
    assert ko.xpath("//main/h1/text()") == ["우리의 방법"]
    assert ko.xpath("//main/p/text()") == ["근거"]
    assert en.xpath("//main/h1/text()") == ["Our method"]
    heading = _page(site, "ko/events/un/index.html").xpath("//h2[@id='sources-h']/text()")
    assert heading == ["근거"]


def test_only_cldr_codes_make_a_translation(make_site) -> None:  # type: ignore[no-untyped-def]
    site = _site(make_site, {"content/events/report.un.md": EVENT.replace("un.org/a", "un.org/c")})
    result = build_site(site, use_cache=False)
    assert result.events == 3 and (site / "site" / "events" / "report-un" / "index.html").is_file()


def test_tags_in_a_translation_point_to_the_labels_file(make_site) -> None:  # type: ignore[no-untyped-def]
    site = _site(make_site, {"content/events/un.ko.md": KO_EVENT.replace(
        "summary:", "tags: [제재]\nsummary:")})
    with pytest.raises(SiteError) as caught:
        build_site(site, use_cache=False)
    assert [str(p) for p in caught.value.problems] == [
        "content/events/un.ko.md:3: tags: a translation keeps the original's tags: give "
        "their labels in content/labels.ko.yaml"]


def test_a_changed_translation_is_rebuilt_and_exported(make_site) -> None:  # type: ignore[no-untyped-def]
    import json
    site = _site(make_site)
    build_site(site)
    (site / "content/events/un.ko.md").write_text(KO_EVENT.replace("섬유 수출 금지", "새 제목"))
    build_site(site)
    assert _page(site, "ko/events/un/index.html").xpath("//h1/text()") == ["유엔, 새 제목"]
    home = _page(site, "ko/index.html")
    assert "유엔, 새 제목" in home.xpath("//h3/a/text()")
    records = json.loads((site / "site" / "events.json").read_bytes())["events"]
    assert [r["translations"]["ko"]["title"] for r in records if "translations" in r] == [
        "유엔, 새 제목"]


def test_serve_overlay_speaks_the_pages_language() -> None:
    from generator.dev.serve import _dev_page

    page = (b'<!doctype html><html lang="ko"><head><meta charset="utf-8"></head>'
            b'<body><main></main></body></html>')
    lines = ["content/events/x.md:3: date: no such day 2017-02-30",
             "content/events/y.md:4: warning: tags: missing"]
    overlay = lhtml.fromstring(_dev_page(page, lines, "1")).get_element_by_id(
        "timeline-error-overlay")
    assert overlay.findtext("h2") == "빌드 실패 (오류 1건): 마지막으로 성공한 판을 보여 줍니다"
    assert overlay.findtext("details/summary") == "경고 1건 (빌드를 멈추지 않음)"
    english = lhtml.fromstring(_dev_page(page.replace(b'"ko"', b'"en"'), lines, "1"))
    assert english.get_element_by_id("timeline-error-overlay").findtext("h2") == (
        "Build failed (1 error): the last good version is shown")


def test_site_title_and_overview_in_korean(make_site) -> None:  # type: ignore[no-untyped-def]
    config = CONFIG + '\n[translations.ko]\ntitle = "티"\ndescription = "한 문장."\n'
    site = _site(make_site, config=config)
    build_site(site, use_cache=False)
    home = _page(site, "ko/index.html")
    assert home.xpath("//head/title/text()") == ["티"]
    assert home.xpath("//meta[@name='description']/@content") == ["한 문장."]
    assert home.xpath("string(//figcaption[@id='overview-caption'])") == (
        "개요. 2016년~2017년, 사건 2건. 사건이 가장 많은 해: 2016년(사건 1건).")
    marks = home.xpath("//*[local-name()='svg']//*[local-name()='a']/*[local-name()='title']"
                       "/text()")
    assert "2017년 9월 11일: 유엔, 섬유 수출 금지 (확인됨)" in marks
    assert _page(site, "index.html").xpath("//head/title/text()") == ["T"]


def test_translations_table_names_a_site_language(make_site) -> None:  # type: ignore[no-untyped-def]
    site = _site(make_site, config=CONFIG + '\n[translations.ja]\ntitle = "x"\n')
    with pytest.raises(SiteError) as caught:
        build_site(site, use_cache=False)
    assert [str(p) for p in caught.value.problems] == [
        "timeline.toml:5: translations.ja: 'ja' is not one of the other languages in "
        'languages ("ko")']


def test_a_drafts_translation_waits_with_it(make_site) -> None:  # type: ignore[no-untyped-def]
    draft = EVENT.replace("status:", "draft: true\nstatus:")
    site = _site(make_site, {"content/events/un.md": draft})
    result = build_site(site, use_cache=False)
    assert result.events == 1 and not (site / "site" / "ko" / "events" / "un").exists()
    build_site(site, drafts=True, use_cache=False)
    page = _page(site, "ko/events/un/index.html")
    assert page.xpath("//h1/text()") == ["유엔, 섬유 수출 금지"]


def test_media_of_a_translation_must_be_a_list(make_site) -> None:  # type: ignore[no-untyped-def]
    site = _site(make_site, {"content/events/un.ko.md": KO_EVENT.replace(
        "summary:", "media: 회의장\nsummary:")})
    with pytest.raises(SiteError) as caught:
        build_site(site, use_cache=False)
    assert [str(p) for p in caught.value.problems] == [
        "content/events/un.ko.md:3: media: expected a list, one entry (alt, caption) per "
        "image of the original"]


def test_untranslated_page_is_marked_in_ko(make_site) -> None:  # type: ignore[no-untyped-def]
    site = _site(make_site, {"content/pages/about.md": "---\ntitle: About\n---\nWho we are.\n"})
    build_site(site, use_cache=False)
    page = _page(site, "ko/about/index.html")
    assert page.xpath("//article/@lang") == ["en"]
    assert page.xpath("//article/p[@class='fallback-note']/@lang") == ["ko"]
    assert page.xpath("//article/p[@class='fallback-note']/text()") == ["영어만 있음"]
    assert _page(site, "about/index.html").xpath("//article/@lang") == []


@pytest.mark.parametrize("code", ["en", "ko", "fr", "de", "ja", "ar", "zh-Hant", "pt-BR"])
def test_dates_said_as_babels_own_functions_say_them(code: str) -> None:
    """``datetext`` looks each locale's pattern up once instead of through Babel's
    ``format_skeleton`` and ``format_date`` per date: it must say every date as they do."""
    import datetime as dt

    from babel.dates import format_date, format_skeleton

    from generator.content.dates import PartialDate
    from generator.site.datetext import cldr_locale, partial_text, year_text

    locale, catalog = cldr_locale(code), Translations()
    for year, month, day in [(1, 1, 1), (44, 3, 15), (1969, 7, 20), (2017, 9, 11),
                             (2024, 2, 29), (9999, 12, 31)]:
        date = dt.date(year, month, day)
        assert year_text(year, code, catalog) == format_skeleton("y", date, locale=locale)
        assert partial_text(PartialDate(year, month, precision="month"), code, catalog) \
            == format_skeleton("yMMMM", date, locale=locale)
        assert partial_text(PartialDate(year, month, day, precision="day"), code, catalog) \
            == format_date(date, "long", locale=locale)
