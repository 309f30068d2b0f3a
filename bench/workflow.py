"""The Pages workflow that `timeline init` writes, its build job replayed here: does a push
after one edit build warm, as the restored build state promises?

    python bench/workflow.py [--events 10000] [--json bench/workflow.json]

Two pushes of a generated site, each checked out afresh by `git clone` (new files, new
inodes and times, as on a CI runner). The first push builds with nothing restored and saves
the workflow's cached paths (a tar, as actions/cache keeps them); one event is edited and
committed; the second push restores them and runs the workflow's own steps. A third run, the
same second push with nothing restored, is what the cache saves. The steps and the cached
paths are read from the workflow text itself, so this replays what users' CI runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import REPO, _edit_one, make_site, measured_run  # noqa: E402

SUMMARY = re.compile(r"(\d+) events, (\d+) files \((\d+) written, (\d+) unchanged\)")


def workflow_steps() -> tuple[list[str], list[str]]:
    """The build job's cached paths and the commands run after the cache is restored."""
    sys.path.insert(0, str(REPO))
    from generator.dev.starter import workflow_text

    steps = yaml.safe_load(workflow_text("true", "3.11"))["jobs"]["build"]["steps"]
    at = next(i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith(
        "actions/cache@"))
    paths = steps[at]["with"]["path"].split()
    commands = [s["run"] for s in steps[at + 1:] if "run" in s]
    return paths, commands


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def run_job(repo: Path, checkout: Path, commands: list[str], restore: Path | None,
            ) -> dict[str, Any]:
    """Clone ``repo`` afresh, restore the cached paths from ``restore``, run ``commands``."""
    _git("clone", "--quiet", str(repo), str(checkout), cwd=repo.parent)
    restored: dict[str, int] = {}
    if restore is not None:
        with tarfile.open(restore) as tar:
            tar.extractall(checkout, filter="tar")
        restored = _inodes(checkout / "site")
    steps = []
    for command in commands:
        words = command.split()
        assert words[0] == "timeline", command  # noqa: S101 - the workflow's own commands
        argv = [sys.executable, "-m", "generator", *words[1:]]
        log = checkout.parent / f"{checkout.name}-{len(steps)}.log"
        wrapped = [sys.executable, "-c", "import subprocess, sys; "
                   "sys.exit(subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], 'w'), "
                   "stderr=subprocess.STDOUT).returncode)", str(log), *argv]
        seconds, mb, cpu = measured_run(wrapped, checkout)
        found = SUMMARY.findall(log.read_text("utf-8"))
        step: dict[str, Any] = {"command": command, "seconds": round(seconds, 2),
                                "cpu_s": round(cpu, 2), "peak_mb": round(mb)}
        if found:
            events, files, written, unchanged = map(int, found[-1])
            step.update(events=events, files=files, written=written, unchanged=unchanged)
        steps.append(step)
    after = _inodes(checkout / "site")
    return {"restored": restore is not None, "steps": steps,
            "kept": sorted(rel for rel, inode in after.items() if restored.get(rel) == inode)}


def _inodes(folder: Path) -> dict[str, int]:
    """Each output file's inode: a file the build wrote again is a new one."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in folder.rglob("*") if p.is_file()}


def save_cache(checkout: Path, paths: list[str], tar_path: Path) -> None:
    """What actions/cache keeps at the end of a job: the paths, with their times."""
    with tarfile.open(tar_path, "w") as tar:
        for name in paths:
            if (checkout / name).exists():
                tar.add(checkout / name, arcname=name)


def replay(count: int, folder: Path) -> dict[str, Any]:
    """Two pushes through the workflow; the second with and without the restored cache."""
    paths, commands = workflow_steps()
    repo = make_site(folder / "repo", count)
    config = repo / "timeline.toml"  # check --publish refuses an example address
    config.write_text(config.read_text("utf-8").replace(
        "https://bench.example/", "https://newsroom.github.io/timeline/"), "utf-8")
    (repo / ".gitignore").write_text("site/\n.timeline-cache/\n", "utf-8")
    _git("init", "--quiet", "-b", "main", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "--quiet",
         "-m", "first push", cwd=repo)
    first = run_job(repo, folder / "push-1", commands, None)
    cache = folder / "cache.tar"
    save_cache(folder / "push-1", paths, cache)
    _edit_one(repo)
    _git("-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "--quiet",
         "-am", "one edit", cwd=repo)
    warm = run_job(repo, folder / "push-2", commands, cache)
    cold = run_job(repo, folder / "push-2-cold", commands, None)
    return {"events": count, "cached_paths": paths, "commands": commands,
            "first_push": first, "second_push_restored": warm,
            "second_push_nothing_restored": cold}


def table(result: dict[str, Any]) -> str:
    kept = len(result["second_push_restored"]["kept"])
    lines = [f"{result['events']} events; cached: {', '.join(result['cached_paths'])}; "
             f"files the restored push did not write again: {kept}",
             f"{'run':<30} {'step':<24} {'wall s':>7} {'cpu s':>7} {'MB':>5} "
             f"{'written':>8} {'unchanged':>10}"]
    for name in ("first_push", "second_push_restored", "second_push_nothing_restored"):
        for step in result[name]["steps"]:
            lines.append(f"{name:<30} {step['command']:<24} {step['seconds']:>7.2f} "
                         f"{step['cpu_s']:>7.2f} {step['peak_mb']:>5} "
                         f"{step.get('written', '-'):>8} {step.get('unchanged', '-'):>10}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--json", default=str(REPO / "bench" / "workflow.json"))
    args = parser.parse_args()
    os.environ.setdefault("PYTHONPATH", str(REPO))
    with tempfile.TemporaryDirectory(prefix=f"workflow-{args.events}-") as tmp:
        result = replay(args.events, Path(tmp))
    print(table(result))
    Path(args.json).write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
