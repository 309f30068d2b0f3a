"""Cite this event: the Cite block of each event page (Chicago and APA by citeproc-py, in the
page's language), its downloads read back by the libraries researchers use (the CSL data
schema, pybtex, rispy), ``events.csl.json``, ``accessed:``, and the real site's sources."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest
import rispy
from playwright.sync_api import Browser
from pybtex.database import parse_string

from generator.build import build_site
from generator.check import check_site
from generator.cli import main
from generator.config import load_config
from generator.content.loading import load_timeline
from generator.site.citations import STYLES, event_citations, formatted, source_item

from conftest import CONFIG, REPO, MakeSite, event_file, parse_html
from test_browser import AXE, AXE_URL, VNU, _require, serve

ARTIFACTS = REPO / "test-artifacts"
CSL_SCHEMA = json.loads((REPO / "tests/csl/csl-data.json").read_text("utf-8"))
SOURCES = ("sources:\n"
           "  - publisher: Example News\n    title: 'Factories & workers: a report'\n"
           "    url: https://example.org/a_b?x=1&y=2\n    published: 2017-10-03\n"
           "    author: Kim Min-ji\n    language: en\n"
           "  - publisher: Wikipedia\n    title: Kaesong Industrial Region\n"
           "    url: https://en.wikipedia.org/wiki/Kaesong_Industrial_Region\n"
           "    accessed: 2026-12-07\n")
TRICKY = 'Seoul & Pyongyang: <b>talks</b> {resume'
"""A title with markup, an ampersand and a lone brace: text everywhere, never markup."""
REAL_EVENT = "events/2016-02-10-kaesong-complex-suspended/"


@pytest.fixture(scope="module")
def cite_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two events in English and Korean (one translated), built once for the module."""
    site = tmp_path_factory.mktemp("cite") / "src"
    files = {"content/events/talks.md": event_file(TRICKY, "2017-09-11", sources=SOURCES),
             "content/events/talks.ko.md": '---\ntitle: "남북 회담 재개"\n---\n본문.\n',
             "content/events/other.md": event_file("Other", "2018")}
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    (site / "timeline.toml").write_text(CONFIG.replace('language = "en"\n',
                                                       'languages = ["en", "ko"]\n'), "utf-8")
    build_site(site, use_cache=False)
    return site / "site"


def _cite_block(page: lxml.html.HtmlElement) -> dict[str, lxml.html.HtmlElement]:
    (section,) = page.cssselect("section.cite-section")
    terms = [dt.text_content() for dt in section.cssselect("dl.citations > dt")]
    return dict(zip(terms, section.cssselect("dl.citations > dd"), strict=True))


def test_each_event_page_cites_the_event_in_each_style(cite_site: Path) -> None:
    page = parse_html(cite_site / "events/talks/index.html")
    block = _cite_block(page)
    assert list(block) == ["Chicago (note)", "Chicago (bibliography)", "APA"]
    url = "https://example.org/tl/events/talks/"
    for dd in block.values():
        text = dd.text_content()
        assert TRICKY in text and url in text and "Tester" in text
        assert "test timeline" in text.casefold()  # Chicago title-cases the site's name
        assert not dd.cssselect("b") and not dd.cssselect("script")  # the title is text
    assert block["APA"].text_content().startswith("Tester. (n.d.). ")
    assert block["APA"].cssselect("i")[0].text_content() == TRICKY
    assert page.cssselect("section.cite-section h2")[0].text_content() == "Cite this event"


def test_korean_pages_cite_in_korean(cite_site: Path) -> None:
    block = _cite_block(parse_html(cite_site / "ko/events/talks/index.html"))
    assert list(block) == ["시카고 (각주)", "시카고 (참고문헌)", "APA"]
    apa = block["APA"].text_content()
    assert "남북 회담 재개" in apa and "(일자 없음)" in apa  # ko-KR's "no date"
    assert "https://example.org/tl/ko/events/talks/" in apa


MEDIA = {"CSL-JSON": ("json", "application/vnd.citationstyles.csl+json"),
         "BibTeX": ("bib", "application/x-bibtex"),
         "RIS": ("ris", "application/x-research-info-systems")}


def _downloads(page: lxml.html.HtmlElement, slug: str) -> dict[str, bytes]:
    """Each download of the page, read as a browser reads its ``data:`` URI (urllib)."""
    links = page.cssselect("p.cite-downloads a")
    assert [a.text_content() for a in links] == ["CSL-JSON", "BibTeX", "RIS"]
    found = {}
    for a in links:
        extension, media = MEDIA[a.text_content()]
        assert (a.get("download"), a.get("type")) == (f"{slug}.{extension}", media)
        assert a.get("href").startswith(f"data:{media};charset=utf-8;base64,")
        with urllib.request.urlopen(a.get("href")) as response:  # noqa: S310  # data: only
            assert response.headers["Content-Type"] == f"{media};charset=utf-8"
            found[a.text_content()] = response.read()
    return found


