"""The Jinja environments pages are rendered in: the ordinary one, and for untrusted sites
(a CI build of contributed templates) Jinja's sandbox with a clock.

Templates are code. A site's own templates may do anything Python can; under
``--untrusted`` they run in ``jinja2.sandbox.SandboxedEnvironment`` (no ``__class__``,
``__globals__`` or other way out to Python), ``*`` and ``**`` cannot make a result of a
gigabyte, and each page must render within ``[safety] template_seconds``. In every mode a
template that includes itself is one line naming it, not a traceback.

Each build makes new environments, and compiling the theme's templates costs more than
rendering a small site: a template is compiled once per process for a given source, name,
file and environment (``MemoizedCompile``), in memory only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path
from types import CodeType
from typing import Any, Literal, overload

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from generator.config import template_budget
from generator.content.body import Expired, within

MAX_RESULT = 10_000_000
"""Items (characters, list entries, digits) one ``*`` or ``**`` may make in the sandbox."""

_DEPTH = [0]
"""Renders in progress in this process: a card is rendered inside its page, and only the
outermost render sets the clock."""


def _innermost(exc: BaseException, env: jinja2.Environment) -> str | None:
    """The template running deepest in a traceback as Jinja rewrites it (one frame per
    template line, its file in ``__file__``), named by its path in a template folder."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        scope = tb.tb_frame.f_globals
        if "__jinja_exception__" in scope and isinstance(scope.get("__file__"), str):
            found = scope["__file__"]
        tb = tb.tb_next
    folders = env.loader.searchpath if isinstance(env.loader, jinja2.FileSystemLoader) else []
    for folder in folders if found else []:
        try:
            return Path(found or "").relative_to(folder).as_posix()
        except ValueError:
            continue
    return None


class GuardedTemplate(jinja2.Template):
    """A template whose render is a clear error when it recurses without end, and, in the
    sandbox, when it takes longer than its environment's ``render_seconds``."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        seconds: float | None = getattr(self.environment, "render_seconds", None)
        _DEPTH[0] += 1
        try:
            if seconds is None or _DEPTH[0] > 1:
                return super().render(*args, **kwargs)
            return within(seconds, lambda: super(GuardedTemplate, self).render(*args,
                                                                               **kwargs))
        except RecursionError as exc:
            name = _innermost(exc, self.environment) or self.name
            raise jinja2.TemplateRuntimeError(
                f"templates/{name} includes or calls itself without end") from None
        except Expired:
            raise jinja2.TemplateRuntimeError(
                f"took more than {seconds:g} s (a loop without end?); raise "
                "[safety] template_seconds in timeline.toml if the site is that large") from None
        finally:
            _DEPTH[0] -= 1


MEMO_SIZE = 512
"""Compiled templates kept per process: every theme template in a few languages and
settings, with room for sites' own."""

_COMPILED: OrderedDict[Hashable, CodeType] = OrderedDict()
"""Compiled templates, least recently used first (``MemoizedCompile``)."""


def compile_settings(env: jinja2.Environment, name: str | None) -> Hashable:
    """Everything in ``env`` that its compiler reads, beside the source: the syntax, the
    escaping, the extensions and their state (the i18n call style, the folded catalog),
    the filters and tests (called at compile time on constants) and the policies."""
    escaping = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    return (type(env), env.block_start_string, env.block_end_string,
            env.variable_start_string, env.variable_end_string, env.comment_start_string,
            env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
            env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
            env.keep_trailing_newline, env.optimized, env.is_async, escaping, env.finalize,
            tuple(sorted((key, type(ext)) for key, ext in env.extensions.items())),
            getattr(env, "newstyle_gettext", None), getattr(env, "catalog_salt", None),
            tuple(sorted(env.filters.items())), tuple(sorted(env.tests.items())),
            repr(sorted(env.policies.items())))


class MemoizedCompile(jinja2.Environment):
    """An environment whose ``compile`` is a pure memo within the process: what it gives
    depends only on the source, the name, the file and ``compile_settings``."""

    @overload
    def compile(self, source: str | jinja2.nodes.Template, name: str | None = None,
                filename: str | None = None, raw: Literal[False] = False,
                defer_init: bool = False) -> CodeType: ...

    @overload
    def compile(self, source: str | jinja2.nodes.Template, name: str | None = None,
                filename: str | None = None, raw: Literal[True] = ...,
                defer_init: bool = False) -> str: ...

    def compile(self, source: str | jinja2.nodes.Template, name: str | None = None,
                filename: str | None = None, raw: bool = False,
                defer_init: bool = False) -> str | CodeType:
        if raw:
            return super().compile(source, name, filename, raw=True, defer_init=defer_init)
        if not isinstance(source, str):  # a parsed template: nothing to key it by
            return super().compile(source, name, filename, defer_init=defer_init)
        key = (source, name, filename, defer_init, compile_settings(self, name))
        code = _COMPILED.get(key)
        if code is None:
            code = _COMPILED[key] = super().compile(source, name, filename,
                                                    defer_init=defer_init)
            while len(_COMPILED) > MEMO_SIZE:
                _COMPILED.popitem(last=False)
        else:
            _COMPILED.move_to_end(key)
        return code


class GuardedEnvironment(MemoizedCompile):
    """The ordinary environment, with ``GuardedTemplate``."""

    template_class = GuardedTemplate


class TimedSandbox(SandboxedEnvironment, MemoizedCompile):
    """Jinja's sandbox, with ``GuardedTemplate`` and bounded ``*`` and ``**``."""

    template_class = GuardedTemplate
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, render_seconds: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.render_seconds = render_seconds

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) \
                and right > 0 and abs(left) > 1 \
                and right * abs(left).bit_length() > 4 * MAX_RESULT:
            raise SecurityError(f"{left} ** {right} is too large a number")
        if operator == "*":
            for times, seq in ((left, right), (right, left)):
                if isinstance(times, int) and hasattr(seq, "__len__") \
                        and not isinstance(seq, int) and times * len(seq) > MAX_RESULT:
                    raise SecurityError(f"a {type(seq).__name__} {times:,} times over is "
                                        "too large")
        return super().call_binop(context, operator, left, right)


def make_jinja(site: Path, **options: Any) -> jinja2.Environment:
    """The environment for ``site``: ``TimedSandbox`` in untrusted mode, else
    ``GuardedEnvironment``; ``options`` are ``jinja2.Environment``'s."""
    seconds = template_budget(site)
    if seconds is None:
        return GuardedEnvironment(**options)
    # Compiled by an earlier trusted build, a template would not intercept * and **.
    options["bytecode_cache"] = None
    return TimedSandbox(render_seconds=seconds, **options)


