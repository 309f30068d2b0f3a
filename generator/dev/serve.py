"""``timeline serve``: build, serve the output, rebuild on save, show mistakes as an overlay.

The last good site stays served while a mistake is on screen; the overlay goes away with the
next good build. The HTTP and watch machinery lives in ``devserver``.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import mimetypes
import re
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.dev import devserver
from generator.dev.editor import Editor, start_editor
from generator.dev.served import Body, Lookup, folder_lookup, memory_lookup, missing_page
from generator.dev.served import resolve as resolve  # re-exported: tests and tools use it
from generator.errors import SiteError
from generator.hashing import text_digest
from generator.incremental.store import CACHE_DIR
from generator.report import BuildResult

DEV_PREFIX = "/__timeline__/"

WATCHED = ("content", "templates", "static", "timeline.toml")
"""What a rebuild reads from the site folder; the output and the cache are never watched."""

LIVE_SUFFIXES = (".css", ".png", ".jpg", ".jpeg", ".gif")
"""Static files the livereload client swaps into an open page without reloading it."""

DEV_JS = b"""// Dev server only: connect to livereload, which reloads this page after every rebuild.
(function () {
  var shown = document.querySelector('meta[name="timeline-build"]');
  // A rebuild that ended while this page loaded was announced before it listened: once
  // connected, reload if the site is no longer the build this page was served from.
  document.addEventListener("LiveReloadConnect", function () {
    setTimeout(function () {
      fetch("%(prefix)sbuild", {cache: "no-store"})
        .then(function (r) { return r.text(); })
        .then(function (id) { if (shown && id !== shown.content) location.reload(); });
    }, 100);
  });
  var s = document.createElement("script");
  // The host is passed because the client cannot read an IPv6 one ([::1]) from its URL.
  s.src = "%(client)s?host=" + window.location.hostname +
    "&port=" + (window.location.port || 80);
  document.head.appendChild(s);
  // The warnings notice: dismissed, it stays away until the warnings change.
  var notice = document.getElementById("timeline-warning-notice");
  if (!notice) return;
  var seen = null;
  try { seen = sessionStorage.getItem("timeline-dismissed"); } catch (e) {}
  if (seen === notice.dataset.key) { notice.remove(); return; }
  notice.querySelector("button").addEventListener("click", function () {
    try { sessionStorage.setItem("timeline-dismissed", notice.dataset.key); } catch (e) {}
    notice.remove();
  });
})();
""" % {b"prefix": DEV_PREFIX.encode(), b"client": devserver.CLIENT_PATH.encode()}

OVERLAY_CSS = b""".timeline-overlay { position: fixed; inset: auto 0 0 0; z-index: 9999;
 max-height: 60vh; overflow: auto; background: #2b0b0b; color: #fff; padding: 1rem 1.5rem;
 font: 15px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
 border-top: 4px solid #ff6b5b; }
.timeline-overlay h2 { font: bold 16px/1.4 system-ui, sans-serif; margin: 0 0 .5rem; }
.timeline-overlay pre { white-space: pre-wrap; margin: 0; }
.timeline-overlay p { font: 14px/1.4 system-ui, sans-serif; margin: .5rem 0 0; color: #ffd7d2; }
.timeline-overlay details { margin: .75rem 0 0; color: #ffd7d2; }
.timeline-overlay summary { font: 14px/1.4 system-ui, sans-serif; cursor: pointer; }
.timeline-notice { position: fixed; right: 1rem; bottom: 1rem; z-index: 9999;
 max-width: min(40rem, calc(100vw - 2rem)); max-height: 50vh; overflow: auto;
 background: #fff8e1; color: #3b2a00; border: 1px solid #c99a00; border-radius: 6px;
 padding: .5rem 2.5rem .5rem 1rem; font: 14px/1.4 system-ui, sans-serif;
 box-shadow: 0 2px 8px rgba(0, 0, 0, .25); }
.timeline-notice summary { cursor: pointer; }
.timeline-notice pre { white-space: pre-wrap; margin: .5rem 0 0;
 font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.timeline-notice button { position: absolute; top: .25rem; right: .25rem; border: 0;
 background: none; color: inherit; font: 20px/1 system-ui, sans-serif; cursor: pointer;
 padding: .25rem .5rem; }
"""


@dataclass
class ServeState:
    """What the server shows: which build, and its error lines if it failed."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """The last good build's warnings, shown in a small notice (errors get the overlay)."""
    builds: int = 0
    started: str = field(default_factory=lambda: str(time.time_ns()))
    """Tells this server's builds from a previous one's, for pages open across a restart."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    shown: list[str] = field(default_factory=list)
    """The pages browsers asked for last (most recent last): made first by a rebuild."""

    def build_id(self) -> str:
        return f"{self.started}-{self.builds}"


WARNING_TAG = ": warning: "
"""How a warning's line reads (``Problem.__str__``): the overlay shows them apart."""


def _overlay(lines: list[str], language: str = "en") -> bytes:
    """The errors that stopped the build first; warnings, which did not, folded under a
    count, so one typo is not lost among warnings from other files. In the page's
    language (the theme's catalog)."""
    from generator.site.i18n import theme_catalog

    catalog = theme_catalog(language)
    errors = [line for line in lines if WARNING_TAG not in line]
    warnings = [line for line in lines if WARNING_TAG in line]
    count = catalog.ngettext("%(num)s warning (they do not stop a build)",
                             "%(num)s warnings (they do not stop a build)",
                             len(warnings)) % {"num": len(warnings)}
    folded = (f'<details class="timeline-warnings"><summary>{html.escape(count)}</summary>'
              f"<pre>{html.escape(chr(10).join(warnings))}</pre></details>"
              if warnings else "")
    title = catalog.ngettext("Build failed (%(num)s error): the last good version is shown",
                             "Build failed (%(num)s errors): the last good version is shown",
                             len(errors)) % {"num": len(errors)}
    advice = catalog.gettext("Fix the file and save: this page reloads by itself.")
    return (f'<div id="timeline-error-overlay" class="timeline-overlay" role="alert">'
            f"<h2>{html.escape(title)}</h2><pre>{html.escape(chr(10).join(errors))}</pre>"
            f"{folded}<p>{html.escape(advice)}</p></div>").encode()


def _notice(warnings: list[str], language: str = "en") -> bytes:
    """A small notice of the last build's warnings, folded under their count, that the
    editor can dismiss (``dev.js``) until they change."""
    from generator.site.i18n import theme_catalog

    count = theme_catalog(language).ngettext(
        "%(num)s warning (they do not stop a build)",
        "%(num)s warnings (they do not stop a build)", len(warnings)) % {"num": len(warnings)}
    text = chr(10).join(warnings)
    key = text_digest(text)
    return (f'<div id="timeline-warning-notice" class="timeline-notice" role="status" '
            f'data-key="{key}"><details><summary>{html.escape(count)}</summary>'
            f"<pre>{html.escape(text)}</pre></details>"
            f'<button type="button" aria-label="Dismiss">\u00d7</button></div>').encode()


_LANG = re.compile(rb'<html[^>]*\slang="?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)')


def _dev_page(body: bytes, errors: list[str], build_id: str,
              warnings: list[str] | None = None) -> bytes:
    """Add the livereload client and, when the last build failed, the error overlay, or
    else, when it warned, the warnings notice.

    The client is an external script because the pages' CSP (``script-src 'self'``)
    blocks the inline one livereload would add.
    """
    tags = (f'<meta name="timeline-build" content="{build_id}">'
            f'<link rel="stylesheet" href="{DEV_PREFIX}overlay.css">'
            f'<script src="{DEV_PREFIX}dev.js" defer></script>').encode()
    at = body.find(b"</head>")
    body = body[:at] + tags + body[at:] if at >= 0 else body + tags
    if errors or warnings:
        start = body.find(b"<body")
        end = body.find(b">", start) + 1 if start >= 0 else -1
        match = _LANG.search(body[:start]) if start >= 0 else None
        language = match[1].decode() if match else "en"
        overlay = _overlay(errors, language) if errors else _notice(warnings or [], language)
        body = body[:end] + overlay + body[end:] if end > 0 else overlay + body
    return body


def _error_page(errors: list[str], build_id: str) -> bytes:
    return _dev_page(b"<!doctype html><html lang=en><head><meta charset=utf-8>"
                     b"<title>Build failed</title></head><body><main><h1>No site yet</h1>"
                     b"<p>The first build failed.</p></main></body></html>", errors, build_id)


def make_app(site: Path | Lookup, state: ServeState, hosts: Collection[str] = (),
             editor: Editor | None = None) -> devserver.WSGIApp:
    """A WSGI app serving only the site (a folder, or a lookup in the site a build keeps in
    memory), with the dev client and overlay in every page.

    With ``hosts``, any other ``Host`` header is refused: a web page whose name was rebound
    to 127.0.0.1 must not read the drafts.
    """
    lookup = folder_lookup(site) if isinstance(site, Path) else site

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method: str = environ.get("REQUEST_METHOD", "GET")
        path: str = environ.get("PATH_INFO", "/")
        try:  # servers hand WSGI apps latin-1 strings; file names are UTF-8
            path = path.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass
        with state.lock:
            errors, build_id = list(state.errors), state.build_id()
            warnings = list(state.warnings)

        def send(status: str, body: Body, ctype: str,
                 extra: tuple[tuple[str, str], ...] = ()) -> Iterable[bytes]:
            size = len(body) if isinstance(body, bytes) else sum(map(len, body))
            start_response(status, [("Content-Type", ctype), ("Cache-Control", "no-store"),
                                    ("X-Content-Type-Options", "nosniff"),
                                    ("Content-Length", str(size)), *extra])
            return [] if method == "HEAD" else [body] if isinstance(body, bytes) \
                else map(bytes, body)

        if hosts and environ.get("HTTP_HOST", "").lower() not in hosts:
            return send("403 Forbidden", b"403 Forbidden: unexpected Host header\n",
                        "text/plain; charset=utf-8")
        if editor is not None and (answer := editor.answer(method, path, environ)):
            return send(*answer)
        if method not in ("GET", "HEAD"):
            return send("405 Method Not Allowed", b"", "text/plain", (("Allow", "GET, HEAD"),))
        if path == DEV_PREFIX + "dev.js":
            return send("200 OK", DEV_JS, "text/javascript; charset=utf-8")
        if path == DEV_PREFIX + "overlay.css":
            return send("200 OK", OVERLAY_CSS, "text/css; charset=utf-8")
        if path == DEV_PREFIX + "build":
            return send("200 OK", build_id.encode(), "text/plain; charset=utf-8")
        found = lookup(path)
        if found.forbidden:
            return send("403 Forbidden", b"403 Forbidden: outside the site\n",
                        "text/plain; charset=utf-8")
        if found.redirect:
            return send("301 Moved Permanently", b"", "text/plain", (("Location", path + "/"),))
        if found.body is None:
            if not found.built:
                return send("200 OK", _error_page(errors, build_id), "text/html; charset=utf-8")
            return send("404 Not Found", _dev_page(missing_page(found), errors, build_id,
                                                   warnings), "text/html; charset=utf-8")
        body = found.body
        ctype = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if ctype == "text/html" and found.rel:
            with state.lock:
                state.shown = [*(p for p in state.shown if p != found.rel), found.rel][-8:]
        if ctype == "text/html" and not path.startswith("/admin/"):  # the editor: no reload
            body = _dev_page(body if isinstance(body, bytes) else b"".join(body), errors,
                             build_id, warnings)
        if ctype.startswith("text/") or ctype in ("application/json", "application/xml"):
            ctype += "; charset=utf-8"
        return send("200 OK", body, ctype)

    return app


def local_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` headers a browser sends to a loopback server; empty for other hosts."""
    if host_warning(host):
        return frozenset()
    names = {"127.0.0.1", "localhost", "[::1]", devserver.shown_host(host)}
    return frozenset(f"{name}:{port}" for name in names)


def host_warning(host: str) -> str | None:
    """Warn when the server can be reached from other machines: it shows drafts."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        return None
    return (f"warning: serving on {host}: other machines on the network can see this site, "
            "drafts included")


def port_problem(host: str, port: int) -> str | None:
    """Say why the port cannot be used, before a long build and a less clear failure."""
    if not 1 <= port <= 65535:
        return f"--port {port}: a port is a number from 1 to 65535"
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            sock.bind((host, port))
        except OSError as exc:
            return bind_problem(host, port, exc)
    return None


def bind_problem(host: str, port: int, exc: OSError) -> str:
    """One line for an address the server cannot listen on."""
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} is already in use on {host}: "
                f"try `timeline serve --port {port + 1}`")
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def live_path(site: Path, changed: list[Path]) -> str | None:
    """The output path of a lone changed stylesheet or image, which pages can swap in place."""
    if len(changed) != 1 or changed[0].suffix.lower() not in LIVE_SUFFIXES:
        return None
    static = site / "static"
    if not changed[0].is_relative_to(static) or not changed[0].is_file():
        return None
    return changed[0].relative_to(static).as_posix()


Build = Callable[..., BuildResult]
"""``build_site``: handed in, so that serving knows nothing of how a site is built."""


def serve_site(site: Path, build_site: Build, host: str = "127.0.0.1", port: int = 8000,
               open_browser: bool = False, output: Path | None = None) -> int:
    """Build with drafts, serve on host:port, rebuild on every save; return the exit status.

    The site is kept and served in memory; with ``output`` it is also written there, in the
    background after each build."""
    from generator.dev.first import FirstPages
    from generator.dev.mirror import DiskMirror
    from generator.incremental.memory import MemoryState

    site = site.absolute()
    if not (site / "timeline.toml").is_file():
        print(f"timeline.toml: not found in {site}: is this a timeline site?", file=sys.stderr)
        return 1
    problem = port_problem(host, port)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    warning = host_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    state = ServeState()
    base_url = f"http://{devserver.shown_host(host)}:{port}/"
    memory = MemoryState(site, site / CACHE_DIR / "serve", True, base_url)
    mirror = DiskMirror(output.absolute(), site / CACHE_DIR / "locks") if output else None

    def rebuild(changed: list[Path], early: Callable[[], None]) -> str | None:
        started = time.perf_counter()
        names = ", ".join(p.relative_to(site).as_posix() if p.is_relative_to(site) else str(p)
                          for p in changed[:3]) + (" ..." if len(changed) > 3 else "")
        prefix = f"{time.strftime('%H:%M:%S')} {names} changed: " if changed else ""
        with state.lock:
            failed_before = bool(state.errors)
        if changed:
            memory.notice(changed)
        with state.lock:  # what a browser shows is made first, and shown at once
            wishes = FirstPages(memory, state.shown, early)
        try:
            result = build_site(site, memory.output, drafts=True, base_url=base_url,
                                state=memory, target="memory", order=wishes.order,
                                told=wishes.told)
        except Exception as exc:  # any failure must leave the server up
            if isinstance(exc, SiteError):  # errors first: they are what stopped it
                lines = [str(p) for p in sorted(exc.problems,
                                                key=lambda p: p.severity == "warning")]
            else:  # a bug, not a typo: keep the traceback for the report
                traceback.print_exc()
                lines = [f"internal error: {type(exc).__name__}: {exc}"]
            with state.lock:
                state.errors = lines
                state.builds += 1
            print(f"{prefix}build failed in {time.perf_counter() - started:.2f} s; "
                  "still serving the last good site", file=sys.stderr, flush=True)
            for line in lines:
                print(line, file=sys.stderr, flush=True)
            return None
        with state.lock:
            state.errors = []
            state.warnings = [str(p) for p in result.warnings]
            state.builds += 1
        for problem in result.warnings:
            print(problem, file=sys.stderr)
        print(prefix + result.summary(), flush=True)
        if mirror is not None:
            mirror.update(memory.site_files)
        # A page showing the overlay must reload whole to lose it.
        return None if failed_before else live_path(site, changed)

    editor, line = start_editor(site)
    if line:
        print(line, file=sys.stderr if editor is None else sys.stdout, flush=True)
    try:
        hosts = local_hosts(host, port)
        devserver.run(make_app(memory_lookup(memory.serving), state, hosts, editor), host, port,
                      [site / n for n in WATCHED], rebuild, open_browser, hosts)
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # the port was taken during the first build
        print(bind_problem(host, port, exc), file=sys.stderr)
        return 1
    finally:
        if editor is not None:
            editor.stop()
    if mirror is not None:
        mirror.wait()
    print("stopped", flush=True)
    return 0