def test_downloads_are_linked_and_read_back(cite_site: Path) -> None:
    files = _downloads(parse_html(cite_site / "events/talks/index.html"), "talks")
    items = json.loads(files["CSL-JSON"])
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(items)
    assert [i["id"] for i in items] == ["talks", "talks-source-1", "talks-source-2"]
    assert [i["type"] for i in items] == ["webpage", "article-newspaper", "webpage"]
    assert items[2]["accessed"] == {"date-parts": [[2026, 12, 7]]}
    assert items[1]["issued"] == {"date-parts": [[2017, 10, 3]]}
    bib = parse_string(files["BibTeX"].decode("utf-8"), "bibtex")
    assert list(bib.entries) == ["talks", "talks-source-1", "talks-source-2"]
    article = bib.entries["talks-source-1"]
    assert article.type == "article" and article.fields["journal"] == "Example News"
    assert article.fields["url"] == "https://example.org/a_b?x=1&y=2"  # verbatim
    assert article.fields["title"] == r"Factories \& workers: a report"  # LaTeX's escape
    assert str(article.persons["author"][0]) == "{Kim Min-ji}"
    assert bib.entries["talks"].fields["title"] == r"Seoul \& Pyongyang: <b>talks</b> (resume"
    assert bib.entries["talks-source-2"].fields["urldate"] == "2026-12-07"
    assert [bib.entries[k].type for k in ("talks", "talks-source-2")] == ["misc", "misc"]
    records = rispy.loads(files["RIS"].decode("utf-8"))
    assert [(r["type_of_reference"], r["title"]) for r in records] == [
        ("ELEC", TRICKY), ("NEWS", "Factories & workers: a report"),
        ("ELEC", "Kaesong Industrial Region")]
    assert records[1]["date"] == "2017/10/03" and records[2]["access_date"] == "2026/12/07"
    assert records[0]["urls"] == ["https://example.org/tl/events/talks/"]


def test_korean_downloads_carry_the_korean_page(cite_site: Path) -> None:
    files = _downloads(parse_html(cite_site / "ko/events/talks/index.html"), "talks")
    event = json.loads(files["CSL-JSON"])[0]
    assert (event["title"], event["language"], event["URL"]) == (
        "남북 회담 재개", "ko", "https://example.org/tl/ko/events/talks/")


def test_downloads_add_no_files(cite_site: Path) -> None:
    """The downloads live in their pages: no file per event and format (30,000 at 10,000
    events in two languages, each written and checked on every build)."""
    made = [p.relative_to(cite_site).as_posix() for p in cite_site.rglob("*") if p.is_file()]
    assert [p for p in made if p.endswith((".bib", ".ris")) or "cite/" in p] == []
    assert sorted(p for p in made if p.endswith(".json") and "talks" in p) == []


def test_events_csl_json_lists_every_event_page(cite_site: Path) -> None:
    for prefix, titles in (("", ["Other", TRICKY]), ("ko/", ["Other", "남북 회담 재개"])):
        items = json.loads((cite_site / prefix / "events.csl.json").read_text("utf-8"))
        jsonschema.Draft7Validator(CSL_SCHEMA).validate(items)
        assert sorted(i["title"] for i in items) == sorted(titles)
        assert {i["id"] for i in items} == {"talks", "other"}


def test_accessed_answers_the_missing_date(make_site: MakeSite) -> None:
    undated = ("sources:\n  - publisher: Wikipedia\n    title: Kaesong\n"
               "    url: https://en.wikipedia.org/wiki/Kaesong\n")
    site = make_site({"content/events/a.md": event_file("A", sources=undated),
                      "content/events/b.md": event_file(
                          "B", sources=undated + "    accessed: 2026-12-07\n")})
    assert [str(p) for p in check_site(site)] == [
        "content/events/a.md:6: warning: sources[0].accessed: missing: no published date: "
        "write when it was reported (published:), or for a page without one (a wiki) the day "
        "you read it (accessed: YYYY-MM-DD), which its citations give"]
    assert main(["check", str(site), "--strict"]) == 1
    (site / "content/events/a.md").write_text(event_file(
        "A", sources=undated + "    accessed: 2026-02-30\n"), "utf-8")
    assert [str(p) for p in check_site(site)] == [
        "content/events/a.md:9: sources[0].accessed: no such day 2026-02-30"]


