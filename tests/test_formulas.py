"""CSV written for spreadsheets (``events.csv``, ``list --format csv``): a cell a spreadsheet
would run as a formula is neutralised by OWASP's rule (a ``'`` in front), and ``import``
reads such a cell back to the value it was, so the round trip does not drift."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.interop.cells import plain_cell, safe_cell

from conftest import MakeSite, event_file

RUNS = re.compile(r"[\t\r]|\s*[=+\-@]")
"""What a spreadsheet runs as a formula: a cell beginning so (after white space it strips)."""

EVENTS = {
    "content/events/a.md": event_file(
        '=HYPERLINK(\\"https://evil.example/\\",\\"click\\")', "-0500",
        tags='["@SUM(A1)", "+plus"]',
        extra='summary: "+1+cmd|\' /C calc\'!A0"\nplaces: ["-2+3", Seoul]\n',
        sources="sources:\n  - publisher: \"@publisher\"\n    title: \"'=already quoted\"\n"
                "    url: https://example.org/r\n"),
    "content/events/b.md": event_file("Plain title", "2017-09-11",
                                      body="=1+1 is the first line of the body."),
    "content/events/c.md": event_file("Tabbed", "2018", extra='summary: "\\t=2+2"\n'),
}


def _records(out: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((out / "events.json").read_text("utf-8"))
    return {e["slug"]: {k: v for k, v in e.items() if k != "url"} for e in data["events"]}


def _runnable(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if RUNS.match(cell)]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-0500", "@SUM(A1)", "\t=1", "\r=1", " =1",
                                   "\n@x", "'=1", "''-1", "'", "'a", "a=1", "", "plain"])
def test_every_value_comes_back_and_none_runs(value: str) -> None:
    cell = safe_cell(value)
    assert plain_cell(cell) == value
    assert not RUNS.match(cell)
    assert cell == (("'" + value) if RUNS.match(value.lstrip("'")) else value)


def test_events_csv_runs_nothing_and_imports_back_the_same(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(EVENTS)
    assert main(["build", str(site), "-o", str(tmp_path / "a"), "--no-cache", "-q"]) == 0
    raw = (tmp_path / "a" / "events.csv").read_text("utf-8-sig")  # Excel reads the BOM
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert _runnable(rows) == []
    by_slug = {row["slug"]: row for row in csv.DictReader(io.StringIO(raw, newline=""))}
    first = by_slug["a"]
    assert first["title"] == "'" + '=HYPERLINK("https://evil.example/","click")'
    assert first["date"] == "'-0500"
    assert first["summary"] == "'+1+cmd|' /C calc'!A0"
    assert first["tags"] == "'@SUM(A1); +plus"
    assert first["places"] == "'-2+3; Seoul"
    assert first["source_publisher"] == "'@publisher"
    assert first["source_title"] == "''=already quoted"  # one more, taken off on import
    assert by_slug["b"]["body"] == "'=1+1 is the first line of the body."
    assert by_slug["c"]["summary"] == "'=2+2"  # white space goes, and the `=` stays

    fresh = make_site({})
    assert main(["import", str(tmp_path / "a" / "events.csv"), str(fresh)]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(["build", str(fresh), "-o", str(tmp_path / "b"), "--no-cache", "-q"]) == 0
    original, again = _records(tmp_path / "a"), _records(tmp_path / "b")
    original["c"]["summary"] = "=2+2"  # a CSV cell holds no line breaks or tabs
    assert again == original
    assert again["a"]["sources"][0]["title"] == \
        "'=already quoted"


def test_list_csv_runs_nothing(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(EVENTS)
    capsys.readouterr()
    assert main(["list", str(site), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert _runnable(rows) == []
    assert [(r[0], r[3]) for r in rows[1:]] == [
        ("'-0500", "'" + '=HYPERLINK("https://evil.example/","click")'),
        ("2017-09-11", "Plain title"), ("2018", "Tabbed")]
