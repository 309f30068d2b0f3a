"""Benchmark: N synthetic events built cold, warm after one edit, and with nothing changed.

    python bench/bench.py --events 1000 10000 [--repeat 3] [--json bench/results.json]
                          [--no-hugo]

Events are generated from a fixed seed, so every run builds the same site. Where `hugo` is
installed it builds the same events with a minimal theme, for a side-by-side ratio. Each
build runs as its own process, ``--repeat`` times (cold from an empty cache and output,
then one edit before each warm build, then no-op builds); the table gives medians and the
JSON every run. Peak memory is the largest resident size of a build and its workers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
WORDS = ("factory workers sanctions council resolution textile export ministry complex "
         "industrial production report officials border trade China Russia Seoul Pyongyang "
         "garment masks munitions shells liaison office wages brands quota permit abroad "
         "labour agreement inspection shipment port customs company joint venture").split()
TAGS = ["sanctions", "kaesong", "labour", "textiles", "covid-19", "munitions", "trade",
        "diplomacy", "china", "russia", "masks", "workers"]
PLACES = ["Kaesong", "Seoul", "Pyongyang", "New York", "Beijing", "Dandong", "Vladivostok",
          "Jagang Province"]
STATUSES = ["confirmed", "reported", "disputed"]


def _paragraphs(rng: random.Random) -> str:
    words = rng.randint(150, 300)
    out, line = [], []
    for i in range(words):
        word = rng.choice(WORDS)
        if i % 37 == 5:
            word = f"**{word}**"
        elif i % 53 == 9:
            word = f"[{word}](https://example.org/{word})"
        line.append(word)
        if len(line) > rng.randint(40, 70):
            out.append(" ".join(line).capitalize() + ".")
            line = []
    out.append(" ".join(line).capitalize() + ".")
    return "\n\n".join(out)


def make_site(folder: Path, count: int, seed: int = 2017) -> Path:
    """Write a site with ``count`` events; same seed, same files."""
    rng = random.Random(seed)
    events = folder / "content" / "events"
    events.mkdir(parents=True)
    (folder / "timeline.toml").write_text(
        'title = "Benchmark"\nbase_url = "https://bench.example/"\n', "utf-8")
    for i in range(count):
        year = rng.randint(1950, 2023)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        date = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}",
                           f"{year}-{month:02d}-{day:02d}", f"{year}~"])
        tags = rng.sample(TAGS, rng.randint(1, 3))
        places = rng.sample(PLACES, rng.randint(0, 2))
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))).capitalize()
        text = (f"---\ntitle: \"{title} {i}\"\ndate: \"{date}\"\n"
                f"status: {rng.choice(STATUSES)}\ntags: [{', '.join(tags)}]\n"
                f"places: [{', '.join(places)}]\nsources:\n"
                f"  - publisher: Example News\n    title: \"Report {i}\"\n"
                f"    url: https://example.org/report/{i}\n    published: \"{year}\"\n"
                f"---\n{_paragraphs(rng)}\n")
        sub = events / str(year)
        sub.mkdir(exist_ok=True)
        (sub / f"event-{i:05d}.md").write_text(text, "utf-8")
    return folder


def make_hugo_site(site: Path, folder: Path) -> Path:
    """The same events as a Hugo site with a minimal theme (front-matter is YAML too)."""
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (folder / "config.toml").write_text('baseURL = "https://bench.example/"\ntitle = "B"\n'
                                        'disableKinds = ["taxonomy", "term"]\n')
    (layouts / "single.html").write_text(
        "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}")
    (layouts / "list.html").write_text(
        "<!doctype html><title>{{ .Title }}</title><ul>{{ range .Pages }}"
        "<li><a href='{{ .RelPermalink }}'>{{ .Title }}</a></li>{{ end }}</ul>")
    (layouts / "index.html").write_text(
        "<!doctype html><title>{{ .Site.Title }}</title><ul>{{ range .Site.RegularPages }}"
        "<li><a href='{{ .RelPermalink }}'>{{ .Title }}</a></li>{{ end }}</ul>")
    content = folder / "content" / "events"
    for path in (site / "content" / "events").rglob("*.md"):
        text = path.read_text("utf-8")
        # Hugo wants a full date; EDTF partial dates become a plain parameter.
        text = text.replace("\ndate: ", "\nedtf: ", 1)
        dest = content / path.relative_to(site / "content" / "events")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, "utf-8")
    return folder


def _run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run a build; return (seconds, peak resident MB of it and its children).

    Dirty pages are flushed first, so no run pays for writing out the one before."""
    os.sync()
    code = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "r = subprocess.run(sys.argv[1:])\n"
            "s = time.perf_counter() - t\n"
            "kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "print(f'{s} {kb}')\n"
            "sys.exit(r.returncode)\n")
    out = subprocess.run([sys.executable, "-c", code, *cmd], cwd=cwd, check=True,
                         capture_output=True, text=True)
    seconds, kb = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024


