"""Search that scales: at 10,000 events a query fetches a few small files, not the whole
text; words meet their inflections and not their false friends; results follow the filters
and are highlighted; the index is the same bytes on every build. Speed is measured by
bench/search.py, not here; here the browser only has to be right."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from generator.build import build_site
from generator.site.search_index import shard_key, shard_of
from generator.site.search_terms import process_term, term_set, words

from conftest import REPO, event_file
from test_browser import serve

BUDGET = 400 * 1024
"""What the first search may transfer, gzipped, at 10,000 events (issue 14)."""
FIELDS = ("title", "summary", "body", "sources", "places", "tags", "date")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def expected(docs: list[dict[str, Any]], query: str) -> list[str]:
    """The ids a query must find, by the rules README states: every word, as its term or
    (three characters or more, or two for the word being typed) as the start of one."""
    found = words(query)
    items = []
    for i, raw in enumerate(found):
        term = process_term(raw)
        items.append((raw, term, len(term) >= 3 or (i == len(found) - 1 and len(raw) >= 2)))
    out = []
    for doc in docs:
        have = term_set(" ".join(str(doc[f]) for f in FIELDS))
        if all(term in have or (prefix and any(t.startswith((term, raw)) for t in have))
               for raw, term, prefix in items):
            out.append(doc["id"])
    return out


@pytest.fixture(scope="module")
def big(big_site: Path) -> Path:
    """bench.py's 10,000 generated events, built once for the session (conftest)."""
    return big_site


def new_page(browser: Browser, javascript: bool = True) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("close", lambda _: None)
    page.errors = errors  # type: ignore[attr-defined]
    return page


def shown(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "li.event", "els => els.filter(e => e.offsetParent !== null).map(e => e.id)")
    return ids


def search(page: Page, query: str) -> None:
    page.fill("#f-q", query)
    page.wait_for_function("q => document.getElementById('event-count').textContent"
                           ".includes('\\u201c' + q + '\\u201d')", arg=query.strip())


def test_the_first_search_at_10000_events_fetches_under_400_kb(big: Path,
                                                               browser: Browser) -> None:
    index = json.loads((big / "search" / "index.json").read_bytes())
    assert len(index["ids"]) == 10_000
    terms = big / "search"
    largest = max(gz(p.read_bytes()) for p in terms.glob("terms-*.json"))
    assert largest < 40 * 1024
    assert gz((big / "search" / "index.json").read_bytes()) < 100 * 1024
    page = new_page(browser)
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))

    def sizes() -> dict[str, int]:
        return {r.url: gz(r.body()) for r in responses if r.ok}

    with serve(big) as base:
        page.goto(base)
        page.wait_for_load_state("networkidle")
        on_page = shown(page)
        assert len(on_page) == 250
        responses.clear()
        page.focus("#f-q")
        search(page, "mask factories")
        page.wait_for_load_state("networkidle")
        docs = json.loads((big / "search.json").read_bytes())["events"]
        want = expected(docs, "mask factories")
        assert 0 < len(want) < len(docs)
        assert shown(page) == [i for i in on_page if i in set(want)]
        first = sizes()
        assert sum(first.values()) < BUDGET, first
        assert not [u for u in first if u.endswith("search.json")]
        # Typing on fetches the term file of the new word's first letters, and titles only
        # for the other pages' matches it lists.
        responses.clear()
        search(page, "mask factories 123")
        page.wait_for_load_state("networkidle")
        shard = shard_of(shard_key("123"), index["terms"])
        names = [u.split("/")[-1].split("?")[0] for u in sizes()]
        assert [n for n in names if not n.startswith("docs-")] == [f"terms-{shard}.json"]
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


