"""Benchmark: search at 1,000 and 10,000 events in real Chromium, ours against Pagefind.

    python bench/search.py [--events 1000 10000] [--json bench/search.json] [--no-before]

Each site is bench.py's generated site (fixed seed), built once. Then, served from
127.0.0.1 as a static host would (transfer is what gzip makes of each response, as a host
compressing text sends it; Pagefind's own files are compressed already):

- ``ours, page``: the real home page; focus the search box and type the first word (one
  input event) until the count and list show its results and a frame is painted; then each
  later keystroke of the rest of the query, likewise.
- ``ours, API``, ``Pagefind``, ``before``: the engine alone in a bare page, first query then
  each keystroke, to the first ten results with their titles (Pagefind's own result list).
  Pagefind (``pip install 'pagefind[extended]'``, bench only) indexes the event pages' main
  element; it needs ``'wasm-unsafe-eval'`` in the pages' CSP, which the bare page adds.
  ``before`` is what shipped before the split index: the vendored MiniSearch indexing
  search.json in the browser (from git, commit ``BEFORE``), skipped when git lacks it.

Index size is every file of the index on disk, raw and gzipped; "build s" is what making it
adds to a build. The table gives medians of the later keystrokes and their maximum.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "bench"), str(REPO), str(REPO / "tests")]

from bench import make_site  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from test_browser import serve  # noqa: E402

FIRST = "mask"
REST = " factories"
"""Typed one character at a time after the first word: "mask f", "mask fa", … (the stems
of factories and factory meet; a new word's first letters fetch another term file)."""
BEFORE = "3cf7bae"
CSP = ("default-src 'self'; script-src 'self'{extra}; style-src 'self'; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'")

TYPE_IN_PAGE = """async (q) => {
  const input = document.getElementById("f-q");
  const count = document.getElementById("event-count");
  const t0 = performance.now();
  if (document.activeElement !== input) input.focus();
  input.value = q;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await new Promise((resolve) => {
    const done = () => count.textContent.includes("\\u201c" + q.trim() + "\\u201d");
    if (done()) { resolve(); return; }
    const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); resolve(); } });
    watch.observe(count, { childList: true, characterData: true, subtree: true });
  });
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return [performance.now() - t0, document.querySelectorAll("li.event:not([hidden])").length];
}"""

ENGINES = {
    "ours": """
      let engine = null;
      window.run = async (q) => {
        if (!engine) engine = await (await import("/assets/search.js")).open("/search/");
        if (!engine.ready(q)) await engine.prepare(q);
        const found = engine.query(q);
        const top = found.numbers().slice(0, 10);
        const records = await engine.records(top);
        return [found.size, records.map((r) => r.title)];
      };""",
    "pagefind": """
      let pagefind = null;
      window.run = async (q) => {
        if (!pagefind) { pagefind = await import("/pagefind/pagefind.js"); await pagefind.init(); }
        const found = await pagefind.search(q);
        const top = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
        return [found.results.length, top.map((r) => r.meta.title)];
      };""",
    "before": """
      let engine = null;
      window.run = async (q) => {
        if (!engine) {
          const MiniSearch = (await import("/before/minisearch.js")).default;
          const terms = await import("/before/search-terms.js");
          const docs = (await (await fetch("/search.json")).json()).events;
          engine = new MiniSearch({ fields: ["title", "summary", "body", "sources", "places",
            "tags", "date"], storeFields: ["title"], processTerm: terms.processTerm });
          engine.addAll(docs);
        }
        const found = engine.search(q, { prefix: (t) => t.length > 1,
          fuzzy: (t) => (t.length > 4 ? 0.2 : false), combineWith: "AND" });
        return [found.length, found.slice(0, 10).map((r) => r.title)];
      };""",
}

TIME_API = """async (q) => {
  const t0 = performance.now();
  const [count] = await window.run(q);
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return [performance.now() - t0, count];
}"""


def _harness(site: Path, name: str) -> str:
    """A bare page that runs one engine (under the site's CSP, plus what it needs)."""
    extra = " 'wasm-unsafe-eval'" if name == "pagefind" else ""
    (site / f"bench-{name}.js").write_text(ENGINES[name], "utf-8")
    (site / f"bench-{name}.html").write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP.format(extra=extra)}">'
        f'<title>{name}</title><script type="module" src="bench-{name}.js"></script>', "utf-8")
    return f"bench-{name}.html"


def _gzipped(data: bytes) -> int:
    return min(len(data), len(gzip.compress(data, 6)))


def _folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), sum(_gzipped(p.read_bytes()) for p in files)


def _typing() -> list[str]:
    return [FIRST + REST[:i] for i in range(1, len(REST) + 1)]


def _fetched(asked: list[str], folder: Path) -> int:
    """Bytes (gzipped as a host sends them) of every file requested since the last call (the
    page's and its workers'), read from the served folder by their paths."""
    paths = [folder / urlsplit(name).path.lstrip("/") for name in asked]
    asked.clear()
    return sum(_gzipped(p.read_bytes()) for p in paths if p.is_file())


