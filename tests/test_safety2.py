"""Safety 2: inputs an attacker (or an accident) can write, each bounded or refused with one
clear line, never a traceback, a hang or an output that grows without bound."""

from __future__ import annotations

import json
import time
from pathlib import Path

import lxml.etree
import pytest

from generator.cli import main
from generator.site.overview import _tick_step

from conftest import MakeSite, event_file, parse_html

GOOD = "content/events/2017-09-11-good.md"


def _err(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# 3. Dates far apart ---------------------------------------------------------------------

@pytest.mark.parametrize("span", [1, 3, 9, 17, 4_000, 9_999, 10_001, 10**8, 10**12, 2 * 10**15])
def test_any_span_of_years_gets_a_handful_of_ticks(span: int) -> None:
    assert span / _tick_step(span) <= 8


@pytest.mark.parametrize("far", ["Y100000000", "Y-999999999999999", "Y999999999999999"])
def test_events_ages_apart_draw_a_bounded_strip(far: str, make_site: MakeSite) -> None:
    site = make_site({GOOD: event_file("Now", "2020"),
                      "content/events/far.md": event_file("Far", far)})
    started = time.perf_counter()
    assert main(["build", str(site), "--quiet"]) == 0
    assert time.perf_counter() - started < 10
    index = site / "site" / "index.html"
    assert index.stat().st_size < 100_000
    ticks = parse_html(index).xpath(
        "//*[local-name()='g'][@class='ov-axis']//*[local-name()='text']")
    assert 2 <= len(ticks) <= 10
    assert _size(site / "site") < 1_000_000


@pytest.mark.parametrize("year, digits", [("Y1" + "0" * 300, 301), ("Y1" + "1" * 5001, 5002),
                                          ("Y-1" + "0" * 400, 401)])
@pytest.mark.parametrize("command", [["build"], ["build", "--no-cache"], ["check"]])
def test_a_year_too_long_is_one_line(year: str, digits: int, command: list[str],
                                     make_site: MakeSite,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({GOOD: event_file("Now", "2020"),
                      "content/events/far.md": event_file("Far", year)})
    assert main([*command, str(site)]) == 1
    shown = f"'{year[:40]}… ({len(year):,} characters)'"
    assert (f"content/events/far.md:3: date: {shown} has a year of {digits:,} digits; "
            "a year may have at most 15") in _err(capsys)


def test_a_timelinejs_year_too_long_fails_alone(make_site: MakeSite, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({GOOD: event_file("Now", "2020")})
    file = tmp_path / "tl.json"
    file.write_text(
        '{"events": [\n'
        '{"start_date": {"year": 1e300}, "text": {"headline": "Huge float"}},\n'
        '{"start_date": {"year": ' + "1" * 5001 + '}, "text": {"headline": "Long"}},\n'
        '{"start_date": {"year": 2001}, "text": {"headline": "Fine", "text": "<p>x</p>"}}\n'
        "]}\n", "utf-8")
    assert main(["import", str(file), str(site)]) == 1
    err = _err(capsys)
    assert f"{file}:2: start_date.year: 301 digits: a year may have at most 15" in err
    assert f"{file}:3: start_date.year: 5,001 digits: a year may have at most 15" in err
    assert sorted(p.name for p in (site / "content" / "events").iterdir()) == [
        "2001-fine.md", "2017-09-11-good.md"]


# 4. Nesting ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["deep", "title", "tags", "sources"])
@pytest.mark.parametrize("depth", [22, 500, 5000])
def test_deeply_nested_front_matter_is_one_line(key: str, depth: int, make_site: MakeSite,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    text = event_file("Deep", "2020").replace("---\n", f"---\n{key}: {'[' * depth}{']' * depth}\n",
                                              1)
    site = make_site({GOOD: event_file("Good"), "content/events/deep.md": text})
    assert main(["check", str(site)]) == 1
    err = _err(capsys)
    expected = ("content/events/deep.md:2: invalid YAML: while increasing flow level (line 2): "
                "exceeded maximum nesting depth" if depth > 1000 else
                f"content/events/deep.md:2: {key}: nested more than 20 levels deep")
    assert expected in err
    assert main(["build", str(site)]) == 1
    assert expected in _err(capsys)


def test_block_nesting_is_refused_too(make_site: MakeSite,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    nested = "".join("  " * i + "-\n" for i in range(1, 400))
    text = event_file("Deep", "2020").replace("---\n", f"---\ndeep:\n{nested}", 1)
    site = make_site({"content/events/deep.md": text})
    assert main(["check", str(site)]) == 1
    assert "content/events/deep.md:23: deep: nested more than 20 levels deep" in _err(capsys)


def _unused() -> None:  # keep imports used while sections are added
    json.dumps(lxml.etree)
