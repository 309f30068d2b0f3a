"""A sheet that stays in sync: each event's id (its slug) in every export, import matching on
it, rows without one that look like an event already there held back, and a published
sheet read over HTTP."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator.cli import main

from conftest import MakeSite

HEADER = ["Year", "Month", "Day", "Headline", "Text", "Media", "Alt Text", "Group"]
ROW = ["1969", "7", "20", "Apollo 11 lands", "<p>The lunar module lands.</p>",
       "https://example.org/eagle.jpg", "The lunar module", "space"]
EVENT = "content/events/1969-07-20-apollo-11-lands.md"


def sheet(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    return path


def events(site: Path) -> list[str]:
    return sorted(p.name for p in (site / "content" / "events").glob("*.md"))


def test_a_fixed_headline_imported_again_is_no_second_event(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The TimelineJS template has no id column: a row whose headline was fixed is a
    probable duplicate of the event of its date with the same text, said and not written."""
    site = make_site({})
    assert main(["import", str(sheet(tmp_path / "a.csv", [ROW])), str(site)]) == 0
    written = (site / EVENT).read_text("utf-8")
    fixed = sheet(tmp_path / "b.csv", [[*ROW[:3], "Apollo 11 lands on the Moon", *ROW[4:]]])
    capsys.readouterr()
    assert main(["import", str(fixed), str(site)]) == 0
    out, err = capsys.readouterr()
    assert events(site) == ["1969-07-20-apollo-11-lands.md"]
    assert (site / EVENT).read_text("utf-8") == written
    assert err.splitlines() == [
        f"{fixed}:2: warning: id: probable duplicate of {site / EVENT} (same date, same "
        "text): not written; give the row its id 1969-07-20-apollo-11-lands to update it "
        "(with --update), or an id of its own to add it"]
    assert out.splitlines()[-1] == (f"{fixed}: 0 events written, 0 already there, "
                                    "0 skipped, 0 failed, 1 probable duplicate not written")
