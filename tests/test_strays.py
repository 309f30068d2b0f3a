"""Files in content/ that no build reads are named, each once."""

from __future__ import annotations

from pathlib import Path

from generator.content.strays import stray_files


def test_unread_files_warn_and_near_misses_are_errors(tmp_path: Path) -> None:
    for rel in ("content/events/a.md", "content/events/B.MD", "content/events/sub/c.markdown",
                "content/events/.hidden.txt", "content/events/.git/x", "content/pages/p.md",
                "content/pages/notes.txt", "content/eras.yaml", "content/sources.lock.json",
                "content/pages/sub/deep.md", "content/pages/sub/.hidden.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", "utf-8")
    assert [str(p) for p in stray_files(tmp_path)] == [
        "content/events/sub/c.markdown: not read: event files end in .md: rename it "
        "c.md",
        "content/pages/notes.txt: warning: ignored: page files end in .md",
        "content/pages/sub/deep.md: warning: ignored: page files are read from content/pages/ "
        "itself, not its subfolders",
    ]


def test_no_content_folder_is_no_stray(tmp_path: Path) -> None:
    assert stray_files(tmp_path) == []
