"""Whether a build has anything to do, decided before the pipeline (Jinja, Markdown, YAML)
is even imported: a build with nothing changed must cost little more than reading the files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from . import cache
from .errors import Problem
from .writer import intact, read_manifest


@dataclass
class BuildResult:
    """What a build did, for the summary line and for tests."""

    events: int
    pages: int
    written: int
    reused: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    output: Path = Path("site")

    def summary(self) -> str:
        return (f"{self.events} events, {self.pages} files ({self.written} written, "
                f"{self.reused} unchanged) in {self.seconds:.2f} s")


def today() -> str:
    return dt.date.today().isoformat()


def theme_dir() -> Path:
    """The default theme: shipped inside the package, or this repository's own when editable."""
    packaged = Path(str(resources.files("generator"))) / "theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def template_dirs(site: Path) -> list[Path]:
    """Site templates first, then the default theme's, so a site overrides one file at a time."""
    dirs = [site / "templates", theme_dir() / "templates"]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [s.resolve() for s in seen]:
            seen.append(d)
    return seen


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def input_key(site: Path, output: Path, drafts: bool, base_url: str | None
              ) -> tuple[str, dict[str, bytes]]:
    """Hash of every byte a build reads (and the tool itself): equal keys, equal site.

    Also returns the files read, so the build does not read them twice.
    """
    paths: list[str] = []
    folders = [site / "content", site / "static", theme_dir() / "static", *template_dirs(site)]
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            paths += [os.path.join(dirpath, name) for name in sorted(filenames)]
    read = {path: _read(path) for path in paths}
    parts: list[bytes | str] = [cache.code_hash(), str(output), str(drafts), base_url or "",
                                today()]
    for path, data in read.items():
        parts += [path, data]
    config = site / "timeline.toml"
    parts.append(config.read_bytes() if config.is_file() else b"")
    return cache.digest(*parts), read


def _manifest_key(output: Path, written: dict[str, tuple[str, int]] | None = None
                  ) -> str | None:
    """Hash of what the output holds; ``written`` is what a build just wrote there."""
    if written is not None:
        return cache.digest(repr(sorted(written.items()))) if written else None
    manifest = read_manifest(output)
    if not manifest or not intact(output, manifest):
        return None
    return cache.digest(repr(sorted(manifest.items())))


def last_result(site: Path, output: Path, key: str) -> BuildResult | None:
    """The last build's result when its inputs and its output are exactly as they were."""
    last = cache.read(site, "last-build", key)
    if not isinstance(last, dict) or last.get("manifest") != _manifest_key(output):
        return None
    result = last.get("result")
    return result if isinstance(result, BuildResult) else None


def remember(site: Path, output: Path, key: str, result: BuildResult,
             written: dict[str, tuple[str, int]] | None = None) -> None:
    """Note what this build made from these inputs, for the next one to compare with.

    ``written``: the manifest the build just wrote, so it is not read back from disk."""
    cache.write(site, "last-build", key,
                {"manifest": _manifest_key(output, written), "result": result})


def up_to_date(site: Path, output: Path, drafts: bool, base_url: str | None
               ) -> tuple[BuildResult | None, str, dict[str, bytes]]:
    """(the last result if nothing changed, the input key, the files read)."""
    key, read = input_key(site, output, drafts, base_url)
    last = last_result(site, output, key)
    if last is None:
        return None, key, read
    return replace(last, written=0, reused=last.pages), key, read
