"""``timeline serve`` end to end: a real process on a free port, real edits, real HTTP, Chromium.

Every server is started by the ``serve`` fixture, which kills it if a test did not stop it.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import lxml.html
import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, WebSocket, sync_playwright

from generator.dev.serve import (
    ServeState,
    host_warning,
    live_path,
    local_hosts,
    make_app,
    port_problem,
    resolve,
)

from conftest import REPO, MakeSite, event_file

T = TypeVar("T")
START_SECONDS = 60.0
WAIT_SECONDS = 20.0
EVENT = "content/events/2017/resolution.md"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(check: Callable[[], T | None], what: str, seconds: float = WAIT_SECONDS,
             pause: Callable[[float], None] = time.sleep) -> T:
    """Poll ``check`` until it gives something but None or False; fail after ``seconds``.

    With a browser, ``pause`` must be the page's own wait, or no events are delivered.
    """
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value is not None and value is not False:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}")
        pause(0.05)


@dataclass
class Served:
    """A running ``timeline serve`` process and what it prints."""

    proc: subprocess.Popen[bytes]
    port: int
    site: Path
    log: Path

    @property
    def output(self) -> Path:
        return self.site / ".timeline-cache" / "serve"

    def request(self, path: str, method: str = "GET", host: str | None = None
                ) -> tuple[int, dict[str, str], bytes]:
        """Send ``path`` exactly as given (no normalising of ``..``)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, headers={"Host": host} if host else {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def page(self, path: str) -> lxml.html.HtmlElement:
        status, _, body = self.request(path)
        assert status == 200, (path, status)
        return lxml.html.fromstring(body)

    def out(self) -> str:
        return (self.log / "stdout").read_text("utf-8")

    def err(self) -> str:
        return (self.log / "stderr").read_text("utf-8")

    def stop(self, sig: int = signal.SIGINT) -> int:
        """Stop the server by its PID and return its exit status."""
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=15)


