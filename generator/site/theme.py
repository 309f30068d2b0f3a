"""Where the theme lives: the default one shipped in the package, and a site's overrides."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from generator.errors import SiteError
from generator.symlinks import INPUT_LIMIT, read_regular


def theme_dir() -> Path:
    """The default theme: shipped inside the package, or this repository's own when editable."""
    packaged = Path(str(resources.files("generator"))) / "theme"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent


def template_dirs(site: Path) -> list[Path]:
    """Site templates first, then the default theme's, so a site overrides one file at a time."""
    dirs = [site / "templates", theme_dir() / "templates"]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [s.resolve() for s in seen]:
            seen.append(d)
    return seen


def site_catalogs(site: Path) -> Path:
    """The site's own catalogs (``locales/<lang>/LC_MESSAGES/messages.po``): like the
    templates, a change in them may change every page."""
    return site / "locales"


def static_files(site: Path) -> dict[str, bytes]:
    """The default theme's static files, then the site's own over them, copied as they are."""
    files: dict[str, bytes] = {}
    for folder in (theme_dir() / "static", site / "static"):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                rel = path.relative_to(folder).as_posix()
                data = files[rel] = read_regular(path)
                if len(data) > INPUT_LIMIT:
                    raise SiteError.one(f"static/{rel}", None, None, "file is over "
                                        f"{INPUT_LIMIT // 1_000_000} MB: static hosts refuse "
                                        "it")
    return files
