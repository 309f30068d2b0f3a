"""Benchmark: N synthetic events built cold, warm after one edit, and with nothing changed,
side by side with Hugo and with the naive floor of our own stack.

    python bench/bench.py --events 1000 10000 [--repeat 3] [--json bench/results.json]
                          [--hugo hugo /work/hugo-venv/bin/hugo] [--no-hugo]
                          [--floor ../shared/bench/floor.py] [--one-language]

Events are generated from a fixed seed, so every run builds the same site. Each ``--hugo``
binary (default: ``hugo`` on the PATH) builds the same events two ways: *minimal* (event
pages and one index) and *comparable* (event pages, tag pages with their RSS feeds, the
home page and the sitemap: ``[taxonomies] tag = "tags"``). The floor script (if found) reads
every file, parses its front-matter, renders its Markdown and one trivial Jinja page per
event plus an index, on both cores. Each build runs as its own process, ``--repeat`` times
(cold from an empty cache and output, then one edit before each warm build, then no-op
builds); the table gives medians and the JSON every run. Peak memory is the largest
resident size of a build and its workers. The same events are then built cold in two
languages (``languages = ["en", "ko"]``: every event is shown in both, the Korean pages
falling back to the English text), unless ``--one-language``. A Hugo binary that is not
installed is printed as such, not skipped in silence.
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


def make_site(folder: Path, count: int, seed: int = 2017,
              languages: tuple[str, ...] = ()) -> Path:
    """Write a site with ``count`` events; same seed, same files (``languages``: the site's
    list, e.g. ("en", "ko"); none for a site in one language)."""
    rng = random.Random(seed)
    events = folder / "content" / "events"
    events.mkdir(parents=True)
    listed = f"languages = {json.dumps(list(languages))}\n" if languages else ""
    (folder / "timeline.toml").write_text(
        'title = "Benchmark"\nbase_url = "https://bench.example/"\n' + listed, "utf-8")
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


HUGO_WAYS = {
    "minimal": 'disableKinds = ["taxonomy", "term", "section", "RSS", "sitemap", "404", '
               '"robotsTXT"]\n',
    "comparable": 'disableKinds = ["section", "404", "robotsTXT"]\n'
                  '[taxonomies]\n  tag = "tags"\n',
}
"""What Hugo builds: event pages and one index, or as well tag pages with their RSS feeds, the
home page's feed and the sitemap (our build also writes place and year pages, exports and a
search index)."""


def make_hugo_site(site: Path, folder: Path, way: str = "minimal") -> Path:
    """The same events as a Hugo site with a minimal theme (front-matter is YAML too)."""
    layouts = folder / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (folder / "hugo.toml").write_text('baseURL = "https://bench.example/"\ntitle = "B"\n'
                                      + HUGO_WAYS[way])
    (layouts / "single.html").write_text(
        "<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}"
        "<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>")
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


def flat_corpus(site: Path, folder: Path) -> Path:
    """The events in one folder (the floor script reads ``CORPUS/*.md``), hard-linked."""
    folder.mkdir()
    for path in (site / "content" / "events").rglob("*.md"):
        os.link(path, folder / path.name)
    return folder


def hugo_version(binary: str) -> str:
    out = subprocess.run([binary, "version"], capture_output=True, text=True, check=True)
    words = out.stdout.split()
    return next((w.split("-")[0].split("+")[0] for w in words if w.startswith("v0.")),
                out.stdout.strip())


def _run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Run a build; return (seconds, peak resident MB of it and its children)."""
    seconds, mb, _ = measured_run(cmd, cwd)
    return seconds, mb


def measured_run(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run a build; return (seconds, peak resident MB, processor seconds of it and its
    children).

    Dirty pages are flushed first, so no run pays for writing out the one before."""
    os.sync()
    code = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter()\n"
            "r = subprocess.run(sys.argv[1:])\n"
            "s = time.perf_counter() - t\n"
            "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "print(f'{s} {u.ru_maxrss} {u.ru_utime + u.ru_stime}')\n"
            "sys.exit(r.returncode)\n")
    out = subprocess.run([sys.executable, "-c", code, *cmd], cwd=cwd, check=True,
                         capture_output=True, text=True)
    seconds, kb, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024, float(cpu)


def _edit_one(site: Path, number: int = 0) -> None:
    """Put "Edited" into the title of one event near the middle (another one each time)."""
    paths = sorted((site / "content" / "events").rglob("*.md"))
    path = paths[(len(paths) // 2 + number * 7) % len(paths)]
    text = path.read_text("utf-8")
    path.write_text(text.replace("title: \"", "title: \"Edited ", 1), "utf-8")


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """(median seconds, largest peak MB) of repeated runs."""
    return statistics.median(s for s, _ in runs), max(mb for _, mb in runs)


def bench(count: int, hugo: list[str], repeat: int = 3, floor: Path | None = None,
          bilingual: bool = True) -> dict[str, Any]:
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
        if bilingual:
            both = make_site(Path(tmp) / "site-en-ko", count, languages=("en", "ko"))
            runs = []
            for number in range(repeat):
                shutil.rmtree(both / ".timeline-cache", ignore_errors=True)
                runs.append(_run([sys.executable, "-m", "generator", "build", "--quiet",
                                  str(both), "--output", str(Path(tmp) / f"en-ko-{number}")],
                                 REPO))
            row["en_ko_cold_s"], row["en_ko_cold_mb"] = _median(runs)
            row["runs"]["en_ko_cold"] = [s for s, _ in runs]
        row["hugo"] = {}
        for binary in hugo:
            version = hugo_version(binary)
            for way in HUGO_WAYS:
                hsite = make_hugo_site(site, Path(tmp) / f"hugo-{version}-{way}", way)
                runs = []
                for number in range(repeat):
                    command = [binary, "--quiet", "-d", str(hsite / f"out-{number}")]
                    runs.append(_run(command, hsite))
                edits = []
                for number in range(repeat):
                    _edit_one(hsite, number)
                    edits.append(_run(command, hsite))
                row["hugo"][f"{version} {way}"] = {
                    "cold_s": _median(runs)[0], "warm_edit_s": _median(edits)[0],
                    "cold_mb": _median(runs)[1], "runs": [s for s, _ in runs],
                    "edit_runs": [s for s, _ in edits]}
        row["floor_s"] = None
        if floor is not None:
            corpus = flat_corpus(site, Path(tmp) / "flat")
            runs = []
            for number in range(repeat):
                out = Path(tmp) / f"floor-{number}"
                runs.append(_run([sys.executable, str(floor), str(corpus), "--stage", "c",
                                  "--workers", "2", "--out", str(out)], REPO))
            row["floor_s"], row["floor_mb"] = _median(runs)
            row["runs"]["floor"] = [s for s, _ in runs]
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


def _ratio(ours: float, theirs: float | None) -> str:
    return "-" if not theirs else f"{ours / theirs:.2f}"


def table(rows: list[dict[str, Any]], missing: tuple[str, ...] = ()) -> str:
    """Our builds (one language, then two: en + ko), then each rival with our time as a
    multiple of theirs (below 1: faster); ``missing``: Hugo binaries not installed."""
    lines = [f"{'events':>7} {'cold s':>7} {'edit s':>7} {'no-op s':>7} {'peak MB':>8} "
             f"{'pages':>6} {'max KB':>7}   {'en+ko cold s':>12} {'peak MB':>8} "
             f"{'× one':>6}"]
    for r in rows:
        peak = max(r["cold_mb"], r["warm_mb"], r["noop_mb"])
        both = r.get("en_ko_cold_s")
        lines.append(f"{r['events']:>7} {r['cold_s']:>7.2f} {r['warm_edit_s']:>7.2f} "
                     f"{r['noop_s']:>7.2f} {peak:>8.0f} {r['pages']:>6} "
                     f"{r['largest_page_kb']:>7}   {_fmt(both):>12} "
                     f"{'-' if both is None else format(r['en_ko_cold_mb'], '.0f'):>8} "
                     f"{_ratio(both, r['cold_s']) if both is not None else '-':>6}")
    lines.append("")
    lines.append(f"{'events':>7} {'against':<26} {'their cold':>10} {'their edit':>10} "
                 f"{'cold ×':>7} {'edit ×':>7}")
    for r in rows:
        rivals = {name: (v["cold_s"], v["warm_edit_s"]) for name, v in r["hugo"].items()}
        if r.get("floor_s"):
            rivals["floor (stage c, 2 workers)"] = (r["floor_s"], None)
        for name, (cold, edit) in rivals.items():
            lines.append(f"{r['events']:>7} {('hugo ' if 'floor' not in name else '') + name:<26}"
                         f" {_fmt(cold):>10} {_fmt(edit):>10} {_ratio(r['cold_s'], cold):>7}"
                         f" {_ratio(r['warm_edit_s'], edit):>7}")
        lines += [f"{r['events']:>7} {'hugo (' + name + ')':<26} {'not installed':>10}"
                  for name in missing]
        if not r.get("floor_s"):
            lines.append(f"{r['events']:>7} {'floor':<26} {'not found':>10}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--json", default=str(REPO / "bench" / "results.json"))
    parser.add_argument("--hugo", nargs="+", default=["hugo"],
                        help="Hugo binaries to compare with (default: hugo on the PATH)")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--floor", default=str(REPO.parent / "shared" / "bench" / "floor.py"),
                        help="the floor script (skipped when not there)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each kind of build; the table gives their median")
    parser.add_argument("--one-language", action="store_true",
                        help="skip the cold builds in two languages (en + ko)")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(REPO))
    _compile_once()
    hugo = [] if args.no_hugo else [b for b in args.hugo if shutil.which(b)]
    missing = () if args.no_hugo else tuple(b for b in args.hugo if not shutil.which(b))
    floor = Path(args.floor) if Path(args.floor).is_file() else None
    rows = [bench(n, hugo, max(1, args.repeat), floor, not args.one_language)
            for n in args.events]
    print(table(rows, missing))
    Path(args.json).write_text(json.dumps({"machine": {"cpus": os.cpu_count(),
                                                       "python": sys.version.split()[0]},
                                           "rows": rows,
                                           "when": time.strftime("%Y-%m-%d")}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