Serve = Callable[..., Served]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Serve]:
    """Start ``python -m generator serve SITE --port P``; wait until it answers."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(site: Path, *args: str, env: dict[str, str] | None = None) -> Served:
        port = free_port()
        log = tmp_path / f"log-{port}"
        log.mkdir()
        with (log / "stdout").open("wb") as out, (log / "stderr").open("wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "generator", "serve", str(site), "--port", str(port),
                 *args], stdout=out, stderr=err, cwd=site, env=env)
        procs.append(proc)
        served = Served(proc, port, site, log)

        def up() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"serve exited with {proc.returncode}: {served.err()}")
            try:
                return served.request("/")[0] == 200
            except OSError:
                return False

        wait_for(up, "the server to answer", START_SECONDS)
        return served

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=15)


def overlay_lines(page: lxml.html.HtmlElement) -> list[str] | None:
    found = page.xpath('//div[@id="timeline-error-overlay"]//pre')
    return found[0].text_content().splitlines() if found else None


def h1(page: lxml.html.HtmlElement) -> str:
    return str(page.xpath("string(//h1)")).strip()


def test_edit_break_fix_then_stop(make_site: MakeSite, serve: Serve) -> None:
    site = make_site({EVENT: event_file("Resolution adopted"),
                      "content/events/2017/plan.md": event_file(
                          "A plan", date="2017-10", extra="draft: true\n")})
    server = serve(site)
    page = server.page("/events/resolution/")
    assert h1(page) == "Resolution adopted"
    assert overlay_lines(page) is None
    assert page.xpath('//script[@src="/__timeline__/dev.js"]')
    assert page.xpath('string(//link[@rel="canonical"]/@href)') == \
        f"http://127.0.0.1:{server.port}/events/resolution/"

    # Drafts are served with a badge, on their own page and in lists, never published.
    draft = server.page("/events/plan/")
    assert [b.text_content() for b in draft.xpath('//h1/following::span[@class="status '
                                                  'status-draft"]')] == ["Draft"]
    home = server.page("/")
    assert home.xpath('//article[.//a[contains(@href, "events/plan/")]]'
                      '//span[contains(@class, "status-draft")]')
    assert not (site / "site").exists()

    path = site / EVENT
    path.write_text(event_file("Resolution amended"), "utf-8")
    wait_for(lambda: h1(server.page("/events/resolution/")) == "Resolution amended",
             "the edited title")

    path.write_text(event_file("Resolution broken", date="2017-02-30"), "utf-8")
    expected = [f"{EVENT}:3: date: no such day 2017-02-30"]
    broken = wait_for(lambda: p if overlay_lines(p := server.page("/events/resolution/")) else None,
                      "the error overlay")
    assert overlay_lines(broken) == expected
    assert h1(broken) == "Resolution amended"  # the last good page stays
    assert overlay_lines(server.page("/")) == expected
    status, _, body = server.request("/no/such/page/")
    assert status == 404 and overlay_lines(lxml.html.fromstring(body)) == expected
    assert expected[0] in server.err().splitlines()  # the terminal says the same

    path.write_text(event_file("Resolution fixed"), "utf-8")
    fixed = wait_for(lambda: p if overlay_lines(p := server.page("/events/resolution/")) is None
                     else None, "the overlay to go")
    assert h1(fixed) == "Resolution fixed"

    assert server.stop(signal.SIGINT) == 0
    assert "Traceback" not in server.err()
    assert server.out().splitlines()[-1] == "stopped"


def test_config_and_template_changes_rebuild(make_site: MakeSite, serve: Serve) -> None:
    """timeline.toml and templates/ are watched too; a new file and a deleted one count."""
    site = make_site({EVENT: event_file("Resolution adopted")})
    server = serve(site)
    config = site / "timeline.toml"
    config.write_text(config.read_text("utf-8").replace("Test timeline", "Renamed timeline"),
                      "utf-8")
    wait_for(lambda: server.page("/").xpath("string(//title)") == "Renamed timeline",
             "the new site title")

    template = site / "templates" / "_status.html"
    template.parent.mkdir()
    template.write_text("{% if %}", "utf-8")
    broken = wait_for(lambda: overlay_lines(server.page("/events/resolution/")),
                      "the template error")
    assert broken[0].startswith("templates/_status.html:1: ")
    template.unlink()
    wait_for(lambda: overlay_lines(server.page("/events/resolution/")) is None or None,
             "the overlay to go after the bad template is deleted")
    assert server.stop() == 0


def test_sigterm_stops_cleanly(make_site: MakeSite, serve: Serve) -> None:
    server = serve(make_site({EVENT: event_file()}))
    assert server.stop(signal.SIGTERM) == 0
    assert server.err() == ""
    assert server.out().splitlines()[-1] == "stopped"


def test_busy_port_says_so_and_builds_nothing(make_site: MakeSite) -> None:
    site = make_site({EVENT: event_file()})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "generator", "serve", str(site),
                               "--port", str(port)], capture_output=True, text=True,
                              timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"port {port} is already in use on 127.0.0.1: try `timeline serve --port {port + 1}`"]
    assert not (site / ".timeline-cache" / "serve").exists()


def test_port_taken_during_first_build(make_site: MakeSite) -> None:
    """The early check can race with another program; the bind failure is still one line."""
    site = make_site({EVENT: event_file()})
    script = ("import sys; from pathlib import Path; from generator.dev import serve; "
              "serve.port_problem = lambda host, port: None; "
              "from generator.build import build_site; "
              "sys.exit(serve.serve_site(Path(sys.argv[1]), build_site, port=int(sys.argv[2])))")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-c", script, str(site), str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"port {port} is already in use on 127.0.0.1: try `timeline serve --port {port + 1}`"]


def test_only_the_site_in_memory_is_served(make_site: MakeSite, serve: Serve) -> None:
    site = make_site({EVENT: event_file()})
    server = serve(site)
    assert not server.output.exists()  # served from memory: nothing written
    server.output.mkdir(parents=True)
    (server.output / "leak.toml").symlink_to(site / "timeline.toml")
    secret = (site / "timeline.toml").read_bytes()
    for path in ["/../timeline.toml", "/%2e%2e/timeline.toml", "/%2E%2E/%2E%2E/etc/passwd",
                 "/assets/..%2f..%2ftimeline.toml", "/events/../../timeline.toml",
                 "/%00", "/..%5ctimeline.toml"]:
        status, _, body = server.request(path)
        assert status == 403, path
        assert secret not in body
    for path in ["/leak.toml", "/timeline.toml", "/content/events/2017/resolution.md"]:
        status, _, body = server.request(path)
        assert status == 404, path
        assert secret not in body
    assert server.request("/assets/timeline.css")[0] == 200
    assert server.request("/events/resolution")[0] == 301
    # DNS rebinding: a page on another name, resolved to 127.0.0.1, must not read drafts.
    assert server.request("/", host=f"attacker.example:{server.port}")[0] == 403
    assert server.request("/", host=f"localhost:{server.port}")[0] == 200


def test_open_starts_the_browser_at_the_site(make_site: MakeSite, serve: Serve,
                                             tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', "utf-8")
    browser.chmod(0o755)
    server = serve(make_site({EVENT: event_file()}), "--open",
                   env={**os.environ, "BROWSER": str(browser)})
    url = wait_for(lambda: opened.read_text("utf-8").strip() or None if opened.is_file()
                   else None, "the browser command")
    assert url == f"http://127.0.0.1:{server.port}/"


@contextmanager
def chromium() -> Iterator[tuple[Page, list[ConsoleMessage]]]:
    """A fresh Chromium page, and every console message it logs."""
    console: list[ConsoleMessage] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("console", lambda message: console.append(message))
            yield page, console
        finally:
            browser.close()


def console_errors(console: list[ConsoleMessage]) -> list[str]:
    """Errors logged by the page; Chromium asks for /favicon.ico on its own, the site has none."""
    return [f"{m.type}: {m.text} ({m.location.get('url')})" for m in console
            if m.type == "error" and not str(m.location.get("url")).endswith("/favicon.ico")]


def test_browser_page_reloads_itself(make_site: MakeSite, serve: Serve) -> None:
    """An open page follows edits by itself, swaps CSS in place, and breaks no CSP rule."""
    theme_css = (REPO / "static" / "assets" / "timeline.css").read_text("utf-8")
    site = make_site({EVENT: event_file("Resolution adopted"),
                      "static/assets/timeline.css": theme_css})
    server = serve(site)
    sent: list[str] = []

    def on_socket(ws: WebSocket) -> None:
        ws.on("framesent", lambda frame: sent.append(str(frame)))

    checked: list[str] = []
    with chromium() as (page, console):
        page.on("websocket", on_socket)
        page.on("requestfinished", lambda request: checked.append(request.url))

        def pause(seconds: float) -> None:
            page.wait_for_timeout(seconds * 1000)

        page.goto(f"http://127.0.0.1:{server.port}/events/resolution/")
        # The client says "info" once connected (through the CSP's connect-src 'self'),
        # then asks which build is current; a build before that answer reloads the page.
        wait_for(lambda: any('"info"' in f for f in sent), "the livereload handshake",
                 pause=pause)
        wait_for(lambda: any(u.endswith("/__timeline__/build") for u in checked),
                 "the build check", pause=pause)

        page.evaluate("window.timelineTestMarker = 1")
        (site / "static/assets/timeline.css").write_text(
            theme_css + "\nbody { outline: 3px solid rgb(1, 2, 3); }\n", "utf-8")
        body = page.locator("body")

        def outline() -> Any:
            return body.evaluate("e => getComputedStyle(e).outlineColor")

        wait_for(lambda: outline() == "rgb(1, 2, 3)", "the new stylesheet", pause=pause)
        assert page.evaluate("window.timelineTestMarker") == 1  # no full reload

        (site / EVENT).write_text(event_file("Resolution amended"), "utf-8")
        page.locator("h1", has_text="Resolution amended").wait_for(timeout=20_000)
        assert page.evaluate("window.timelineTestMarker") is None  # the page reloaded

        # Saved at once, while the reloaded page may still be connecting.
        (site / EVENT).write_text(event_file("Broken", date="2017-02-30"), "utf-8")
        overlay = page.locator("#timeline-error-overlay")
        overlay.wait_for(timeout=20_000)
        assert f"{EVENT}:3: date: no such day 2017-02-30" in overlay.inner_text()
        assert overlay.evaluate("e => getComputedStyle(e).position") == "fixed"

        (site / EVENT).write_text(event_file("Resolution fixed"), "utf-8")
        page.locator("h1", has_text="Resolution fixed").wait_for(timeout=20_000)
        assert page.locator("#timeline-error-overlay").count() == 0
    assert console_errors(console) == []
    assert server.stop() == 0


def test_browser_catches_a_rebuild_made_while_the_page_loaded(make_site: MakeSite,
                                                              serve: Serve) -> None:
    """The reload message of a build that ends before the page listens is not lost."""
    site = make_site({EVENT: event_file("Resolution adopted")})
    server = serve(site)
    held: list[Route] = []
    with chromium() as (page, console):
        page.route("**/livereload.js*", lambda route: held.append(route))
        # The held script delays "load", so wait only for the document.
        page.goto(f"http://127.0.0.1:{server.port}/events/resolution/",
                  wait_until="domcontentloaded")
        assert h1(lxml.html.fromstring(page.content())) == "Resolution adopted"
        wait_for(lambda: held != [], "the client script request",
                 pause=lambda seconds: page.wait_for_timeout(seconds * 1000))
        (site / EVENT).write_text(event_file("Resolution amended"), "utf-8")
        wait_for(lambda: h1(server.page("/events/resolution/")) == "Resolution amended",
                 "the rebuild")  # announced to nobody: the page has no client yet
        held[0].continue_()
        page.unroute("**/livereload.js*")  # the reload that follows loads it freely
        page.locator("h1", has_text="Resolution amended").wait_for(timeout=20_000)
    assert console_errors(console) == []
    assert server.stop() == 0


# Unit tests of the pieces the end-to-end tests drive.

def call(app: Any, path: str, method: str = "GET") -> tuple[str, dict[str, str], bytes]:
    got: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        got["status"], got["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": method}, start_response))
    return got["status"], got["headers"], body


def test_resolve_refuses_what_leaves_the_root(tmp_path: Path) -> None:
    root = tmp_path / "out"
    (root / "a").mkdir(parents=True)
    (root / "a" / "x.html").write_text("x", "utf-8")
    (tmp_path / "secret").write_text("s", "utf-8")
    (root / "link").symlink_to(tmp_path / "secret")
    assert resolve(root, "/a/x.html") == (root / "a" / "x.html").resolve()
    assert resolve(root, "/") == root.resolve()
    for bad in ["/../secret", "/a/../../secret", "/./a", "/link", "/a\\..\\x", "/a\x00"]:
        assert resolve(root, bad) is None, bad


def test_app_adds_client_and_overlay_and_answers_head(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "index.html").write_text(
        "<!doctype html><html><head><title>t</title></head><body class=x><p>hi</p></body>"
        "</html>", "utf-8")
    state = ServeState()
    app = make_app(root, state)
    status, headers, body = call(app, "/")
    page = lxml.html.fromstring(body)
    assert status == "200 OK" and headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.xpath('//head/script[@src="/__timeline__/dev.js"]')
    assert overlay_lines(page) is None
    # The page names its build, which the client compares with the current one.
    shown = page.xpath('string(//head/meta[@name="timeline-build"]/@content)')
    assert shown == state.build_id() == call(app, "/__timeline__/build")[2].decode()
    state.builds += 1
    assert call(app, "/__timeline__/build")[2].decode() != shown
    state.errors = ["content/x.md:2: title: is missing <b>"]
    page = lxml.html.fromstring(call(app, "/")[2])
    assert overlay_lines(page) == ["content/x.md:2: title: is missing <b>"]  # escaped text
    assert page.xpath("//body/*[1]/@id") == ["timeline-error-overlay"]
    head = call(app, "/", "HEAD")
    assert head[0] == "200 OK" and head[2] == b""
    assert call(app, "/", "POST")[0] == "405 Method Not Allowed"
    assert call(app, "/__timeline__/dev.js")[1]["Content-Type"].startswith("text/javascript")


def test_app_shows_warnings_in_a_notice_and_errors_in_the_overlay(tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><html lang=ko><head><title>t</title>"
                                     "</head><body><p>hi</p></body></html>", "utf-8")
    state = ServeState(warnings=["content/a.md:4: warning: tags: no tags <b>"])
    app = make_app(root, state)
    page = lxml.html.fromstring(call(app, "/")[2].decode())
    (notice,) = page.xpath("//body/*[1][@id='timeline-warning-notice']")
    assert notice.xpath("string(.//pre)") == "content/a.md:4: warning: tags: no tags <b>"
    assert notice.xpath("string(.//summary)") == "경고 1건 (빌드를 멈추지 않음)"  # page's language
    assert notice.xpath(".//button/@type") == ["button"] and notice.get("data-key")
    assert overlay_lines(page) is None
    state.errors = ["content/b.md:2: date: no such day"]  # a failed build: the overlay only
    page = lxml.html.fromstring(call(app, "/")[2])
    assert overlay_lines(page) == ["content/b.md:2: date: no such day"]
    assert page.xpath("//*[@id='timeline-warning-notice']") == []
    state.errors, state.warnings = [], []
    page = lxml.html.fromstring(call(app, "/")[2])
    assert page.xpath("//*[@id='timeline-warning-notice']") == [] and overlay_lines(page) is None


def test_browser_shows_warnings_in_a_dismissable_notice(make_site: MakeSite,
                                                        serve: Serve) -> None:
    """A rebuild with warnings reaches the page; dismissed, the notice stays away until the
    warnings change; a renamed published event and an event saved as .MD are both shown."""
    site = make_site({EVENT: event_file("Resolution adopted")})
    assert subprocess.run([sys.executable, "-m", "generator", "build", str(site), "-q"],
                          cwd=site, check=False).returncode == 0  # published
    server = serve(site)
    assert b"timeline-warning-notice" not in server.request("/events/resolution/")[2]
    (site / EVENT).rename(site / "content/events/2017/renamed.md")  # same title
    (site / "content/events/LOUD.MD").write_text(event_file("Loud", "2018"), "utf-8")
    wait_for(lambda: b"was published" in server.request("/events/loud/")[2], "the rebuild")
    with chromium() as (page, console):
        page.goto(f"http://127.0.0.1:{server.port}/events/loud/")
        notice = page.locator("#timeline-warning-notice")
        notice.wait_for(timeout=20_000)
        assert notice.evaluate("e => getComputedStyle(e).position") == "fixed"
        notice.locator("summary").click()
        assert ("content/events/2017/renamed.md: warning: aliases: /events/resolution/ was "
                "published by an earlier build") in notice.inner_text()
        notice.locator("button").click()
        assert page.locator("#timeline-warning-notice").count() == 0
        page.reload()
        page.locator("h1", has_text="Loud").wait_for()
        assert page.locator("#timeline-warning-notice").count() == 0  # the same warnings
        (site / "content/events/2017/renamed.md").write_text(
            event_file("Resolution adopted", extra="aliases: [/events/resolution/]\n",
                       tags="[]"), "utf-8")  # the alias, and another warning instead
        notice.wait_for(timeout=20_000)
        assert "tags: no tags" in notice.text_content()
        assert "aliases:" not in notice.text_content()
    assert console_errors(console) == []
    assert server.stop() == 0


def test_app_shows_the_overlay_before_any_good_build(tmp_path: Path) -> None:
    state = ServeState(errors=["timeline.toml:1: title: is missing"])
    status, _, body = call(make_app(tmp_path / "never-built", state), "/")
    assert status == "200 OK"
    assert overlay_lines(lxml.html.fromstring(body)) == ["timeline.toml:1: title: is missing"]


def test_app_refuses_foreign_host_headers(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>", "utf-8")
    app = make_app(tmp_path, ServeState(), local_hosts("127.0.0.1", 8000))

    def status(host: str | None) -> str:
        environ = {"PATH_INFO": "/", "REQUEST_METHOD": "GET"}
        if host is not None:
            environ["HTTP_HOST"] = host
        got: list[str] = []
        app(environ, lambda s, h: got.append(s))
        return got[0]

    assert [status(h) for h in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000")] == \
        ["200 OK"] * 3
    assert [status(h) for h in ("evil.example:8000", "127.0.0.1:9000", None)] == \
        ["403 Forbidden"] * 3
    assert local_hosts("0.0.0.0", 8000) == frozenset()  # noqa: S104 - every name allowed


@pytest.mark.parametrize(("host", "warns"), [
    ("127.0.0.1", False), ("localhost", False), ("::1", False), ("127.0.0.2", False),
    ("0.0.0.0", True),  # noqa: S104 - not bound, only named
    ("::", True), ("192.168.1.20", True), ("example.org", True)])
def test_host_warning_for_anything_but_loopback(host: str, warns: bool) -> None:
    assert (host_warning(host) is not None) is warns


def test_port_out_of_range_is_one_line() -> None:
    assert port_problem("127.0.0.1", 70000) == "--port 70000: a port is a number from 1 to 65535"


def test_live_path_only_for_one_static_stylesheet_or_image(tmp_path: Path) -> None:
    css = tmp_path / "static" / "assets" / "timeline.css"
    css.parent.mkdir(parents=True)
    css.write_text("", "utf-8")
    other = tmp_path / "static" / "assets" / "timeline.js"
    assert live_path(tmp_path, [css]) == "assets/timeline.css"
    assert live_path(tmp_path, [css, other]) is None
    assert live_path(tmp_path, [other]) is None
    assert live_path(tmp_path, [tmp_path / "static" / "gone.css"]) is None  # deleted
    assert live_path(tmp_path, [tmp_path / "templates" / "x.css"]) is None
    assert live_path(tmp_path, []) is None


def test_hostile_requests_get_404_and_400_without_a_traceback(make_site: MakeSite,
                                                              serve: Serve) -> None:
    """Safety 2: a path too long for the file system and a Host whose port is not a number
    answered 500 with a traceback in the log."""
    site = make_site({EVENT: event_file("Resolution 2375")})
    served = serve(site)
    status, _, _ = served.request("/" + "a/" * 5000)
    assert status == 404
    status, _, body = served.request("/", host=f"127.0.0.1:{served.port}.evil.com")
    assert (status, body) == (400, b"400 Bad Request: malformed Host header\n")
    status, _, _ = served.request("/", host=f"127.0.0.1:{served.port}")
    assert status == 200
    assert served.stop() == 0
    assert "Traceback" not in served.err() and " 500 " not in served.err()


def test_a_tangled_body_does_not_block_the_server(make_site: MakeSite, serve: Serve) -> None:
    """40 KB of brackets held every request for 23 s."""
    site = make_site({EVENT: event_file("Tangled", body="[" * 20_000 + "]" * 20_000)})
    started = time.monotonic()
    served = serve(site)
    assert time.monotonic() - started < 15
    page = served.page("/events/resolution/")
    assert page.cssselect(".body")[0].text_content().strip().startswith("[[[[")
    assert served.stop() == 0


def test_an_editor_lock_file_does_not_break_serve(make_site: MakeSite, serve: Serve) -> None:
    """Emacs links .#x.md to user@host.1:1 while a file is edited: once 'internal error:
    FileNotFoundError' in the overlay."""
    site = make_site({EVENT: event_file("Resolution 2375")})
    (site / "content" / "events" / ".#resolution.md").symlink_to("user@host.1:1")
    (site / "content" / "events" / "gone.md").symlink_to("nowhere.md")
    served = serve(site)
    assert overlay_lines(served.page("/")) is None
    assert served.page("/events/resolution/").cssselect("h1")[0].text_content() == \
        "Resolution 2375"
    assert served.stop() == 0
    assert "content/events/gone.md: warning: symbolic link to 'nowhere.md' leads nowhere: " \
        "skipped" in served.err().splitlines()
    assert "internal error" not in served.err() and ".#resolution" not in served.err()