def test_every_real_source_and_event_gives_a_citation_without_warnings() -> None:
    config, _ = load_config(REPO)
    timeline, problems = load_timeline(REPO, config, "2026-12-07")
    assert not [p for p in problems if p.severity == "error"]
    sources = [(e, i, s) for e in timeline.events for i, s in enumerate(e.sources)]
    assert len(sources) >= 38
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for event, index, source in sources:
            item = source_item(event, index, source)
            jsonschema.Draft7Validator(CSL_SCHEMA).validate([item])
            for made in formatted(item, "en"):
                text = lxml.html.fromstring(made.html).text_content().casefold()
                assert item["title"].casefold() in text  # Chicago title-cases English
                assert item["URL"].casefold() in text
        for event in timeline.events:
            assert len(event_citations(event, config)) == len(STYLES)
    assert [str(w.message) for w in caught] == []


def _vnu(files: list[Path]) -> list[Any]:
    _require(VNU, "npm ci")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: apt-get install default-jre-headless")
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json",
                          *map(str, files)], capture_output=True, text=True, timeout=300,
                         check=False)
    return [(m.get("lastLine"), m["message"])
            for m in json.loads(run.stderr or run.stdout)["messages"]]


def test_nu_html_checker_finds_no_errors_on_cited_pages(cite_site: Path) -> None:
    assert _vnu([cite_site / "events/talks/index.html",
                 cite_site / "ko/events/talks/index.html"]) == []


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output = tmp_path_factory.mktemp("cite-real") / "site"
    build_site(REPO, output, use_cache=False)
    with serve(output) as url:
        yield url


@pytest.mark.parametrize("language", ["en", "ko"])
def test_cite_block_audited_and_shot(browser: Browser, real: str, language: str) -> None:
    """axe finds nothing on the real event page; the Cite block, screenshot in each
    language, is readable with scripts off (links with download attributes only)."""
    _require(AXE, "npm ci")
    context = browser.new_context(viewport={"width": 1000, "height": 900},
                                  java_script_enabled=False)
    page = context.new_page()
    rel = ("" if language == "en" else "ko/") + REAL_EVENT
    response = page.goto(real + rel)
    assert response is not None and response.status == 200
    block = page.locator("section.cite-section")
    assert block.locator("dd").count() == len(STYLES)
    slug = REAL_EVENT.split("/")[1]
    read_ids = {"json": lambda text: [i["id"] for i in json.loads(text)],
                "bib": lambda text: list(parse_string(text, "bibtex").entries),
                "ris": lambda text: [r["id"] for r in rispy.loads(text)]}
    for link, extension in zip(block.locator("a[download]").all(), read_ids, strict=True):
        with page.expect_download() as download:  # the data: link, scripts off
            link.click()
        assert download.value.suggested_filename == f"{slug}.{extension}"
        assert download.value.failure() is None
        ids = read_ids[extension](Path(download.value.path()).read_text("utf-8"))
        assert ids[0] == slug and len(ids) > 1  # the event, then its sources
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"cite-{language}.png"
    block.screenshot(path=str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    context.close()
    context = browser.new_context()
    page = context.new_page()
    page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=AXE,
                                                           content_type="text/javascript"))
    page.goto(real + rel)
    page.add_script_tag(url=real.rstrip("/") + AXE_URL)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    context.close()


def test_a_site_without_an_author_still_cites_its_pages(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("Alone")},
                     config=CONFIG.replace('author = "Tester"\n', ""))
    assert main(["build", str(site), "-q", "--no-cache"]) == 0
    block = _cite_block(parse_html(site / "site/events/a/index.html"))
    for dd in block.values():
        assert "Alone" in dd.text_content() and "https://example.org/tl/events/a/" in \
            dd.text_content()


def test_bibtex_skips_latexcodec_only_where_it_changes_nothing() -> None:
    """citefiles' fast path: latexcodec (UTF-8) rewrites exactly #%&_~ of ASCII, and no
    character of Latin-1 to CJK or Hangul; a pybtex or latexcodec release that rewrote
    more would make this fail, not the downloads quietly wrong."""
    import codecs

    import latexcodec  # noqa: F401  # registers the codec

    from generator.site.citefiles import _LATEX_SPECIALS

    changed = {c for c in map(chr, [*range(32, 127), *range(0x80, 0x3000),
                                    *range(0xAC00, 0xD7A4)])
               if codecs.encode(c, "ulatex+utf8") != c}
    assert changed == _LATEX_SPECIALS
