"""Save → page: from writing a file to the served page showing it, ``timeline serve`` against
``hugo server`` on the same events, for each kind of edit; and serve's memory over 100 edits.

    python bench/rebuild.py [--events 1000] [--repeat 3] [--edits 100]
                            [--hugo hugo /work/hugo-venv/bin/hugo] [--no-hugo]
                            [--json bench/rebuild.json]

A synthetic site (fixed seed) is generated into a temporary folder, and a copy of it made
into a Hugo site (bench.py's *comparable* theme, its event page showing title, date, status,
tags and body). Each server runs as its own process on a free port; after it answers, each
kind of edit is made ``--repeat`` times, each timed from the write to the first response
that shows it (pages are polled every 10 ms): title, body, date (another day of the same
year), tag and status edits on one event's page, an added event's page answering 200, a
deleted one's 404, and a template edit showing on an event page. Then ``--edits`` title
edits in a row, with the resident memory of the ``timeline serve`` process after the first
build and after every tenth edit.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import hugo_version, make_hugo_site, make_site  # noqa: E402 - after the path


@dataclass
class Server:
    """A running dev server and how its URLs and files are named."""

    name: str
    proc: subprocess.Popen[bytes]
    port: int
    site: Path
    event_url: Callable[[Path], str]
    template: Path
    """A template every event page shows (text added at its end shows on the page)."""
    done: list[float] = field(default_factory=list)
    """``timeline serve``: the seconds from each edit until its whole site was made."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait(check: Callable[[], bool], seconds: float) -> float:
    """Poll ``check`` every 10 ms; return when it holds (the time it took)."""
    started = time.perf_counter()
    while True:
        try:
            if check():
                return time.perf_counter() - started
        except (OSError, http.client.HTTPException):  # a server that is rebuilding
            pass
        if time.perf_counter() - started > seconds:
            raise TimeoutError("timed out")
        time.sleep(0.01)


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def events(site: Path) -> list[Path]:
    return sorted((site / "content" / "events").rglob("*.md"))


def _replace_line(path: Path, start: str, line: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, text in enumerate(lines) if text.startswith(start))
    lines[at] = line + "\n"
    path.write_text("".join(lines), "utf-8")


def _date_key(server: Server) -> str:
    return "edtf: " if server.name.startswith("hugo") else "date: "


def edit_and_wait(server: Server, kind: str, n: int) -> float:
    """Make one edit of ``kind``; return the seconds until the server shows it."""
    target = events(server.site)[len(events(server.site)) // 2]
    url = server.event_url(target)
    before = fetch(server.port, url)[1]
    build = fetch(server.port, "/__timeline__/build")[1] if server.name == "timeline serve" \
        else None
    changed = lambda: fetch(server.port, url)[1] != before  # noqa: E731
    started = time.perf_counter()
    if kind == "title":
        _replace_line(target, "title:", f'title: "Edited title {n} {time.time_ns()}"')
    elif kind == "body":
        target.write_text(target.read_text("utf-8").rstrip("\n")
                          + f"\n\nEdit number {n} {time.time_ns()}.\n", "utf-8")
    elif kind == "date":
        key = _date_key(server)  # another day of the same year: a date corrected
        now = next(line for line in target.read_text("utf-8").splitlines()
                   if line.startswith(key))
        year = now.split('"')[1][:4]
        _replace_line(target, key, f'{key}"{year}-0{1 + n % 9}-1{n % 9}"')
    elif kind == "tag":
        _replace_line(target, "tags:", f"tags: [sanctions, edited{n}]")
    elif kind == "status":
        now = next(line for line in target.read_text("utf-8").splitlines()
                   if line.startswith("status:"))
        _replace_line(target, "status:", "status: disputed" if "confirmed" in now
                      else "status: confirmed")
    elif kind == "added event":
        path = target.parent / f"added-{n}-{time.time_ns()}.md"
        url = server.event_url(path)
        changed = lambda: fetch(server.port, url)[0] == 200  # noqa: E731
        started = time.perf_counter()
        path.write_text(target.read_text("utf-8"), "utf-8")
    elif kind == "deleted event":
        victim = events(server.site)[n * 11 % len(events(server.site))]
        url = server.event_url(victim)
        if fetch(server.port, url)[0] != 200:
            raise RuntimeError(f"{url}: not served before the deletion")
        changed = lambda: fetch(server.port, url)[0] == 404  # noqa: E731
        started = time.perf_counter()
        victim.unlink()
    elif kind == "template":
        # Visible text: Go's templates drop HTML comments.
        mark = f"<i>template edit {n} {time.time_ns()}</i>"
        text = server.template.read_text("utf-8")
        server.template.write_text(text.split("<i>template edit")[0] + mark, "utf-8")
        changed = lambda: mark.encode() in fetch(server.port, url)[1]  # noqa: E731
    try:
        wait(changed, TIMEOUT_S)
    except TimeoutError:
        raise TimeoutError(f"{server.name}: {kind} edit {n}: {url} did not change") from None
    shown = time.perf_counter() - started
    if build is not None:  # timeline serve: until the whole site is made
        wait(lambda: fetch(server.port, "/__timeline__/build")[1] != build, 900)
        server.done.append(time.perf_counter() - started)
    return shown


TIMEOUT_S = 30.0
"""An edit not shown by then is reported as never shown."""

KINDS = ["title", "body", "date", "tag", "status", "added event", "deleted event", "template"]


def start_timeline(site: Path) -> Server:
    port = free_port()
    template = site / "templates" / "_sources.html"
    template.parent.mkdir(exist_ok=True)
    shutil.copy(REPO / "templates" / "_sources.html", template)
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(site),
                             "--port", str(port)], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return Server("timeline serve", proc, port, site,
                  lambda path: f"/events/{path.stem}/", template)


