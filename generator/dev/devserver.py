"""The one module that knows ``livereload``: swap it here for another server, nothing else.

It is handed a WSGI app, the paths to watch and a rebuild function; it knows nothing of
events, templates or builds. From livereload we use the HTTP server, the websocket that
tells browsers to reload and the browser client; watching is ours, because livereload's
watcher runs one rebuild per watched folder, ignores a second save within 3 seconds and
reports absolute file paths to every page that connects.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import signal
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from types import FrameType
from typing import Any

from generator.dev.wake import open_wake

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

OnChange = Callable[[list[Path], Callable[[], None]], str | None]
"""Rebuild after the listed files changed ([] for the first build); it may call its second
argument once, to reload the browsers' pages as soon as the pages they show are ready (the
rest of the site following). Return the one URL path browsers may swap in place (a
stylesheet or an image), or None to reload whole pages."""

CLIENT_PATH = "/livereload.js"
"""Where the browser client is served; pages load it with ``?port=``."""

POLL_SECONDS = 0.25
"""How often the watched files are looked at: fast enough to feel instant, cheap on 2,000.
Where inotify is there, a save also wakes the watcher at once (``wake``)."""

SETTLE_SECONDS = 0.05
"""Wait this long for a burst of saves (an editor, a git checkout) to end before building."""

RACY_NS = 2_000_000_000
"""A file modified this recently is also hashed: a second save in the same timestamp tick,
of the same size, changes nothing else that a poll can see."""

Snapshot = dict[str, tuple[int, int, int, str]]


def release_memory() -> None:
    """After a rebuild, once browsers were told: collect its cycles now (builds pause the
    collector, and a server that runs for hours would otherwise grow from edit to edit)
    and hand freed memory back to the system (glibc keeps it otherwise)."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def ignored(name: str) -> bool:
    """Hidden files, editor backups and swap files never trigger a rebuild."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx"))


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Inode, size and modification time of every watched file (and the hash of those
modified in the last two seconds); missing paths are skipped."""
    found: Snapshot = {}
    recent = time.time_ns() - RACY_NS

    def note(path: str) -> None:
        try:
            st = os.stat(path)
            digest = ""
            if max(st.st_mtime_ns, st.st_ctime_ns) > recent:
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
        except OSError:  # deleted between listing and stat: the next poll sees it gone
            return
        found[path] = (st.st_ino, st.st_size, st.st_mtime_ns, digest)

    for root in paths:
        if root.is_file():
            note(str(root))
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not ignored(d)]
            for name in filenames:
                if not ignored(name):
                    note(os.path.join(dirpath, name))
    return found


def changed_files(old: Snapshot, new: Snapshot) -> list[Path]:
    """Files added, removed or modified between two snapshots (a hash taken in one and
not the other, as a file ages, is no change)."""
    return sorted(Path(p) for p in old.keys() | new.keys() if not _same(old.get(p), new.get(p)))


def _same(a: tuple[int, int, int, str] | None, b: tuple[int, int, int, str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a[:3] == b[:3] and (not a[3] or not b[3] or a[3] == b[3])


def shown_host(host: str) -> str:
    """The host a browser on this machine uses for a server bound to ``host``."""
    if host in ("0.0.0.0", ""):  # noqa: S104 - a comparison, not a bind
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


HOST_HEADER = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]*)(?::[0-9]{1,5})?")
"""A ``Host`` header as browsers send it; tornado's WSGI bridge fails on others with a
traceback (it reads the part after ':' as a number) before our app can say 400."""


def checked_host(fallback: Callable[[Any], None]) -> Callable[[Any], None]:
    """Wrap livereload's WSGI bridge: a request with a malformed ``Host`` gets 400."""
    from tornado import httputil

    def handle(request: Any) -> None:
        if HOST_HEADER.fullmatch(request.host or ""):
            fallback(request)
            return
        body = b"400 Bad Request: malformed Host header\n"
        headers = httputil.HTTPHeaders({"Content-Type": "text/plain; charset=utf-8",
                                        "Content-Length": str(len(body))})
        request.connection.write_headers(
            httputil.ResponseStartLine("HTTP/1.1", 400, "Bad Request"), headers, chunk=body)
        request.connection.finish()

    return handle


def same_site(origin: str | None, host: str, hosts: Collection[str]) -> bool:
    """A request a page of this server may make: its ``Host`` one the site is served under
    (any, when ``hosts`` is empty: not on loopback) and its ``Origin``, when a browser sends
    one, this server itself. Else a web page elsewhere could watch save times and file names
    or reload open previews (a name rebound to 127.0.0.1 sends its own Host)."""
    host = host.lower()
    if hosts and host not in hosts:
        return False
    return origin is None or origin.lower() == f"http://{host}"


def _live_handlers(hosts: Collection[str]) -> list[tuple[str, Any, dict[str, Any]]]:
    """livereload's websocket and client, each refusing what ``same_site`` refuses; not its
    ``/forcereload``, which reloads every open page on a plain GET (an ``<img>`` elsewhere
    could send it) and which nothing of ours uses."""
    from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
    from tornado import web

    class Socket(LiveReloadHandler):  # type: ignore[misc]
        def initialize(self, hosts: Collection[str]) -> None:
            self.hosts = hosts

        def prepare(self) -> None:
            if not same_site(self.request.headers.get("Origin"), self.request.host,
                             self.hosts):
                raise web.HTTPError(403)

        def check_origin(self, origin: str) -> bool:
            return same_site(origin, self.request.host, self.hosts)

    class Client(LiveReloadJSHandler):  # type: ignore[misc]
        initialize, prepare = Socket.initialize, Socket.prepare

    return [(r"/livereload", Socket, {"hosts": hosts}),
            (CLIENT_PATH, Client, {"hosts": hosts})]


