"""A sheet that stays in sync: each event's id (its slug) in every export, import matching on
it, rows without one that look like an event already there held back, and a published
sheet read over HTTP."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import frontmatter
import pytest

from generator.cli import main
from generator.errors import SiteError
from generator.interop.remote import fetch_sheet, is_address

from conftest import MakeSite, event_file

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


def exported_ids(site: Path, out: Path, capsys: pytest.CaptureFixture[str]
                 ) -> dict[str, list[str]]:
    """The id of each event in events.csv, timelinejs.json and ``list --format csv``."""
    assert main(["build", str(site), "-o", str(out), "--no-cache", "-q"]) == 0
    rows = list(csv.DictReader(io.StringIO((out / "events.csv").read_text("utf-8-sig"))))
    slides = json.loads((out / "timelinejs.json").read_text("utf-8"))["events"]
    capsys.readouterr()
    assert main(["list", str(site), "--format", "csv"]) == 0
    listed = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    return {"events.csv": [r["slug"] for r in rows],
            "timelinejs.json": [s["unique_id"] for s in slides],
            "list": [r["slug"] for r in listed]}


def test_every_export_keeps_an_events_id_when_its_title_and_date_change(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/2017-09-11-talks.md": event_file("Talks"),
                      "content/events/2018-01-01-visit.md": event_file("Visit", "2018-01-01")})
    before = exported_ids(site, tmp_path / "a", capsys)
    ids = ["2017-09-11-talks", "2018-01-01-visit"]
    assert before == {"events.csv": ids, "timelinejs.json": ids, "list": ids}
    (site / "content/events/2017-09-11-talks.md").write_text(
        event_file("Talks resume", "2017-09-12"), "utf-8")
    assert exported_ids(site, tmp_path / "b", capsys) == before


def test_a_sheet_with_an_id_column_updates_the_event_in_place(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The TimelineJS template with an ``id`` column: headline and date both changed, the
    row is still its event, and only those two lines of the file change."""
    site = make_site({})
    header = [*HEADER, "id"]
    assert main(["import", str(sheet(tmp_path / "a.csv", [[*ROW, "apollo-11"]], header)),
                 str(site)]) == 0
    path = site / "content/events/apollo-11.md"
    text = path.read_text("utf-8")
    assert "slug: apollo-11\n" in text
    edited = sheet(tmp_path / "b.csv", [["1969", "7", "21", "Apollo 11 lands on the Moon",
                                         "<p>Other words.</p>", *ROW[5:], "apollo-11"]],
                   header)
    capsys.readouterr()
    assert main(["import", str(edited), str(site), "--update"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[:3] == [f"updated {path}:",
                                    '  ~ title: "Apollo 11 lands" → "Apollo 11 lands on the '
                                    'Moon"', '  ~ date: "1969-07-20" → "1969-07-21"']
    assert events(site) == ["apollo-11.md"]
    after = path.read_text("utf-8")
    assert after == text.replace("title: Apollo 11 lands\n",
                                 "title: Apollo 11 lands on the Moon\n").replace(
        "date: '1969-07-20'\n", "date: '1969-07-21'\n").replace(
        "The lunar module lands.", "Other words.")


def test_the_former_id_of_a_renamed_event_finds_it(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An editor renamed ``apollo-11.md`` to ``moon-landing.md`` keeping its old address in
    ``aliases``: the sheet, made before, still names it ``apollo-11``."""
    site = make_site({"content/events/moon-landing.md": event_file(
        "Apollo 11 lands", "1969-07-20", extra="aliases: [/events/apollo-11/]\n")})
    rows = [["1969-07-20", "Apollo 11 lands on the Moon", "apollo-11",
             "https://example.org/report", "Example News"]]
    plain = sheet(tmp_path / "plain.csv", rows,
                  ["date", "title", "id", "source_url", "source_publisher"])
    assert main(["import", str(plain), str(site), "--update"]) == 0
    path = site / "content/events/moon-landing.md"
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"updated {path}:", '  ~ title: "Apollo 11 lands" → "Apollo 11 lands on the Moon"']
    assert events(site) == ["moon-landing.md"]
    assert path.read_text("utf-8").startswith('---\ntitle: Apollo 11 lands on the Moon\n')


def test_update_holds_back_a_row_whose_title_is_close_and_says_so(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Neither text nor image to go by, only a headline with a typo fixed: not sure enough
    to rewrite an event, sure enough not to write a second one."""
    site = make_site({})
    bare = ["1969", "7", "20", "Apolo 11 lands", "", "", "", "space"]
    assert main(["import", str(sheet(tmp_path / "a.csv", [bare])), str(site)]) == 0
    path = site / "content/events/1969-07-20-apolo-11-lands.md"
    fixed = sheet(tmp_path / "b.csv", [[*bare[:3], "Apollo 11 lands", *bare[4:]]])
    capsys.readouterr()
    assert main(["import", str(fixed), str(site), "--update"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{fixed}:2: warning: id: probable duplicate of {path} (same date, close title): "
        "not written; give the row its id 1969-07-20-apolo-11-lands to update it (with "
        "--update), or an id of its own to add it"]
    assert events(site) == [path.name]
    with_id = sheet(tmp_path / "c.csv", [[*bare[:3], "Apollo 11 lands", *bare[4:],
                                          "1969-07-20-apolo-11-lands"]], [*HEADER, "id"])
    assert main(["import", str(with_id), str(site), "--update"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        f"updated {path}:", '  ~ title: "Apolo 11 lands" → "Apollo 11 lands"']


def test_events_csv_edited_in_a_spreadsheet_updates_its_events(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The site's own events.csv is the sheet to keep: its ``slug`` column is the id."""
    site = make_site({"content/events/2017-09-11-talks.md": event_file("Talks"),
                      "content/events/2018-01-01-visit.md": event_file("Visit", "2018-01-01")})
    out = tmp_path / "out"
    assert main(["build", str(site), "-o", str(out), "--no-cache", "-q"]) == 0
    text = (out / "events.csv").read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][rows[0].index("title")] = "Talks resume"
    rows[1][rows[0].index("date")] = "2017-09-12"
    edited = sheet(tmp_path / "edited.csv", rows[1:2], rows[0])  # the visit's row deleted
    talks = site / "content/events/2017-09-11-talks.md"
    before = talks.read_text("utf-8")
    capsys.readouterr()
    assert main(["import", str(edited), str(site), "--update"]) == 0
    said = capsys.readouterr()
    assert said.err == ""
    assert said.out.splitlines()[-1] == (f"{edited}: 0 events written, 1 updated, 0 already "
                                         "there, 0 skipped, 0 failed")
    assert talks.read_text("utf-8") == before.replace('"Talks"', "Talks resume").replace(
        '"2017-09-11"', "'2017-09-12'")
    assert events(site) == ["2017-09-11-talks.md", "2018-01-01-visit.md"]  # none deleted


SHEET_CSV = (b"Year,Month,Day,Headline,Text,Media,Alt Text,Group,id\r\n"
             b"1969,7,20,Apollo 11 lands,<p>The lunar module lands.</p>,"
             b"https://example.org/eagle.jpg,The lunar module,space,apollo-11\r\n")
ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/pub.csv": (200, {"Content-Type": "text/csv; charset=utf-8"}, SHEET_CSV),
    "/timeline.json": (200, {"Content-Type": "application/json"},
                       b'{"events": [{"unique_id": "moon", "start_date": {"year": 1969}, '
                       b'"text": {"headline": "Landing", "text": '
                       b'"<a href=\\"https://e.org/a\\">a</a>"}}]}'),
    "/redirect": (307, {"Location": "/pub.csv"}, b""),
    "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
    "/private": (404, {"Content-Type": "text/html"}, b"<html>Not found</html>"),
    "/sign-in": (200, {"Content-Type": "text/html; charset=utf-8"}, b"<!doctype html><p>Sign in"),
    "/disguised": (200, {"Content-Type": "text/plain"}, b"\n<!DOCTYPE html><html></html>"),
    "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG"),
    "/huge": (200, {"Content-Type": "text/csv"}, b"date,title\n" + b"x" * (21 * 1024 * 1024)),
    "/slow": (200, {"Content-Type": "text/csv"}, SHEET_CSV),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802  # http.server's name
        if self.path == "/slow":
            time.sleep(3)
        status, headers, body = ROUTES[self.path]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the importer stopped reading
            pass

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def test_a_published_sheet_is_read_from_its_address(
        make_site: MakeSite, server: str, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    url = f"{server}/redirect"  # as Google's address, answered after a redirect
    assert main(["import", url, str(site), "--update"]) == 0
    path = site / "content/events/apollo-11.md"
    out = capsys.readouterr().out.splitlines()
    assert out == [f"wrote {path}", f"{url}: 1 event written, 0 updated, 0 already there, "
                   "0 skipped, 0 failed"]
    post = frontmatter.loads(path.read_text("utf-8"))
    assert (post["title"], post["date"], post["slug"]) == ("Apollo 11 lands", "1969-07-20",
                                                           "apollo-11")
    assert main(["import", url, str(site), "--update"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{url}: 0 events written, 0 updated, 1 already there, 0 skipped, 0 failed"]


@pytest.mark.parametrize(("route", "message"), [
    ("/private", "HTTP 404 Not Found: is the sheet published to the web as CSV?"),
    ("/sign-in", "answered with an HTML page, not CSV: publish the sheet to the web as "
                 "comma-separated values and give that address"),
    ("/disguised", "answered with an HTML page, not CSV: publish the sheet to the web as "
                   "comma-separated values and give that address"),
    ("/image", "answered with image/png, not CSV: publish the sheet to the web as "
               "comma-separated values and give that address"),
    ("/to-file", "redirected to a file: address: only http and https are followed"),
    ("/huge", "larger than 20 MB: not read"),
])
def test_an_address_that_gives_no_sheet_is_one_line(
        make_site: MakeSite, server: str, route: str, message: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["import", server + route, str(site), "--update"]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"{server}{route}: {message}\n")
    assert not (site / "content").exists()


def test_an_address_that_does_not_answer_in_time(server: str) -> None:
    with pytest.raises(SiteError) as caught:
        fetch_sheet(f"{server}/slow", timeout=0.5)
    assert str(caught.value) == f"{server}/slow: no answer within 0.5 seconds"


def test_only_http_and_https_addresses(make_site: MakeSite,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["import", "ftp://127.0.0.1/pub.csv", str(site)]) == 1
    assert capsys.readouterr().err == ("ftp://127.0.0.1/pub.csv: only http:// and https:// "
                                       "addresses can be imported\n")
    assert not is_address("C:\\sheets\\events.csv")


def test_a_timelinejs_file_is_read_from_its_address(
        make_site: MakeSite, server: str, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["import", f"{server}/timeline.json", str(site)]) == 0
    post = frontmatter.loads((site / "content/events/moon.md").read_text("utf-8"))
    assert (post["title"], post["sources"]) == ("Landing", [{"publisher": "e.org",
                                                             "title": "a",
                                                             "url": "https://e.org/a"}])
