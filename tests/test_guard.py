"""``timeline sources check`` on contributed links: it never reaches inside the network it
runs in (first request, redirects, names that resolve inside), sends no credentials or
cookies, reads no more than a capped body, and stops at its deadline. Served locally."""

from __future__ import annotations

import asyncio
import json
import re
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from generator.sources import guard
from generator.sources.fetch import BODY_LIMIT, polite_client
from generator.toml_tables import SourcesConfig

from conftest import MakeSite, event_file
from linkserver import Played, link_server
from test_sources import lock_of, site_with, source, sources_config

ALLOWED = "allow_private = true\n"


@pytest.fixture
def server() -> Iterator[tuple[str, Played]]:
    with link_server() as served:
        yield served


def public_config(base: str) -> str:
    """The tests' [sources] table without ``allow_private``: the default, public only."""
    text = sources_config(base)
    assert ALLOWED in text
    return text.replace(ALLOWED, "")


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("fc00::1", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link-local"), ("64:ff9b::7f00:1", "loopback"),
    ("2002:7f00:1::1", "loopback"), ("100.64.0.1", "non-public"),
    ("240.0.0.1", "private"), ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),  # noqa: S104 (not a binding)
    ("93.184.215.14", None), ("2606:4700::1", None), ("8.8.8.8", None),
])
def test_which_addresses_are_refused(address: str, kind: str | None) -> None:
    assert guard.refusal(address) == kind
    allowed = kind if kind in ("multicast", "unspecified") else None
    assert guard.refusal(address, allow_private=True) == allowed


