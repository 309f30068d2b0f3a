"""Interface strings translated once, when a template is compiled, not on every page.

A page says about thirty fixed strings (``{{ _('Sources') }}``). Through
``jinja2.ext.i18n`` each is two context calls, a catalog lookup, a ``Markup`` and a
``%`` on every page: more than a third of an event page's render at 10,000 events. An
environment speaks one language, so ``_('literal')`` with no values to fill in always
gives the same text: this extension puts that text in the compiled template instead of the
call. Compiled templates are kept per catalog (``catalog_salt``), so a changed translation
is compiled anew.

What is folded gives exactly what the call gave: ``Markup`` of the translation in an
escaping template (where ``_`` returns ``Markup``); a template that does not escape, a
string with a ``%`` (which ``_`` would format) and a template that uses the name ``_`` or
``gettext`` otherwise than by calling it (a variable of its own may hide the function)
keep the call.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

from generator.hashing import digest

NAMES = ("_", "gettext")


class FoldedStrings(Extension):
    """Replaces ``_('…')`` by ``('translation'|safe)`` in escaping templates."""

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(folded_catalog=None, catalog_salt="")

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        tokens = list(stream)
        catalog = getattr(self.environment, "folded_catalog", None)
        name = stream.name
        escaping = self.environment.autoescape
        if callable(escaping):
            escaping = escaping(name)
        if catalog is None or not escaping or not _only_called(tokens):
            yield from tokens
            return
        index = 0
        while index < len(tokens):
            folded = _fold(tokens, index, catalog)
            if folded is None:
                yield tokens[index]
                index += 1
            else:
                yield from folded
                index += 4


def _only_called(tokens: list[Token]) -> bool:
    """Whether every ``_`` and ``gettext`` in the template is a call."""
    return all(token.type != "name" or token.value not in NAMES
               or (following < len(tokens) and tokens[following].type == "lparen")
               for following, token in enumerate(tokens, start=1))


def _fold(tokens: list[Token], index: int, catalog: object) -> list[Token] | None:
    """The tokens of ``('translation'|safe)`` for a call at ``index``, or None."""
    if index + 3 >= len(tokens):
        return None
    name, opening, text, closing = tokens[index:index + 4]
    if (name.type != "name" or name.value not in NAMES or opening.type != "lparen"
            or text.type != "string" or closing.type != "rparen"):
        return None
    if index and tokens[index - 1].type == "dot":  # ``x._('…')`` is someone else's method
        return None
    translated = catalog.gettext(text.value)  # type: ignore[attr-defined]
    if not isinstance(translated, str) or "%" in text.value or "%" in translated:
        return None
    line = name.lineno
    return [Token(line, "lparen", "("), Token(line, "string", translated),
            Token(line, "pipe", "|"), Token(line, "name", "safe"),
            Token(line, "rparen", ")")]


def fold_into(env: jinja2.Environment, catalog: object, language: str) -> None:
    """Let ``env`` fold its catalog's strings, and key its compiled templates by it."""
    messages: Mapping[object, object] = getattr(catalog, "_catalog", {})
    env.folded_catalog = catalog  # type: ignore[attr-defined]
    env.catalog_salt = digest(language, *sorted(  # type: ignore[attr-defined]
        f"{key!r}\0{value!r}" for key, value in messages.items()))[:16]
