"""A build on a later day reuses every kept parse (a CI deploy rarely runs on the day of
the last one), yet each warning about a day in the future goes once that day comes, and a
clock that went back parses everything again."""

from __future__ import annotations

from collections.abc import Callable

import lxml.html
import pytest

from generator import build as build_module
from generator import config as config_module
from generator.build import build_site
from generator.content import loading
from generator.errors import Problem
from generator.incremental.memory import MemoryState
from generator.report import BuildResult

from conftest import MakeSite, event_file, tree_hash

FILES = {
    "content/events/soon.md": event_file("Soon", "2026-12-10"),
    "content/events/fixed.md": event_file(
        "Fixed", "2020-05-01", extra="updated: 2026-12-09\n"),
    "content/events/old.md": event_file("Old", "2019-01-01"),
}


class Clock:
    """The day every part of the build asks for, and how many files it parsed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.day = "2026-12-08"
        self.parsed = 0
        real = loading.parse_file

        def counted(*args: object, **kwargs: object) -> loading.Parsed:
            self.parsed += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(loading, "parse_file", counted)
        monkeypatch.setattr(build_module, "today", lambda: self.day)
        monkeypatch.setattr(config_module, "today", lambda: self.day)

    def build(self, run: Callable[[], BuildResult], day: str) -> tuple[BuildResult, int]:
        self.day, self.parsed = day, 0
        return run(), self.parsed


def future(result: BuildResult) -> list[str]:
    return sorted(str(p) for p in result.warnings if "in the future" in p.message)


SOON = "content/events/soon.md:3: warning: date: 2026-12-10 is in the future"
FIXED = "content/events/fixed.md:5: warning: updated: 2026-12-09 is in the future"


def test_a_later_day_reuses_every_parse_and_drops_warnings_whose_day_came(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(FILES)
    clock = Clock(monkeypatch)
    run = lambda: build_site(site)  # noqa: E731

    first, parsed = clock.build(run, "2026-12-08")
    assert parsed == 3 and future(first) == [FIXED, SOON]
    # The next day: nothing changed that a reader sees, so nothing is built or parsed.
    same, parsed = clock.build(run, "2026-12-08")
    assert (same.written, parsed, future(same)) == (0, 0, [FIXED, SOON])
    later, parsed = clock.build(run, "2026-12-09")  # `updated: 2026-12-09` is today now
    assert parsed == 0 and future(later) == [SOON]
    again, parsed = clock.build(run, "2026-12-09")
    assert (again.written, parsed, future(again)) == (0, 0, [SOON])
    warm = tree_hash(site / "site")
    arrived, parsed = clock.build(run, "2026-12-11")
    assert parsed == 0 and future(arrived) == []
    assert tree_hash(site / "site") == warm  # the pages never depended on the day

    # The clock went back: a kept parse may hold a day as past that is future again.
    back, parsed = clock.build(run, "2026-12-07")
    assert parsed == 3 and future(back) == [FIXED, SOON]
    cold, parsed = clock.build(lambda: build_site(site, use_cache=False), "2026-12-07")
    assert parsed == 3 and future(cold) == future(back)


def test_serve_keeps_its_parses_across_midnight(make_site: MakeSite,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(FILES)
    clock = Clock(monkeypatch)
    kept = MemoryState(site, site / "site", False, None)

    def run() -> BuildResult:
        return build_site(site, state=kept, target="memory")

    assert clock.build(run, "2026-12-08")[1] == 3
    result, parsed = clock.build(run, "2026-12-10")
    assert parsed == 0 and future(result) == []
    result, parsed = clock.build(run, "2026-12-08")
    assert parsed == 3 and future(result) == [FIXED, SOON]


def test_a_future_day_warning_holds_until_its_day() -> None:
    warning = Problem("e.md", 3, "date", "2026-12-10 is in the future", "warning",
                      until=(2026, 12, 10))
    assert warning.holds_on((2026, 12, 9)) and not warning.holds_on((2026, 12, 10))
    assert Problem("e.md", 3, "date", "bad").holds_on((9999, 1, 1))


def test_serve_parses_again_when_the_config_parses_differently(make_site: MakeSite) -> None:
    """``allow_html`` changes what a parse holds: serve's kept parses were made without it."""
    site = make_site({"content/events/a.md": event_file(body="Before <kbd>Ctrl</kbd> after.")})
    kept = MemoryState(site, site / "site", False, None)

    def keys_shown() -> list[str]:
        build_site(site, state=kept, target="memory")
        data = kept.site_files["events/a/index.html"]
        page = lxml.html.fromstring(data if isinstance(data, bytes) else b"".join(data))
        return [k.text_content() for k in page.iter("kbd")]

    assert keys_shown() == []  # shown as text
    toml = site / "timeline.toml"
    toml.write_text(toml.read_text("utf-8") + "allow_html = true\n", "utf-8")
    assert keys_shown() == ["Ctrl"]
