"""Reading typed fields out of front-matter, one problem per mistake instead of stopping."""


from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from generator.content.dates import (
    DateError,
    EventDate,
    PartialDate,
    parse_date,
    parse_single,
)
from generator.content.editorial import (
    PLACEHOLDER,
    alias_problem,
    body_placeholder,
    hold_note,
    normal_alias,
    placeholders,
)
from generator.content.header import FrontMatter, Key, field_name
from generator.content.model import (
    BARE_LINK,
    MEDIA_FIELDS,
    SLUG,
    SOURCE_FIELDS,
    YAML11_WORDS,
    Media,
    Source,
    broken_url,
    safe_url,
    split_url,
)
from generator.content.text import (
    MARK,
    MAX_TERMS,
    controls_message,
    invisible_message,
    strip_controls,
    strip_invisible,
    term_problem,
)
from generator.content.text import (
    slugify as slugify,  # where the site's other stages import it from
)
from generator.errors import Problem, did_you_mean


class Reader:
    """Reads typed fields out of front-matter, collecting problems instead of stopping."""

    def __init__(self, fm: FrontMatter, problems: list[Problem]) -> None:
        self.fm = fm
        self.problems = problems

    def problem(self, key: Key, message: str, severity: str = "error",
                until: tuple[int, ...] | None = None) -> None:
        problem = Problem(self.fm.path, self.fm.line(key), field_name(key) or None, message,
                          "warning" if severity == "warning" else "error", until)
        if problem not in self.problems:  # a field read twice is reported once
            self.problems.append(problem)

    def value(self, key: Key) -> Any:
        node: Any = self.fm.data
        for part in key:
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return None
        return node

    def text(self, key: Key, required: bool = False) -> str:
        value = self.value(key)
        if value is None:
            if required:
                self.problem(key, "missing: this field is required")
            return ""
        if isinstance(value, bool):
            raw = self.fm.raw.get(key, str(value))
            if raw.lower() in YAML11_WORDS - {"true", "false"}:
                self.problem(key, f"'{raw}' is read by YAML as {str(value).lower()}; "
                             f"quote it (\"{raw}\") to keep the word", "warning")
            return raw
        if isinstance(value, int | float):
            return self.fm.raw.get(key, str(value))
        if not isinstance(value, str):
            self.problem(key, f"expected text, got {kind_name(value)}")
            return ""
        value, controls = strip_controls(value)
        if controls:
            self.problem(key, controls_message(controls), "warning")
        if required and not value.strip():
            self.problem(key, "empty: this field is required")
        return value.replace(MARK, "").strip()

    def texts(self, key: Key) -> tuple[str, ...]:
        value = self.value(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(key, f"expected a list of text like [a, b], got {kind_name(value)}")
            return ()
        if len(value) > MAX_TERMS:
            self.problem(key, f"{len(value):,} {key[-1]}: an event may have at most {MAX_TERMS}")
            return ()
        items = [self.text((*key, i)) for i in range(len(value))]
        if key[0] in ("tags", "places"):
            items = [self.visible((*key, i), item, name=True) for i, item in enumerate(items)]
        if key[0] == "tags":
            for i, item in enumerate(items):
                parts = [p.strip() for p in item.split(",") if p.strip()]
                if len(parts) > 1:
                    self.problem((*key, i), f"'{item}' looks like {len(parts)} tags: write them "
                                 "as list items (" + ", ".join(f"- {p}" for p in parts)
                                 + "), or write the tag without a comma", "warning")
        for i, item in enumerate(items):
            written = value[i]  # "\0" is no tag: nothing is left of it once cleaned
            if (item or isinstance(written, str) and written.strip()) \
                    and not self.term((*key, i), item):
                items[i] = ""
        return tuple(dict.fromkeys(i for i in items if i))

    def visible(self, key: Key, text: str, name: bool = False) -> str:
        """``text`` without invisible characters (``strip_invisible``), with a warning."""
        cleaned, found = strip_invisible(text, name)
        if found:
            self.problem(key, invisible_message(found), "warning")
        return cleaned.strip()

    def term(self, key: Key, name: str) -> bool:
        """A tag or place names a page: say so if this one cannot."""
        problem = term_problem(name, "a tag" if key[0] == "tags" else "a place")
        if problem:
            self.problem(key, problem)
        return problem is None

    def date(self, key: Key, required: bool = False) -> EventDate | None:
        text = self.text(key, required)
        if not text:
            return None
        try:
            return parse_date(text)
        except DateError as exc:
            self.problem(key, str(exc))
            return None

    def url(self, key: Key, relative: bool = False) -> str:
        text = self.text(key)
        if text and safe_url(text, relative) is None:
            allowed = "http, https, mailto or relative" if relative else "http, https or mailto"
            self.problem(key, broken_url(text) or f"'{text}' is not an {allowed} link")
            return ""
        return text

    def unknown(self, key: Key, known: tuple[str, ...]) -> None:
        value = self.value(key) if key else self.fm.data
        if not isinstance(value, dict):
            return
        for name in value:
            if name not in known:
                hint = did_you_mean(str(name), known)
                self.problem((*key, name), f"unknown field{hint}", "warning")


def kind_name(value: Any) -> str:
    return {list: "a list", dict: "fields", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__)


def _day(r: Reader, key: Key) -> PartialDate | None:
    """A source's ``published`` or ``accessed`` date (None when absent or wrong)."""
    if not r.text(key):
        return None
    try:
        return parse_single(r.text(key))
    except DateError as exc:
        r.problem(key, str(exc))
        return None


def read_sources(r: Reader) -> tuple[Source, ...]:
    value = r.value(("sources",))
    if value is None or value == []:
        what = "missing" if value is None else "empty"
        r.problem(("sources",), f"{what}: every event needs at least one source")
        return ()
    if not isinstance(value, list):
        r.problem(("sources",), f"expected a list of sources, got {kind_name(value)}")
        return ()
    sources: list[Source] = []
    where: list[int] = []
    for i, item in enumerate(value):
        key: Key = ("sources", i)
        if isinstance(item, str):  # `- https://…` or `- Publisher name`: short citations
            bare = item.strip()
            parts = split_url(bare) if "://" in bare else None
            host = parts.hostname if parts else None
            if "://" in bare and parts is None:  # a link, whose url check says what is wrong
                host = bare
            item = {"url": bare, "publisher": host.removeprefix("www.")} if host else \
                {"publisher": bare}
            if not host and BARE_LINK.fullmatch(bare):
                r.problem(key, f"'{bare}' looks like a link without https://: write "
                          f"https://{bare} (as it is, it is cited as a publisher's name)",
                          "warning")
            r.fm.data["sources"][i] = item
            for name in item:
                r.fm.lines[(*key, name)] = r.fm.line(key) or 0
        if not isinstance(item, dict):
            r.problem(key, f"expected a source with publisher, title, url, got {kind_name(item)}")
            continue
        r.unknown(key, SOURCE_FIELDS)
        published, accessed = _day(r, (*key, "published")), _day(r, (*key, "accessed"))
        source = Source(
            publisher=r.text((*key, "publisher")), title=r.text((*key, "title")),
            url=r.url((*key, "url")), published=published,
            language=r.text((*key, "language")), archived=r.url((*key, "archived")),
            quote=r.text((*key, "quote")), via=r.text((*key, "via")),
            author=r.text((*key, "author")), accessed=accessed)
        if not source.title and not source.publisher:
            r.problem(key, "a source needs a title or a publisher")
        sources.append(source)
        where.append(i)
    if sources and not any(s.url or s.archived for s in sources):  # e.g. an imported file
        r.problem(("sources",), "no external source: link at least one report readers can "
                  "check", "warning")
    for i, source in zip(where, sources, strict=True):
        if source.url or source.archived:
            continue
        if not source.publisher and not source.title.startswith(PLACEHOLDER):
            # A print-only source is found by who published it: a title alone is a
            # citation nobody can trace (a placeholder is warned about as one).
            r.problem(("sources", i), "no publisher and no url: say who published it "
                      "(publisher: ...) or link it (url: https://...)", "warning")
        elif any(s.url or s.archived for s in sources):  # else the one warning above
            r.problem(("sources", i), "no url: cite publisher, title and date so readers "
                      "can find it", "warning")
    return tuple(sources)


def read_media(r: Reader) -> tuple[Media, ...]:
    value = r.value(("media",))
    if value is None:
        return ()
    if not isinstance(value, list):
        r.problem(("media",), f"expected a list of images, got {kind_name(value)}")
        return ()
    media = []
    for i, item in enumerate(value):
        key: Key = ("media", i)
        if not isinstance(item, dict):
            r.problem(key, f"expected an image with src and alt, got {kind_name(item)}")
            continue
        r.unknown(key, MEDIA_FIELDS)
        src = r.url((*key, "src"), relative=True)
        scheme = urlsplit(src).scheme.lower()  # src passed safe_url: it splits
        if scheme and scheme != "https":
            r.problem((*key, "src"), f"'{src}' cannot be shown: the pages allow images from "
                      "https:// addresses and the site's own files only (Content-Security-"
                      "Policy img-src 'self' https: data:); use https:// or copy it into "
                      "static/")
            src = ""
        alt = r.text((*key, "alt"))
        if not r.text((*key, "src")):
            r.problem((*key, "src"), "missing: the image file or URL")
        if "alt" not in item:
            r.problem((*key, "alt"), "missing: describe the image for readers who cannot see "
                      "it (alt: \"\" only for decoration)")
        size = []
        for name in ("width", "height"):
            number = item.get(name)
            if number is not None and (not isinstance(number, int) or isinstance(number, bool)
                                       or number < 1):
                r.problem((*key, name), "expected a whole number of pixels")
                number = None
            size.append(number)
        if src:
            media.append(Media(src, alt, r.text((*key, "caption")), r.text((*key, "credit")),
                               size[0], size[1], r.fm.line((*key, "src"))))
    return tuple(media)


def read_aliases(r: Reader) -> tuple[str, ...]:
    """Old URLs, as site-relative paths ending in ``/`` (or a file name such as ``a.html``)."""
    out = []
    for i, alias in enumerate(r.texts(("aliases",))):
        problem = alias_problem(alias)
        if problem:
            r.problem(("aliases", i), problem)
        else:
            out.append(normal_alias(alias))
    return tuple(dict.fromkeys(out))


def check_placeholders(r: Reader, fm: FrontMatter) -> None:
    for key, message in placeholders(fm.data):
        r.problem(key, message, "warning")
    for found in (body_placeholder(fm.body), hold_note(fm.body)):
        if found is not None:
            r.problems.append(Problem(fm.path, fm.body_line + found[0], "body", found[1],
                                      "warning"))


def read_flag(r: Reader, key: Key) -> bool:
    value = r.value(key)
    if value is None:
        return False
    if not isinstance(value, bool):
        r.problem(key, f"expected true or false, got {kind_name(value)}")
        return False
    return value


def read_slug(r: Reader, default: str) -> str:
    explicit = r.text(("slug",))
    if explicit:
        if not SLUG.fullmatch(explicit):
            r.problem(("slug",), f"'{explicit}' may only use a-z, 0-9 and single hyphens")
            return ""
        return explicit
    slug = slugify(default)
    if not slug:
        r.problem((), f"the file name gives no usable slug; add slug: to '{default}'")
    return slug
