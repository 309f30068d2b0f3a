"""Fixtures: write small real sites into tmp_path, build them, and read the HTML back."""

from __future__ import annotations

import hashlib
import signal
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.html
import pytest

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


BROWSER_USES = frozenset({"browser", "page", "sync_playwright", "chromium"})
"""A test using one of these (a fixture, or a name its code calls) drives Chromium."""

SLOW_USES = frozenset({"big"})
"""Fixtures (and names in a test's code) that build a large site or start slow tools."""


def _uses(item: pytest.Item) -> set[str]:
    """The fixtures a test asks for, directly or through other fixtures, and the global names
    its own code refers to (a helper such as test_serve.py's ``chromium()``)."""
    names = set(getattr(item, "fixturenames", ()))
    code = getattr(getattr(item, "function", None), "__code__", None)
    if code is not None:
        names.update(code.co_names)
    return names


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tier every test from what it uses, so a new test is tiered without anyone
    remembering: ``-m "not browser and not slow"`` is the quick tier (tests/run.sh --quick)."""
    for item in items:
        uses = _uses(item)
        if uses & BROWSER_USES:
            item.add_marker(pytest.mark.browser)
        if uses & SLOW_USES:
            item.add_marker(pytest.mark.slow)


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
        site = tmp_path / f"site{counter[0]}"
        site.mkdir()
        if config is not None:
            (site / "timeline.toml").write_text(config, "utf-8")
        for rel, text in files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, "utf-8")
        return site

    return make


def parse_html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def tree_hash(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}
