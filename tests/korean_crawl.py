"""The rule a language edition keeps, checked on every page of it: what the theme shows is
in that language (or marked with its own ``lang``), a link to a page that exists in that
language stays in it, and every tag, place and era shown has a label in it.

``crawl(output, "ko", base_url, labels, eras)`` returns one line per breach, so a test can
assert it is empty on any built site, and that it names a breach planted on purpose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from babel.messages.pofile import read_po
from lxml import html as lhtml

from generator.site.i18n import LOCALES

PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}|<[^>]*>")
TEXT_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
SKIPPED = {"script", "style"}
SELECT_COUNT = re.compile(r"\s*\([0-9,]+\)$")


def english_ui_strings(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """(single words, phrases): the English catalog's messages cut at their placeholders,
    each part that the ``language`` catalog says differently."""
    def catalog(code: str) -> object:
        with (LOCALES / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            return read_po(handle)
    theirs = {(m.id if isinstance(m.id, str) else m.id[0]): m.string
              for m in catalog(language) if m.id}  # type: ignore[attr-defined]
    words, phrases = set(), set()
    for message in catalog("en"):  # type: ignore[attr-defined]
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        said = theirs.get(ids[0]) if ids[0] else None
        said_text = " ".join([said] if isinstance(said, str) else list(said or ()))
        for text in ids:
            for part in PLACEHOLDER.split(text or ""):
                part = " ".join(part.split()).strip(" .,:;·()–—-“”?!»«›‹→←")
                if not re.search(r"[A-Za-z]{3}", part) or part in said_text:
                    continue
                (phrases if " " in part else words).add(part)
    return frozenset(words), frozenset(phrases)


def _language_of(element: lhtml.HtmlElement) -> str:
    """The element's language: its own ``lang`` or its nearest ancestor's."""
    node: lhtml.HtmlElement | None = element
    while node is not None:
        code = node.get("lang")
        if code is not None:
            return str(code)
        node = node.getparent()
    return ""


def _texts(tree: lhtml.HtmlElement) -> Iterator[tuple[lhtml.HtmlElement, str]]:
    """Each visible text of the page (text nodes, and attributes a reader hears or sees),
    with the element it belongs to."""
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in SKIPPED:
            continue
        if element.text and element.text.strip():
            yield element, element.text
        for child in element:
            if child.tail and child.tail.strip():
                yield element, child.tail
        for name in TEXT_ATTRIBUTES:
            value = element.get(name)
            if value and value.strip():
                yield element, value


def english_breaches(tree: lhtml.HtmlElement, language: str, rel: str,
                     ui: tuple[frozenset[str], frozenset[str]]) -> list[str]:
    words, phrases = ui
    found = []
    for element, text in _texts(tree):
        if not _language_of(element).startswith(language):
            continue  # marked as in its own language
        clean = " ".join(text.split()).strip(" .,:;·()–—-“”?!»«›‹→←#◉")
        hit = clean if clean in words or clean in phrases else next(
            (p for p in phrases if p in clean), None)
        if hit:
            found.append(f"{rel}: English UI text {hit!r} in <{element.tag}>: {clean!r}")
    return found


def _links(tree: lhtml.HtmlElement) -> Iterator[str]:
    """Every link of the page to another page: anchors, forms, the embed snippet's
    iframe and the JSON-LD url, but not the language switcher or hreflang alternates,
    which lead to the other languages on purpose."""
    for element in tree.iter("a", "link", "form", "iframe"):
        if element.get("hreflang") is not None:
            continue
        target = element.get("href") or element.get("action") or element.get("src")
        if target:
            yield target
    for area in tree.iter("textarea"):
        snippet = lhtml.fragment_fromstring(area.text_content() or "<p></p>", create_parent=True)
        yield from (f.get("src") for f in snippet.iter("iframe") if f.get("src"))
    for script in tree.xpath("//script[@type='application/ld+json']"):
        yield from _urls_in(json.loads(script.text or "{}"))


def _urls_in(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "url" and isinstance(item, str):
                yield item
            else:
                yield from _urls_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _urls_in(item)


def _leaves_language(target: str, page_url: str, base_url: str, language: str,
                     output: Path) -> str | None:
    """The site path a link goes to outside ``/<language>/`` when that page exists in the
    language, else None."""
    url = urljoin(page_url, target)
    parts, base = urlsplit(url), urlsplit(base_url)
    if parts.netloc != base.netloc or not parts.path.startswith(base.path):
        return None
    rel = unquote(parts.path[len(base.path):])
    if rel.startswith(f"{language}/") or rel == language:
        return None
    there = output / language / rel
    if rel == "" or rel.endswith("/"):
        there = there / "index.html"
    return rel if there.is_file() else None


def link_breaches(tree: lhtml.HtmlElement, rel: str, page_url: str, base_url: str,
                  language: str, output: Path, links: Iterable[str] | None = None
                  ) -> list[str]:
    found = []
    for target in _links(tree) if links is None else links:
        out = _leaves_language(target, page_url, base_url, language, output)
        if out is not None:
            found.append(f"{rel}: link {target!r} leaves /{language}/ for /{out}, which has a "
                         f"/{language}/ version")
    return found


def term_breaches(tree: lhtml.HtmlElement, rel: str, language: str, labels: set[str],
                  eras: set[str]) -> list[str]:
    """Tags, places (links, filter choices) and eras shown in the language must be its
    labels, unless marked as in another language."""
    found = []
    shown = [(e, e.text_content().lstrip("#◉ ").strip(), labels, "tag or place")
             for e in tree.xpath("//a[@class='tag' or @class='place']")]
    shown += [(e, SELECT_COUNT.sub("", e.text_content()).strip(), labels, "tag or place")
              for e in tree.xpath("//select[@id='f-tag' or @id='f-place']/option[@value!='']")]
    shown += [(e, e.text_content().split(" (")[0].strip(), eras, "era")
              for e in tree.xpath("//span[@class='era']")]
    for element, text, known, kind in shown:
        if _language_of(element).startswith(language) and text not in known:
            found.append(f"{rel}: {kind} {text!r} has no {language} label")
    return found


def crawl(output: Path, language: str, base_url: str, labels: Iterable[str],
          eras: Iterable[str]) -> tuple[int, list[str]]:
    """(pages crawled, breaches) over every HTML page under ``output/<language>/``, and the
    links in that language's feed and TimelineJS export."""
    ui = english_ui_strings(language)
    labelled, titled = set(labels), set(eras)
    breaches: list[str] = []
    pages = sorted((output / language).rglob("*.html"))
    for path in pages:
        rel = path.relative_to(output).as_posix()
        tree = lhtml.fromstring(path.read_bytes())
        page_url = base_url + rel.removesuffix("index.html")
        breaches += english_breaches(tree, language, rel, ui)
        breaches += link_breaches(tree, rel, page_url, base_url, language, output)
        if "refresh" not in (tree.xpath("string(//meta[@http-equiv='refresh']/@content)")):
            breaches += term_breaches(tree, rel, language, labelled, titled)
    for name in ("feed.xml", "timelinejs.json"):
        text = (output / language / name).read_text("utf-8")
        found = re.findall(re.escape(base_url) + r"[^\"'<>\s\\]*", text)
        breaches += link_breaches(lhtml.fromstring("<p></p>"), f"{language}/{name}",
                                  base_url + language + "/", base_url, language, output,
                                  found)
    return len(pages), breaches