def _stop_on_sigterm() -> Callable[[], None]:
    """Treat SIGTERM like Ctrl-C, so ``kill`` also stops cleanly; return the undo."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)

    def undo() -> None:
        signal.signal(signal.SIGTERM, previous)

    return undo


def _quiet_logs() -> None:
    """Keep livereload's and tornado's chatter out of the terminal; real errors still show."""
    # A filter, not a level: livereload's serve() sets its logger back to INFO.
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)
    for name in ("tornado.access", "tornado.general"):
        logging.getLogger(name).setLevel(logging.ERROR)


def run(app: WSGIApp, host: str, port: int, watch: list[Path], on_change: OnChange,
        open_browser: bool = False, hosts: Collection[str] = ()) -> None:
    """Build once, serve ``app``, rebuild on every change and reload the open pages; the
    reloading websocket answers only requests with a ``Host`` in ``hosts`` (if any are
    given) from pages of this server.

    Returns when the server stops (Ctrl-C or SIGTERM, during the first build too). Raises
    ``OSError`` if the port cannot be bound.
    """
    undo = _stop_on_sigterm()
    try:
        _run(app, host, port, watch, on_change, open_browser, hosts)
    finally:
        undo()


def _run(app: WSGIApp, host: str, port: int, watch: list[Path], on_change: OnChange,
         open_browser: bool, hosts: Collection[str]) -> None:
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado import web
    from tornado.ioloop import IOLoop, PeriodicCallback

    url = f"http://{shown_host(host)}:{port}/"
    files = snapshot(watch)  # before the first build, so a save during it is not missed
    on_change([], lambda: None)  # here, before serving: it may use both cores
    release_memory()
    busy = False
    loop: IOLoop | None = None
    worker: threading.Thread | None = None

    def reload(path: str) -> None:
        assert loop is not None  # noqa: S101 - set when polling starts
        loop.add_callback(LiveReloadHandler.reload_waiters, path)

    def build(changed: list[Path]) -> None:
        """On a thread of its own, so pages are served while the rest of a site is made."""
        nonlocal busy
        told = False

        def early() -> None:
            nonlocal told
            if not told:
                told = True
                reload("*")

        try:
            path = on_change(changed, early)
        finally:
            busy = False
        if not told:  # the new site is in place before any browser hears of it
            reload(path or "*")
        release_memory()
        assert loop is not None  # noqa: S101 - set when polling starts
        loop.add_callback(poll)  # what was saved meanwhile

    wake = open_wake(watch)

    def woken(fd: int, events: int) -> None:
        assert wake is not None  # noqa: S101 - only registered with one
        if wake.drain() and not busy:
            poll()

    def poll() -> None:
        nonlocal files, busy, worker
        if busy:  # what changes meanwhile is seen against ``files`` once the build ends
            return
        current = snapshot(watch)
        if not changed_files(files, current):
            return
        for _ in range(20):  # let a burst of saves finish, but never wait forever
            time.sleep(SETTLE_SECONDS)
            later = snapshot(watch)
            if not changed_files(current, later):
                break
            current = later
        changed = changed_files(files, current)
        files = current
        if wake is not None:
            wake.watch(watch)  # folders made since
        busy = True
        worker = threading.Thread(target=build, args=(changed,), daemon=True)
        worker.start()

    class PollingWatcher(Watcher):  # type: ignore[misc]
        """Hands livereload our poll instead of its own watcher (see the module docstring)."""

        def start(self, callback: Callable[[], None]) -> bool:
            nonlocal loop
            loop = IOLoop.current()
            PeriodicCallback(poll, POLL_SECONDS * 1000).start()
            if wake is not None:
                loop.add_handler(wake.fd, woken, IOLoop.READ)
            print(f"Serving on {url} (Ctrl-C to stop)", flush=True)
            if open_browser:
                threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
            return True

    class PlainServer(Server):  # type: ignore[misc]
        """No inline script injected: our pages' CSP blocks it, ``app`` adds its own."""

        def get_web_handlers(self, script: bytes) -> Any:
            (pattern, handler, options), = super().get_web_handlers(b"")
            return [(pattern, handler, {"fallback": checked_host(options["fallback"])})]

        def application(self, port: int, host: str, liveport: int | None = None,
                        debug: bool | None = None, live_css: bool = True) -> None:
            """livereload's, with our guarded live handlers (``_live_handlers``)."""
            LiveReloadHandler.watcher = self.watcher
            LiveReloadHandler.live_css = live_css
            handlers = [*_live_handlers(hosts), *self.get_web_handlers(b"")]
            web.Application(handlers=handlers, debug=False).listen(port, address=host)

    watcher = PollingWatcher()
    watcher.watch(str(watch[0]) if watch else os.getcwd())  # livereload wants one task
    server = PlainServer(app, watcher=watcher)
    _quiet_logs()
    try:
        # debug=False: tornado's autoreload would restart the process when Python changes.
        server.serve(port=port, host=host, debug=False, restart_delay=0, live_css=True)
    finally:
        # A build in progress finishes and says so before "stopped": its site and its line
        # are whole. A second Ctrl-C stops at once.
        if worker is not None and worker.is_alive():
            print("finishing the build in progress (Ctrl-C again to stop at once)",
                  file=sys.stderr, flush=True)
            worker.join()