def start_hugo(binary: str, site: Path, folder: Path) -> Server:
    hsite = make_hugo_site(site, folder, "comparable")
    single = hsite / "layouts" / "_default" / "single.html"
    single.write_text(
        "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>"
        "<p>{{ .Params.edtf }} {{ .Params.status }}</p>{{ .Content }}"
        "<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>", "utf-8")
    port = free_port()
    proc = subprocess.Popen([binary, "server", "--port", str(port), "--bind", "127.0.0.1",
                             "--disableLiveReload"], cwd=hsite,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = hsite / "content"
    return Server(f"hugo {hugo_version(binary)}", proc, port, hsite,
                  lambda path: f"/{path.relative_to(root).with_suffix('').as_posix().lower()}/",
                  single)


def measure(server: Server, repeat: int, edits: int) -> dict[str, Any]:
    row: dict[str, Any] = {"server": server.name}
    try:
        first = events(server.site)[0]
        row["first_build_s"] = wait(lambda: fetch(server.port, server.event_url(first))[0]
                                    == 200, 900)
        time.sleep(1)  # let the server settle (and files written at start age)
        for kind in KINDS:
            times = []
            server.done.clear()
            try:
                for n in range(repeat):
                    times.append(edit_and_wait(server, kind, n))
                    time.sleep(0.3)
            except TimeoutError as exc:  # hugo server keeps serving a deleted page
                print(f"{exc} within {TIMEOUT_S:.0f} s", file=sys.stderr)
                row[kind] = None
                continue
            row[kind] = {"median": statistics.median(times), "runs": times,
                         "whole_site_s": list(server.done)}
        if edits and server.name == "timeline serve":
            memory = [rss_mb(server.proc.pid)]
            for n in range(edits):
                edit_and_wait(server, "title", 1000 + n)
                if (n + 1) % 10 == 0:
                    memory.append(rss_mb(server.proc.pid))
            row["rss_mb"] = memory
    finally:
        server.proc.send_signal(signal.SIGINT)
        try:
            server.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()
    return row


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'save → page (median s)':<24}" + "".join(f"{r['server']:>16}" for r in rows)]
    for kind in ["first_build_s", *KINDS]:
        cells = []
        for r in rows:
            value = r.get(kind)
            cells.append("never" if value is None and kind in r else "-" if value is None else
                         f"{value if isinstance(value, float) else value['median']:.3f}")
        lines.append(f"{kind.replace('_s', '').replace('_', ' '):<24}"
                     + "".join(f"{c:>16}" for c in cells))
    for r in rows:
        wholes = {kind: statistics.median(r[kind]["whole_site_s"]) for kind in KINDS
                  if r.get(kind) and r[kind].get("whole_site_s")}
        if wholes:
            lines.append(f"{r['server']}, until the whole site is made (median s): "
                         + ", ".join(f"{kind} {s:.2f}" for kind, s in wholes.items()))
    for r in rows:
        if "rss_mb" in r:
            lines.append(f"{r['server']} resident MB, first build then every 10 edits: "
                         + " ".join(f"{mb:.0f}" for mb in r["rss_mb"]))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edits", type=int, default=100,
                        help="title edits in a row while serve's memory is measured")
    parser.add_argument("--hugo", nargs="+", default=["hugo"])
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--json", default=str(REPO / "bench" / "rebuild.json"))
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(REPO))
    rows = []
    with tempfile.TemporaryDirectory(prefix="rebuild-") as tmp:
        site = make_site(Path(tmp) / "site", args.events)
        rows.append(measure(start_timeline(site), args.repeat, args.edits))
        for binary in [] if args.no_hugo else [b for b in args.hugo if shutil.which(b)]:
            fresh = make_site(Path(tmp) / f"source-{len(rows)}", args.events)
            rows.append(measure(start_hugo(binary, fresh, Path(tmp) / f"hugo-{len(rows)}"),
                                args.repeat, 0))
    print(table(rows))
    Path(args.json).write_text(json.dumps(
        {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
         "when": time.strftime("%Y-%m-%d"), "events": args.events, "repeat": args.repeat,
         "rows": rows}, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
