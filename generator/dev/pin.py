"""``timeline pin``: the site carries the exact tool that made it, for CI to install.

A site's CI (the GitHub Pages workflow and ``netlify.toml`` that ``init`` writes) must build
with the tool and libraries the editor previewed with, and must never install an unpinned
name from a public index (anyone may register a free name). So the site keeps, in
``.timeline/``, a wheel of the running tool and the versions of the libraries it ran with;
CI installs that wheel under those constraints.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from generator.errors import SiteError

DISTRIBUTION = "timeline-generator"
FOLDER = ".timeline"
CONSTRAINTS = f"{FOLDER}/constraints.txt"
WHEEL_GLOB = f"{FOLDER}/timeline_generator-*.whl"
INSTALL = f"python -m pip install --constraint {CONSTRAINTS} {WHEEL_GLOB}"
"""The one command CI runs to install the tool: the workflow and netlify.toml share it."""

_LEFT_OUT = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
"""What pip adds at install time; not part of a wheel (``wheel pack`` writes RECORD)."""


def python_version() -> str:
    """The running Python's ``major.minor``, which CI is told to use."""
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def _stage_package(into: Path) -> None:
    """Copy the running ``generator`` package, with the default theme inside it, as the
    wheel's ``generator/``: from an installed wheel it is there already; from a source
    checkout (an editable install) the theme is the repository's templates/ and static/."""
    from generator.site.theme import theme_dir

    package = Path(__file__).resolve().parent.parent
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")
    shutil.copytree(package, into / "generator", ignore=ignore)
    theme = into / "generator" / "theme"
    if not theme.is_dir():
        for part in ("templates", "static"):
            shutil.copytree(theme_dir() / part, theme / part, ignore=ignore)


def _stage_metadata(into: Path, dist: importlib.metadata.Distribution) -> str:
    """The installed distribution's metadata, as the wheel's ``.dist-info``; its name."""
    name = f"timeline_generator-{dist.version}.dist-info"
    folder = into / name
    folder.mkdir()
    for file in dist.files or []:
        parts = file.parts
        if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] not in _LEFT_OUT:
            text = dist.read_text(parts[1])
            if text is not None:
                (folder / parts[1]).write_text(text, "utf-8")
    if not (folder / "METADATA").is_file() or not (folder / "WHEEL").is_file():
        raise SiteError.one(DISTRIBUTION, None, None, "the installed tool has no METADATA "
                            "or WHEEL file: reinstall it with pip")
    return name


def tool_wheel(into: Path) -> Path:
    """Write a wheel of the running tool into ``into``; return its path.

    The same package files and metadata the tool runs from, packed by ``wheel pack`` (which
    writes the RECORD); ``SOURCE_DATE_EPOCH`` fixes the archive's dates, so the same tool
    gives the same bytes.
    """
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise SiteError.one(DISTRIBUTION, None, None, "not installed: `timeline pin` packs "
                            "the installed tool (pip install it first)") from None
    from generator import __version__

    if dist.version != __version__:  # an editable install whose version moved on since
        raise SiteError.one(DISTRIBUTION, None, None, f"the installed metadata says "
                            f"{dist.version}, the code {__version__}: install the tool again "
                            "(pip install -e .) before pinning it")
    with tempfile.TemporaryDirectory(prefix="timeline-pin-") as tmp:
        staged = Path(tmp) / f"timeline_generator-{dist.version}"
        staged.mkdir()
        _stage_package(staged)
        _stage_metadata(staged, dist)
        into.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}  # 1980-01-01, zip's first day
        done = subprocess.run([sys.executable, "-m", "wheel", "pack", "-d", str(into),  # noqa: S603
                               str(staged)], capture_output=True, text=True, env=env,
                              check=False)
        if done.returncode != 0:
            raise SiteError.one(DISTRIBUTION, None, None, "could not pack the tool: "
                                + (done.stderr.strip().splitlines() or ["wheel pack failed"])[-1])
    return into / f"timeline_generator-{dist.version}-py3-none-any.whl"


def library_versions() -> dict[str, str]:
    """Every library the tool needs, directly or not, at the version running now."""
    found: dict[str, str] = {}
    todo = [Requirement(DISTRIBUTION)]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # an optional dependency for another platform
        found[name] = dist.version
        for text in dist.requires or []:
            try:
                needed = Requirement(text)
            except InvalidRequirement:
                continue
            if needed.marker is None or needed.marker.evaluate({"extra": ""}):
                todo.append(needed)
    found.pop(canonicalize_name(DISTRIBUTION), None)
    return dict(sorted(found.items()))


def constraints_text() -> str:
    """``constraints.txt``: the libraries pinned to the versions the tool runs with."""
    lines = [f"# The libraries `timeline pin` found with the tool (Python {python_version()}):",
             "# CI installs the wheel beside this file under these versions.",
             *(f"{name}=={version}" for name, version in library_versions().items())]
    return "\n".join(lines) + "\n"


def pin_tool(site: Path) -> list[Path]:
    """Write ``.timeline/``: the tool's wheel (replacing an older one) and its constraints."""
    folder = site / FOLDER
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise SiteError.one(FOLDER, None, None, "is not a folder: remove it, then pin again")
    wheel = tool_wheel(folder)
    for old in folder.glob("timeline_generator-*.whl"):
        if old != wheel:
            old.unlink()
    constraints = site / CONSTRAINTS
    constraints.write_text(constraints_text(), "utf-8")
    return [wheel, constraints]
