"""``serve --output``: the site served from memory is written to a folder in the background."""

from __future__ import annotations

from pathlib import Path

from generator.dev.mirror import DiskMirror
from generator.output.manifest import MANIFEST


def _read(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != MANIFEST}


def test_the_newest_site_handed_in_is_the_one_on_disk(tmp_path: Path) -> None:
    mirror = DiskMirror(tmp_path / "out", tmp_path / "locks")
    for n in range(5):
        mirror.update({"index.html": f"<p>{n}</p>".encode(), f"only-{n}.txt": b"x",
                       "big.json": [b"[", memoryview(b"1"), b"]"]})
    mirror.wait()
    assert _read(tmp_path / "out") == {"index.html": b"<p>4</p>", "only-4.txt": b"x",
                                       "big.json": b"[1]"}
    assert 1 <= mirror.written <= 5


def test_a_folder_that_cannot_be_written_is_said_and_serving_goes_on(
        tmp_path: Path, capsys: object) -> None:
    (tmp_path / "file").write_text("not a folder", "utf-8")
    mirror = DiskMirror(tmp_path / "file" / "out", tmp_path / "locks")
    mirror.update({"index.html": b"x"})
    mirror.wait()
    assert mirror.written == 0
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert err.startswith(f"{tmp_path / 'file' / 'out'}: could not write the site:")