def test_two_saves_within_50_ms_the_second_wins(make_site: MakeSite, serve: Serve) -> None:
    site = make_site({EVENT: event_file("Resolution adopted")})
    server = serve(site)
    path = site / EVENT
    path.write_text(event_file("Resolution first"), "utf-8")
    time.sleep(0.02)
    path.write_text(event_file("Resolution again"), "utf-8")  # the same size
    wait_for(lambda: h1(server.page("/events/resolution/")) == "Resolution again",
             "the second save")
    time.sleep(1)
    assert h1(server.page("/events/resolution/")) == "Resolution again"
    assert server.stop() == 0


def test_a_checkout_of_2000_files_is_one_rebuild(make_site: MakeSite, serve: Serve) -> None:
    files = {f"content/events/{1900 + n % 100}/e{n}.md": event_file(
        f"Event {n:04d}", f"{1900 + n % 100}-01-01", body="Short.") for n in range(2000)}
    site = make_site(files)
    server = serve(site)
    assert h1(server.page("/events/e1999/")) == "Event 1999"
    for rel in files:
        path = site / rel
        path.write_text(path.read_text("utf-8").replace('title: "Event', 'title: "Other'),
                        "utf-8")
    wait_for(lambda: h1(server.page("/events/e1999/")) == "Other 1999", "the checkout", 90)
    # The open page may be shown before the rest of the site is made: wait for the build.
    wait_for(lambda: " changed: " in server.out(), "the rebuild's line", 90)
    assert all(h1(server.page(f"/events/e{n}/")) == f"Other {n:04d}"
               for n in range(0, 2000, 97))
    rebuilds = [line for line in server.out().splitlines() if " changed: " in line]
    assert len(rebuilds) == 1, rebuilds
    assert rebuilds[0].split(" changed: ")[1].startswith("2000 events, ")
    assert server.stop() == 0


