"""The one module that knows ``livereload``: swap it here for another server, nothing else.

It is handed a WSGI app, the paths to watch and a rebuild function; it knows nothing of
events, templates or builds.
"""

from __future__ import annotations

import logging
import threading
import webbrowser
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

CLIENT_PATH = "/livereload.js"
"""Where the browser client is served; pages load it with ``?port=``."""


def run(app: WSGIApp, host: str, port: int, watch: Iterable[str],
        on_change: Callable[[], None], open_browser: bool = False) -> None:
    """Serve ``app``, call ``on_change`` when a watched path changes, reload the browsers.

    Returns when the server stops (Ctrl-C).
    """
    from livereload import Server

    for name in ("livereload", "tornado.access", "tornado.application", "tornado.general"):
        logging.getLogger(name).setLevel(logging.ERROR)
    server = Server(app)
    for path in watch:
        server.watch(path, on_change)
    if open_browser:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
        url = f"http://{shown}:{port}/"
        threading.Timer(1.0, webbrowser.open, [url]).start()
    # debug=False: tornado's autoreload would restart the process when Python files change.
    server.serve(port=port, host=host, debug=False, restart_delay=0, live_css=True)
