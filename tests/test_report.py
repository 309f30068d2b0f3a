"""BuildResult's summary line, as the CLI prints it."""

from __future__ import annotations

from pathlib import Path

from generator.report import BuildResult


def test_summary_line() -> None:
    result = BuildResult(events=17, pages=70, written=3, reused=67, seconds=0.256)
    assert result.summary() == "17 events, 70 files (3 written, 67 unchanged) in 0.26 s"
    assert result.warnings == [] and result.output == Path("site")


def test_results_do_not_share_their_warnings() -> None:
    a, b = BuildResult(0, 0, 0, 0, 0.0), BuildResult(0, 0, 0, 0, 0.0)
    a.warnings.append(None)  # type: ignore[arg-type]
    assert b.warnings == []
