"""One configured Markdown renderer, with its output cleaned against an allowlist."""

from __future__ import annotations

import html
import re
import signal
import threading
from collections.abc import Callable

import markdown
import nh3
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension

from generator.content.text import MARK


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
RAW_TAGS = TAGS | {
    "details", "summary", "kbd", "samp", "var", "dfn", "u", "time", "bdi", "bdo", "wbr",
    "ruby", "rt", "rp", "section", "aside", "header", "footer", "colgroup", "col",
}
"""With ``allow_html``: what editors write by hand besides what Markdown makes. Never
script, style, iframe, object, embed, form or anything else that runs or loads a page."""
RAW_ATTRIBUTES = {
    **ATTRIBUTES,
    "*": {"title", "lang", "dir", "class"},
    "time": {"datetime"}, "details": {"open"}, "col": {"span"}, "colgroup": {"span"},
    "td": {"align", "colspan", "rowspan"}, "th": {"align", "scope", "colspan", "rowspan"},
    "a": ATTRIBUTES["a"] | {"hreflang"},
}
"""No ``on*`` handler and no ``style`` (the CSP forbids inline styles too); URLs keep to
``SCHEMES`` either way, so a ``javascript:`` link loses its href."""

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


BUDGET_SECONDS = 2.0
"""The most one body may take to render (``[safety] markdown_seconds``)."""

LINKS = frozenset({"link", "image_link", "reference", "short_reference", "image_reference",
                   "short_image_ref", "footnote"})
"""The inline patterns that scan ahead for a closing bracket or parenthesis: tried at each
of n openers that never close, they take time n squared (32 KB of brackets took 16 s)."""
TANGLE = 32
"""More brackets nested, or link targets left open, than any real body has."""
_BRACKETS = re.compile(r"\]\(|[\[\]()]")


class BodyError(ValueError):
    """A body that cannot be rendered within the budget."""


def tangled(text: str) -> bool:
    """Whether brackets nest deeper, or link targets stay open more often, than ``TANGLE``:
    the input that makes the link patterns quadratic. One pass, and only over brackets."""
    if text.count("[") <= TANGLE:
        return False
    depth = deepest = targets = inside = 0
    for match in _BRACKETS.finditer(text):
        mark = match.group()
        if mark == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif mark == "]":
            depth = max(0, depth - 1)
        elif mark == "](":
            depth, targets = max(0, depth - 1), targets + 1
        elif mark == "(":
            inside += 1 if targets else 0
        elif inside:
            inside -= 1
        elif targets:
            targets -= 1
        if deepest > TANGLE or targets > TANGLE:
            return True
    return False


class Expired(BaseException):  # noqa: N818 - raised by the timer, never seen outside
    """Not an ``Exception``, so no ``except Exception`` inside Markdown can swallow it."""


def within(seconds: float, work: Callable[[], str]) -> str:
    """Run ``work``; raise ``Expired`` once it has taken ``seconds``. A SIGALRM timer,
    which interrupts the pure-Python loops Markdown runs, works in a process's main thread
    (builds, parse workers and the dev server all convert there); elsewhere it is unbounded."""
    if threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        return work()

    def expire(signum: int, frame: object) -> None:
        raise Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _markdown(allow_html: bool, idle: frozenset[str] = frozenset()) -> markdown.Markdown:
    md = markdown.Markdown(extensions=extensions(), output_format="html")
    if not allow_html:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    for name in idle:
        md.inlinePatterns.deregister(name, strict=False)
    return md


def make_renderer(allow_html: bool = False, prune: bool = True,
                  budget: float = BUDGET_SECONDS) -> Renderer:
    """Return a function from Markdown to safe HTML.

    Unless the site opts in, raw HTML in a body is shown as text rather than interpreted,
    and the result is cleaned with nh3 either way (with ``allow_html`` against the wider
    ``RAW_TAGS``), so a body can never carry a script, a handler or a ``javascript:`` URL.
    With ``prune``, each body is converted without the inline patterns it gives no
    occasion for (see ``IDLE_UNLESS``). A ``tangled`` body is converted without the link
    patterns (its brackets stay text), and one that takes ``budget`` seconds is refused with
    ``BodyError``, so no body can stall a build.
    """
    variants: dict[frozenset[str], markdown.Markdown] = {}
    everything = [_markdown(allow_html)]

    def instance(text: str) -> tuple[frozenset[str] | None, markdown.Markdown]:
        if tangled(text):
            idle = LINKS
        elif not prune:
            return None, everything[0]
        else:
            idle = frozenset(name for name, needs in IDLE_UNLESS.items()
                             if not any(need in text for need in needs))
        md = variants.get(idle)
        if md is None:
            if len(variants) >= VARIANTS and idle != LINKS:
                return None, everything[0]
            md = variants[idle] = _markdown(allow_html, idle)
        return idle, md

    def convert(text: str) -> str:
        idle, md = instance(text)
        md.reset()
        try:
            return within(budget, lambda: md.convert(text))
        except RecursionError:  # a definition list in a definition list ... 5,000 deep
            raise BodyError("nests too deeply to render as Markdown") from None
        except Expired:
            # Stopped half-way, the instance may hold that body's state: use a new one.
            if idle is None:
                everything[0] = _markdown(allow_html)
            else:
                variants.pop(idle, None)
            raise BodyError(f"took more than {budget:g} s to render as Markdown; split it, "
                            "or raise [safety] markdown_seconds in timeline.toml") from None

    def render(text: str) -> str:
        out = convert(text)
        if allow_html:  # trusted to write HTML, not to run code in readers' browsers
            return nh3.clean(out, tags=RAW_TAGS, attributes=RAW_ATTRIBUTES,
                             url_schemes=SCHEMES, link_rel="noopener noreferrer")
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
    text = html.unescape(_TAG.sub("", match.group(1))).replace(MARK, "")
    return re.sub(r"\s+", " ", text).strip()


def plain_text(rendered: str) -> str:
    """All text of rendered HTML, for the search index."""
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", rendered))).strip()
