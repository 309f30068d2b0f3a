"""``timeline import --update``: a Sheet edited and imported again; the plain CSV's media and
source columns; what the importer makes of Commons pages and images without alt text."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from generator.check import check_site
from generator.cli import main
from generator.interop.cells import media_cell, media_from
from generator.interop.reading import EXTRA_COLUMNS, PLAIN_COLUMNS, SHORT_NAMES
from generator.site.exports import CSV_COLUMNS

from conftest import REPO, MakeSite

HEADER = ["Year", "Month", "Day", "Headline", "Text", "Media", "Media Credit",
          "Media Caption", "Alt Text", "Group"]


def sheet(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    return path


ROW = ["1969", "7", "20", "Apollo 11 lands", "<p>The lunar module lands.</p>",
       "https://example.org/eagle.jpg", "NASA", "Eagle on the Moon", "The lunar module",
       "space"]
EVENT = "content/events/1969-07-20-apollo-11-lands.md"


def test_reimport_reports_changes_and_update_rewrites_only_those_fields(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    first = sheet(tmp_path / "sheet.csv", [ROW])
    assert main(["import", str(first), str(site)]) == 0
    path = site / EVENT
    # The editor adds a field the Sheet does not carry, and a comment, by hand.
    text = path.read_text("utf-8").replace("status: reported\n",
                                           "status: confirmed\n# checked by the desk\n"
                                           "places: [Sea of Tranquility]\n")
    path.write_text(text, "utf-8")
    edited = sheet(tmp_path / "edited.csv", [[*ROW[:5], "https://example.org/eagle-2.jpg",
                                              "NASA/JSC", "Eagle, after landing", *ROW[8:]]])
    capsys.readouterr()
    assert main(["import", str(edited), str(site)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == (f"{edited}: 0 events written, 1 changed (not updated: "
                                    "--update rewrites them), 0 already there, 0 skipped, "
                                    "0 failed")
    assert err.splitlines() == [f"{edited}:2: warning: {path} differs in media: not changed "
                                "(--update rewrites these fields)"]
    assert path.read_text("utf-8") == text  # nothing lost without a word, nothing written

    assert main(["import", str(edited), str(site), "--update"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"updated {path}:"
    assert out[1:4] == [
        '  ~ media[0].src: "https://example.org/eagle.jpg" → "https://example.org/eagle-2.jpg"',
        '  ~ media[0].caption: "Eagle on the Moon" → "Eagle, after landing"',
        '  ~ media[0].credit: "NASA" → "NASA/JSC"']
    assert out[-1] == f"{edited}: 0 events written, 1 updated, 0 already there, 0 skipped, " \
        "0 failed"
    after = path.read_text("utf-8")
    post = frontmatter.loads(after)
    assert post["media"] == [{"src": "https://example.org/eagle-2.jpg",
                              "alt": "The lunar module", "caption": "Eagle, after landing",
                              "credit": "NASA/JSC"}]
    assert post["places"] == ["Sea of Tranquility"]  # added by hand: kept
    assert post["status"] == "confirmed"  # the Sheet has no status: the editor's stays
    assert "# checked by the desk\n" in after
    # Everything but the media lines is byte for byte as it was.
    assert after.split("media:")[0] == text.split("media:")[0]
    assert after.split("---\n", 2)[2] == text.split("---\n", 2)[2]
    capsys.readouterr()
    assert main(["import", str(edited), str(site), "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith(
        "0 events written, 0 updated, 1 already there, 0 skipped, 0 failed")


def test_update_matches_by_unique_id_when_title_and_date_changed(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    first = tmp_path / "a.json"
    first.write_text('{"events": [{"unique_id": "moon", "start_date": {"year": 1969},'
                     ' "text": {"headline": "Landing", "text": "<a href=\\"https://e.org/a\\">'
                     'a</a>"}}]}', "utf-8")
    assert main(["import", str(first), str(site)]) == 0
    path = site / "content" / "events" / "moon.md"
    again = tmp_path / "b.json"
    again.write_text(first.read_text("utf-8").replace('"year": 1969', '"year": 1970')
                     .replace("Landing", "Moon landing"), "utf-8")
    capsys.readouterr()
    assert main(["import", str(again), str(site), "--update"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [f"updated {path}:", '  ~ title: "Landing" → "Moon landing"',
                       '  ~ date: "1969" → "1970"']
    assert frontmatter.loads(path.read_text("utf-8"))["title"] == "Moon landing"
    assert sorted(p.name for p in path.parent.iterdir()) == ["moon.md"]


def test_plain_csv_reads_media_and_every_source_column(make_site: MakeSite, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    site = make_site({"static/images/gate.jpg": "(an image)"})
    rows = [["date", "title", "tags", "source_url", "source_publisher", "source_author",
             "via", "source_archived", "language", "media", "aliases"],
            ["2017-09-11", "Gate closes", "border", "https://a.org/1\nhttps://b.org/2",
             "A News\nB Daily", "Kim\n", "\nYonhap", "https://web.archive.org/a\n", "ko\nen",
             "images/gate.jpg | The gate, closed | At dawn \\| day one | Desk | 640x480\n"
             "https://c.org/x.png", "/events/gate/; /gate.html"]]
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    file = tmp_path / "events.csv"
    file.write_text(out.getvalue(), "utf-8")
    assert main(["import", str(file), str(site)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{file}:2: warning: media: 'https://c.org/x.png' has no alt text: describe the image "
        "in the written file's media alt"]
    post = frontmatter.loads((site / "content/events/2017-09-11-gate-closes.md")
                             .read_text("utf-8"))
    assert post["sources"] == [
        {"publisher": "A News", "url": "https://a.org/1", "language": "ko",
         "archived": "https://web.archive.org/a", "author": "Kim"},
        {"publisher": "B Daily", "url": "https://b.org/2", "language": "en", "via": "Yonhap"}]
    assert post["aliases"] == ["/events/gate/", "/gate.html"]
    assert post["media"] == [
        {"src": "images/gate.jpg", "alt": "The gate, closed", "caption": "At dawn | day one",
         "credit": "Desk", "width": 640, "height": 480},
        {"src": "https://c.org/x.png",
         "alt": "TODO: describe the image for readers who cannot see it"}]
    warnings = [str(p) for p in check_site(site)]
    lines = (site / "content/events/2017-09-11-gate-closes.md").read_text("utf-8").splitlines()
    line = lines.index("  alt: 'TODO: describe the image for readers who cannot see it'") + 1
    assert (f"content/events/2017-09-11-gate-closes.md:{line}: warning: media[1].alt: placeholder "
            "'TODO: describe the image for readers who cannot see it': replace it before "
            "publishing") in warnings


def test_media_cell_round_trips() -> None:
    media = [{"src": "a.jpg", "alt": "A | B", "caption": "", "credit": "Desk", "width": 640},
             {"src": "https://x.org/b.png", "alt": "B"}]
    cell = media_cell(media)
    assert cell == "a.jpg | A \\| B |  | Desk | 640x\nhttps://x.org/b.png | B"
    assert media_from(cell) == ([{"src": "a.jpg", "alt": "A | B", "credit": "Desk",
                                  "width": 640}, {"src": "https://x.org/b.png", "alt": "B"}],
                                [])


def test_every_exported_csv_column_is_read_back() -> None:
    """events.csv is the plain CSV import reads: a column it writes must not be ignored."""
    known = set(PLAIN_COLUMNS + EXTRA_COLUMNS) | set(SHORT_NAMES)
    assert [c for c in CSV_COLUMNS if c not in known] == []
    assert {"media", "source_archived", "source_language", "source_via", "source_author",
            "archived", "language", "via", "author"} <= known


def test_commons_description_page_becomes_a_source(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({})
    page = "https://commons.wikimedia.org/wiki/File:Kaesong_Industrial_Region.jpg"
    file = sheet(tmp_path / "s.csv", [["2016", "2", "10", "Kaesong closes", "", page,
                                       "Photo: Kim", "The park", "", "kaesong"]])
    assert main(["import", str(file), str(site)]) == 0
    post = frontmatter.loads((site / "content/events/2016-02-10-kaesong-closes.md")
                             .read_text("utf-8"))
    assert "media" not in post.metadata
    assert post["sources"] == [{"publisher": "commons.wikimedia.org", "title": "The park",
                                "url": page, "author": "Photo: Kim"}]


def test_an_update_that_would_break_the_event_is_refused(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["import", str(sheet(tmp_path / "a.csv", [ROW])), str(site)]) == 0
    before = (site / EVENT).read_text("utf-8")
    broken = sheet(tmp_path / "b.csv", [[*ROW[:5], "http://example.org/eagle.jpg", *ROW[6:]]])
    capsys.readouterr()
    assert main(["import", str(broken), str(site), "--update"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{broken}:2: media[0].src: {site / EVENT} would not build once updated: "
        "'http://example.org/eagle.jpg' cannot be shown: the pages allow images from https:// "
        "addresses and the site's own files only (Content-Security-Policy img-src 'self' "
        "https: data:); use https:// or copy it into static/"]
    assert (site / EVENT).read_text("utf-8") == before


# Unit tests of generator/interop/updates.py: what differs, and rewriting it in place.

def test_changes_and_their_lines() -> None:
    from generator.content.header import parse
    from generator.interop.slides import Draft
    from generator.interop.updates import Change, carried, changes
    text = ("---\ntitle: Old\ndate: 2017-09-11\nstatus: reported\nsources:\n"
            "  - publisher: P\n    url: https://p.test/\n---\nOld body.\n")
    fm, _ = parse("a.md", text)
    assert fm is not None
    draft = Draft(1, {"title": "New", "date": "2017-09-11", "status": "reported",
                      "sources": [{"publisher": "P", "url": "https://p.test/", "via": "V"}]},
                  "New body, longer.", assumed={"status"})
    assert carried(draft) == ["title", "date", "sources", "body"]
    found = changes(fm, draft)
    assert [c.field for c in found] == ["title", "sources", "body"]
    assert [line for c in found for line in c.lines()] == [
        '  ~ title: "Old" → "New"', '  + sources[0].via: "V"', "  ~ body: 9 → 17 characters"]
    assert Change("tags", ["a"], None).lines() == ['  ~ tags: ["a"] → null']


def test_apply_rewrites_only_the_changed_fields() -> None:
    from generator.content.header import parse
    from generator.interop.slides import Draft
    from generator.interop.updates import apply, changes
    text = ("---\n# kept comment\ntitle: Old  # note\ndate: 2017-09-11\n\n# before tags\n"
            "tags: [a]\n---\nBody.\n")
    fm, _ = parse("a.md", text)
    assert fm is not None
    draft = Draft(1, {"title": "New", "date": "2017-09-11", "tags": ["a"],
                      "summary": "S"}, "Body.")
    new = apply("a.md", text, draft, changes(fm, draft))
    assert new == ("---\n# kept comment\ntitle: New\ndate: 2017-09-11\n\n# before tags\n"
                   "tags: [a]\nsummary: S\n---\nBody.\n")
    assert apply("a.md", "no front-matter", draft, []) is None


def test_sheet_reimport_after_a_headline_edit_updates_only_the_headline(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The Sheet has no id column: a row whose headline changed is the event of its date
    with the same text or image; the editor's own alt text is never replaced."""
    site = make_site({})
    no_alt = [*ROW[:8], "", ROW[9]]
    assert main(["import", str(sheet(tmp_path / "a.csv", [no_alt])), str(site)]) == 0
    path = site / EVENT
    written = path.read_text("utf-8")
    assert "alt: 'TODO: describe the image for readers who cannot see it'\n" in written
    assert "Eagle on the Moon" not in written.split("caption:")[0]  # the caption is no alt
    text = written.replace("'TODO: describe the image for readers who cannot see it'",
                           "The lunar module, legs out, on grey dust")
    path.write_bytes(text.replace("\n", "\r\n").encode())  # saved on Windows
    edited = sheet(tmp_path / "b.csv", [[*no_alt[:3], "Apollo 11 lands on the Moon",
                                         *no_alt[4:]]])
    capsys.readouterr()
    assert main(["import", str(edited), str(site), "--update"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"updated {path}:", '  ~ title: "Apollo 11 lands" → "Apollo 11 lands on the '
                   'Moon"', f"{edited}: 0 events written, 1 updated, 0 already there, "
                   "0 skipped, 0 failed"]
    assert path.read_bytes() == text.replace("title: Apollo 11 lands\n",
                                             "title: Apollo 11 lands on the Moon\n").replace(
        "\n", "\r\n").encode()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_row_without_id_that_matches_nothing_is_said(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["import", str(sheet(tmp_path / "a.csv", [ROW])), str(site)]) == 0
    other = sheet(tmp_path / "b.csv", [[*ROW[:3], "Another headline", "<p>Other text.</p>",
                                        "", "", "", "", ""]])
    capsys.readouterr()
    assert main(["import", str(other), str(site), "--update"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{other}:2: warning: no id (unique_id) and no event of the same title and date: "
        f"written as a new event, though {site / EVENT} has its date"]


def test_an_update_that_cannot_be_written_leaves_the_file_whole(
        make_site: MakeSite, tmp_path: Path) -> None:
    """A file-size limit (``ulimit -f``) hit half-way: the file is as it was, not cut."""
    site = make_site({})
    assert main(["import", str(sheet(tmp_path / "a.csv", [ROW])), str(site)]) == 0
    path = site / EVENT
    padded = path.read_text("utf-8").replace("status:", "# The desk's notes. " * 250
                                             + "\nstatus:")
    path.write_text(padded, "utf-8")
    size = path.stat().st_size
    assert size > 4096
    edited = sheet(tmp_path / "b.csv", [[*ROW[:6], "NASA/JSC", *ROW[7:]]])
    script = ("import resource, sys\nfrom generator.cli import main\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))\n"
              "sys.exit(main(sys.argv[1:]))\n")
    done = subprocess.run([sys.executable, "-c", script, "import", str(edited), str(site),
                           "--update"], cwd=REPO, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{edited}:2: {path} not rewritten: the file-size limit is reached; the file is as "
        "it was"]
    assert path.read_text("utf-8") == padded
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_update_understands_a_folded_title_and_keeps_the_rest(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ("---\ntitle: >-\n  A title folded\n  over two lines\ndate: 2017\n"
            "tags:\n  - |\n    block tag\n# the desk checked this\n"
            "sources:\n  - publisher: P\n    url: https://example.org/p\n---\nBody.\n")
    site = make_site({"content/events/folded.md": text})
    file = tmp_path / "e.csv"
    file.write_text("slug,date,title,tags,source_publisher,source_url,body\nfolded,2017,"
                    "A new title,block tag,P,https://example.org/p,Body.\n", "utf-8")
    assert main(["import", str(file), str(site), "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"updated {site / 'content/events/folded.md'}:",
        '  ~ title: "A title folded over two lines" → "A new title"']
    assert (site / "content/events/folded.md").read_text("utf-8") == text.replace(
        ">-\n  A title folded\n  over two lines\n", "A new title\n")


def test_eras_are_added_to_a_crlf_file_with_a_bom_as_it_is(make_site: MakeSite,
                                                          tmp_path: Path) -> None:
    before = "\ufeff# Our periods\r\n- title: Old era\r\n  start: '1900'\r\n  end: '1910'\r\n"
    site = make_site({})
    (site / "content").mkdir()
    eras = site / "content/eras.yaml"
    eras.write_bytes(before.encode())
    file = tmp_path / "t.json"
    file.write_text('{"events": [], "eras": [{"start_date": {"year": 1947}, "end_date": '
                    '{"year": 1991}, "text": {"headline": "Cold War"}}]}', "utf-8")
    assert main(["import", str(file), str(site)]) == 0
    after = eras.read_bytes()
    assert after.startswith(before.encode())
    assert after.count(b"\n") == after.count(b"\r\n")  # every line ends as the editor's do
    assert [p.name for p in eras.parent.iterdir()] == ["eras.yaml"]
    from generator.content.loading import load_eras
    assert [e.title for e in load_eras(site)[0]] == ["Old era", "Cold War"]
