"""Two versions of the tool on the same events, their runs interleaved: the speed side of a
refactor, measured in one run so that the machine's load weighs on both alike.

    python bench/compare.py OLD_CHECKOUT [NEW_CHECKOUT] [--events 10000] [--repeat 3]
                            [--json bench/compare.json]

Each checkout is a folder holding a ``generator`` package (``git worktree add ../old HEAD~5``
makes one). For each repeat: a cold build of each into a fresh output with an empty cache,
then one edit and a warm build of each, then a no-op build of each. Medians are printed,
of the wall time and of the processor time (user and system, the build and its workers):
on a machine other work is loading, the processor time still compares the two fairly.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import REPO, _edit_one, make_site, measured_run  # noqa: E402


def _build(code: Path, site: Path, output: Path) -> tuple[float, float, float]:
    env_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(code)
    try:
        return measured_run([sys.executable, "-m", "generator", "build", "--quiet", str(site),
                     "--output", str(output)], code)
    finally:
        if env_path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = env_path


def compare(old: Path, new: Path, count: int, repeat: int) -> dict[str, Any]:
    runs: dict[str, dict[str, list[tuple[float, float, float]]]] = {
        name: {"cold": [], "warm_edit": [], "noop": []} for name in ("old", "new")}
    with tempfile.TemporaryDirectory(prefix=f"compare-{count}-") as tmp:
        base = make_site(Path(tmp) / "site", count)
        sites = {}
        for name in ("old", "new"):
            sites[name] = Path(tmp) / f"site-{name}"
            shutil.copytree(base, sites[name])
        codes = {"old": old, "new": new}
        for number in range(repeat):
            for name in ("old", "new"):
                shutil.rmtree(sites[name] / ".timeline-cache", ignore_errors=True)
                out = Path(tmp) / f"out-{name}-{number}"
                runs[name]["cold"].append(_build(codes[name], sites[name], out))
        for number in range(repeat):
            for name in ("old", "new"):
                _edit_one(sites[name], number)
                out = Path(tmp) / f"out-{name}-{repeat - 1}"
                runs[name]["warm_edit"].append(_build(codes[name], sites[name], out))
        for _ in range(repeat):
            for name in ("old", "new"):
                out = Path(tmp) / f"out-{name}-{repeat - 1}"
                runs[name]["noop"].append(_build(codes[name], sites[name], out))
    table: dict[str, Any] = {"events": count, "repeat": repeat, "runs": runs}
    for name in ("old", "new"):
        for kind, values in runs[name].items():
            table[f"{name}_{kind}_s"] = statistics.median(s for s, _, _ in values)
            table[f"{name}_{kind}_mb"] = max(mb for _, mb, _ in values)
            table[f"{name}_{kind}_cpu"] = statistics.median(c for _, _, c in values)
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("old")
    parser.add_argument("new", nargs="?", default=str(REPO))
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", default=str(REPO / "bench" / "compare.json"))
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    result = compare(Path(args.old).resolve(), Path(args.new).resolve(), args.events,
                     args.repeat)
    print(f"{'':10} {'old':>8} {'new':>8} {'new/old':>8}   {'old cpu':>8} {'new cpu':>8} "
          f"{'new/old':>8}")
    for kind in ("cold", "warm_edit", "noop"):
        old, new = result[f"old_{kind}_s"], result[f"new_{kind}_s"]
        old_cpu, new_cpu = result[f"old_{kind}_cpu"], result[f"new_{kind}_cpu"]
        print(f"{kind:10} {old:8.2f} {new:8.2f} {new / old:8.2f}   {old_cpu:8.2f} "
              f"{new_cpu:8.2f} {new_cpu / old_cpu:8.2f}")
    print(f"{'peak MB':10} {max(result[f'old_{k}_mb'] for k in ('cold', 'warm_edit')):8.0f} "
          f"{max(result[f'new_{k}_mb'] for k in ('cold', 'warm_edit')):8.0f}")
    Path(args.json).write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
