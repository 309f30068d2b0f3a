"""A local web server that plays every answer a source link can get, and a fake Wayback
Machine (availability API, Save Page Now): the sources tests never reach the internet."""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PAGE = b"<!doctype html><html><head><title>%s</title></head><body>A report.</body></html>"


@dataclass
class Played:
    """What the server saw and what its fake archive holds."""

    requests: list[tuple[str, str, str, float]] = field(default_factory=list)
    """(method, path, User-Agent, time)."""
    snapshots: dict[str, str] = field(default_factory=dict)
    """Source URL -> snapshot address the availability API answers with."""
    saves: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    hang: float = 3.0
    slow: set[str] = field(default_factory=set)
    """Source URLs the availability API takes ``hang`` seconds to answer for."""
    headers: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    """(path, request headers with lower-case names), for each request."""


ROUTES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/": (200, {}, PAGE % b"Home"),
    "/ok": (200, {}, PAGE % b"A report"),
    "/moved": (301, {"Location": "/moved-again"}, b""),
    "/moved-again": (308, {"Location": "/ok"}, b""),
    "/temporary": (302, {"Location": "/ok"}, b""),
    "/gone-404": (404, {}, PAGE % b"Not here"),
    "/gone-410": (410, {}, b""),
    "/broken": (500, {}, b"oops"),
    "/to-home": (302, {"Location": "/"}, b""),
    "/soft-title": (200, {}, PAGE % "페이지를 찾을 수 없습니다".encode()),
    "/soft-english": (200, {}, PAGE % b"Page Not Found | Example"),
    "/loop-a": (302, {"Location": "/loop-b"}, b""),
    "/loop-b": (302, {"Location": "/loop-a"}, b""),
    "/set-cookie": (200, {"Set-Cookie": "session=abc; Path=/"}, PAGE % b"Cookie"),
    "/busy-long": (429, {"Retry-After": "50"}, b""),
    "/to-bad": (302, {"Location": "http://[zz]/"}, b""),
    "/moved-odd": (301, {"Location": "/odd\x9b[31m"}, b""),
}

_BOMB: list[bytes] = []


def bomb() -> bytes:
    """130 MB of zeros, gzipped (about 130 kB): what one response cost before the cap."""
    if not _BOMB:
        packer = zlib.compressobj(1, zlib.DEFLATED, 31)
        chunk = bytes(1 << 20)
        _BOMB.append(b"".join(packer.compress(chunk) for _ in range(130)) + packer.flush())
    return _BOMB[0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    played: Played

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def _send(self, code: int, headers: dict[str, str], body: bytes, head: bool) -> None:
        self.send_response(code)
        headers = {"Content-Type": "text/html; charset=utf-8", **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _answer(self, head: bool) -> None:
        played = self.played
        parts = urlsplit(self.path)
        path = parts.path
        played.requests.append((self.command, self.path, self.headers.get("User-Agent", ""),
                                time.monotonic()))
        played.headers.append((path, {k.lower(): v for k, v in self.headers.items()}))
        count = played.counts[path] = played.counts.get(path, 0) + 1
        if path in ROUTES:
            self._send(*ROUTES[path], head)
        elif path == "/no-head":
            self._send(405, {}, b"", head) if head else self._send(*ROUTES["/ok"], head)
        elif path in ("/busy", "/unavailable"):
            code = 429 if path == "/busy" else 503
            if count == 1:
                self._send(code, {"Retry-After": "1"}, b"", head)
            else:
                self._send(*ROUTES["/ok"], head)
        elif path.startswith("/chain/"):
            number = int(path.rsplit("/", 1)[1])
            self._send(302, {"Location": f"/chain/{number + 1}"}, b"", head)
        elif path.startswith("/slow/"):
            time.sleep(0.4)
            self._send(*ROUTES["/ok"], head)
        elif path == "/hang":
            time.sleep(played.hang)
            self._send(*ROUTES["/ok"], head)
        elif path == "/big":
            self._big(head)
        elif path == "/bomb":
            self._send(200, {"Content-Encoding": "gzip"}, bomb(), head)
        elif path == "/brotli":  # not read: only gzip and deflate are unpacked, capped
            self._send(200, {"Content-Encoding": "br"}, b"\x1b\x2b" * 1000, head)
        elif path.startswith("/odd"):
            self._send(*ROUTES["/ok"], head)
        elif path == "/redirect":  # /redirect?to=URL
            self._send(302, {"Location": parse_qs(parts.query)["to"][0]}, b"", head)
        elif path == "/moved-cred":
            where = f"http://u2:pw2@{self.headers['Host']}/ok"
            self._send(301, {"Location": where}, b"", head)
        elif path == "/wayback/available":
            url = parse_qs(parts.query).get("url", [""])[0]
            if url in played.slow:
                time.sleep(played.hang)
            snapshot = played.snapshots.get(url)
            closest = {"available": True, "url": snapshot, "status": "200",
                       "timestamp": snapshot.split("/web/")[1][:14]} if snapshot else None
            body = json.dumps({"url": url, "archived_snapshots":
                               {"closest": closest} if closest else {}}).encode()
            self._send(200, {"Content-Type": "application/json"}, body, head)
        elif path.startswith("/save/"):
            url = self.path[len("/save/"):]
            played.saves.append(url)
            self._send(302, {"Location": f"/web/20261201000000/{url}"}, b"", head)
        else:
            self._send(404, {}, PAGE % b"Not found", head)

    def _big(self, head: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(10_000_000))
        self.end_headers()
        if head:
            return
        try:
            self.wfile.write(b"<html><head><title>Big</title></head><body>")
            for _ in range(1000):
                self.wfile.write(b"x" * 10_000)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(head=False)


@contextmanager
def link_server(host: str = "127.0.0.1") -> Iterator[tuple[str, Played]]:
    """Serve on a free port; yield (base URL, what was played)."""
    played = Played()
    handler = type("PlayedHandler", (Handler,), {"played": played})
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    server.block_on_close = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}", played
    finally:
        server.shutdown()
        server.server_close()
