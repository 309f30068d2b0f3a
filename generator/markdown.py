"""One configured Markdown renderer, with its output cleaned against an allowlist."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import markdown
import nh3

# Not "smarty": typographic quotes doubled the cost of every body (see bench/).
EXTENSIONS = ["tables", "fenced_code", "footnotes", "sane_lists", "abbr", "def_list"]

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


def make_renderer(allow_html: bool = False) -> Renderer:
    """Return a function from Markdown to safe HTML.

    Unless the site opts in, raw HTML in a body is shown as text rather than interpreted,
    and the result is cleaned with nh3 either way, so a body can never carry a script.
    """
    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    if not allow_html:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")

    def render(text: str) -> str:
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
