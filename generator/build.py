"""The build pipeline, the only place that knows the order of the steps.

config → content (parse, validate, Markdown) → plan pages → render → exports → write.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig, load_config, with_base_url
from .content import Timeline, load_timeline
from .errors import Problem, SiteError, errors_only
from .export import export_files
from .render import make_environment, plan_site, render_pages, theme_dir
from .writer import check_output, write_site


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


def static_files(site: Path) -> dict[str, bytes]:
    """The default theme's static files, then the site's own over them, copied as they are."""
    files: dict[str, bytes] = {}
    for folder in (theme_dir() / "static", site / "static"):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def load_site(site: Path, drafts: bool = False, base_url: str | None = None,
              use_cache: bool = True) -> tuple[SiteConfig, Timeline, list[Problem]]:
    """Read and validate everything a build reads; raise ``SiteError`` on any error."""
    config, problems = load_config(site)
    if base_url:
        config = with_base_url(config, base_url)
    timeline, more = load_timeline(site, config, today(), drafts=drafts, use_cache=use_cache)
    problems += more
    if errors_only(problems):
        raise SiteError(problems)
    return config, timeline, problems


def render_site(site: Path, config: SiteConfig, timeline: Timeline) -> dict[str, bytes]:
    """Every output file as bytes: pages, data exports and static files."""
    env = make_environment(site)
    files = static_files(site)
    files.update(render_pages(env, plan_site(timeline, config), config))
    files.update(export_files(timeline, config))
    return files


def build_site(site: Path, output: Path | None = None, drafts: bool = False,
               base_url: str | None = None, use_cache: bool = True) -> BuildResult:
    """Build the site in ``site`` into ``output`` (default ``site/site``)."""
    started = time.perf_counter()
    site = site.absolute()
    output = (output or site / "site").absolute()
    check_output(output, site, [])
    config, timeline, problems = load_site(site, drafts, base_url, use_cache)
    files = render_site(site, config, timeline)
    written = write_site(output, files)
    return BuildResult(events=len(timeline.events), pages=len(files), written=written,
                       reused=len(files) - written, seconds=time.perf_counter() - started,
                       warnings=[p for p in problems if p.severity == "warning"], output=output)
