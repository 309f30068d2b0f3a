"""Every module has a test file of its own, named after it, that tests its functions
directly: it imports the module (end-to-end tests live in test_build.py, test_serve.py,
test_browser.py, ...)."""

from __future__ import annotations

import ast
import functools
from collections import Counter
from pathlib import Path

import pytest

from conftest import SLOW

ROOT = Path(__file__).resolve().parent.parent

ELSEWHERE = {
    "site/cards.py": "test_cache.py",  # cards and chronology lines, counted as they are drawn
    "site/eras.py": "test_plan.py",  # which eras a page names, planned with its page
    "incremental/derived.py": "test_shareimage.py",  # kept or made: share images, copies
    "content/body.py": "test_markdown.py",  # the Markdown renderer: tests say what it renders
    "content/editorial.py": "test_references.py",  # aliases and references editors write
    "site/overview_svg.py": "test_overview.py",  # drawing the overview, tested with planning
    "site/exports.py": "test_export.py",
    "interop/reading.py": "test_import.py",  # reading import files into drafts
    "interop/updates.py": "test_update.py",
    "incremental/compiled.py": "test_cache.py",  # the compiled-template cache
    "sources/check.py": "test_sources.py",  # `timeline sources check`, played by a local server
    "dev/pin.py": "test_publish.py",  # the tool a site carries, tried as its CI installs it
    "toml_tables.py": "test_config.py",  # parts of reading timeline.toml
    # The languages of a site, tested together as a reader meets them (dates, pairing of
    # translations, per-language planning, the overview's words):
    "content/translations.py": "test_i18n.py",
    "site/datetext.py": "test_i18n.py",
    "site/languages.py": "test_i18n.py",
    "site/overview_words.py": "test_i18n.py",
    # What readers see change and surface, tested together in built pages:
    "content/changes.py": "test_readers_changes.py",
    "incremental/days.py": "test_readers_changes.py",
    "site/recent.py": "test_readers_changes.py",
    "site/surfaced.py": "test_readers_changes.py",
    "site/citations.py": "test_cite.py",  # the Cite block and its downloads, read back
    "site/citefiles.py": "test_cite.py",
    # The map of places: the gazetteer, its shapes and check's suggestions, read back from
    # built maps and check's warnings:
    "content/places.py": "test_maps.py",
    "site/geoshapes.py": "test_maps.py",
    "site/gazetteer.py": "test_maps.py",
    "dev/editor.py": "test_cms.py",  # the browser editor's configuration and its proxy
    "dev/first.py": "test_memory.py",  # serve's wishes, tested with the state they steer
    "interop/remote.py": "test_sheet_sync.py",  # a sheet read from its address
    "incremental/layer.py": "test_one_pipeline.py",  # the one pipeline and what it asks
}
"""Modules whose unit tests live in a file named after what they do rather than the module."""

THROUGH_A_BUILD = {
    "build.py": "the pipeline's entry, run as `timeline build` (test_build.py)",
    "content/translations.py": "pairing name.ko.md with name.md, seen in built /ko/ pages",
    "incremental/published.py": "the URLs a build remembers, seen across builds and checks",
    "site/exports.py": "every export, read back from a built site and its JSON Schema",
    "site/navdata.py": "nav.json, read back from a built site",
    "site/outputs.py": "the output table, seen as a build that fails naming both makers",
    "site/overview_words.py": "the overview's words in each language, in built pages",
    "site/references.py": "images and old URLs that must exist, seen as build problems",
    "content/changes.py": "updated: and corrections:, seen on built pages and in the feed",
    "incremental/days.py": "the day each event was first published, seen across builds",
    "site/recent.py": "the recent/ page, read back from a built site",
    "site/surfaced.py": "the first report beside a date, read back from built pages",
    "site/calendar.py": "events.ics, parsed back from a built site with icalendar",
    "incremental/layer.py": "a Protocol: mypy checks both state classes against it",
    "incremental/derived.py": "resized copies and share images kept or made across builds "
                              "(test_resized.py, test_shareimage.py)",
}
"""Modules whose test file drives them through a build instead of importing them."""

SKIPPED = {"__init__.py", "__main__.py"}


def modules(package: Path) -> list[str]:
    """Every module of the package but the theme, as 'content/dates.py' or 'cli.py'."""
    return sorted(p.relative_to(package).as_posix() for p in package.rglob("*.py")
                  if p.name not in SKIPPED and "theme" not in p.relative_to(package).parts)


def expected_file(module: str, names: Counter[str]) -> str:
    """tests/test_<name>.py, or test_<pkg>_<name>.py where two packaged modules share a name
    (a top-level module, which has no package, keeps test_<name>.py)."""
    if module in ELSEWHERE:
        return ELSEWHERE[module]
    parts = module.removesuffix(".py").split("/")
    if len(parts) == 2 and names[parts[1]] > 1:
        return f"test_{parts[0]}_{parts[1]}.py"
    return f"test_{parts[-1]}.py"