def test_a_renamed_file_and_a_deleted_folder(make_site: MakeSite, serve: Serve) -> None:
    site = make_site({EVENT: event_file("Resolution adopted"),
                      "content/events/2018/a.md": event_file("A", "2018-01-01"),
                      "content/events/2018/b.md": event_file("B", "2018-02-01")})
    server = serve(site)
    (site / EVENT).rename(site / "content/events/2017/renamed.md")
    wait_for(lambda: server.request("/events/renamed/")[0] == 200, "the renamed event")
    assert server.request("/events/resolution/")[0] == 404
    shutil.rmtree(site / "content/events/2018")
    wait_for(lambda: server.request("/events/a/")[0] == 404, "the deleted folder's events")
    assert server.request("/events/b/")[0] == 404
    links = server.page("/").xpath('//a[contains(@href, "events/")]/@href')
    assert {link.split("events/")[1] for link in links} == {"renamed/"}
    assert server.stop() == 0


def test_output_gets_the_served_site_in_the_background(make_site: MakeSite, serve: Serve,
                                                       tmp_path: Path) -> None:
    site = make_site({EVENT: event_file("Resolution adopted")})
    out = tmp_path / "written"
    server = serve(site, "--output", str(out))
    page = out / "events" / "resolution" / "index.html"
    wait_for(page.is_file, "the site on disk")
    assert h1(lxml.html.fromstring(page.read_bytes())) == "Resolution adopted"
    (site / EVENT).write_text(event_file("Resolution amended"), "utf-8")
    wait_for(lambda: h1(lxml.html.fromstring(page.read_bytes())) == "Resolution amended",
             "the edit on disk")
    assert not server.output.exists()
    assert server.stop() == 0


