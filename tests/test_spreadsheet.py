"""``events.csv`` through a spreadsheet and back: saved with a BOM and CRLF line ends as
Excel and LibreOffice save it, imported into an empty site (every field of every event
comes back) and into the site it came from with ``--update`` (only the cells changed are
written, in only the files that hold them)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main

from conftest import REPO, MakeSite, event_file

SMALL = {
    "content/events/a.md": event_file(
        "공장 폐쇄 — Factories closed", "2017-09-11",
        extra="aliases: [/events/old-factories/, /old.html]\nplaces: [Kaesong, \"Seoul, ROK\"]\n"
              "featured: true\n", tags="[공업, labour]",
        body="First paragraph, the summary.\n\nSecond paragraph."),
    "content/events/b.md": ("\ufeff---\r\ntitle: Sanctions   # a comment kept\r\n"
                            "date: 2018\r\nsummary: Its own summary.\r\nstatus: disputed\r\n"
                            "tags:\r\n  - >-\r\n    trade\r\n    war\r\n"
                            "sources:\r\n  - publisher: P\r\n    url: https://example.org/p\r\n"
                            "    published: 2018-01-02\r\n    quote: |-\r\n      one line\r\n"
                            "  - {publisher: Q, title: \"Q's report\"}\r\n"
                            "media:\r\n  - src: https://example.org/i.png\r\n"
                            "    alt: A hand-written description\r\n    caption: C\r\n"
                            "---\r\nBody.\r\n"),
    "content/events/c.md": event_file("Open end", "2019/..", tags="[open]"),
}


def _build(site: Path, out: Path) -> tuple[dict[str, dict[str, Any]], bytes]:
    assert main(["build", str(site), "-o", str(out), "--no-cache", "-q"]) == 0
    data = json.loads((out / "events.json").read_text("utf-8"))
    return {e["slug"]: e for e in data["events"]}, (out / "events.csv").read_bytes()


def _saved_by_a_spreadsheet(data: bytes, edits: dict[tuple[str, str], str] | None = None
                            ) -> bytes:
    """The CSV as a spreadsheet saves it: a BOM, CRLF after each row, every cell quoted,
    with ``edits`` ({(slug, column): value}) made."""
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    for (slug, column), value in (edits or {}).items():
        (row,) = [r for r in rows if r["slug"] == slug]
        row[column] = value
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, list(rows[0]), quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted((site / "content").rglob("*")) if p.is_file()}


def _differing(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Every field in which two events.json records differ (``url``: the site's address;
    ``translations``: files no import writes)."""
    keys = (a.keys() | b.keys()) - {"url", "translations"}
    return {k: (a.get(k), b.get(k)) for k in sorted(keys) if a.get(k) != b.get(k)}


def _real_site(tmp_path: Path) -> Path:
    site = tmp_path / "real"
    site.mkdir()
    for name in ("content", "static", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, site / name)
    shutil.copy(REPO / "timeline.toml", site / "timeline.toml")
    return site


@pytest.mark.parametrize("which", ["small", "real"])
def test_a_spreadsheet_saved_csv_imports_back_field_for_field(
        which: str, make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(SMALL) if which == "small" else _real_site(tmp_path)
    original, data = _build(site, tmp_path / "a")
    sheet = tmp_path / "events.csv"
    sheet.write_bytes(_saved_by_a_spreadsheet(data))
    fresh = make_site({})
    assert main(["import", str(sheet), str(fresh)]) == 0
    again, _ = _build(fresh, tmp_path / "b")
    assert sorted(again) == sorted(original)
    assert {slug: _differing(original[slug], again[slug]) for slug in original} == {
        slug: {} for slug in original}
    if which == "small":
        assert original["a"]["aliases"] == ["/events/old-factories/", "/old.html"]


@pytest.mark.parametrize("which", ["small", "real"])
def test_update_from_a_spreadsheet_rewrites_only_the_cells_changed(
        which: str, make_site: MakeSite, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(SMALL) if which == "small" else _real_site(tmp_path)
    original, data = _build(site, tmp_path / "a")
    before = _files(site)
    sheet = tmp_path / "events.csv"
    sheet.write_bytes(_saved_by_a_spreadsheet(data))
    assert main(["import", str(sheet), str(site), "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"{sheet}: 0 events written, 0 updated, {len(original)} already there, 0 skipped, "
        "0 failed")
    assert _files(site) == before  # not one byte: no frozen summary:, no slug:
    first, second = sorted(original)[:2]
    status = "confirmed" if original[second]["status"] == "disputed" else "disputed"
    sheet.write_bytes(_saved_by_a_spreadsheet(data, {(first, "title"): "A new title",
                                                     (second, "status"): status}))
    assert main(["import", str(sheet), str(site), "--update"]) == 0
    after = _files(site)
    changed = sorted(k for k in after if after[k] != before[k])
    assert len(changed) == 2, changed
    for rel in changed:
        old_lines = before[rel].split(b"\n")
        new_lines = after[rel].split(b"\n")
        gone = [x for x in old_lines if x not in new_lines]
        added = [x for x in new_lines if x not in old_lines]
        assert len(added) == 1 and len(gone) <= 1, (rel, gone, added)
        assert added[0].split(b":")[0] in (b"title", b"status")
        assert added[0].endswith(b"\r") == (b"\r\n" in before[rel])  # CRLF kept
        assert after[rel].startswith(b"\xef\xbb\xbf") == before[rel].startswith(
            b"\xef\xbb\xbf")
    again, _ = _build(site, tmp_path / "b")
    expected = {slug: {} for slug in original}
    expected[first] = {"title": (original[first]["title"], "A new title")}
    expected[second] = {"status": (original[second]["status"], status)}
    assert {slug: _differing(original[slug], again[slug]) for slug in original} == expected


def test_events_csv_opens_in_excel_with_korean(make_site: MakeSite, tmp_path: Path) -> None:
    """Excel takes a CSV for UTF-8 only with a BOM: the first bytes are the BOM, the header
    reads back as `date` and the Korean text as written."""
    site = make_site(SMALL)
    _, data = _build(site, tmp_path / "a")
    assert data[:8] == b"\xef\xbb\xbfdate,"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0])[0] == "date"
    (row,) = [r for r in rows if r["slug"] == "a"]
    assert (row["title"], row["tags"]) == ("공장 폐쇄 — Factories closed", "공업; labour")
    assert row["aliases"] == "/events/old-factories/; /old.html"
