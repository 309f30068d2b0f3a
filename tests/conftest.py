"""Fixtures: write small real sites into tmp_path, build them, and read the HTML back."""

from __future__ import annotations

import hashlib
import signal
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
import pytest

if TYPE_CHECKING:
    from generator.report import BuildResult

REPO = Path(__file__).resolve().parent.parent

# Tests that stop a build or a server with SIGINT stand for Ctrl-C at a terminal. A suite
# started in the background by a non-interactive shell inherits SIGINT ignored, and so
# would every process it starts (Python then installs no KeyboardInterrupt at all): the
# suite takes SIGINT back, so the processes it starts get it as from a terminal.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update"]


BROWSER_FIXTURES = frozenset({"browser", "page"})
BROWSER_NAMES = frozenset({"sync_playwright", "chromium"})
"""A test asking for one of these fixtures, or whose code calls one of these names (a helper
such as test_serve.py's ``chromium()``), drives Chromium."""

SLOW_FIXTURES = frozenset({"big_site", "serve"})
SLOW_NAMES = frozenset({"VNU", "venv"})
"""What makes a test slow: the 10,000-event site, a ``timeline serve`` process (test_serve.py's
fixture), the Nu HTML Checker's Java, a new virtualenv."""

SLOW = {
    "test_dates.py::test_single_forms_agree_with_edtf": "300 examples, each against edtf",
    "test_dates.py::test_intervals_agree_with_edtf": "300 examples, each against edtf",
    "test_dates.py::test_near_misses_rejected_by_both": "300 examples, each against edtf",
    "test_cache.py::test_many_pages_rendered_on_every_core_equal_a_cold_build":
        "hundreds of pages, built warm and cold",
    "test_cache.py::test_warm_builds_equal_cold_builds_after_each_kind_of_change":
        "a cold build after each of many edits",
    "test_cache.py::test_template_edited_in_place_is_compiled_again": "waits out a clock tick",
    "test_deploy.py": "a git repository, builds and a push in every test",
    "test_bench.py::test_the_pages_workflow_builds_warm_after_one_edit":
        "three clones of a site, six builds and checks",
    "test_every_input.py::test_serve_after_one_input_changed_equals_a_cold_build":
        "a serve session and a cold build per kind of input",
    "test_export.py::test_events_json_follows_its_schema": "many sites, each built and checked",
    "test_folding.py::test_a_changed_site_catalog_is_compiled_anew": "compiles every template",
    # The slowest of the first quick tier (--durations), 2026-12: each many builds or processes.
    "test_fuzz.py": "random inputs, a build or check for each",
    "test_state.py::test_builds_killed_at_random_points_lose_nothing": "kills many builds",
    "test_state.py::test_two_builds_at_once_both_succeed_and_equal_a_clean_build":
        "builds in processes side by side",
    "test_memory.py::test_served_site_equals_a_cold_build_after_every_kind_of_edit":
        "a cold build after every kind of edit",
    "test_memory.py::test_renamed_file_and_deleted_folder": "a serve session and cold builds",
    "test_memory.py::test_many_files_changed_at_once": "a serve session and cold builds",
    "test_memory.py::test_on_a_large_site_an_open_page_is_shown_before_the_exports_are_made":
        "a large site",
    "test_memory.py::test_on_a_large_site_a_deleted_open_page_is_gone_before_the_exports_are_made":
        "a large site",
    "test_memory.py::test_a_second_save_in_the_same_tick_is_seen": "waits out clock ticks",
    "test_memory.py::test_the_pages_browsers_show_are_made_first_and_shown_early":
        "a large site",
    "test_publish.py::test_init_new_commit_then_the_workflow_and_netlify_publish_the_event":
        "virtualenvs, git clones and installs",
    "test_publish.py::test_the_release_builds_and_passes_pypis_checks": "builds sdist and wheel",
    "test_publish.py::test_check_reports_every_warning_build_prints": "many builds and checks",
    "test_plan.py::test_a_date_edit_that_moves_where_a_year_starts_remakes_every_year_strip":
        "a cold build after every edit",
    "test_plan.py::test_the_home_pages_keep_their_overview_through_edits_it_does_not_show":
        "a cold build after every edit",
    "test_korean.py::test_crawl_passes_on_a_generated_200_event_bilingual_site":
        "crawls every page",
    "test_korean.py::test_crawl_passes_on_every_korean_page_of_the_real_site":
        "crawls every page",
    "test_korean.py::test_check_warns_on_unlabelled_terms_and_fails_under_strict":
        "checks the real site",
    "test_one_field.py::test_a_new_field_is_three_edits_and_every_export_carries_it":
        "copies the repository and builds it",
    "test_tracebacks.py::test_a_labels_file_too_long_or_deep_is_one_line": "huge inputs",
    "test_tracebacks.py::test_an_import_file_too_deep_or_too_big_is_one_line": "huge inputs",
    "test_safety.py::test_interrupted_build_leaves_site_identical": "kills builds",
    "test_markdown.py::test_pruned_patterns_give_the_same_html": "renders every page twice",
    "test_every_input.py::test_a_warm_build_after_one_input_changed_equals_a_cold_one":
        "a warm and a cold build per kind of input",
    "test_cache.py::test_template_or_config_change_rerenders_everything": "cold builds",
    "test_cache.py::test_exports_are_cut_from_the_written_files_only_when_intact":
        "many builds",
    "test_cache.py::test_no_op_build_writes_nothing_and_repairs_hand_deletions": "many builds",
    "test_import.py::test_round_trip_of_this_repository": "builds the real site per format",
    "test_archive.py::test_a_killed_run_leaves_whole_files_and_the_next_one_goes_on":
        "kills a run in a process",
    # The slowest of the quick tier once a small site's build took 0.1 s (--durations, r4):
    "test_cite.py::test_every_real_source_and_event_gives_a_citation_without_warnings":
        "every real source through citeproc in three styles (seconds of CPU)",
    "test_cite.py::test_nu_html_checker_finds_no_errors_on_cited_pages":
        "the Nu HTML Checker's Java (through _vnu)",
    "test_security.py::test_random_input_never_crashes": "120 random inputs, a build for each",
    "test_rewrite.py::test_set_source_field_adds_one_field_and_changes_nothing_else":
        "300 examples, each parsed as YAML three times",
    "test_rewrite.py::test_rename_tag_changes_only_the_tag":
        "300 examples, each parsed as YAML twice",
    # The slowest of the quick tier in r5 (--durations, CPU per test), each seconds of CPU:
    "test_search_terms.py::test_the_browser_agrees_on_every_character_of_the_basic_plane":
        "every character of the basic plane through Node and Python",
    "test_search_scale.py::"
    "test_each_language_has_its_own_index_and_every_build_writes_the_same_bytes":
        "two cold builds of a copy of the real site",
    # The small site's case of each stays quick:
    "test_spreadsheet.py::test_a_spreadsheet_saved_csv_imports_back_field_for_field[real]":
        "builds a copy of the real site twice",
    "test_spreadsheet.py::test_update_from_a_spreadsheet_rewrites_only_the_cells_changed[real]":
        "builds a copy of the real site twice",
}
"""Tests (or whole files, or one case of a test: ``name[case]``) marked slow by name, with
why: what the rules above cannot see."""


