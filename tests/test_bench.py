"""bench.py's table: one language and two, the floor, and a Hugo that is not installed said
so (the issue's table is printed in every run, whatever this machine has)."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from bench import make_site, table  # noqa: E402


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