SMALL = {
    "content/events/2017-01-01-mask.md": event_file(
        "Mask factory opens", "2017-01-01", body="Workers sew masks.", tags="[masks]"),
    "content/events/2017-02-01-factories.md": event_file(
        "Factories close", "2017-02-01", body="Two factories for masks shut.",
        extra="status: disputed\n"),
    "content/events/2017-03-01-marks.md": event_file(
        "Marks and factory", "2017-03-01", body="Trade marks were filed."),
    "content/events/2017-04-01-sanctioned.md": event_file(
        "Firm sanctioned", "2017-04-01", body="The council acted; the mask trade stopped.",
        extra='summary: "A firm is sanctioned."\n'),
    "content/events/2017-05-01-sanctions.md": event_file(
        "New sanctions", "2017-05-01", body="Sanctions on textiles."),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("small") / "site"
    for rel, text in SMALL.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    (site / "timeline.toml").write_text('title = "Small"\nlanguage = "en"\n', "utf-8")
    build_site(site, use_cache=False)
    with serve(site / "site") as base:
        yield base


@pytest.mark.parametrize(("query", "ids"), [
    ("mask factory", ["2017-02-01-factories", "2017-01-01-mask"]),
    ("masks factories", ["2017-02-01-factories", "2017-01-01-mask"]),
    ("sanction", ["2017-05-01-sanctions", "2017-04-01-sanctioned"]),
    ("sanctioned ", ["2017-05-01-sanctions", "2017-04-01-sanctioned"]),
    ("masks ", ["2017-04-01-sanctioned", "2017-02-01-factories", "2017-01-01-mask"]),
    ("marks", ["2017-03-01-marks"]),
    ("fac", ["2017-03-01-marks", "2017-02-01-factories", "2017-01-01-mask"]),
    ("fa marks", []),
])
def test_words_find_their_inflections_and_not_their_false_friends(
        browser: Browser, small: str, query: str, ids: list[str]) -> None:
    page = new_page(browser)
    page.goto(small)
    search(page, query)
    assert sorted(shown(page)) == sorted(ids)
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_whole_words_are_highlighted_and_a_text_match_gets_a_snippet(
        browser: Browser, small: str) -> None:
    page = new_page(browser)
    page.goto(small)
    search(page, "factories")
    marks = page.eval_on_selector_all("li.event:not([hidden]) .event-card > * mark.hit",
                                      "els => els.map(e => e.textContent)")
    assert sorted(set(marks)) == ["Factories", "factories", "factory"]
    search(page, "stopped")
    page.wait_for_selector(".search-snippet")
    snippet = page.inner_text("[id='2017-04-01-sanctioned'] .search-snippet")
    assert snippet.startswith("Text: ") and "mask trade stopped" in snippet
    assert page.inner_text("[id='2017-04-01-sanctioned'] .search-snippet mark.hit") == "stopped"
    page.context.close()


def test_a_keystroke_that_finds_the_same_words_leaves_the_cards_as_they_are(
        browser: Browser, small: str) -> None:
    page = new_page(browser)
    page.goto(small)
    search(page, "mask")
    page.wait_for_selector(".search-snippet")
    before = page.eval_on_selector_all("li.event:not([hidden]) mark.hit",
                                       "els => els.map(e => e.textContent)")
    page.evaluate("() => document.querySelectorAll('mark.hit, .search-snippet')"
                  ".forEach(e => { e.dataset.kept = 'yes'; })")
    search(page, "masks")  # the same words found in the same cards
    after = page.eval_on_selector_all(
        "li.event:not([hidden]) mark.hit", "els => els.map(e => [e.textContent,"
        " e.dataset.kept === 'yes'])")
    assert before and after == [[text, True] for text in before]
    assert page.eval_on_selector_all(".search-snippet", "els => els.map(e => e.dataset.kept)")\
        == ["yes"]
    search(page, "masks factory")  # now the cards show other words: marked again
    again = page.eval_on_selector_all("li.event:not([hidden]) mark.hit",
                                      "els => els.map(e => [e.textContent, e.dataset.kept])")
    assert sorted({t.lower() for t, _ in again}) == ["factories", "factory", "mask", "masks"]
    assert all(kept is None for _, kept in again)
    page.context.close()


def test_a_snippet_made_before_the_strings_came_is_made_again_in_the_page_language(
        browser: Browser, tmp_path: Path) -> None:
    site = tmp_path / "ko"
    for rel, text in SMALL.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    (site / "timeline.toml").write_text('title = "Small"\nlanguage = "ko"\n', "utf-8")
    build_site(site, use_cache=False)
    held: list[Any] = []
    page = new_page(browser)
    page.route("**/strings*.json*", lambda route: held.append(route))
    with serve(site / "site") as base:
        page.goto(base + "?q=stopped")
        page.wait_for_selector(".search-snippet")
        assert page.inner_text(".search-snippet").startswith("Text: ")  # no strings yet
        assert len(held) == 1  # one request for every script of the page (strings.js)
        for route in held:
            route.continue_()
        page.wait_for_function("() => document.querySelector('.search-snippet')"
                               ".textContent.startsWith('\ubcf8\ubb38: ')")  # 본문:
        assert page.locator(".search-snippet").count() == 1
        assert page.inner_text(".search-snippet mark.hit") == "stopped"
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()


def test_the_address_keeps_a_query_typed_just_before_leaving_the_page(
        browser: Browser, small: str) -> None:
    page = new_page(browser)
    page.goto(small)
    search(page, "sanctions")
    page.click("li.event:not([hidden]) .event-title a")  # at once, before typing pauses
    page.wait_for_url("**/events/**")
    page.go_back()
    page.wait_for_function("() => document.getElementById('event-count').textContent"
                           ".includes('\u201csanctions\u201d')")
    assert urlsplit(page.url).query == "q=sanctions"
    page.context.close()


def test_results_follow_the_filters_and_the_url(browser: Browser, small: str) -> None:
    page = new_page(browser)
    page.goto(small + "?q=mask&status=disputed")
    page.wait_for_function("() => document.getElementById('event-count').textContent"
                           ".includes('\\u201cmask\\u201d')")
    assert shown(page) == ["2017-02-01-factories"]  # the one disputed event with "mask"
    page.select_option("#f-status", "")
    page.wait_for_function("() => document.querySelectorAll('li.event:not([hidden])')"
                           ".length == 3")
    assert "status=" not in page.url and "q=mask" in page.url
    page.context.close()


def test_without_javascript_a_search_url_shows_the_plain_list(browser: Browser,
                                                              small: str) -> None:
    page = new_page(browser, javascript=False)
    page.goto(small + "?q=mask")
    assert len(shown(page)) == len(SMALL)
    assert page.locator("#controls").is_hidden()
    page.context.close()


def test_each_language_has_its_own_index_and_every_build_writes_the_same_bytes(
        tmp_path: Path) -> None:
    config = (REPO / "timeline.toml").read_text("utf-8")
    outputs = []
    for n in range(2):
        site = tmp_path / f"real{n}"
        shutil.copytree(REPO / "content", site / "content")
        (site / "timeline.toml").write_text(config, "utf-8")
        build_site(site, use_cache=False)
        outputs.append(site / "site")
    first, second = ({p.relative_to(out).as_posix(): p.read_bytes()
                      for folder in (out / "search", out / "ko" / "search")
                      for p in folder.iterdir()} for out in outputs)
    assert first == second and "search/index.json" in first
    assert "ko/search/index.json" in first
    ko = json.loads(first["ko/search/index.json"])
    shard = json.loads(first[f"ko/search/terms-{shard_of('개성', ko['terms'])}.json"])
    assert "개성공단" in shard["개성"]
    en = json.loads(first["search/index.json"])
    assert ko["ids"] == en["ids"]


# ---- fast typing at 10,000 events: the last query wins, whole ---------------------------

SNAPSHOT = """() => {
  const visible = (el) => !el.hidden && !el.closest("[hidden]");
  const cards = Array.from(document.querySelectorAll("li.event")).filter(visible);
  return {
    count: document.getElementById("event-count").textContent,
    shown: cards.map((li) => li.id),
    // Cards are marked when on or near the screen: those of the first screen, at least.
    marks: cards.filter((li) => li.getBoundingClientRect().top < innerHeight)
      .map((li) => [li.id, Array.from(li.querySelectorAll("mark.hit"), (m) => m.textContent)]),
    marked: Array.from(document.querySelectorAll("mark.hit"), (m) => m.textContent),
    snippets: cards.map((li) => li.querySelector(".search-snippet"))
      .filter(Boolean).map((p) => p.textContent),
    marksHidden: document.querySelectorAll("li.event[hidden] mark.hit").length,
    others: Array.from(document.querySelectorAll("#other-matches li a"),
                       (a) => a.getAttribute("href")),
    othersShown: !document.getElementById("other-matches").hidden,
    otherCount: document.querySelector("#other-matches .other-count").textContent,
    years: Array.from(document.querySelectorAll("#year-strip li[data-year]:not([hidden])"),
                      (li) => li.dataset.year),
    sections: Array.from(document.querySelectorAll("section.year:not([hidden])"),
                         (s) => s.id),
    bars: Array.from(document.querySelectorAll(".overview-svg [data-from]"),
                     (b) => [b.dataset.from, b.dataset.matching || "",
                             b.classList.contains("is-out")]),
    focus: document.activeElement && document.activeElement.id,
    query: location.search,
  };
}"""


def settled(page: Page, query: str) -> dict[str, Any]:
    """The page once everything a query starts has finished: the count names it, the list of
    the other pages' matches is whole (not aria-busy), the URL keeps it, nothing is loading."""
    done = """q => /\\bmatch(es)?[;,]/.test(document.getElementById('event-count').textContent)
      && document.getElementById('event-count').textContent.endsWith('\\u201c' + q + '\\u201d')
      && !document.querySelector('#other-matches ol[aria-busy]')
      && new URLSearchParams(location.search).get('q') === q"""
    page.wait_for_function(done, arg=query)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(done, arg=query)  # strings.json may have come since
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50)))")
    state: dict[str, Any] = page.evaluate(SNAPSHOT)
    return state