@functools.cache
def parsed(test_file: Path) -> ast.Module:
    """A test file's syntax tree, parsed once for every test here that reads it."""
    return ast.parse(test_file.read_text("utf-8"))


@functools.cache
def imported(test_file: Path) -> frozenset[str]:
    """Every module a test file imports, and every name it imports from one, dotted (a file
    read once, though several modules may have their tests in it)."""
    found: set[str] = set()
    for node in ast.walk(parsed(test_file)):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return frozenset(found)


def missing(package: Path, tests: Path) -> list[str]:
    """Each module without its test file ('generator/x.py: no tests/test_x.py') or whose
    test file never imports it ('generator/x.py: tests/test_x.py does not import it')."""
    found = modules(package)
    names = Counter(m.removesuffix(".py").split("/")[-1] for m in found)
    out = []
    for m in found:
        test_file = tests / expected_file(m, names)
        dotted = ".".join((package.name, *m.removesuffix(".py").split("/")))
        if not test_file.is_file():
            out.append(f"{package.name}/{m}: no tests/{test_file.name}")
        elif m not in THROUGH_A_BUILD and dotted not in imported(test_file):
            out.append(f"{package.name}/{m}: tests/{test_file.name} does not import it")
    return out


def test_every_module_has_its_own_test_file() -> None:
    assert missing(ROOT / "generator", ROOT / "tests") == []


def test_the_mappings_name_real_modules() -> None:
    real = set(modules(ROOT / "generator"))
    assert sorted((set(ELSEWHERE) | set(THROUGH_A_BUILD)) - real) == []


def test_a_module_without_a_test_file_is_named(tmp_path: Path) -> None:
    package, tests = tmp_path / "generator", tmp_path / "tests"
    for rel in ("__init__.py", "cli.py", "check.py", "sources/check.py", "dev/check.py",
                "content/dates.py", "theme/x.py"):
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text("", "utf-8")
    tests.mkdir()
    (tests / "test_cli.py").write_text("from generator.cli import main\n", "utf-8")
    (tests / "test_check.py").write_text("from generator.dev.check import x\n", "utf-8")
    (tests / "test_dev_check.py").write_text("import generator.dev.check\n", "utf-8")
    assert missing(package, tests) == [
        "generator/check.py: tests/test_check.py does not import it",
        "generator/content/dates.py: no tests/test_dates.py",
        "generator/sources/check.py: no tests/test_sources.py"]  # from ELSEWHERE


TIERED = '''
VNU = "vnu.jar"


def test_plain() -> None:
    assert "vnu.jar".endswith(".jar")


def test_asks_for_chromium(browser) -> None:
    pass


def test_drives_playwright_itself() -> None:
    from playwright.sync_api import sync_playwright
    assert sync_playwright


def test_reads_the_big_site(big_site) -> None:
    pass


def test_runs_the_html_checker() -> None:
    assert VNU
'''


def _tier(folder: Path, expression: str) -> list[str]:
    """The tests of ``folder`` that ``-m expression`` keeps, tiered by tests/conftest.py
    (collected in this process: a new pytest costs seconds of start-up)."""
    kept: list[str] = []

    class Kept:
        def pytest_collection_finish(self, session: pytest.Session) -> None:
            kept.extend(item.name for item in session.items)

    # Without the plugins that only report after a run (hypothesis's statistics; the
    # unraisable and thread exception hooks, whose full garbage collections at the end cost
    # the most in a worker that has run many tests already): they tier nothing.
    quiet = ["-p", "no:hypothesispytest", "-p", "no:unraisableexception",
             "-p", "no:threadexception"]
    code = pytest.main(["-c", str(ROOT / "pyproject.toml"), "--rootdir", str(folder),
                        "-p", "conftest", *quiet, "--import-mode=importlib", "--collect-only",
                        "-q", "-m", expression, str(folder)], plugins=[Kept()])
    assert code in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
    return kept


def test_a_new_test_is_tiered_by_what_it_uses(tmp_path: Path) -> None:
    """No one has to remember a mark: the browser fixture or Playwright makes a test
    `browser`; the 10,000-event site or the Nu HTML Checker makes it `slow`."""
    (tmp_path / "test_new.py").write_text(TIERED, "utf-8")
    assert _tier(tmp_path, "not browser and not slow") == ["test_plain"]
    assert _tier(tmp_path, "browser") == ["test_asks_for_chromium",
                                          "test_drives_playwright_itself"]
    assert _tier(tmp_path, "slow") == ["test_reads_the_big_site", "test_runs_the_html_checker"]


def test_every_test_named_slow_exists() -> None:
    """conftest.SLOW names tests by name: a renamed test would silently join the quick tier."""
    tests = {}
    for path in (ROOT / "tests").glob("test_*.py"):
        tree = parsed(path)
        tests[path.name] = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    named = {key: key.partition("::")[2].partition("[")[0] or "-" for key in SLOW}
    assert [key for key in SLOW if key.partition("::")[0] not in tests
            or named[key] not in tests[key.partition("::")[0]] | {"-"}] == []