def _edit_one(site: Path, number: int = 0) -> None:
    """Put "Edited" into the title of one event near the middle (another one each time)."""
    paths = sorted((site / "content" / "events").rglob("*.md"))
    path = paths[(len(paths) // 2 + number * 7) % len(paths)]
    text = path.read_text("utf-8")
    path.write_text(text.replace("title: \"", "title: \"Edited ", 1), "utf-8")


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """(median seconds, largest peak MB) of repeated runs."""
    return statistics.median(s for s, _ in runs), max(mb for _, mb in runs)


def bench(count: int, hugo: bool, repeat: int = 3) -> dict[str, Any]:
    """Each figure is the median of ``repeat`` runs: this machine's disk makes single runs
    vary by a second or more, for Hugo as for us."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{count}-") as tmp:
        site = make_site(Path(tmp) / "site", count)
        row: dict[str, Any] = {"events": count, "repeat": repeat}
        cold = []
        for number in range(repeat):
            # Each cold build gets an empty cache and a new output folder: deleting 300 MB
            # of output just before a run would slow the run's own writes.
            shutil.rmtree(site / ".timeline-cache", ignore_errors=True)
            output = Path(tmp) / f"out-{number}"
            timeline = [sys.executable, "-m", "generator", "build", "--quiet", str(site),
                        "--output", str(output)]
            cold.append(_run(timeline, REPO))
        warm = []
        for number in range(repeat):
            _edit_one(site, number)
            warm.append(_run(timeline, REPO))
        noop = [_run(timeline, REPO) for _ in range(repeat)]
        row["cold_s"], row["cold_mb"] = _median(cold)
        row["warm_edit_s"], row["warm_mb"] = _median(warm)
        row["noop_s"], row["noop_mb"] = _median(noop)
        row["runs"] = {"cold": [s for s, _ in cold], "warm_edit": [s for s, _ in warm],
                       "noop": [s for s, _ in noop]}
        row["pages"] = sum(1 for _ in output.rglob("*.html"))
        row["largest_page_kb"] = round(max(p.stat().st_size for p in
                                           output.rglob("*.html")) / 1024, 1)
        row["hugo_cold_s"] = row["hugo_warm_edit_s"] = None
        if hugo and shutil.which("hugo"):
            hsite = make_hugo_site(site, Path(tmp) / "hugo")
            hugo_cold = []
            for number in range(repeat):
                shutil.rmtree(hsite / "resources", ignore_errors=True)
                command = ["hugo", "--quiet", "-d", str(Path(tmp) / f"hout-{number}")]
                hugo_cold.append(_run(command, hsite))
            hugo_warm = []
            for number in range(repeat):
                _edit_one(hsite, number)
                hugo_warm.append(_run(command, hsite))
            row["hugo_cold_s"], _ = _median(hugo_cold)
            row["hugo_warm_edit_s"], _ = _median(hugo_warm)
            row["runs"]["hugo_cold"] = [s for s, _ in hugo_cold]
            row["runs"]["hugo_warm_edit"] = [s for s, _ in hugo_warm]
        return row


def _compile_once() -> None:
    """Run the builds from compiled bytecode, as an installed ``timeline`` does (pip compiles
    a package when it installs it). Without this, a shell with PYTHONDONTWRITEBYTECODE set
    makes every timed build compile the generator's source first, about 0.1 s each."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "timeline-bench-pyc")
    subprocess.run([sys.executable, "-c", "import generator.build, generator.cli"],
                   cwd=REPO, check=True)


def _fmt(seconds: float | int | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--json", default=str(REPO / "bench" / "results.json"))
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each kind of build; the table gives their median")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(REPO))
    _compile_once()
    rows = [bench(n, not args.no_hugo, max(1, args.repeat)) for n in args.events]
    header = (f"{'events':>7} {'cold s':>7} {'warm s':>7} {'no-op s':>7} {'peak MB':>8} "
              f"{'hugo s':>7} {'hugo warm':>9} {'cold/hugo':>9} {'pages':>6} {'max KB':>7}")
    print(header)
    for r in rows:
        hugo_cold = r["hugo_cold_s"]
        ratio = f"{r['cold_s'] / hugo_cold:.2f}" if hugo_cold else "-"  # type: ignore[operator]
        peak = max(r["cold_mb"], r["warm_mb"], r["noop_mb"])  # type: ignore[type-var]
        print(f"{r['events']:>7} {r['cold_s']:>7.2f} {r['warm_edit_s']:>7.2f} "
              f"{r['noop_s']:>7.2f} {peak:>8.0f} "
              f"{_fmt(hugo_cold):>7} {_fmt(r['hugo_warm_edit_s']):>9} "
              f"{ratio:>9} {r['pages']:>6} {r['largest_page_kb']:>7}")
    Path(args.json).write_text(json.dumps({"machine": {"cpus": os.cpu_count(),
                                                       "python": sys.version.split()[0]},
                                           "rows": rows,
                                           "when": time.strftime("%Y-%m-%d")}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