def nav_rows(site: Path) -> tuple[list[dict[str, Any]], set[str]]:
    """nav.json's events with their page, and the ids page 1 holds."""
    data = json.loads((site / "nav.json").read_bytes())
    rows = [{"id": r[0], "year": r[1], "page": n // data["size"] + 1}
            for n, r in enumerate(data["events"])]
    return rows, {r["id"] for r in rows if r["page"] == 1}


def assert_shows(state: dict[str, Any], site: Path, query: str) -> None:
    """The state a query must end in at 10,000 events, from the data: the matches on this
    page, the true total, every other match listed in order, the years that have one."""
    docs = json.loads((site / "search.json").read_bytes())["events"]
    want = set(expected(docs, query))
    rows, here = nav_rows(site)
    matched = [r for r in rows if r["id"] in want]
    elsewhere = [r for r in matched if r["id"] not in here]
    pages = sorted({r["page"] for r in elsewhere})
    assert 250 > len(state["shown"]) > 0 and len(elsewhere) > 1000
    assert state["shown"] == [r["id"] for r in matched if r["id"] in here]
    assert state["count"] == (
        f"{len(matched):,} events match; {len(matched) - len(elsewhere)} on this page, "
        f"{len(elsewhere):,} on pages {pages[0]}–{pages[-1]} matching \u201c{query}\u201d")
    # Each link keeps the search (README, "Filters and search"): ?q= as the form writes it.
    carried = urlencode({"q": query})
    assert state["others"] == [f"page/{r['page']}/?{carried}#{r['id']}" for r in elsewhere]
    assert state["othersShown"] and state["otherCount"] == f"{len(elsewhere):,} events"
    assert state["years"] == sorted({str(r["year"]) for r in matched}, reverse=True)
    assert state["sections"] == list(dict.fromkeys(
        f"y{r['year']}" for r in matched if r["id"] in here))
    assert state["marks"] and all(words for _, words in state["marks"])
    found = [t for w in words(query) for t in {process_term(w), w}]
    assert {m.lower() for m in state["marked"]} and all(
        process_term(m.lower()).startswith(tuple(found)) for m in state["marked"])
    assert state["marksHidden"] == 0
    assert state["focus"] == "f-q"


def test_fast_typing_at_10000_events_ends_as_the_last_query_loaded_afresh(
        big: Path, browser: Browser) -> None:
    with serve(big) as base:
        page = new_page(browser)
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.focus("#f-q")
        # As fast as keys go, through a query that finds nothing ("masks f") and back.
        page.keyboard.type("masks fac")
        page.keyboard.press("Backspace")
        page.keyboard.press("Backspace")
        page.keyboard.press("Backspace")
        page.keyboard.type("factories")
        typed = settled(page, "masks factories")
        assert_shows(typed, big, "masks factories")
        fresh = new_page(browser)
        fresh.goto(base + "?q=masks+factories")
        fresh.focus("#f-q")
        again = settled(fresh, "masks factories")
        again.pop("marked")  # further down, marks wait until the reader scrolls near
        typed.pop("marked")
        assert again == typed  # the first screen's marks and the overview's bars too
        assert page.errors == fresh.errors == []  # type: ignore[attr-defined]
        page.context.close()
        fresh.context.close()


def test_an_older_keystroke_whose_words_arrive_last_never_shows(big: Path,
                                                                browser: Browser) -> None:
    index = json.loads((big / "search" / "index.json").read_bytes())
    late = shard_of(shard_key("fa"), index["terms"])  # what "masks fa" waits for
    assert late not in {shard_of(shard_key(k), index["terms"]) for k in ("ma", "sa", "s")}
    held: list[Any] = []
    with serve(big) as base:
        page = new_page(browser)
        page.route(f"**/search/terms-{late}.json*", lambda route: held.append(route))
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.focus("#f-q")
        page.keyboard.type("masks")
        page.wait_for_function("() => document.getElementById('event-count').textContent"
                               ".includes('\\u201cmasks\\u201d')")
        page.keyboard.type(" fa")
        page.wait_for_timeout(200)
        assert len(held) == 1  # "masks fa" is still waiting for its words
        page.keyboard.press("Backspace")
        page.keyboard.press("Backspace")
        page.keyboard.type("sanctions")
        page.wait_for_function("() => document.getElementById('event-count').textContent"
                               ".includes('\\u201cmasks sanctions\\u201d')")
        held.pop().continue_()  # the older query's words come last
        page.wait_for_load_state("networkidle")
        state = settled(page, "masks sanctions")
        assert_shows(state, big, "masks sanctions")
        assert page.errors == []  # type: ignore[attr-defined]
        page.context.close()
