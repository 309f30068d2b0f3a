"""Every module has a test file of its own, named after it, that tests its functions
directly (end-to-end tests live in test_build.py, test_serve.py, test_browser.py, ...)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
TESTS = ROOT / "tests"

ELSEWHERE = {
    "content/body.py": "test_markdown.py",  # the Markdown renderer: tests say what it renders
    "content/editorial.py": "test_references.py",  # aliases and references editors write
    "site/overview_svg.py": "test_overview.py",  # drawing the overview is tested with planning it
    "site/exports.py": "test_export.py",
    "interop/reading.py": "test_import.py",  # reading import files into drafts
    "interop/updates.py": "test_update.py",
    "incremental/compiled.py": "test_cache.py",  # the compiled-template cache
    "sources/check.py": "test_sources.py",  # `timeline sources check`, played by a local server
}
"""Modules whose unit tests live in a file named after what they do rather than the module."""

NOT_YET: set[str] = set()
"""Modules that still have no test file of their own (each one is a gap, not a choice):
this list may only shrink."""

SKIPPED = {"__init__.py", "__main__.py"}


def modules() -> list[str]:
    """Every module of the package but the theme, as 'content/dates.py' or 'cli.py'."""
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                  if p.name not in SKIPPED and "theme" not in p.relative_to(PACKAGE).parts)


def expected_file(module: str, names: Counter[str]) -> str:
    """tests/test_<name>.py, or test_<pkg>_<name>.py where two packaged modules share a name
    (a top-level module, which has no package, keeps test_<name>.py)."""
    if module in ELSEWHERE:
        return ELSEWHERE[module]
    parts = module.removesuffix(".py").split("/")
    if len(parts) == 2 and names[parts[1]] > 1:
        return f"test_{parts[0]}_{parts[1]}.py"
    return f"test_{parts[-1]}.py"


def test_every_module_has_its_own_test_file() -> None:
    found = modules()
    names = Counter(m.removesuffix(".py").split("/")[-1] for m in found)
    missing = [f"generator/{m}: no tests/{expected_file(m, names)}" for m in found
               if m not in NOT_YET and not (TESTS / expected_file(m, names)).is_file()]
    assert missing == []


def test_the_lists_name_real_modules_and_gaps_that_are_real() -> None:
    found = modules()
    names = Counter(m.removesuffix(".py").split("/")[-1] for m in found)
    assert sorted(set(ELSEWHERE) | NOT_YET) == sorted((set(ELSEWHERE) | NOT_YET) & set(found))
    closed = [m for m in NOT_YET if (TESTS / expected_file(m, names)).is_file()]
    assert closed == [], "these have test files now: remove them from NOT_YET"


def test_a_missing_test_file_is_named_as_expected() -> None:
    names = Counter({"check": 2, "dates": 1})
    assert expected_file("sources/check.py", names) == "test_sources.py"  # from ELSEWHERE
    assert expected_file("dev/check.py", names) == "test_dev_check.py"
    assert expected_file("check.py", names) == "test_check.py"
    assert expected_file("content/dates.py", names) == "test_dates.py"
