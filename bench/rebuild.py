"""Rebuild time after one edit while serving: this repository's site and 2,000 events.

    python bench/rebuild.py [--events 2000] [--repeat 5] [--json bench/rebuild.json]
                            [--no-serve]

Both sites are copied or generated into a temporary folder (the repository is never edited).
For each site:

- cold: the first build, caches empty, as ``timeline serve`` starts;
- no change: a rebuild with nothing edited;
- title / body edit: a rebuild after one event's title (or only its body) changed; the
  median of ``--repeat`` edits, with the number of files actually rewritten;
- watch poll: one look at every watched file, which the server does 4 times a second;
- save to page: a real ``timeline serve`` process, from writing the file to the served page
  showing the new title (poll interval, rebuild and HTTP included): what an editor waits.

The rebuilds call ``build_site`` exactly as ``serve`` does (drafts, local base URL, into
``.timeline-cache/serve``). Synthetic events come from a fixed seed: every run builds the
same site.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build_site  # noqa: E402 - after the path above
from generator.dev.devserver import snapshot  # noqa: E402
from generator.dev.serve import WATCHED  # noqa: E402

BASE_URL = "http://127.0.0.1:8000/"
WORDS = ("factory workers sanctions council resolution textile export ministry complex "
         "industrial production report officials border trade garment liaison office wages "
         "quota permit abroad labour agreement inspection shipment port customs").split()
TAGS = ["sanctions", "kaesong", "labour", "textiles", "munitions", "trade", "diplomacy",
        "shipping", "finance", "energy", "fishing", "construction"]
PLACES = ["Kaesong", "Seoul", "Pyongyang", "New York", "Beijing", "Dandong", "Vladivostok"]
STATUSES = ["confirmed", "reported", "disputed"]


def make_synthetic(folder: Path, count: int, seed: int = 4) -> Path:
    """Write a site with ``count`` events; the same seed writes the same files."""
    rng = random.Random(seed)
    (folder / "content" / "events").mkdir(parents=True)
    (folder / "timeline.toml").write_text(
        'title = "Rebuild benchmark"\nbase_url = "https://bench.example/"\n', "utf-8")
    for i in range(count):
        year = rng.randint(1990, 2023)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        date = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize()
        body = "\n\n".join(
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 70))).capitalize() + "."
            for _ in range(rng.randint(1, 4)))
        text = (f'---\ntitle: "{title} {i}"\ndate: "{date}"\nstatus: {rng.choice(STATUSES)}\n'
                f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]\n"
                f"places: [{', '.join(rng.sample(PLACES, rng.randint(0, 2)))}]\n"
                f'sources:\n  - publisher: Example News\n    title: "Report {i}"\n'
                f'    url: https://example.org/report/{i}\n    published: "{year}"\n'
                f"---\n{body}\n")
        folder_for_year = folder / "content" / "events" / str(year)
        folder_for_year.mkdir(exist_ok=True)
        (folder_for_year / f"event-{i:05d}.md").write_text(text, "utf-8")
    return folder


def copy_real(folder: Path) -> Path:
    """This repository's own site, copied: content, config, templates and static files."""
    folder.mkdir()
    for name in WATCHED:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, folder / name)
        elif src.is_file():
            shutil.copy2(src, folder / name)
    return folder


def target_event(site: Path) -> Path:
    events = sorted((site / "content" / "events").rglob("*.md"))
    return events[len(events) // 2]


def set_title(path: Path, title: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = f"title: {json.dumps(title)}\n"
    path.write_text("".join(lines), "utf-8")


def add_to_body(path: Path, n: int) -> None:
    path.write_text(path.read_text("utf-8").rstrip("\n") + f"\n\nEdit number {n}.\n", "utf-8")


def median_of(times: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def rebuilds(site: Path, repeat: int) -> dict[str, Any]:
    """Time ``build_site`` as serve calls it, cold, unchanged and after single edits."""
    output = site / ".timeline-cache" / "serve"

    def build() -> tuple[float, int, int]:
        started = time.perf_counter()
        result = build_site(site, output, drafts=True, base_url=BASE_URL)
        return time.perf_counter() - started, result.written, result.pages

    row: dict[str, Any] = {}
    row["cold_s"], _, row["files"] = build()
    row["unchanged_s"] = build()[0]
    event = target_event(site)
    for kind, edit in (("title_edit", lambda n: set_title(event, f"Edited title {n}")),
                       ("body_edit", lambda n: add_to_body(event, n))):
        times, written = [], []
        for n in range(repeat):
            edit(n)
            seconds, wrote, _ = build()
            times.append(seconds)
            written.append(wrote)
        row[f"{kind}_s"] = median_of(times)
        row[f"{kind}_written"] = statistics.median(written)
    watched = [site / name for name in WATCHED]
    polls = []
    for _ in range(20):
        started = time.perf_counter()
        snapshot(watched)
        polls.append(time.perf_counter() - started)
    row["watch_poll_ms"] = statistics.median(polls) * 1000
    row["watched_files"] = len(snapshot(watched))
    return row


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait(check: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the served page did not change")
        time.sleep(0.01)


def save_to_page(site: Path, repeat: int) -> dict[str, float]:
    """Time a real ``timeline serve``: write the file, poll until the page shows it."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", str(site),
                             "--port", str(port)], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    event = target_event(site)
    page = f"/events/{event.stem}/"

    def up() -> bool:
        try:
            return "<h1>" in fetch(port, page)
        except OSError:
            return False

    try:
        wait(up, 300)
        times = []
        for n in range(repeat):
            title = f"Served title {n} {time.time_ns()}"
            started = time.perf_counter()
            set_title(event, title)
            wait(lambda t=title: f"<h1>{t}</h1>" in fetch(port, page), 120)
            times.append(time.perf_counter() - started)
            time.sleep(0.3)
        return median_of(times)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", default=str(REPO / "bench" / "rebuild.json"))
    parser.add_argument("--no-serve", action="store_true", help="skip the save-to-page timing")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="rebuild-") as tmp:
        for name, make in (("real", lambda: copy_real(Path(tmp) / "real")),
                           (f"synthetic-{args.events}",
                            lambda: make_synthetic(Path(tmp) / "synthetic", args.events))):
            site = make()
            row: dict[str, Any] = {"site": name,
                                   "events": len(list(site.glob("content/events/**/*.md")))}
            row.update(rebuilds(site, args.repeat))
            if not args.no_serve:
                row["save_to_page_s"] = save_to_page(site, args.repeat)
            rows.append(row)
    print(f"{'site':<16} {'events':>6} {'files':>6} {'cold':>7} {'no change':>9} "
          f"{'title edit':>10} {'written':>7} {'body edit':>9} {'written':>7} "
          f"{'poll':>7} {'save→page':>9}")
    for r in rows:
        page = f"{r['save_to_page_s']['median']:.2f} s" if "save_to_page_s" in r else "-"
        print(f"{r['site']:<16} {r['events']:>6} {r['files']:>6} {r['cold_s']:>5.2f} s "
              f"{r['unchanged_s']:>7.2f} s {r['title_edit_s']['median']:>8.2f} s "
              f"{r['title_edit_written']:>7.0f} {r['body_edit_s']['median']:>7.2f} s "
              f"{r['body_edit_written']:>7.0f} {r['watch_poll_ms']:>4.0f} ms {page:>9}")
    Path(args.json).write_text(json.dumps(
        {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
         "when": time.strftime("%Y-%m-%d"), "repeat": args.repeat, "rows": rows},
        indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