def slow_rebuild(site: Path, loops: int) -> None:
    """Start a rebuild whose event pages take long (``loops`` x 10,000 empty steps in a
    template) and return once the watcher has seen it (4 polls a second)."""
    slow = site / "templates" / "_sources.html"
    slow.parent.mkdir()
    slow.write_text((REPO / "templates" / "_sources.html").read_text("utf-8")
                    + f"{{% for i in range({loops}) %}}{{% for j in range(10000) %}}"
                      "{% endfor %}{% endfor %}<i>slow</i>", "utf-8")
    time.sleep(1)


def test_the_last_good_site_is_served_during_a_long_rebuild(make_site: MakeSite,
                                                            serve: Serve) -> None:
    site = make_site({EVENT: event_file("Resolution adopted")})
    server = serve(site)
    slow_rebuild(site, 2000)
    started = time.perf_counter()
    status, _, body = server.request("/events/resolution/")
    answered = time.perf_counter() - started
    assert " changed: " not in server.out()  # the rebuild has not ended
    assert status == 200 and b"<i>slow</i>" not in body  # the last good page, at once
    assert answered < 1.0
    wait_for(lambda: b"<i>slow</i>" in server.request("/events/resolution/")[2],
             "the slow template's page", 120)
    assert server.stop() == 0


