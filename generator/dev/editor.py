"""The browser editor under ``timeline serve``: Decap CMS's local proxy (``decap-server``, npm)
as a child process on 127.0.0.1, reached through serve's own origin so the ``Host`` check
guards it too.

Decap's "multiple files" translations name every language, the first too (``x.en.md``);
our files follow Hugo (``x.md`` beside ``x.ko.md``). The proxy renames on the way: the CMS
sees ``x.en.md``, the disk keeps ``x.md``.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content.translations import translation_of
from generator.dev.cms import ADMIN, PROXY_PATH, find_package

__all__ = ["PROXY_PATH", "Editor", "start_editor"]

EDITED = ("content/events/", "content/pages/")


@dataclass
class Editor:
    """A running ``decap-server`` and where the CMS's script files are."""

    process: subprocess.Popen[bytes]
    site: Path
    port: int
    scripts: Path
    language: str
    """The site's first language: the one Decap names and our file names leave out."""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def answer(self, method: str, path: str, environ: dict[str, Any]
               ) -> tuple[str, bytes, str] | None:
        """Serve's answer for the CMS's requests and scripts (status, body, type), or None."""
        if path == PROXY_PATH and method == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            code, reply = self.forward(environ["wsgi.input"].read(size))
            return f"{code} {'OK' if code == 200 else 'Error'}", reply, \
                "application/json; charset=utf-8"
        if path == "/admin/config.yml" and method in ("GET", "HEAD"):
            # The CMS wants an absolute address for its backend: this server's own.
            text = (self.site / ADMIN / "config.yml").read_text("utf-8").replace(
                f"url: {PROXY_PATH}", f"url: http://{environ.get('HTTP_HOST', '')}{PROXY_PATH}")
            return "200 OK", text.encode(), "text/yaml; charset=utf-8"
        script = self.script(path.removeprefix("/admin/")) \
            if path.startswith("/admin/") and method in ("GET", "HEAD") else None
        if script is None:
            return None
        kind = "application/wasm" if path.endswith(".wasm") else \
            mimetypes.guess_type(path)[0] or "text/javascript"
        return "200 OK", script, kind

    def script(self, name: str) -> bytes | None:
        """A file of the npm package's ``dist/`` (the script, its chunks); None for others."""
        if "/" in name or "\\" in name or not name.endswith((".js", ".wasm", ".css")):
            return None
        path = self.scripts / name
        return path.read_bytes() if path.is_file() else None

    def forward(self, body: bytes) -> tuple[int, bytes]:
        """Pass one CMS request to ``decap-server``, renaming files on the way."""
        import httpx

        request = _rename(json.loads(body), lambda p: to_disk(p, self.language))
        if request.get("action") == "persistEntry":
            _skip_empty_translations(request.get("params", {}))
        try:
            reply = httpx.post(f"http://127.0.0.1:{self.port}/api/v1", json=request,
                               timeout=30)
        except httpx.HTTPError as exc:  # the proxy stopped: say so, keep serving
            return 502, json.dumps({"error": f"decap-server: {exc}"}).encode()
        try:
            data = reply.json()
        except ValueError:
            return reply.status_code, reply.content
        data = _rename(data, lambda p: to_cms(p, self.language))
        return reply.status_code, json.dumps(data).encode()


def to_disk(path: str, language: str) -> str:
    """``content/events/x.en.md`` → ``content/events/x.md`` for the first language."""
    suffix = f".{language}.md"
    if path.startswith(EDITED) and path.endswith(suffix):
        return path[: -len(suffix)] + ".md"
    return path


def to_cms(path: str, language: str) -> str:
    """``content/events/x.md`` → ``content/events/x.en.md``; translations stay."""
    if path.startswith(EDITED) and path.endswith(".md") and translation_of(path) is None:
        return path[:-3] + f".{language}.md"
    return path


def _skip_empty_translations(params: dict[str, Any]) -> None:
    """Decap writes every language's file, an empty one for a language not written yet:
    ``check`` would refuse ``x.ko.md`` with no front-matter, so it is not written."""
    files = params.get("dataFiles")
    if isinstance(files, list):
        params["dataFiles"] = [
            f for f in files if not (isinstance(f, dict) and translation_of(str(f.get("path")))
                                     and not str(f.get("raw", "")).replace("---", "").strip())]


def _rename(value: Any, rename: Callable[[str], str]) -> Any:
    if isinstance(value, dict):
        return {k: rename(v) if k in ("path", "newPath") and isinstance(v, str)
                else [rename(p) if isinstance(p, str) else _rename(p, rename) for p in v]
                if k == "paths" and isinstance(v, list) else _rename(v, rename)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, rename) for v in value]
    return value


def _die_with_parent() -> None:
    """Linux: the proxy ends when serve does, even killed (``PR_SET_PDEATHSIG``)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_editor(site: Path) -> tuple[Editor | None, str]:
    """Start the local proxy when the site has ``static/admin/config.yml``; the editor (or
    None) and one line to print."""
    if not (site / ADMIN / "config.yml").is_file():
        return None, ""
    from generator.config import load_config

    config, _ = load_config(site)
    language = (config.languages or (config.language,))[0]
    node = shutil.which("node")
    server = find_package(site, "decap-server")
    cms = find_package(site, "decap-cms")
    if node is None:
        return None, "editor: node not found: install Node.js to edit at /admin/"
    if server is None or cms is None:
        return None, ("editor: decap-cms and decap-server are not installed: run "
                      "`npm install decap-cms decap-server` to edit at /admin/")
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(site.absolute()), "LOG_LEVEL": "warn"}
    process = subprocess.Popen([node, str(server / "dist" / "index.js")], env=env,  # noqa: S603
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return (Editor(process, site, port, cms / "dist", language),
                    "editor: /admin/ (Decap CMS, local files)")
        except OSError:
            time.sleep(0.1)
    process.kill()
    return None, "editor: decap-server did not start: /admin/ cannot save"