def _measure(browser: Any, url: str, script: str, folder: Path) -> dict[str, Any]:
    """First query and each later keystroke: milliseconds, results, bytes and heap."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    asked: list[str] = []
    context.on("request", lambda r: asked.append(r.url))  # bodies are read from disk
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    _fetched(asked, folder)
    first_ms, first_count = page.evaluate(script, FIRST)
    page.wait_for_load_state("networkidle")
    first_bytes = _fetched(asked, folder)
    later = [page.evaluate(script, q) for q in _typing()]
    page.wait_for_load_state("networkidle")
    all_bytes = first_bytes + _fetched(asked, folder)
    cdp = context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    cdp.send("Performance.enable")
    heap = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    context.close()
    times = [ms for ms, _ in later]
    return {"first_ms": round(first_ms, 1), "first_results": first_count,
            "first_kb": round(first_bytes / 1024, 1),
            "later_median_ms": round(statistics.median(times), 1),
            "later_max_ms": round(max(times), 1), "later_ms": [round(t, 1) for t in times],
            "last_results": later[-1][1], "all_kb": round(all_bytes / 1024, 1),
            "heap_mb": round(heap["JSHeapUsedSize"] / 2**20, 1)}


def _our_build_seconds(site: Path) -> float:
    code = ("import sys, time; from pathlib import Path\n"
            "from generator.build import load_site\n"
            "from generator.site.search import search_exports\n"
            "config, timeline, _ = load_site(Path(sys.argv[1]))\n"
            "t = time.perf_counter(); files = search_exports(timeline)\n"
            "print(time.perf_counter() - t)\n")
    out = subprocess.run([sys.executable, "-c", code, str(site)], check=True, cwd=REPO,
                         capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    return float(out.stdout.split()[-1])


def _pagefind(output: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(output), "--glob",
                    "events/*/index.html", "--root-selector", "main", "--silent"], check=True)
    return time.perf_counter() - started


def _before(output: Path) -> bool:
    """MiniSearch and the term rules as they shipped before the split index, from git."""
    folder = output / "before"
    folder.mkdir()
    for name, path in (("minisearch.js", "static/assets/vendor/minisearch.js"),
                       ("search-terms.js", "static/assets/search-terms.js")):
        shown = subprocess.run(["git", "show", f"{BEFORE}:{path}"], cwd=REPO,
                               capture_output=True)
        if shown.returncode:
            return False
        (folder / name).write_bytes(shown.stdout)
    return True


def bench(count: int, browser: Any, before: bool) -> list[dict[str, Any]]:
    from generator.build import build_site

    with tempfile.TemporaryDirectory(prefix=f"search-{count}-") as tmp:
        site = make_site(Path(tmp) / "site", count)
        output = site / "site"
        build_site(site, output, use_cache=False)
        ours_size = _folder_size(output / "search")
        ours_build = _our_build_seconds(site)
        pagefind_build = _pagefind(output)
        pagefind_size = _folder_size(output / "pagefind")
        engines = ["ours", "pagefind"] + (["before"] if before and _before(output) else [])
        pages = {name: _harness(output, name) for name in engines}
        rows = []
        with serve(output) as base:
            rows.append({"engine": "ours, page",
                         **_measure(browser, base, TYPE_IN_PAGE, output)})
            for name in engines:
                rows.append({"engine": {"ours": "ours, API"}.get(name, name),
                             **_measure(browser, base + pages[name], TIME_API, output)})
        for row in rows:
            row["events"] = count
            if row["engine"].startswith("ours"):
                row["index_kb"], row["index_gz_kb"] = (round(s / 1024) for s in ours_size)
                row["build_s"] = round(ours_build, 2)
            elif row["engine"] == "pagefind":
                row["index_kb"], row["index_gz_kb"] = (round(s / 1024) for s in pagefind_size)
                row["build_s"] = round(pagefind_build, 2)
            else:  # search.json, indexed by the browser
                row["index_kb"], row["index_gz_kb"] = (round(s / 1024) for s in
                                                       _folder_size(output / "before"))
                size = (output / "search.json").stat().st_size
                row["index_kb"] += round(size / 1024)
                row["index_gz_kb"] += round(_gzipped((output / "search.json").read_bytes())
                                            / 1024)
                row["build_s"] = None
        return rows


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--json", default=str(REPO / "bench" / "search.json"))
    parser.add_argument("--no-before", action="store_true")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        rows = [row for n in args.events for row in bench(n, browser, not args.no_before)]
        browser.close()
    print(f"{'events':>6} {'engine':<11} {'index KB':>9} {'gz KB':>6} {'build s':>7} "
          f"{'first ms':>8} {'first KB':>8} {'later ms':>8} {'max ms':>6} {'heap MB':>7} "
          f"{'hits':>6}")
    for r in rows:
        build = "-" if r["build_s"] is None else f"{r['build_s']:.2f}"
        print(f"{r['events']:>6} {r['engine']:<11} {r['index_kb']:>9} {r['index_gz_kb']:>6} "
              f"{build:>7} {r['first_ms']:>8.0f} {r['first_kb']:>8.1f} "
              f"{r['later_median_ms']:>8.1f} {r['later_max_ms']:>6.0f} {r['heap_mb']:>7.1f} "
              f"{r['last_results']:>6}")
    Path(args.json).write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "first": FIRST, "typed": REST, "rows": rows,
        "when": time.strftime("%Y-%m-%d")}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
