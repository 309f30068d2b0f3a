"""The browser editor's configuration (Decap CMS), made from the event model so the two
cannot drift: ``timeline init`` and ``timeline cms`` write ``static/admin/``.

Decap CMS rather than Sveltia CMS (which reads the same file): Decap's local backend is a
small proxy server from npm (``decap-server``) that ``timeline serve`` starts and a test can
drive in headless Chromium, where Sveltia's local mode needs the browser's folder picker.
The page loads ``decap-cms.js`` beside it: ``serve`` answers it from ``node_modules``, a
published site copies it there (README, "Editing in the browser"); no CDN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generator.config import SiteConfig
from generator.content import model
from generator.content.header import parse
from generator.content.model import (
    EVENT_FIELDS,
    MEDIA_FIELDS,
    PAGE_FIELDS,
    SLUG,
    SOURCE_FIELDS,
    STATUSES,
)
from generator.content.translations import translation_of
from generator.content.validate import ERA_FIELDS
from generator.symlinks import read_regular

ADMIN = Path("static") / "admin"
PROXY_PATH = "/__timeline__/cms"
"""Where the CMS posts its requests under ``timeline serve`` (``local_backend.url``); away
from localhost the CMS ignores it and uses ``backend``."""

# --- EDTF dates as one regular expression that JavaScript and Python's ``re`` both read ---
_YEAR = r"(?:[0-9]{4}|-(?!0000)[0-9]{4})"  # -0000 is no year
_LEAP = (r"(?:-(?!0000))?"  # years divisible by 4, the hundreds only by 400
         r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)")
_DAY = (r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        r"|02-(?:0[1-9]|1[0-9]|2[0-8]))")
_Q = r"[?~%]?"
_TIME = (r"T(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]|24:00:00)"
         r"(?:Z|\+(?:(?:0[0-9]|1[0-3])(?::[0-5][0-9])?|14(?::00)?)"
         r"|-(?:(?:0[1-9]|1[0-3])(?::[0-5][0-9])?|00:(?:0[1-9]|[1-5][0-9])|14(?::00)?))?")
_FULL_DAY = rf"(?:{_YEAR}-{_DAY}|{_LEAP}-02-29)"
_UNTIMED = (rf"(?:Y-?[1-9][0-9]{{4,14}}"
            rf"|-?[0-9]{{2}}(?:[0-9]X|XX){_Q}"
            rf"|{_YEAR}(?:-XX(?:-XX)?|-(?:0[1-9]|1[0-2])(?:-XX)?)?{_Q}"
            rf"|{_YEAR}-2[1-4]"
            rf"|{_FULL_DAY}{_Q})")
SINGLE = rf"(?:{_UNTIMED}|{_FULL_DAY}{_TIME})"
"""One date as ``parse_single`` reads it (a source's ``published``)."""
DATE_PATTERN = (rf"^\s*(?:{SINGLE}|(?:{_UNTIMED}|\.\.)?\s*/\s*{_UNTIMED}"
                rf"|{_UNTIMED}\s*/\s*(?:\.\.)?)\s*$")
"""What ``date:`` may say. It cannot compare the two ends of an interval: an end before its
start passes here and is refused by ``check``."""
END_PATTERN = rf"^\s*{_UNTIMED}\s*$"
PUBLISHED_PATTERN = rf"^\s*{SINGLE}\s*$"
DAY_PATTERN = r"^\s*\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\s*$"
"""``updated:`` and a correction's day: one day (``check`` also refuses 30 February)."""
DATE_HINT = ("EDTF: 2017-09-11, 2017-09 or 2017; 2017-04~ about, 2017-04? uncertain; "
             "2017-21 spring; 201X a decade; 2017-09/2017-12 or 2017/.. a span")


def _text(name: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"label": label, "name": name, "widget": "string", "required": False, **extra}


def _choices(name: str, label: str, existing: list[str], hint: str) -> dict[str, Any]:
    """Tags and places: the values already used, so one tag is not spelt two ways."""
    if not existing:
        return {"label": label, "name": name, "widget": "list", "required": False,
                "hint": hint}
    return {"label": label, "name": name, "widget": "select", "multiple": True,
            "required": False, "options": existing,
            "hint": hint + " A new one: write it in the file, then run `timeline cms`."}


def source_fields() -> list[dict[str, Any]]:
    url = {"pattern": ["^(https?|mailto):", "an http, https or mailto link"]}
    fields = {
        "publisher": _text("publisher", "Publisher", hint="Who published it; a source "
                           "needs a publisher or a title"),
        "title": _text("title", "Title"),
        "url": _text("url", "Link", **url),
        "published": _text("published", "Published", hint="EDTF, e.g. 2017-09-11",
                           pattern=[PUBLISHED_PATTERN, "an EDTF date, e.g. 2017-09-11"]),
        "accessed": _text("accessed", "Accessed", hint="When you read it, EDTF, e.g. "
                          "2024-03-05; for a page without a published date",
                          pattern=[PUBLISHED_PATTERN, "an EDTF date, e.g. 2024-03-05"]),
        "language": _text("language", "Language", hint="e.g. en, ko"),
        "archived": _text("archived", "Archived copy", **url),
        "quote": {**_text("quote", "Quote"), "widget": "text"},
        "via": _text("via", "Via", hint="Who reported what this source said"),
        "author": _text("author", "Author"),
    }
    return [fields[name] for name in SOURCE_FIELDS]


def media_fields() -> list[dict[str, Any]]:
    size = {"widget": "number", "value_type": "int", "min": 1, "required": False}
    fields = {
        "src": {"label": "Image", "name": "src", "widget": "image", "required": True},
        "alt": {**_text("alt", "Alt text", hint="What the image shows, for readers who "
                        "cannot see it"), "required": True},
        "caption": _text("caption", "Caption"),
        "credit": _text("credit", "Credit"),
        "width": {"label": "Width", "name": "width", **size},
        "height": {"label": "Height", "name": "height", **size},
    }
    return [fields[name] for name in MEDIA_FIELDS]


def event_fields(tags: list[str], places: list[str]) -> list[dict[str, Any]]:
    """The ``events`` collection's fields, in ``EVENT_FIELDS`` order, then the body."""
    fields = {
        "title": {**_text("title", "Title"), "required": True, "i18n": True},
        "date": {**_text("date", "Date", hint=DATE_HINT), "required": True,
                 "pattern": [DATE_PATTERN, "an EDTF date: " + DATE_HINT]},
        "end": _text("end", "End", hint="Only when date is one day: the last one, in EDTF",
                     pattern=[END_PATTERN, "an EDTF date, e.g. 2017-12"]),
        "status": {"label": "Status", "name": "status", "widget": "select",
                   "options": list(STATUSES), "required": False,
                   "hint": "Left empty: reported"},
        "summary": {**_text("summary", "Summary"), "widget": "text", "i18n": True},
        "tags": _choices("tags", "Tags", tags, "Readers find events by tag."),
        "places": _choices("places", "Places", places, "Where it happened."),
        "sources": {"label": "Sources", "name": "sources", "widget": "list", "min": 1,
                    "required": True, "summary": "{{fields.publisher}}: {{fields.title}}",
                    "fields": source_fields()},
        "media": {"label": "Images", "name": "media", "widget": "list", "required": False,
                  "fields": media_fields()},
        "featured": {"label": "Featured", "name": "featured", "widget": "boolean",
                     "required": False},
        "draft": {"label": "Draft", "name": "draft", "widget": "boolean", "required": False},
        "slug": _text("slug", "Slug", hint="Its name in URLs; left empty, from the file name",
                      pattern=[f"^{SLUG.pattern}$", "a-z, 0-9 and single hyphens"]),
        "aliases": {"label": "Old URLs", "name": "aliases", "widget": "list",
                    "required": False, "hint": "Site-relative, e.g. /events/old-name/"},
        "updated": _text("updated", "Updated", hint="The day of the last change in substance, "
                         "e.g. 2024-03-05", pattern=[DAY_PATTERN, "one day, e.g. 2024-03-05"]),
        "corrections": {"label": "Corrections", "name": "corrections", "widget": "list",
                        "required": False, "summary": "{{fields.date}}: {{fields.text}}",
                        "fields": [{**_text("date", "Day", pattern=[
                                        DAY_PATTERN, "one day, e.g. 2024-03-05"]),
                                    "required": True},
                                   {**_text("text", "What was corrected"), "widget": "text",
                                    "required": True}]},
    }
    notes = [{**_text(name, name.capitalize()), "widget": "text", "i18n": True}
             for name in model.NOTE_FIELDS]  # read when called: a test adds one
    body = {"label": "Text", "name": "body", "widget": "markdown", "i18n": True}
    return [fields[name] for name in EVENT_FIELDS] + notes + [body]


def page_fields() -> list[dict[str, Any]]:
    fields = {
        "title": {**_text("title", "Title"), "required": True, "i18n": True},
        "summary": {**_text("summary", "Summary"), "widget": "text", "i18n": True},
        "slug": _text("slug", "Slug", pattern=[f"^{SLUG.pattern}$",
                                               "a-z, 0-9 and single hyphens"]),
        "draft": {"label": "Draft", "name": "draft", "widget": "boolean", "required": False},
        "order": {"label": "Order", "name": "order", "widget": "number", "value_type": "int",
                  "required": False},
        "aliases": {"label": "Old URLs", "name": "aliases", "widget": "list",
                    "required": False},
    }
    body = {"label": "Text", "name": "body", "widget": "markdown", "i18n": True}
    return [fields[name] for name in PAGE_FIELDS] + [body]


def used_terms(site: Path) -> tuple[list[str], list[str]]:
    """Every tag and place the site's events use, sorted (the offered choices)."""
    found: dict[str, set[str]] = {"tags": set(), "places": set()}
    folder = site / "content" / "events"
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        rel = path.relative_to(site).as_posix()
        if translation_of(rel) is not None:
            continue
        try:
            fm, _ = parse(rel, read_regular(path).decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # check reports it; the editor still opens
        for key, names in found.items():
            value = fm.data.get(key) if fm is not None else None
            if isinstance(value, list):
                names.update(str(v) for v in value if isinstance(v, str | int) and str(v))
    return sorted(found["tags"]), sorted(found["places"])


def cms_config(config: SiteConfig, tags: list[str], places: list[str]) -> dict[str, Any]:
    """Decap CMS's ``config.yml`` for a site."""
    languages = list(config.languages) or [config.language or "en"]
    i18n = len(languages) > 1
    data: dict[str, Any] = {
        "backend": {"name": "github", "repo": "OWNER/REPOSITORY", "branch": "main"},
        "local_backend": {"url": PROXY_PATH},
        "media_folder": "static/images",
        "public_folder": "images",  # src: images/x.jpg, as README writes it
    }
    if i18n:
        data["i18n"] = {"structure": "multiple_files", "locales": languages,
                        "default_locale": languages[0]}

    def collection(name: str, label: str, folder: str, fields: list[dict[str, Any]],
                   **extra: Any) -> dict[str, Any]:
        out = {"name": name, "label": label, "folder": folder, "create": True,
               "extension": "md", "format": "frontmatter", **extra, "fields": fields}
        if i18n:
            out["i18n"] = True
        else:
            for field in fields:
                field.pop("i18n", None)
        return out

    data["collections"] = [
        collection("events", "Events", "content/events", event_fields(tags, places),
                   slug="{{fields.date}}-{{slug}}",
                   # Two levels, so events kept in year folders are listed; Decap saves
                   # new ones in content/events/ itself (the browser test holds both).
                   path="{{fields.date | date('YYYY')}}/{{slug}}",
                   summary="{{fields.date}} {{fields.title}}", sortable_fields=["date"]),
        collection("pages", "Pages", "content/pages", page_fields()),
        {"name": "eras", "label": "Eras", "files": [{
            "name": "eras", "label": "Eras", "file": "content/eras.yaml", "format": "yaml",
            "fields": [{"label": "Eras", "name": "eras", "widget": "list",
                        "summary": "{{fields.start}} {{fields.title}}",
                        "fields": era_fields()}]}]},
    ]
    return data


def era_fields() -> list[dict[str, Any]]:
    """An era of ``content/eras.yaml``, in ``ERA_FIELDS`` order."""
    fields = {
        "title": {**_text("title", "Title"), "required": True},
        "start": {**_text("start", "Start", hint="EDTF, e.g. 2016-02-10"), "required": True,
                  "pattern": [PUBLISHED_PATTERN, "an EDTF date, e.g. 2016-02-10"]},
        "end": _text("end", "End", hint="Left empty: still going",
                     pattern=[PUBLISHED_PATTERN, "an EDTF date, e.g. 2019-12-22"]),
        "summary": {**_text("summary", "Summary"), "widget": "text"},
    }
    return [fields[name] for name in ERA_FIELDS]


INDEX_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Editor</title>
</head>
<body>
<!-- Decap CMS, from the npm package decap-cms (MIT): `timeline serve` answers this file
     from node_modules; a published site copies it here. Nothing comes from a CDN. -->
<script src="decap-cms.js"></script>
</body>
</html>
"""


def write_cms(site: Path, config: SiteConfig) -> list[Path]:
    """Write ``static/admin/index.html`` and ``config.yml``; return the files written."""
    tags, places = used_terms(site)
    folder = site / ADMIN
    folder.mkdir(parents=True, exist_ok=True)
    data = cms_config(config, tags, places)
    data["backend"] = _kept_backend(folder / "config.yml") or data["backend"]
    text = ("# Made by `timeline cms` from the event model: run it again after changing "
            "languages or adding tags\n# (it keeps `backend:` as you set it).\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))
    written = []
    for name, content in (("config.yml", text), ("index.html", INDEX_HTML)):
        path = folder / name
        if not path.exists() or path.read_text("utf-8") != content:
            path.write_text(content, "utf-8")
            written.append(path)
    return written


def _kept_backend(path: Path) -> dict[str, Any] | None:
    """The ``backend:`` an earlier ``config.yml`` has (the repository set up for
    publishing), so refreshing the form does not undo it."""
    try:
        old = yaml.safe_load(read_regular(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    backend = old.get("backend") if isinstance(old, dict) else None
    return backend if isinstance(backend, dict) and backend.get("name") else None


def find_package(site: Path, name: str) -> Path | None:
    """``node_modules/NAME`` as node would find it from the site, else beside this tool's
    own checkout (a clone running its tests); None when it is not installed."""
    here = Path(__file__).resolve().parents[2]
    for folder in (site.absolute(), *site.absolute().parents, here):
        candidate = folder / "node_modules" / name
        if (candidate / "package.json").is_file():
            return candidate
    return None
