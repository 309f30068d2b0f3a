"""Read ``timeline.toml`` into a frozen, typed ``SiteConfig``; report every problem at once."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.errors import Problem, SiteError

CONFIG_NAME = "timeline.toml"


@dataclass(frozen=True)
class SiteConfig:
    """Site-wide settings; YAML/TOML keys match the field names."""

    title: str
    """Site title, shown in the header, feeds and the browser tab."""
    description: str = ""
    """One sentence for the home page, feeds and link previews."""
    base_url: str = ""
    """Absolute URL where the site is published; feeds, sitemap and canonical links need it."""
    language: str = "en"
    """BCP 47 language of the site's text (``<html lang>``)."""
    author: str = ""
    """Person or organisation responsible for the chronology (feeds, JSON-LD)."""
    allow_html: bool = False
    """Keep raw HTML in event bodies. Only for trusted sites: it is stripped by default."""
    page_size: int = 250
    """Events per list page (home, year, tag, place); longer lists paginate."""
    introduction: str = ""
    """Markdown shown above the timeline on the home page."""


_TYPES: dict[str, type] = {"allow_html": bool, "page_size": int}


def _key_line(text: str, key: str) -> int | None:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def parse_config(text: str, path: str = CONFIG_NAME) -> tuple[SiteConfig, list[Problem]]:
    """Parse TOML; return the config and its warnings, or raise ``SiteError`` with all errors."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)).lower()
        raise SiteError.one(path, int(match.group(1)) if match else None, None,
                            f"invalid TOML: {message}") from None
    known = {f.name for f in fields(SiteConfig)}
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = _key_line(text, key)
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(path, line, key, f"unknown setting{hint}", "warning"))
            continue
        expected = _TYPES.get(key, str)
        if type(value) is not expected:
            problems.append(Problem(path, line, key,
                                    f"expected {expected.__name__}, got {type(value).__name__}"))
            continue
        values[key] = value
    if not str(values.get("title", "")).strip() and "title" not in {p.field for p in problems}:
        problems.append(Problem(path, None, "title", "missing: every site needs a title"))
    if values.get("base_url"):
        try:
            values["base_url"] = check_base_url(values["base_url"])
        except ValueError as exc:
            problems.append(Problem(path, _key_line(text, "base_url"), "base_url", str(exc)))
    if "page_size" in values and values["page_size"] < 1:
        problems.append(Problem(path, _key_line(text, "page_size"), "page_size",
                                "must be 1 or more"))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SiteError(errors)
    return SiteConfig(**values), problems


def load_config(site: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read ``SITE/timeline.toml``."""
    path = site / CONFIG_NAME
    if not path.is_file():
        raise SiteError.one(CONFIG_NAME, None, None,
                            f"not found in {site}: is this a timeline site? (`timeline init DIR`)")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SiteError.one(CONFIG_NAME, raw.count(b"\n", 0, exc.start) + 1, None,
                            f"not valid UTF-8 (byte {exc.start})") from None
    return parse_config(text)


EXAMPLE_HOSTS = ("example.org", "example.com", "example.net", "example.edu")


def publish_problem(config: SiteConfig) -> str | None:
    """Why ``base_url`` cannot be where the site is published: empty, or an example."""
    if not config.base_url:
        return ("empty: permalinks, the feed, the sitemap and embed codes need the address "
                'where the site is published: set base_url = "https://..."')
    host = (urlsplit(config.base_url).hostname or "").removeprefix("www.")
    if host in EXAMPLE_HOSTS or host.endswith((".example", *(f".{h}" for h in EXAMPLE_HOSTS))):
        return (f"'{config.base_url}' is an example address: set base_url to where the site "
                "is published")
    return None


def check_base_url(base_url: str) -> str:
    """Return the URL ending in ``/``, or raise ``ValueError`` if it is not absolute http(s)."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"'{base_url}' is not an absolute http(s) URL")
    url = base_url.strip()
    return url if url.endswith("/") else url + "/"


def with_base_url(config: SiteConfig, base_url: str) -> SiteConfig:
    """Return the config with ``base_url`` replaced (``build --base-url``)."""
    try:
        return replace(config, base_url=check_base_url(base_url))
    except ValueError as exc:
        raise SiteError.one("--base-url", None, None, str(exc)) from None