def _uses(item: pytest.Item) -> tuple[set[str], set[str]]:
    """The fixtures a test asks for (directly or through other fixtures), and the global
    names its own code refers to."""
    fixtures = set(getattr(item, "fixturenames", ()))
    code = getattr(getattr(item, "function", None), "__code__", None)
    return fixtures, set(code.co_names if code is not None else ())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tier every test from what it uses, so a new test is tiered without anyone
    remembering: ``-m "not browser and not slow"`` is the quick tier (tests/run.sh --quick).

    Under pytest-xdist (``--dist loadgroup``, tests/run.sh) a file's tests stay on one worker,
    so its module fixtures (a built site, a browser) are made once; so do all the tests of
    the 10,000-event site, which takes minutes to build."""
    grouped = config.pluginmanager.hasplugin("xdist")
    for item in items:
        fixtures, names = _uses(item)
        if fixtures & BROWSER_FIXTURES or names & BROWSER_NAMES:
            item.add_marker(pytest.mark.browser)
        file, _, name = item.nodeid.partition("::")
        named = Path(file).name
        if (fixtures & SLOW_FIXTURES or names & SLOW_NAMES or named in SLOW
                or f"{named}::{name.split('[')[0]}" in SLOW or f"{named}::{name}" in SLOW):
            item.add_marker(pytest.mark.slow)
        if grouped:
            group = "big_site" if "big_site" in fixtures else named
            item.add_marker(pytest.mark.xdist_group(group))


def _require(path: Path, how: str) -> None:
    if not path.exists():
        pytest.fail(f"{path} is missing: {how} (bash tests/run.sh installs it)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright: one per test module."""
    from playwright.sync_api import sync_playwright  # only the browser tests need it

    _require(CHROMIUM, "apt-get install chromium")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()

@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The repository's real site, built once (no cache) for every test that only reads it,
    with what the build reported: a test that changes a site builds its own."""
    from generator.build import build_site

    output = tmp_path_factory.mktemp("real") / "site"
    return output, build_site(REPO, output, use_cache=False)


@pytest.fixture(scope="session")
def real_site(real_build: tuple[Path, BuildResult]) -> Path:
    """The real site's output folder (``real_build``)."""
    return real_build[0]


@pytest.fixture(scope="session")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bench/bench.py's 10,000 generated events, built once (no cache); only to be read."""
    import importlib.util

    from generator.build import build_site

    spec = importlib.util.spec_from_file_location("bench_sites", REPO / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    folder = tmp_path_factory.mktemp("big")
    bench.make_site(folder, 10_000)
    build_site(folder, folder / "site", use_cache=False)
    return folder / "site"


CONFIG = '''title = "Test timeline"
description = "A timeline for tests."
base_url = "https://example.org/tl/"
language = "en"
author = "Tester"
'''


def event_file(title: str = "An event", date: str = "2017-09-11", *, extra: str = "",
               body: str = "What happened, in neutral words.",
               sources: str | None = None, tags: str = "[alpha]") -> str:
    """Return the text of an event file with sensible defaults."""
    if sources is None:
        sources = ('sources:\n  - publisher: Example News\n    title: "A report"\n'
                   '    url: https://example.org/report\n    published: 2017-10-03\n')
    return (f'---\ntitle: "{title}"\ndate: "{date}"\ntags: {tags}\n{extra}{sources}---\n'
            f'{body}\n')


MakeSite = Callable[[dict[str, str]], Path]


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Write ``{relative path: text}`` into a new site folder (with a timeline.toml)."""
    counter = [0]

    def make(files: dict[str, str], config: str | None = CONFIG) -> Path:
        counter[0] += 1
        return write_site(tmp_path / f"site{counter[0]}", files, config)

    return make


def write_site(site: Path, files: dict[str, str], config: str | None = CONFIG) -> Path:
    """Write ``{relative path: text}`` into the new folder ``site`` (with a timeline.toml):
    make_site's work, also for a module fixture that builds one site for the tests that
    only read it (tmp_path_factory gives it a folder)."""
    site.mkdir()
    if config is not None:
        (site / "timeline.toml").write_text(config, "utf-8")
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, "utf-8")
    return site


def parse_html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