def test_ctrl_c_during_a_rebuild_lets_it_finish_first(make_site: MakeSite,
                                                     serve: Serve) -> None:
    """The build in progress ends and says so before "stopped": nothing is cut mid-site."""
    site = make_site({EVENT: event_file("Resolution adopted")})
    server = serve(site)
    slow_rebuild(site, 3000)
    assert " changed: " not in server.out()
    server.proc.send_signal(signal.SIGINT)
    assert server.proc.wait(timeout=180) == 0
    lines = server.out().splitlines()
    assert lines[-1] == "stopped"
    assert " changed: " in lines[-2] and "templates/_sources.html" in lines[-2]
    assert "finishing the build in progress" in server.err()
    assert "Traceback" not in server.err()


def test_a_decompression_bomb_is_the_overlay_not_a_traceback(make_site: MakeSite,
                                                             serve: Serve) -> None:
    from test_tracebacks import BOMB, png

    bombed = "content/events/a.md"  # as BOMB names it
    site = make_site({bombed: event_file("A")})
    server = serve(site)
    (site / "static/img").mkdir(parents=True)
    (site / "static/img/bomb.png").write_bytes(png(50_000, 50_000))
    (site / bombed).write_text(event_file("A", extra="media:\n  - src: img/bomb.png\n"
                                                     "    alt: Fifty thousand squared\n"),
                               "utf-8")
    lines = wait_for(lambda: overlay_lines(server.page("/")), "the overlay")
    assert lines == [BOMB]
    assert server.stop() == 0
    assert "Traceback" not in server.err()
    assert BOMB in server.err().splitlines()


