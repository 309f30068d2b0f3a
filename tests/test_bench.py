"""bench.py's table: one language and two, the floor, and a Hugo that is not installed said
so (the issue's table is printed in every run, whatever this machine has)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

import lxml.html

from conftest import tree_hash

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from bench import make_site, table  # noqa: E402, I001
from workflow import replay, workflow_steps  # noqa: E402


def _row(**more: Any) -> dict[str, Any]:
    return {"events": 10000, "cold_s": 20.0, "warm_edit_s": 2.0, "noop_s": 0.19,
            "cold_mb": 400.0, "warm_mb": 300.0, "noop_mb": 30.0, "pages": 10444,
            "largest_page_kb": 128.0, "hugo": {}, "floor_s": 8.0, **more}


def test_the_table_gives_both_languages_the_floor_and_a_missing_hugo() -> None:
    lines = table([_row(en_ko_cold_s=30.0, en_ko_cold_mb=500.0)], ("hugo",)).splitlines()
    assert lines[1].split() == ["10000", "20.00", "2.00", "0.19", "400", "10444", "128.0",
                                "30.00", "500", "1.50"]
    rivals = [line.split() for line in lines[3:]]
    assert rivals[1][-4:] == ["8.00", "-", "2.50", "-"]  # the floor: our cold is 2.5×
    assert rivals[2] == ["10000", "hugo", "(hugo)", "not", "installed"]


def test_a_run_in_one_language_leaves_its_columns_empty() -> None:
    line = table([_row()]).splitlines()[1].split()
    assert line[-3:] == ["-", "-", "-"]


def test_the_two_language_site_lists_both(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site", 3, languages=("en", "ko"))
    config = tomllib.loads((site / "timeline.toml").read_text("utf-8"))
    assert config["languages"] == ["en", "ko"]
    assert "languages" not in tomllib.loads(
        (make_site(tmp_path / "one", 3) / "timeline.toml").read_text("utf-8"))


def test_the_pages_workflow_builds_warm_after_one_edit(tmp_path: Path,
                                                      monkeypatch: Any) -> None:
    """The init workflow's own steps, replayed: after one edit, the restored cache makes the
    build write only what the edit changed; without it, everything is written again."""
    paths, commands = workflow_steps()
    assert paths == [".timeline-cache", "site"]
    assert commands == ["timeline build --publish"]
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    result = replay(12, tmp_path)
    first, warm, cold = (result[k]["steps"][-1] for k in (
        "first_push", "second_push_restored", "second_push_nothing_restored"))
    assert first["events"] == warm["events"] == cold["events"] == 12
    assert first["unchanged"] == 0 and cold["unchanged"] == 0
    assert cold["written"] == cold["files"] == first["files"]
    assert 0 < warm["written"] < cold["written"]
    assert warm["written"] + warm["unchanged"] == warm["files"]
    edited = next(p for p in (tmp_path / "push-2" / "content" / "events").rglob("*.md")
                  if 'title: "Edited ' in p.read_text("utf-8"))
    page = tmp_path / "push-2" / "site" / "events" / edited.stem / "index.html"
    assert lxml.html.fromstring(page.read_bytes()).xpath("string(//h1)").startswith("Edited ")
    # Warm: what the build calls unchanged is the restored file itself, never written again
    # (at 12 events every event page names every title, so each is written again).
    kept = result["second_push_restored"]["kept"]
    assert len(kept) == warm["unchanged"] and "sitemap.xml" in kept
    assert f"events/{edited.stem}/index.html" not in kept
    assert result["second_push_nothing_restored"]["kept"] == []
    # What the warm job publishes is what a cold job would: the same files, the same bytes.
    assert tree_hash(tmp_path / "push-2" / "site") == tree_hash(tmp_path / "push-2-cold" / "site")
