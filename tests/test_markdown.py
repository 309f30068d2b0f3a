"""Leaving idle inline patterns out of a conversion must never change the HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.body import IDLE_UNLESS, make_renderer
from generator.content.header import parse

REPO = Path(__file__).resolve().parent.parent

# Pieces that start, end or interrupt every inline construct Python-Markdown knows, so
# random bodies hit each pattern, its near misses and their interplay.
PIECES = [
    "word", "two words", " ", "  ", "\n", "\n\n", "\t", "\r\n", "*", "**", "_", "__", "`", "``",
    "\\", "\\*", "[", "]", "(", ")", "![", "[^1]", "[^1]: note", "[a]", "[a]: https://a.example",
    "[b][a]", "![i][a]", "<", ">", "<https://x.example>", "<me@x.example>", "&", "&amp;",
    "&#38;", "<b>", "</b>", "<!-- c -->", "https://x.example", "[t](https://x.example)",
    "![alt](x.png)", "*[HTML]: Hyper", "HTML", "| a | b |\n|---|---|\n| 1 | 2 |", "```\ncode\n```",
    "- item", "1. one", "> quote", "# Head", "term\n:   def", "  \n", "\"", "'", "~", "=",
]

bodies = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None, database=None)
@given(bodies, st.booleans())
def test_pruned_patterns_give_the_same_html(body: str, allow_html: bool) -> None:
    pruned = make_renderer(allow_html)
    full = make_renderer(allow_html, prune=False)
    assert pruned(body) == full(body)


def test_a_renderer_reused_across_bodies_keeps_no_state_between_them() -> None:
    """One renderer converts many bodies with different idle sets, in any order."""
    pruned, full = make_renderer(), make_renderer(prune=False)
    texts = ["[a]\n\n[a]: https://a.example", "[a]", "*x* [^1]\n\n[^1]: n", "[^1]", "plain",
             "`c` & <x@y.example>", "plain"]
    for text in texts + texts[::-1]:
        assert pruned(text) == full(text)


def test_the_real_content_converts_the_same() -> None:
    pruned, full = make_renderer(), make_renderer(prune=False)
    files = sorted((REPO / "content").rglob("*.md"))
    assert len(files) > 10
    for path in files:
        fm, problems = parse(path.name, path.read_text("utf-8"))
        assert fm is not None, problems
        assert pruned(fm.body) == full(fm.body), path


@pytest.mark.parametrize("name", sorted(IDLE_UNLESS))
def test_each_pruned_pattern_is_really_left_out(name: str) -> None:
    """The table names patterns Python-Markdown has: a renamed one would silently stop
    being pruned (slower, never wrong), so the test says so."""
    import markdown

    from generator.content.body import extensions

    md = markdown.Markdown(extensions=extensions())
    assert name in md.inlinePatterns
