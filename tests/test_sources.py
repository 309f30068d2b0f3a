"""``timeline sources check``: every answer a link can get, played by a local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main

from conftest import CONFIG, MakeSite, event_file
from linkserver import Played, link_server

CASES = ["ok", "no-head", "moved", "temporary", "gone-404", "gone-410", "busy", "unavailable",
         "broken", "hang", "to-home", "soft-title", "soft-english", "loop-a", "chain/0",
         "big"]


@pytest.fixture
def server() -> Iterator[tuple[str, Played]]:
    with link_server() as served:
        yield served


def sources_config(base: str) -> str:
    return CONFIG + (f'\n[sources]\navailability_url = "{base}/wayback/available"\n'
                     f'save_url = "{base}/save/"\ndelay = 0\ntimeout = 1\nsave_delay = 0\n'
                     # the tests' servers are on 127.0.0.1: allowed as an intranet is
                     'allow_private = true\n')


def source(url: str, archived: str = "", published: str = "2017-10-03") -> str:
    lines = f"  - publisher: Example News\n    url: {url}\n"
    if published:
        lines += f"    published: {published}\n"
    return lines + (f"    archived: {archived}\n" if archived else "")


def site_with(make_site: MakeSite, base: str, paths: list[str]) -> Path:
    files = {f"content/events/e{i:02d}.md":
             event_file(f"Event {i}", sources="sources:\n" + source(f"{base}/{p}"))
             for i, p in enumerate(paths)}
    return make_site(files, sources_config(base))


def lock_of(site: Path) -> dict[str, dict[str, object]]:
    data = json.loads((site / "content/sources.lock.json").read_text("utf-8"))
    assert data["version"] == 1
    links: dict[str, dict[str, object]] = data["links"]
    return links


def test_every_case_is_named_and_recorded(make_site: MakeSite, server: tuple[str, Played],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    site = site_with(make_site, base, CASES)
    assert main(["sources", "check", str(site)]) == 0
    out = capsys.readouterr().out.splitlines()
    lock = lock_of(site)
    status = {url.removeprefix(base + "/"): entry["status"] for url, entry in lock.items()}
    assert status == {
        "ok": "ok", "no-head": "ok", "moved": "redirected", "temporary": "ok",
        "gone-404": "gone", "gone-410": "gone", "busy": "ok", "unavailable": "ok",
        "broken": "error", "hang": "error", "to-home": "soft-404", "soft-title": "soft-404",
        "soft-english": "soft-404", "loop-a": "error", "chain/0": "error", "big": "ok"}
    assert lock[f"{base}/moved"]["final_url"] == f"{base}/ok"
    assert lock[f"{base}/moved"]["code"] == 301
    assert lock[f"{base}/gone-410"]["code"] == 410
    assert lock[f"{base}/loop-a"]["detail"] == "redirect loop"
    assert lock[f"{base}/chain/0"]["detail"] == "more than 10 redirects"
    assert lock[f"{base}/hang"]["detail"] == "timeout"
    assert lock[f"{base}/broken"]["detail"] == "HTTP 500"
    day = str(lock[f"{base}/ok"]["checked_at"])[:10]
    assert f"content/events/e04.md:7: sources[0].url: gone (404) since {day}; " \
        "archived copy: none" in out
    assert f"content/events/e02.md:7: sources[0].url: redirected (301) to {base}/ok: " \
        "adopt the new URL" in out
    assert f"content/events/e10.md:7: sources[0].url: soft 404 (200), redirected to the " \
        f"site's home page, since {day}; archived copy: none" in out
    assert out[-1] == ("16 links: 6 ok, 1 redirected, 2 gone, 3 soft 404, 4 errors "
                       "(16 checked now)")
    # Politeness: HEAD first, GET only where refused or to read a title; our name sent.
    methods = [(m, p) for m, p, _, _ in played.requests]
    assert ("HEAD", "/no-head") in methods and ("GET", "/no-head") in methods
    assert ("GET", "/gone-404") not in methods
    assert all(agent.startswith("timeline-generator/") for _, _, agent, _ in played.requests)
    busy = [t for m, p, _, t in played.requests if p == "/busy"]
    assert busy[1] - busy[0] >= 0.95  # Retry-After: 1 honoured
    assert played.counts["/chain/9"] == 1 and "/chain/12" not in played.counts


def test_strict_fails_on_a_dead_source_without_archived_copy(
        make_site: MakeSite, server: tuple[str, Played],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    site = make_site({
        "content/events/a.md": event_file("A", sources="sources:\n" + source(
            f"{base}/gone-404", archived=f"{base}/web/20171003000000/x")),
        "content/events/b.md": event_file("B", sources="sources:\n" + source(f"{base}/ok")),
    }, sources_config(base))
    assert main(["sources", "check", str(site), "--strict"]) == 0  # it has a copy
    assert f"archived copy: {base}/web/20171003000000/x" in capsys.readouterr().out
    (site / "content/events/b.md").write_text(
        event_file("B", sources="sources:\n" + source(f"{base}/gone-410")), "utf-8")
    assert main(["sources", "check", str(site), "--strict"]) == 1
    (site / "content/events/b.md").write_text(
        event_file("B", sources="sources:\n" + source(f"{base}/soft-title")), "utf-8")
    assert main(["sources", "check", str(site), "--strict"]) == 1
    (site / "content/events/b.md").write_text(
        event_file("B", sources="sources:\n" + source(f"{base}/broken")), "utf-8")
    assert main(["sources", "check", str(site), "--strict"]) == 0  # an error is not dead


def test_recent_checks_are_skipped_and_since_is_kept(
        make_site: MakeSite, server: tuple[str, Played],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    site = site_with(make_site, base, ["ok", "gone-404"])
    assert main(["sources", "check", str(site)]) == 0
    first = lock_of(site)
    count = len(played.requests)
    assert main(["sources", "check", str(site)]) == 0
    assert len(played.requests) == count  # nothing asked again within 7 days
    assert capsys.readouterr().out.splitlines()[-1].endswith(
        "(0 checked now, 2 checked recently and skipped)")
    lock = json.loads((site / "content/sources.lock.json").read_text("utf-8"))
    lock["links"][f"{base}/gone-404"]["since"] = "2026-01-02"
    (site / "content/sources.lock.json").write_text(json.dumps(lock), "utf-8")
    assert main(["sources", "check", str(site), "--older-than", "0"]) == 0
    assert len(played.requests) > count
    again = lock_of(site)
    assert again[f"{base}/gone-404"]["since"] == "2026-01-02"  # still gone: since kept
    assert again[f"{base}/ok"]["since"] == first[f"{base}/ok"]["since"]
    assert main(["sources", "check", str(site), "--older-than", "soon"]) == 1
    assert "--older-than: 'soon' is not an age like 7d, 12h, 30m or 0" in \
        capsys.readouterr().err


def test_no_network_is_not_a_dead_link(make_site: MakeSite,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    # Port 9 (discard) is closed on the test machine: nothing answers at all.
    site = site_with(make_site, "http://127.0.0.1:9", ["a", "b"])
    assert main(["sources", "check", str(site)]) == 1
    assert "no network: no host could be reached (no route or no DNS); nothing recorded" \
        in capsys.readouterr().err
    assert not (site / "content/sources.lock.json").exists()


@pytest.mark.parametrize("text,message", [
    ("{not json", "content/sources.lock.json:1: warning: is not valid JSON: ignored, and "
     "rebuilt by `timeline sources check`"),
    ('{"version": 9, "links": {}}', "content/sources.lock.json: warning: version: 9 is from "
     "a newer timeline (this one reads 1): ignored, and rebuilt by `timeline sources check`"),
])
def test_a_bad_lock_is_rebuilt_with_a_warning(make_site: MakeSite, server: tuple[str, Played],
                                              capsys: pytest.CaptureFixture[str], text: str,
                                              message: str) -> None:
    base, _ = server
    site = site_with(make_site, base, ["ok"])
    (site / "content/sources.lock.json").write_text(text, "utf-8")
    assert main(["sources", "check", str(site)]) == 0
    assert message in capsys.readouterr().err.splitlines()
    assert lock_of(site)[f"{base}/ok"]["status"] == "ok"


def test_a_site_without_sources_and_a_mailto_source(make_site: MakeSite,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    site = make_site({"content/events/a.md": event_file("A", sources=(
        "sources:\n  - publisher: A letter\n    url: mailto:desk@example.org\n"))})
    assert main(["sources", "check", str(site)]) == 0
    captured = capsys.readouterr()
    assert "content/events/a.md:7: sources[0].url: warning: 'mailto:desk@example.org' is " \
        "not an http(s) link: not checked" in captured.err
    assert captured.out == "no source links to check\n"
    empty = make_site({})
    assert main(["sources", "check", str(empty)]) == 0
    assert capsys.readouterr().out == "no source links to check\n"


def test_invalid_tls_is_an_error_not_gone(make_site: MakeSite, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import ssl
    import subprocess

    from linkserver import Handler, ThreadingHTTPServer

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                    "/CN=localhost", "-days", "1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    handler = type("TLSHandler", (Handler,), {"played": Played()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        site = site_with(make_site, f"https://127.0.0.1:{server.server_address[1]}", ["ok"])
        assert main(["sources", "check", str(site)]) == 0
    finally:
        server.shutdown()
        server.server_close()
    entry = next(iter(lock_of(site).values()))
    assert (entry["status"], entry["detail"]) == ("error", "TLS error")
    assert "sources[0].url: error (TLS error)" in capsys.readouterr().out


def _starts(played: Played, prefix: str) -> list[float]:
    return sorted(t for m, p, _, t in played.requests if p.startswith(prefix) and m == "HEAD")


def test_requests_to_one_host_wait_delay_seconds(make_site: MakeSite,
                                                 server: tuple[str, Played]) -> None:
    base, played = server
    site = site_with(make_site, base, ["gone-404?1", "gone-404?2", "gone-404?3"])
    config = site / "timeline.toml"
    config.write_text(config.read_text("utf-8").replace("delay = 0\n", "delay = 0.3\n"),
                      "utf-8")
    assert main(["sources", "check", str(site)]) == 0
    starts = _starts(played, "/gone-404")
    assert len(starts) == 3
    # Arrival times: the first request also waits for its connection to be made.
    assert all(b - a >= 0.2 for a, b in zip(starts, starts[1:], strict=False))
    assert starts[2] - starts[0] >= 0.55


@pytest.mark.parametrize("setting", ["per_host = 1", "concurrency = 1"])
def test_connections_are_limited(make_site: MakeSite, server: tuple[str, Played],
                                 setting: str) -> None:
    base, played = server
    site = site_with(make_site, base, ["slow/1", "slow/2"])
    (site / "timeline.toml").write_text(sources_config(base) + setting + "\n", "utf-8")
    assert main(["sources", "check", str(site)]) == 0
    first, second = _starts(played, "/slow/")
    assert second - first >= 0.39  # the second waited for the first answer (0.4 s)


def test_without_limits_slow_hosts_are_asked_at_once(make_site: MakeSite,
                                                     server: tuple[str, Played]) -> None:
    base, played = server
    site = site_with(make_site, base, ["slow/1", "slow/2"])
    assert main(["sources", "check", str(site)]) == 0
    first, second = _starts(played, "/slow/")
    assert second - first < 0.3


def test_a_bad_sources_setting_is_reported(make_site: MakeSite,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({}, CONFIG + '\n[sources]\ndelay = "fast"\nsave_url = "ftp://x/"\n'
                     "per_host = 0\n")
    assert main(["sources", "check", str(site)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "timeline.toml:8: sources.delay: expected a number, got str",
        "timeline.toml:9: sources.save_url: 'ftp://x/' is not an absolute http(s) URL",
        "timeline.toml:10: sources.per_host: must be 1 or more"]


def test_a_busy_host_does_not_hold_up_the_others(make_site: MakeSite,
                                                 server: tuple[str, Played]) -> None:
    base, played = server
    with link_server() as (other, other_played):
        site = make_site({
            "content/events/a.md": event_file("A", sources="sources:\n" + source(
                f"{base}/slow/1") + source(f"{base}/slow/2") + source(f"{base}/slow/3")),
            "content/events/b.md": event_file("B", sources="sources:\n" + source(
                f"{other}/ok")),
        }, sources_config(base) + "per_host = 1\nconcurrency = 2\n")
        assert main(["sources", "check", str(site)]) == 0
        first = _starts(played, "/slow/")[0]
        (elsewhere,) = _starts(other_played, "/ok")
    assert elsewhere - first < 0.3  # not after the first slow answer (0.4 s)


def test_an_interrupted_check_keeps_the_answers_it_got(make_site: MakeSite,
                                                       server: tuple[str, Played]) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    base, played = server
    played.hang = 30
    site = site_with(make_site, base, ["ok", "hang"])
    config = site / "timeline.toml"
    config.write_text(config.read_text("utf-8").replace("timeout = 1", "timeout = 60"),
                      "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen([sys.executable, "-m", "generator", "sources", "check",
                                str(site)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not (played.counts.get("/ok", 0) >= 2 and "/hang" in played.counts):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    time.sleep(0.3)  # the answer to /ok's GET is read
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert "interrupted: 1 of 2 links checked and recorded; run again to check the " \
        "others" in err
    assert list(lock_of(site)) == [f"{base}/ok"]


# Unit tests of generator/sources/check.py, called directly.

def test_parse_age() -> None:
    from generator.errors import SiteError
    from generator.sources.check import parse_age
    assert [parse_age(t) for t in ("7d", "12h", "30m", "2w", "0", "1.5", " 10S ")] == [
        604800, 43200, 1800, 1209600, 0, 129600, 10]
    with pytest.raises(SiteError) as caught:
        parse_age("a week")
    assert str(caught.value) == "--older-than: 'a week' is not an age like 7d, 12h, 30m or 0"
