"""Translated content, Hugo's convention: ``resolution-2375.ko.md`` beside
``resolution-2375.md`` holds the fields that change with language (title, summary, body,
media alt and caption); date, status, sources and slug are the original's.

Loading pairs each translation with its original and reports what cannot be paired;
``localise_event`` and ``localise_page`` then give each event and page as one language shows
it: translated, or marked as being in its original language.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from generator.content.header import MAX_FILE_BYTES, FrontMatter
from generator.content.model import Event, Page
from generator.errors import Problem
from generator.symlinks import read_regular

_SUFFIX = re.compile(r"(?P<stem>[^/]+)\.(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)"
                     r"(?P<md>\.(?i:md))")
FIXED = ("date", "end", "status", "sources", "slug", "aliases", "draft", "featured")
"""Fields a translation may not change: they are the event's, in every language."""
TEXT = ("title", "summary", "media")


@functools.cache
def _is_language(code: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code, sep="-")
        return True
    except (UnknownLocaleError, ValueError):
        return False


def translation_of(rel: str) -> tuple[str, str] | None:
    """('content/events/2017/x.md', 'ko') for 'content/events/2017/x.ko.md', else None."""
    folder, _, name = rel.rpartition("/")
    match = _SUFFIX.fullmatch(name)
    if match is None or not _is_language(match["lang"]):
        return None
    return f"{folder}/{match['stem']}{match['md']}", match["lang"].lower()


@dataclass(frozen=True)
class Translation:
    """One translation file, as read: what it says, and the fixed fields it repeats."""

    path: str
    original: str
    language: str
    title: str = ""
    summary: str = ""
    body: str = ""
    html: str = ""
    media: tuple[tuple[str, str], ...] = ()
    """(alt, caption) per image of the original, '' where the original's is kept."""
    fixed: tuple[tuple[str, Any, int | None], ...] = ()
    """(field, value as written, line) of each fixed field the file repeats."""
    title_line: int | None = None


