"""``timeline sources archive`` against a fake Wayback Machine; ``rename-tag`` on a real site."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from generator.sources import archive

from conftest import MakeSite, event_file, parse_html
from linkserver import Played, link_server
from test_sources import sources_config

EVENT = (
    "\ufeff---\r\n"
    "# Kept: this comment, the quoting and the CRLF line ends.\r\n"
    "title: 'The factories close'\r\n"
    "date: \"2017-09-11\"\r\n"
    "tags: [Kaesong, \"labour\"]  # two tags\r\n"
    "sources:\r\n"
    "  - publisher: Example News   # the first\r\n"
    "    url: {base}/report-one\r\n"
    "    published: 2017-10-03\r\n"
    "  - {{publisher: \"Other Daily\", url: \"{base}/report-two\"}}\r\n"
    "---\r\n"
    "Body *as written*.\r\n")


@pytest.fixture
def server() -> Iterator[tuple[str, Played]]:
    with link_server() as served:
        yield served


def archive_site(make_site: MakeSite, base: str) -> Path:
    site = make_site({}, sources_config(base))
    path = site / "content/events/2017/factories.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(EVENT.format(base=base).encode("utf-8"))
    (site / "content/events/other.md").write_text(event_file("Other", sources=(
        f"sources:\n  - publisher: P\n    url: {base}/three\n    archived: {base}/web/1/x\n")),
        "utf-8")
    return site


def test_archive_writes_the_nearest_snapshot_and_nothing_else(
        make_site: MakeSite, server: tuple[str, Played],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    site = archive_site(make_site, base)
    path = site / "content/events/2017/factories.md"
    before = path.read_bytes()
    played.snapshots[f"{base}/report-one"] = \
        f"http://web.archive.org/web/20171003101010/{base}/report-one"
    played.snapshots[f"{base}/report-two"] = f"{base}/web/20170912000000/{base}/report-two"
    other = (site / "content/events/other.md").read_bytes()
    assert main(["sources", "archive", str(site)]) == 0
    one = f"https://web.archive.org/web/20171003101010/{base}/report-one"
    two = f"{base}/web/20170912000000/{base}/report-two"
    expected = before.replace(
        b"    published: 2017-10-03\r\n",
        f"    published: 2017-10-03\r\n    archived: {one}\r\n".encode()).replace(
        f'url: "{base}/report-two"}}'.encode(),
        f'url: "{base}/report-two", archived: {two}}}'.encode())
    assert path.read_bytes() == expected
    assert (site / "content/events/other.md").read_bytes() == other  # had one already
    out = capsys.readouterr().out.splitlines()
    assert out == [f"content/events/2017/factories.md:10: sources[0].archived: wrote {one}",
                   f"content/events/2017/factories.md:11: sources[1].archived: wrote {two}"]
    asked = [p for m, p, _, _ in played.requests if p.startswith("/wayback/")]
    assert any("timestamp=20171003" in p for p in asked)  # the source's published day
    assert any("timestamp=20170911" in p for p in asked)  # the event's day
    # A rerun has nothing left to do, and the site still builds.
    assert main(["sources", "archive", str(site)]) == 0
    assert capsys.readouterr().out == "every source with a web link has an archived copy\n"
    assert main(["build", str(site), "-q"]) == 0


def test_dry_run_prints_the_diff_and_writes_nothing(
        make_site: MakeSite, server: tuple[str, Played],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    site = archive_site(make_site, base)
    path = site / "content/events/2017/factories.md"
    before = path.read_bytes()
    played.snapshots[f"{base}/report-one"] = f"{base}/web/20171003101010/x"
    assert main(["sources", "archive", str(site), "--dry-run"]) == 0
    assert path.read_bytes() == before
    out = capsys.readouterr().out
    assert "--- a/content/events/2017/factories.md\n" in out
    assert f"+    archived: {base}/web/20171003101010/x\r\n" in out
    assert "content/events/2017/factories.md:10: sources[1].url: no archived copy found " \
        "(--save asks Save Page Now for one)" in out


def test_save_asks_for_a_capture_where_none_exists(
        make_site: MakeSite, server: tuple[str, Played],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    site = archive_site(make_site, base)
    assert main(["sources", "archive", str(site), "--save"]) == 0
    assert sorted(played.saves) == [f"{base}/report-one", f"{base}/report-two"]
    text = (site / "content/events/2017/factories.md").read_bytes().decode()
    assert f"    archived: {base}/web/20261201000000/{base}/report-one\r\n" in text


def test_a_file_edited_meanwhile_is_skipped(make_site: MakeSite, server: tuple[str, Played],
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    base, played = server
    site = archive_site(make_site, base)
    path = site / "content/events/2017/factories.md"
    played.snapshots[f"{base}/report-one"] = f"{base}/web/20171003101010/x"
    found = archive.find_copy

    async def edit_then_find(run: archive.Run, link: archive.Link) -> object:
        path.write_bytes(path.read_bytes() + b"An editor's new line.\r\n")
        return await found(run, link)

    monkeypatch.setattr(archive, "find_copy", edit_then_find)
    assert main(["sources", "archive", str(site)]) == 1
    assert "content/events/2017/factories.md: changed since it was read: skipped (run the " \
        "command again)" in capsys.readouterr().err
    assert b"archived" not in path.read_bytes()
    assert path.read_bytes().endswith(b"An editor's new line.\r\n" * 2)


def test_no_archive_reachable_writes_nothing(make_site: MakeSite,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    site = archive_site(make_site, "http://127.0.0.1:9")
    before = (site / "content/events/2017/factories.md").read_bytes()
    assert main(["sources", "archive", str(site)]) == 1
    assert "no network: the archive could not be reached; nothing written" in \
        capsys.readouterr().err
    assert (site / "content/events/2017/factories.md").read_bytes() == before


def test_rename_tag_rewrites_only_the_tag(make_site: MakeSite,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    base = "https://example.org"
    site = archive_site(make_site, base)
    (site / "content/events/third.md").write_text(
        "---\ntitle: Third\ndate: 2018\ntags:\n  - kaesong   # lower case, same tag page\n"
        "  - labour\nsources:\n  - publisher: P\n    url: https://example.org/3\n---\nx\n",
        "utf-8")
    factories = site / "content/events/2017/factories.md"
    before = factories.read_bytes()
    other = (site / "content/events/other.md").read_bytes()
    assert main(["rename-tag", "Kaesong", "Kaesong Industrial Complex", str(site)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "content/events/2017/factories.md", "content/events/third.md",
        "content/renamed-tags.yaml",
        "renamed 'Kaesong' to 'Kaesong Industrial Complex' in 2 events"]
    assert factories.read_bytes() == before.replace(
        b"tags: [Kaesong,", b'tags: ["Kaesong Industrial Complex",')
    assert (site / "content/events/third.md").read_text("utf-8").startswith(
        "---\ntitle: Third\ndate: 2018\ntags:\n  - \"Kaesong Industrial Complex\"   # lower")
    assert (site / "content/events/other.md").read_bytes() == other
    assert main(["build", str(site), "-q"]) == 0
    assert (site / "site/tags/kaesong-industrial-complex/index.html").is_file()
    assert [p.name for p in (site / "site/tags/kaesong").iterdir()] == ["index.html"]
    old = parse_html(site / "site/tags/kaesong/index.html")  # a redirect, no tag page
    assert old.xpath("//meta[@http-equiv='refresh']/@content") == [
        "0; url=../../tags/kaesong-industrial-complex/"]


def test_save_requests_wait_save_delay(make_site: MakeSite, server: tuple[str, Played],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The requests leave ``save_delay`` apart (timed as they leave: on a busy machine the
    server may take in the first one late)."""
    base, played = server
    site = archive_site(make_site, base)
    config = site / "timeline.toml"
    config.write_text(config.read_text("utf-8").replace("save_delay = 0", "save_delay = 0.5"),
                      "utf-8")
    sent: list[float] = []
    get = archive._get

    async def timed(run: archive.Run, url: str) -> object:
        if url.startswith(run.config.save_url):
            sent.append(time.monotonic())
        return await get(run, url)

    monkeypatch.setattr(archive, "_get", timed)
    assert main(["sources", "archive", str(site), "--save"]) == 0
    assert len([p for _, p, _, _ in played.requests if p.startswith("/save/")]) == 2
    assert len(sent) == 2 and sent[1] - sent[0] >= 0.49