async def _live_socket(port: int, origin: str | None, host: str | None = None) -> Any:
    """livereload's websocket, with the handshake a page's client makes; the error if the
    server refuses it."""
    import json as _json

    from tornado import httpclient, websocket

    headers = {k: v for k, v in (("Origin", origin), ("Host", host)) if v}
    try:
        conn = await websocket.websocket_connect(httpclient.HTTPRequest(
            f"ws://127.0.0.1:{port}/livereload", headers=headers, connect_timeout=10))
    except httpclient.HTTPClientError as exc:
        return exc
    await conn.write_message(_json.dumps({"command": "hello"}))
    await conn.read_message()
    await conn.write_message(_json.dumps({"command": "info", "url": "http://x/"}))
    return conn


def test_livereload_answers_only_pages_of_this_server(make_site: MakeSite,
                                                      serve: Serve) -> None:
    import asyncio

    site = make_site({EVENT: event_file("Resolution adopted")})
    server = serve(site)
    own = f"127.0.0.1:{server.port}"

    async def scenario() -> tuple[list[Any], list[str | None], list[str | None]]:
        refused = [await _live_socket(server.port, "https://evil.example"),
                   await _live_socket(server.port, "null"),
                   await _live_socket(server.port, f"http://rebound.example:{server.port}",
                                      f"rebound.example:{server.port}")]
        conn = await _live_socket(server.port, f"http://{own}")
        # A foreign page's GET of /forcereload reaches no reload; a save does.
        status, _, _ = await asyncio.to_thread(server.request, "/forcereload?path=*")
        refused.append(status)
        quiet = [await _read(conn, 2.0)]
        (site / EVENT).write_text(event_file("Resolution amended"), "utf-8")
        heard = [await _read(conn, WAIT_SECONDS)]
        conn.close()
        return refused, quiet, heard

    async def _read(conn: Any, seconds: float) -> str | None:
        try:
            message: str | None = await asyncio.wait_for(conn.read_message(), seconds)
        except TimeoutError:
            return None
        return message

    refused, quiet, heard = asyncio.run(scenario())
    assert [getattr(r, "code", r) for r in refused] == [403, 403, 403, 404]
    assert quiet == [None]
    assert heard[0] is not None and '"command": "reload"' in heard[0]
    for host in ("evil.example", f"rebound.example:{server.port}"):
        assert server.request("/livereload.js", host=host)[0] == 403
    assert server.request("/livereload.js")[0] == 200
    assert server.stop() == 0
    assert "Traceback" not in server.err()
