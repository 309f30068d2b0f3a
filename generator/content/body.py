"""One configured Markdown renderer, with its output cleaned against an allowlist."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import markdown
import nh3
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension


def extensions() -> list[markdown.Extension]:
    """Fresh instances for each converter (footnotes keep per-document state). Given by
    name, each process would first scan every installed package's entry points (35 ms).
    Not "smarty": typographic quotes doubled the cost of every body (see bench/)."""
    return [TableExtension(), FencedCodeExtension(), FootnoteExtension(), SaneListExtension(),
            AbbrExtension(), DefListExtension()]

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "dl", "dt", "dd",
    "em", "strong", "b", "i", "s", "del", "ins", "mark", "sub", "sup", "small", "abbr", "q",
    "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "blockquote", "code", "pre", "div", "span", "cite",
}
ATTRIBUTES = {
    "a": {"href", "title", "class", "id"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "abbr": {"title"},
    "th": {"align", "scope"},
    "td": {"align"},
    "code": {"class"},
    "div": {"class"},
    "sup": {"id"},
    "li": {"id"},
    "ol": {"start"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
SCHEMES = {"http", "https", "mailto"}

Renderer = Callable[[str], str]


IDLE_UNLESS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "footnote": ("[^",), "link": ("[",),
    "image_link": ("![",), "autolink": ("<",), "automail": ("<",), "html": ("<",),
    "entity": ("&",), "em_strong": ("*", "_"),
    # A reference resolves only against a definition, and every definition has "]:".
    "reference": ("]:",), "short_reference": ("]:",), "image_reference": ("]:",),
    "short_image_ref": ("]:",),
}
"""Python-Markdown's inline patterns, each with the text it cannot match without. For
every piece of text the inline step tries every pattern in turn, which is most of the
cost of a body; a pattern whose text is nowhere in the body can never match there, so it
is left out and the HTML stays exactly the same (tested). The whitespace rules
(``linebreak``) and patterns of other names are always kept."""

VARIANTS = 32
"""At most this many differently pruned Markdown instances per renderer."""


def _markdown(allow_html: bool, idle: frozenset[str] = frozenset()) -> markdown.Markdown:
    md = markdown.Markdown(extensions=extensions(), output_format="html")
    if not allow_html:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    for name in idle:
        md.inlinePatterns.deregister(name, strict=False)
    return md


def make_renderer(allow_html: bool = False, prune: bool = True) -> Renderer:
    """Return a function from Markdown to safe HTML.

    Unless the site opts in, raw HTML in a body is shown as text rather than interpreted,
    and the result is cleaned with nh3 either way, so a body can never carry a script.
    With ``prune``, each body is converted without the inline patterns it gives no
    occasion for (see ``IDLE_UNLESS``).
    """
    variants: dict[frozenset[str], markdown.Markdown] = {}
    everything = _markdown(allow_html)

    def instance(text: str) -> markdown.Markdown:
        if not prune:
            return everything
        idle = frozenset(name for name, needs in IDLE_UNLESS.items()
                         if not any(need in text for need in needs))
        md = variants.get(idle)
        if md is None:
            if len(variants) >= VARIANTS:
                return everything
            md = variants[idle] = _markdown(allow_html, idle)
        return md

    def render(text: str) -> str:
        md = instance(text)
        md.reset()
        out = md.convert(text)
        if allow_html:
            return out
        return nh3.clean(out, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                         link_rel="noopener noreferrer")

    return render


_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def first_paragraph(rendered: str) -> str:
    """Plain text of the first paragraph: the default summary for lists and feeds."""
    match = _FIRST_PARAGRAPH.search(rendered)
    if not match:
        return ""
    text = html.unescape(_TAG.sub("", match.group(1))).replace("\ue000", "")
    return re.sub(r"\s+", " ", text).strip()


def plain_text(rendered: str) -> str:
    """All text of rendered HTML, for the search index."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", rendered))).strip()