def build_translation(fm: FrontMatter, rel: str, original: str, language: str
                      ) -> tuple[Translation | None, list[Problem]]:
    """Read a translation's front-matter; refuse fields a translation does not hold."""
    problems: list[Problem] = []
    data = fm.data
    for key in data:
        if key in ("tags", "places"):
            problems.append(Problem(rel, fm.line((key,)), key, "a translation keeps the "
                                    f"original's {key}: give their labels in "
                                    f"content/labels.{language}.yaml"))
        elif key not in TEXT and key not in FIXED:
            problems.append(Problem(rel, fm.line((key,)), key, "not a field of a "
                                    "translation (title, summary, media and the body)"))
    texts = {k: data.get(k, "") for k in ("title", "summary")}
    for key, value in texts.items():
        if not isinstance(value, str):
            problems.append(Problem(rel, fm.line((key,)), key, "expected text"))
    media: list[tuple[str, str]] = []
    images = data.get("media") or []
    if not isinstance(images, list):
        problems.append(Problem(rel, fm.line(("media",)), "media", "expected a list, one "
                                "entry (alt, caption) per image of the original"))
        images = []
    for number, item in enumerate(images):
        item = item if isinstance(item, dict) else {}
        media.append((str(item.get("alt", "")), str(item.get("caption", ""))))
        if set(item) - {"alt", "caption"}:
            problems.append(Problem(rel, fm.line(("media", number)), f"media[{number}]",
                                    "a translation gives only alt and caption"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    fixed = tuple((k, data[k], fm.line((k,))) for k in FIXED if k in data)
    return Translation(rel, original, language, str(texts["title"]).strip(),
                       str(texts["summary"]).strip(), fm.body, media=tuple(media),
                       fixed=fixed, title_line=fm.line(("title",))), problems


def pair(events: Sequence[Event], pages: Sequence[Page], translations: Sequence[Translation],
         languages: Sequence[str]) -> tuple[tuple[Translation, ...], list[Problem]]:
    """The translations that belong to an event or page of the site, and the problems of
    the rest: no original, a language the site is not in, two for one language, a fixed
    field that differs."""
    originals: dict[str, Event | Page] = {e.path: e for e in events}
    originals.update((p.path, p) for p in pages)
    seen: dict[tuple[str, str], Translation] = {}
    problems: list[Problem] = []
    default = languages[0] if languages else ""
    for t in sorted(translations, key=lambda t: t.path):
        original = originals.get(t.original)
        if original is None:
            problems.append(Problem(t.path, 1, "translation", f"its original {t.original} "
                                    "does not exist: name the file after its original"))
            continue
        spelled = {code.lower(): code for code in languages}
        t = replace(t, language=spelled.get(t.language, t.language))  # as timeline.toml has it
        if t.language not in languages[1:]:
            listed = ", ".join(f'"{code}"' for code in languages)
            why = ("is the site's default language" if t.language == default else
                   f"is not in languages ({listed}) in timeline.toml")
            problems.append(Problem(t.path, 1, "language", f"'{t.language}' {why}"))
            continue
        if (t.original, t.language) in seen:
            problems.append(Problem(t.path, 1, "language", f"a second {t.language} translation "
                                    f"of {t.original} (the first is "
                                    f"{seen[t.original, t.language].path})"))
            continue
        written = getattr(original, "front_matter", {}) or {}
        bad = [(k, line) for k, value, line in t.fixed if written.get(k) != value]
        for key, line in bad:
            problems.append(Problem(t.path, line, key, f"differs from {t.original}: a "
                                    f"translation may not change {key}; leave it out"))
        if len(t.media) > len(getattr(original, "media", ())):
            problems.append(Problem(t.path, None, "media", "more images than the original"))
        if not bad:
            seen[t.original, t.language] = t
    return tuple(seen.values()), problems


def localise_event(event: Event, language: str, translation: Translation | None,
                   default: str, labelled: str = "") -> Event:
    """The event as the pages of ``language`` show it: translated, or in its original
    language (``text_language``) when there is no translation. Its key names the language,
    so each language's pages and cards are kept apart (``labelled``: the labels' digest)."""
    if translation is None:
        return replace(event, language=language, text_language=default,
                       key=f"{event.key or event.slug}@{language}{labelled}")
    media = tuple(replace(m, alt=alt or m.alt, caption=caption or m.caption)
                  for m, (alt, caption) in zip(event.media, (*translation.media,
                                               *[("", "")] * len(event.media)),
                                               strict=False))
    return replace(event, title=translation.title or event.title,
                   summary=translation.summary or event.summary,
                   body=translation.body or event.body, html=translation.html or event.html,
                   media=media, language=language, text_language=language,
                   key=f"{event.key or event.slug}@{language}{labelled}:{hash_text(translation)}")


def localise_page(page: Page, translation: Translation | None, default: str) -> Page:
    """The page as ``language``'s pages show it: translated, or marked as in ``default``."""
    if translation is None:
        return replace(page, text_language=default)
    return replace(page, title=translation.title or page.title,
                   summary=translation.summary or page.summary,
                   body=translation.body or page.body, html=translation.html or page.html)


def hash_text(translation: Translation) -> str:
    from generator.hashing import text_digest

    return text_digest(repr(translation))[:16]


def load_labels(site: Path, language: str) -> tuple[dict[str, str], list[Problem]]:
    """``content/labels.<lang>.yaml``: ``{tag or place as written: label}``; URLs stay."""
    path = site / "content" / f"labels.{language}.yaml"
    rel = f"content/labels.{language}.yaml"
    if not path.is_file():
        return {}, []
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        return {}, [Problem(rel, None, None, f"cannot be read ({exc.strerror})")]
    if len(raw) > MAX_FILE_BYTES:
        return {}, [Problem(rel, None, None, "file is over 1 MB: refused")]
    try:
        data = yaml.safe_load(raw.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return {}, [Problem(rel, None if line is None else line + 1, None,
                            f"not valid YAML: {exc}")]
    except (ValueError, RecursionError):  # a number of 5,000 digits, lists 10,000 deep
        return {}, [Problem(rel, None, None, "expected lines of `tag or place: label`")]
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                             for k, v in data.items()):
        return {}, [Problem(rel, None, None, "expected lines of `tag or place: label`")]
    return data, []



def load_era_texts(site: Path, language: str, titles: Sequence[str]
                   ) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """``content/eras.<lang>.yaml``, the eras as ``eras.yaml`` names them, each with its
    title and summary in the language: ``{original title: {title: ..., summary: ...}}``
    (or ``original title: title``). Keyed by the original's title, as labels are by the
    tag as written, so reordering ``eras.yaml`` keeps each translation with its era."""
    rel = f"content/eras.{language}.yaml"
    path = site / rel
    if not path.is_file():
        return {}, []
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return {}, [Problem(rel, None if line is None else line + 1, None,
                            f"not valid YAML: {exc}")]
    shape = "expected lines of `era title in eras.yaml: {title: ..., summary: ...}`"
    if not isinstance(data, dict):
        return {}, [Problem(rel, None, None, shape)]
    texts: dict[str, tuple[str, str]] = {}
    problems: list[Problem] = []
    for original, value in data.items():
        item = {"title": value} if isinstance(value, str) else value
        if not isinstance(item, dict) or set(item) - {"title", "summary"} or not all(
                isinstance(v, str) for v in item.values()):
            problems.append(Problem(rel, None, str(original), shape))
        elif original not in titles:
            problems.append(Problem(rel, None, str(original), "no era has this title in "
                                    "content/eras.yaml", "warning"))
        else:
            texts[original] = (item.get("title", "").strip(), item.get("summary", "").strip())
    return texts, problems
