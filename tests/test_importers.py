"""Writing imported drafts: valid files only, never over another file, eras appended to
eras.yaml only when it still reads, the title slide as a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.loading import load_eras
from generator.interop.importers import (
    render_draft,
    validate,
    write_eras,
    write_events,
    write_intro,
)
from generator.interop.slides import Batch, Draft, era_draft, intro_draft

from conftest import MakeSite, event_file

SOURCE = [{"publisher": "P", "url": "https://p.test/"}]


def draft(title: str, date: str = "2017-09-11", **meta: object) -> Draft:
    return Draft(1, {"title": title, "date": date, "tags": ["t"], "sources": SOURCE, **meta},
                 "Body.", f"{date}-{title.lower()}", date)


def said(batch: Batch) -> list[str]:
    return [str(p) for p in batch.problems]


def test_render_draft_keeps_the_field_order() -> None:
    assert render_draft(draft("A")) == (
        "---\ntitle: A\ndate: '2017-09-11'\ntags:\n- t\nsources:\n- publisher: P\n"
        "  url: https://p.test/\n---\n\nBody.\n")


def test_validate_reports_at_the_row() -> None:
    batch = Batch("in.json")
    assert validate(draft("A"), batch) is not None
    assert validate(draft("B", "2017-02-30"), batch) is None
    assert said(batch) == ["in.json:1: date: no such day 2017-02-30"]


def test_write_events_skip_and_rename(make_site: MakeSite,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    # the same file name, but another title and date: an editor's own event, not an import
    site = make_site({"content/events/2017-09-11-a.md": event_file("Other", "2018")})
    batch = Batch("in.json", events=[draft("A"), draft("B"), draft("C", "2017-13")])
    counts = write_events(site, batch, "skip")
    assert (counts["written"], counts["skipped"], batch.failed) == (1, 1, 1)
    assert said(batch) == [
        f"in.json:1: warning: slug: {site / 'content/events/2017-09-11-a.md'} already exists "
        "for another event: skipped (--on-conflict rename writes it beside)",
        "in.json:1: date: no such month 2017-13"]
    assert (site / "content/events/2017-09-11-b.md").is_file()
    assert capsys.readouterr().out == f"wrote {site / 'content/events/2017-09-11-b.md'}\n"
    renamed = Batch("in.json", events=[draft("A")])
    assert write_events(site, renamed, "rename")["written"] == 1
    assert "title: A\n" in (site / "content/events/2017-09-11-a-2.md").read_text("utf-8")
    again = Batch("in.json", events=[draft("B")])
    assert write_events(site, again, "skip")["already there"] == 1


def test_write_eras_appends_new_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    batch = Batch("in.json")
    eras = [era_draft({"start_date": {"year": y}, "end_date": {"year": y + 2},
                       "text": {"headline": name}}, batch, 1)
            for y, name in ((1950, "War"), (1960, "After"))]
    batch.eras = [e for e in eras if e is not None]
    (tmp_path / "content").mkdir()
    (tmp_path / "content/eras.yaml").write_text("- title: War\n  start: '1950'\n  end: "
                                                "'1952'\n", "utf-8")
    assert write_eras(tmp_path, batch) == 1
    assert capsys.readouterr().out == f"added 1 era to {tmp_path / 'content/eras.yaml'}\n"
    found, problems = load_eras(tmp_path)
    assert problems == [] and [e.title for e in found] == ["War", "After"]
    assert write_eras(tmp_path, batch) == 0  # both there now


def test_write_eras_leaves_a_file_it_cannot_read(tmp_path: Path) -> None:
    batch = Batch("in.json")
    era = era_draft({"start_date": {"year": 1950}, "text": {"headline": "War"}}, batch, 1)
    assert era is not None
    batch.eras = [era]
    (tmp_path / "content").mkdir()
    (tmp_path / "content/eras.yaml").write_text("title: not a list\n", "utf-8")
    assert write_eras(tmp_path, batch) == 0
    assert said(batch) == [f"in.json: {tmp_path / 'content/eras.yaml'} is not a list of eras: "
                           "add the eras by hand"]
    assert (tmp_path / "content/eras.yaml").read_text("utf-8") == "title: not a list\n"


def test_write_intro(tmp_path: Path) -> None:
    batch = Batch("in.json")
    batch.intro = intro_draft({"text": {"headline": "Mine", "text": "Hello"}}, batch, 0)
    assert write_intro(tmp_path, batch, "skip") == (
        f"title slide in {tmp_path / 'content/pages/introduction.md'}")
    assert write_intro(tmp_path, batch, "skip") == "title slide already there"
    other = Batch("in.json")
    other.intro = intro_draft({"text": {"headline": "Other"}}, other, 0)
    assert write_intro(tmp_path, other, "skip") == "title slide skipped"
    assert write_intro(tmp_path, other, "rename") == (
        f"title slide in {tmp_path / 'content/pages/introduction-2.md'}")
