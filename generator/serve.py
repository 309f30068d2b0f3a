"""``timeline serve``: build, serve the output, rebuild on save, show mistakes as an overlay.

The last good site stays served while a mistake is on screen; the overlay goes away with the
next good build. The HTTP and watch machinery lives in ``devserver``.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import devserver
from .cache import CACHE_DIR
from .errors import SiteError

DEV_PREFIX = "/__timeline__/"

DEV_JS = b"""// Dev server only: connect to livereload for automatic reloads.
(function () {
  var s = document.createElement("script");
  s.src = "%s?port=" + (window.location.port || 80);
  document.head.appendChild(s);
})();
""" % devserver.CLIENT_PATH.encode()

OVERLAY_CSS = b""".timeline-overlay { position: fixed; inset: auto 0 0 0; z-index: 9999;
 max-height: 60vh; overflow: auto; background: #2b0b0b; color: #fff; padding: 1rem 1.5rem;
 font: 15px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
 border-top: 4px solid #ff6b5b; }
.timeline-overlay h2 { font: bold 16px/1.4 system-ui, sans-serif; margin: 0 0 .5rem; }
.timeline-overlay pre { white-space: pre-wrap; margin: 0; }
.timeline-overlay p { font: 14px/1.4 system-ui, sans-serif; margin: .5rem 0 0; color: #ffd7d2; }
"""


@dataclass
class ServeState:
    """What the server shows: the last build's error lines, if it failed."""

    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _overlay(errors: list[str]) -> bytes:
    lines = html.escape("\n".join(errors))
    return (f'<div id="timeline-error-overlay" class="timeline-overlay" role="alert">'
            f"<h2>Build failed: the last good version is shown</h2><pre>{lines}</pre>"
            f"<p>Fix the file and save: this page reloads by itself.</p></div>").encode()


def _dev_page(body: bytes, errors: list[str]) -> bytes:
    """Add the livereload client and, when the last build failed, the error overlay.

    ``</head >`` keeps livereload from adding its inline script, which our CSP blocks;
    the external dev script loads the same client instead.
    """
    head = (f'<link rel="stylesheet" href="{DEV_PREFIX}overlay.css">'
            f'<script src="{DEV_PREFIX}dev.js" defer></script></head >').encode()
    body = body.replace(b"</head>", head, 1)
    if errors:
        start = body.find(b"<body")
        end = body.find(b">", start) + 1 if start >= 0 else -1
        overlay = _overlay(errors)
        body = body[:end] + overlay + body[end:] if end > 0 else overlay + body
    return body


def _error_page(errors: list[str]) -> bytes:
    return _dev_page(b"<!doctype html><html lang=en><head><meta charset=utf-8>"
                     b"<title>Build failed</title></head><body><main><h1>No site yet</h1>"
                     b"<p>The first build failed.</p></main></body></html>", errors)


def resolve(root: Path, url_path: str) -> Path | None:
    """Map a decoded URL path to a file inside ``root``; None for anything that leaves it."""
    if "\x00" in url_path or "\\" in url_path:
        return None
    parts = [p for p in url_path.split("/") if p]
    if any(p in ("..", ".") for p in parts):
        return None
    target = root.joinpath(*parts) if parts else root
    real_root = os.path.realpath(root)
    real = os.path.realpath(target)
    if real != real_root and not real.startswith(real_root + os.sep):
        return None
    return Path(real)


def make_app(root: Path, state: ServeState) -> devserver.WSGIApp:
    """A WSGI app serving only ``root``, with the dev client and overlay in every page."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "/")
        try:  # servers hand WSGI apps latin-1 strings; file names are UTF-8
            path = path.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass
        with state.lock:
            errors = list(state.errors)

        def send(status: str, body: bytes, ctype: str,
                 extra: tuple[tuple[str, str], ...] = ()) -> list[bytes]:
            start_response(status, [("Content-Type", ctype), ("Cache-Control", "no-store"),
                                    ("Content-Length", str(len(body))), *extra])
            return [body]

        if path == DEV_PREFIX + "dev.js":
            return send("200 OK", DEV_JS, "text/javascript; charset=utf-8")
        if path == DEV_PREFIX + "overlay.css":
            return send("200 OK", OVERLAY_CSS, "text/css; charset=utf-8")
        target = resolve(root, path)
        if target is None:
            return send("403 Forbidden", b"403 Forbidden: outside the site\n",
                        "text/plain; charset=utf-8")
        if target.is_dir():
            if not path.endswith("/"):
                return send("301 Moved Permanently", b"", "text/plain",
                            (("Location", path + "/"),))
            target = target / "index.html"
        if not target.is_file():
            if not root.is_dir():
                return send("200 OK", _error_page(errors), "text/html; charset=utf-8")
            missing = root / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"<!doctype html>" \
                b"<html><head><title>Not found</title></head><body>Not found</body></html>"
            return send("404 Not Found", _dev_page(body, errors), "text/html; charset=utf-8")
        body = target.read_bytes()
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype == "text/html":
            body = _dev_page(body, errors)
        if ctype.startswith("text/") or ctype in ("application/json", "application/xml"):
            ctype += "; charset=utf-8"
        return send("200 OK", body, ctype)

    return app


def local_name(host: str) -> str:
    """The address a browser on this machine uses for a server bound to ``host``."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 - a comparison


def port_problem(host: str, port: int) -> str | None:
    """Say why the port cannot be used, before the server starts and fails less clearly."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"port {port} is already in use on {host}: "
                        f"try `timeline serve --port {port + 1}`")
            return f"cannot listen on {host}:{port}: {exc.strerror}"
    return None


def serve_site(site: Path, host: str = "127.0.0.1", port: int = 8000,
               open_browser: bool = False, output: Path | None = None) -> int:
    """Build with drafts, serve on host:port, rebuild on every save; return the exit status."""
    from .build import build_site

    site = site.absolute()
    output = (output or site / CACHE_DIR / "serve").absolute()
    if not (site / "timeline.toml").is_file():
        print(f"timeline.toml: not found in {site}: is this a timeline site?", file=sys.stderr)
        return 1
    problem = port_problem(host, port)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}: other machines on the network can see drafts",
              file=sys.stderr)
    state = ServeState()
    base_url = f"http://{local_name(host)}:{port}/"

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            result = build_site(site, output, drafts=True, base_url=base_url)
        except SiteError as exc:
            lines = [str(p) for p in exc.problems]
            with state.lock:
                state.errors = lines
            for line in lines:
                print(line, file=sys.stderr, flush=True)
            print(f"build failed in {time.perf_counter() - started:.2f} s; "
                  "still serving the last good site", file=sys.stderr, flush=True)
            return
        with state.lock:
            state.errors = []
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        print(result.summary(), flush=True)

    rebuild()
    watch = [str(site / name) for name in ("content", "templates", "static", "timeline.toml")
             if (site / name).exists()]
    print(f"Serving {site.name} on {base_url} (Ctrl-C to stop)", flush=True)
    try:
        devserver.run(make_app(output, state), host, port, watch, rebuild, open_browser)
    except KeyboardInterrupt:
        pass
    print("stopped", flush=True)
    return 0