def test_a_loopback_link_is_refused_by_default(make_site: MakeSite,
                                               server: tuple[str, Played],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    port = base.rsplit(":", 1)[1]
    site = make_site({"content/events/a.md": event_file("A", sources="sources:\n" + source(
        f"{base}/ok") + source(f"http://localhost:{port}/ok") + source(
        f"http://[::ffff:127.0.0.1]:{port}/ok"))}, public_config(base))
    assert main(["sources", "check", str(site)]) == 0
    assert played.requests == []  # nothing reached the server
    lock = lock_of(site)
    assert {entry["detail"] for entry in lock.values()} == {
        "refused: at a loopback address (see [sources] allow_private)"}
    assert all(entry["status"] == "error" and "final_url" not in entry
               for entry in lock.values())
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("content/events/a.md:7: sources[0].url: error (refused: at a "
                             "loopback address (see [sources] allow_private)) since ")
    assert out[-1] == "3 links: 3 errors (3 checked now)"


def _public_first_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make 127.0.0.1 count as a public address, as if the first server were on the web;
    every other address keeps the real rule."""
    real = guard.refusal
    monkeypatch.setattr(guard, "refusal", lambda address, allow_private=False: None
                        if address == "127.0.0.1" else real(address, allow_private))


@pytest.mark.parametrize("target", ["http://127.0.0.2:{port}/ok", "http://2130706434:{port}/ok",
                                    "http://[::ffff:127.0.0.2]:{port}/ok"])
def test_a_redirect_to_an_internal_address_is_refused(
        make_site: MakeSite, server: tuple[str, Played], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], target: str) -> None:
    base, played = server
    _public_first_server(monkeypatch)
    with link_server("127.0.0.2") as (inside, inside_played):
        internal = target.format(port=inside.rsplit(":", 1)[1])
        url = f"{base}/redirect?to={internal}"
        site = make_site({"content/events/a.md": event_file("A", sources="sources:\n" +
                                                            source(url))}, public_config(base))
        assert main(["sources", "check", str(site)]) == 0
    assert inside_played.requests == []
    assert [p for _, p, _, _ in played.requests] == ["/redirect?to=" + internal]
    entry = lock_of(site)[url]
    assert (entry["status"], entry.get("final_url")) == ("error", None)
    assert entry["detail"] == "refused: redirected to a loopback address (see [sources] " \
        "allow_private)"
    assert main(["build", str(site), "-q"]) == 0
    data = json.loads((site / "site/events.json").read_text("utf-8"))
    health = data["events"][0]["sources"][0]["health"]
    assert health["status"] == "error" and not health.get("final_url")


def test_the_check_is_on_the_resolved_address_and_the_connection_goes_there(
        make_site: MakeSite, server: tuple[str, Played],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A name is judged by the address it resolves to, and that address is the one
    connected to (a second resolution, as DNS rebinding needs, never happens): the name
    'news.test' is unknown to the system, so only the checked address can be reached."""
    base, played = server
    port = base.rsplit(":", 1)[1]
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"] if host == "news.test" else []

    monkeypatch.setattr(guard, "resolve", resolve)
    url = f"http://news.test:{port}/ok"
    site = make_site({"content/events/a.md": event_file("A", sources="sources:\n" +
                                                        source(url))}, public_config(base))
    assert main(["sources", "check", str(site)]) == 0
    assert lock_of(site)[url]["detail"] == \
        "refused: at a loopback address (see [sources] allow_private)"
    assert played.requests == []
    (site / "timeline.toml").write_text(sources_config(base), "utf-8")
    assert main(["sources", "check", str(site), "--older-than", "0"]) == 0
    assert lock_of(site)[url]["status"] == "ok"
    assert {h["host"] for _, h in played.headers} == {f"news.test:{port}"}  # name kept
    assert set(asked) == {"news.test"}


def test_tls_is_checked_against_the_name_at_the_resolved_address(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The connection goes to the checked address, and TLS (SNI and the certificate check)
    still speaks to the name: a certificate for news.test is accepted there."""
    import ssl
    import subprocess
    import threading

    import httpx

    from linkserver import Handler, ThreadingHTTPServer

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                    "/CN=news.test", "-addext", "subjectAltName=DNS:news.test", "-days", "1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    names: list[str | None] = []
    server_context.sni_callback = lambda sock, name, context: names.append(name)
    played = Played()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("TLS", (Handler,), {"played": played}))
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    async def resolve(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "news.test" else []

    monkeypatch.setattr(guard, "resolve", resolve)
    monkeypatch.setattr(httpx, "create_ssl_context", lambda **_: ssl.create_default_context(
        cafile=str(cert)))
    try:
        url = f"https://news.test:{server.server_address[1]}/ok"
        site = make_site({"content/events/a.md": event_file("A", sources="sources:\n" +
                                                            source(url))},
                         sources_config("http://127.0.0.1:9"))
        assert main(["sources", "check", str(site)]) == 0
    finally:
        server.shutdown()
        server.server_close()
    assert lock_of(site)[url]["status"] == "ok"
    assert set(names) == {"news.test"}
    assert {h["host"] for _, h in played.headers} == {f"news.test:{server.server_address[1]}"}


def test_credentials_are_never_sent_stored_or_published(
        make_site: MakeSite, server: tuple[str, Played]) -> None:
    base, played = server
    url = base.replace("http://", "http://editor:secret@") + "/moved-cred"
    site = make_site({"content/events/a.md": event_file("A", sources="sources:\n" +
                                                        source(url))}, sources_config(base))
    assert main(["sources", "check", str(site)]) == 0
    assert [p for _, p, _, _ in played.requests] == ["/moved-cred", "/ok", "/ok"]
    assert not any("authorization" in h for _, h in played.headers)
    lock_text = (site / "content/sources.lock.json").read_text("utf-8")
    assert "secret" not in lock_text and "pw2" not in lock_text
    assert lock_of(site)[f"{base}/moved-cred"] | {"checked_at": "", "since": ""} == {
        "status": "redirected", "code": 301, "final_url": f"{base}/ok", "checked_at": "",
        "since": ""}
    assert main(["build", str(site), "-q"]) == 0
    data = json.loads((site / "site/events.json").read_text("utf-8"))
    assert data["events"][0]["sources"][0]["health"]["final_url"] == f"{base}/ok"
    assert main(["check", str(site)]) == 0  # the lock's entry is found for the link


def test_no_cookie_is_kept_or_carried_to_another_host(server: tuple[str, Played]) -> None:
    base, played = server

    async def run(other: str) -> None:
        async with polite_client(SourcesConfig(delay=0, timeout=2, allow_private=True)) as p:
            for url in (f"{base}/set-cookie", f"{base}/ok", f"{other}/ok"):
                await p.get("GET", url, read=100)

    with link_server("127.0.0.2") as (other, other_played):
        asyncio.run(run(other))
    set_cookie = [h for p, h in played.headers if p == "/set-cookie"]
    assert len(set_cookie) == 1
    assert not any("cookie" in h for _, h in played.headers + other_played.headers)


def test_a_gzip_bomb_is_read_no_further_than_the_limit(server: tuple[str, Played]) -> None:
    base, _ = server

    async def run(path: str = "/bomb") -> bytes:
        async with polite_client(SourcesConfig(delay=0, timeout=5, allow_private=True)) as p:
            return (await p.get("GET", f"{base}{path}", read=BODY_LIMIT)).body

    from linkserver import bomb

    bomb()  # made before measuring
    tracemalloc.start()
    try:
        body = asyncio.run(run())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert body == bytes(BODY_LIMIT)
    assert peak < 8 * 2**20  # 130 MB unpacked before the cap
    assert asyncio.run(run("/brotli")) == b""  # an encoding not unpacked is not read


def test_the_run_stops_at_its_deadline(make_site: MakeSite, server: tuple[str, Played],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    played.hang = 8
    site = site_with(make_site, base, ["ok", "hang", "busy-long"])
    config = site / "timeline.toml"
    config.write_text(config.read_text("utf-8").replace("timeout = 1", "timeout = 30")
                      + "deadline = 2\n", "utf-8")
    start = time.monotonic()
    assert main(["sources", "check", str(site)]) == 1
    assert time.monotonic() - start < 6
    err = capsys.readouterr().err
    assert "deadline: 2 of 3 links checked and recorded in 2 s ([sources] deadline); run " \
        "again to check the others" in err.splitlines()
    lock = lock_of(site)
    assert sorted(lock) == [f"{base}/busy-long", f"{base}/ok"]
    # A Retry-After past the deadline is not waited for: the 429 is the answer this time.
    assert (lock[f"{base}/busy-long"]["status"], lock[f"{base}/busy-long"]["detail"]) == \
        ("error", "HTTP 429")
    assert played.counts["/busy-long"] == 1


def test_archive_stops_at_its_deadline(make_site: MakeSite, server: tuple[str, Played],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    site = make_site({"content/events/a.md": event_file("A", sources=(
        f"sources:\n  - publisher: P\n    url: {base}/r\n"))},
        sources_config(base).replace("timeout = 1", "timeout = 30") + "deadline = 1\n")
    played.slow, played.hang = {f"{base}/r"}, 8
    start = time.monotonic()
    assert main(["sources", "archive", str(site)]) == 1
    assert time.monotonic() - start < 5
    assert capsys.readouterr().err == ("deadline: stopped after 1 s ([sources] deadline); "
                                       "the files written so far are whole; run again to "
                                       "go on\n")


def test_untrusted_refuses_private_addresses_even_if_allowed(
        make_site: MakeSite, server: tuple[str, Played],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    site = site_with(make_site, base, ["ok"])
    assert main(["sources", "check", str(site), "--untrusted"]) == 0
    assert played.requests == []
    assert lock_of(site)[f"{base}/ok"]["detail"] == \
        "refused: at a loopback address (see [sources] allow_private)"
    assert capsys.readouterr().err.splitlines()[0] == (
        "timeline.toml: warning: sources.allow_private: ignored in untrusted mode: private "
        "addresses are refused")
    (site / "timeline.toml").write_text(sources_config(base) + "[safety]\nuntrusted = true\n",
                                        "utf-8")
    assert main(["sources", "check", str(site), "--older-than", "0"]) == 0
    assert played.requests == []
    (site / "timeline.toml").write_text(sources_config(base), "utf-8")
    assert main(["sources", "check", str(site), "--older-than", "0"]) == 0
    assert lock_of(site)[f"{base}/ok"]["status"] == "ok"  # the owner's own run


def test_the_archive_is_not_asked_at_a_private_address_by_default(
        make_site: MakeSite, server: tuple[str, Played],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    site = make_site({"content/events/a.md": event_file("A", sources=(
        f"sources:\n  - publisher: P\n    url: {base}/r\n"))}, public_config(base))
    before = (site / "content/events/a.md").read_bytes()
    assert main(["sources", "archive", str(site)]) == 0
    assert played.requests == []
    assert capsys.readouterr().err == (
        "content/events/a.md:7: sources[0].url: not archived: refused: the archive is at a "
        "loopback address (see [sources] allow_private)\n")
    assert (site / "content/events/a.md").read_bytes() == before
    (site / "timeline.toml").write_text(sources_config(base), "utf-8")  # allowed, but:
    assert main(["sources", "archive", str(site), "--untrusted"]) == 0
    assert played.requests == []
    assert (site / "content/events/a.md").read_bytes() == before


def test_malformed_urls_are_one_line_each_and_the_rest_is_recorded(
        make_site: MakeSite, server: tuple[str, Played],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, _ = server
    urls = ['"https://[zz]/"', '"http://127.0.0.1:99999/x"', r'"http://127.0.0.1/\e[31mred"']
    sources = "sources:\n" + "".join(source(u) for u in urls) + source(f"{base}/ok") + \
        source(f"{base}/to-bad")
    site = make_site({"content/events/a.md": event_file("A", sources=sources)},
                     sources_config(base))
    assert main(["sources", "check", str(site)]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "content/events/a.md:7: sources[0].url: warning: 'https://[zz]/' is not a valid URL "
        "('zz' does not appear to be an IPv4 or IPv6 address): not checked",
        "content/events/a.md:10: sources[1].url: warning: 'http://127.0.0.1:99999/x' is not "
        "a valid URL (Port out of range 0-65535): not checked",
        "content/events/a.md:13: sources[2].url: warning: 'http://127.0.0.1/\\x1b[31mred' is "
        "not a valid URL (Invalid non-printable ASCII character in URL, '\\x1b' at position "
        "17.): not checked"]
    lock = lock_of(site)
    assert sorted(lock) == [f"{base}/ok", f"{base}/to-bad"]
    assert lock[f"{base}/to-bad"]["detail"] == "malformed address"
    assert captured.out.splitlines()[-1] == "2 links: 1 ok, 1 error (2 checked now)"


@pytest.mark.parametrize(("url", "detail"), [
    ("http://127.1/", "refused: at a loopback address (see [sources] allow_private)"),
    ("http://0x7f.1:8080/", "refused: at a loopback address (see [sources] allow_private)"),
    ("http://0/", "refused: at an unspecified address (see [sources] allow_private)"),
    ("http://" + "a" * 64 + ".com/", "malformed address"),  # a label over 63 characters
    ("http://xn--zz/", "malformed address"),
])
def test_odd_hosts_are_an_answer_not_a_traceback(url: str, detail: str) -> None:
    from generator.sources.probe import Probe, probe

    async def run() -> Probe:
        async with polite_client(SourcesConfig(delay=0, timeout=2)) as polite:
            return await probe(polite, url)

    assert asyncio.run(run()) == Probe("error", None, "", detail)


CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_check_and_archive_print_no_control_characters(
        make_site: MakeSite, server: tuple[str, Played],
        capsys: pytest.CaptureFixture[str]) -> None:
    base, played = server
    name = "content/events/\x1b]0;owned\x07\u202eevil.md"
    site = make_site({name: event_file("A", sources="sources:\n" + source(
        f"{base}/moved-odd") + source(r'"http://127.0.0.1/\e[2J"') + source(f"{base}/r"))},
        sources_config(base))
    assert main(["sources", "check", str(site)]) == 0
    check = capsys.readouterr()
    assert f"to {base}/odd\\x9b[31m: adopt the new URL" in check.out
    assert "\\x1b]0;owned\\x07\\u202eevil.md" in check.out + check.err
    played.snapshots[f"{base}/r"] = f"{base}/web/20171003000000/\x1b[31m\x9b"
    assert main(["sources", "archive", str(site), "--dry-run"]) == 0
    archive = capsys.readouterr()
    assert "\\x1b]0;owned" in archive.out
    for text in (check.out, check.err, archive.out, archive.err):
        assert text and not CONTROLS.search(text.replace("\r\n", "\n")), text


def test_archive_offline_says_once_that_there_is_no_network(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({f"content/events/e{i}.md": event_file(f"E{i}", sources=(
        f"sources:\n  - publisher: P\n    url: https://example.org/{i}\n")) for i in range(3)},
        sources_config("http://127.0.0.1:9"))
    assert main(["sources", "archive", str(site)]) == 1
    assert capsys.readouterr().err == \
        "no network: the archive could not be reached; nothing written\n"


def test_the_new_settings_are_checked(make_site: MakeSite,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import CONFIG

    assert (SourcesConfig().deadline, SourcesConfig().allow_private) == (900, False)
    site = make_site({}, CONFIG + '\n[sources]\ndeadline = 0\nallow_private = "yes"\n')
    assert main(["sources", "check", str(site)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "timeline.toml:8: sources.deadline: must be more than 0 seconds",
        "timeline.toml:9: sources.allow_private: expected bool, got str"]


def test_readme_says_what_sources_check_fetches() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    section = readme.split("### What `sources check` fetches", 1)[1].split("\n## ", 1)[0]
    for promise in ("allow_private = true", "--untrusted", "deadline", "user:password@",
                    "cookie", "256 kB", "loopback"):
        assert promise in section, promise