def test_a_bare_url_source_is_left_alone(make_site: MakeSite, server: tuple[str, Played],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    site = make_site({"content/events/a.md": event_file("A", sources=(
        f"sources:\n  - {base}/bare\n"))}, sources_config(base))
    before = (site / "content/events/a.md").read_bytes()
    played.snapshots[f"{base}/bare"] = f"{base}/web/20171003000000/{base}/bare"
    assert main(["sources", "archive", str(site)]) == 0
    assert (site / "content/events/a.md").read_bytes() == before
    assert f"content/events/a.md:6: sources[0].url: archived copy {base}/web/20171003000000/" \
        f"{base}/bare not written: this short citation has no fields; write it as " \
        "publisher:, url:" in capsys.readouterr().err


def test_a_killed_run_leaves_whole_files_and_the_next_one_goes_on(
        make_site: MakeSite, server: tuple[str, Played]) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    base, played = server
    site = make_site({f"content/events/e{i}.md": event_file(f"E{i}", sources=(
        f"sources:\n  - publisher: P\n    url: {base}/r{i}\n")) for i in range(3)},
        sources_config(base))
    for i in range(3):
        played.snapshots[f"{base}/r{i}"] = f"{base}/web/20171003000000/{base}/r{i}"
    played.slow = {f"{base}/r1", f"{base}/r2"}
    played.hang = 30
    folder = site / "content/events"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen([sys.executable, "-m", "generator", "sources", "archive",
                                str(site)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while b"archived" not in (folder / "e0.md").read_bytes():
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert sorted(p.name for p in folder.iterdir()) == ["e0.md", "e1.md", "e2.md"]  # no temp
    assert (folder / "e1.md").read_bytes() == before["e1.md"]
    assert (folder / "e0.md").read_bytes() == before["e0.md"].replace(
        b"    url: " + f"{base}/r0\n".encode(),
        f"    url: {base}/r0\n    archived: {base}/web/20171003000000/{base}/r0\n".encode())
    played.slow = set()
    assert main(["sources", "archive", str(site)]) == 0
    assert all(b"    archived: " in p.read_bytes() for p in folder.iterdir())
    assert main(["build", str(site), "-q"]) == 0


def test_a_site_without_sources_has_nothing_to_archive(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "archive", str(make_site({}))]) == 0
    assert capsys.readouterr().out == "every source with a web link has an archived copy\n"


def test_ctrl_c_says_what_is_left(make_site: MakeSite, server: tuple[str, Played]) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    base, played = server
    site = archive_site(make_site, base)
    played.slow, played.hang = {f"{base}/report-one"}, 30
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen([sys.executable, "-m", "generator", "sources", "archive",
                                str(site)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not played.counts.get("/wayback/available"):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert err.splitlines()[-1] == ("interrupted: the files written so far are whole; run "
                                    "again to go on")


def test_rename_tag_refuses_a_tag_without_a_url(make_site: MakeSite,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("A")})
    before = (site / "content/events/a.md").read_bytes()
    assert main(["rename-tag", "alpha", "!!!", str(site)]) == 1
    assert capsys.readouterr().err == "rename-tag: NEW: '!!!' gives no usable tag URL\n"
    assert main(["rename-tag", "alpha", "alpha", str(site)]) == 0
    assert capsys.readouterr().out == "renamed 'alpha' to 'alpha' in 0 events\n"
    assert (site / "content/events/a.md").read_bytes() == before
