"""Problems print as ``path:line: field: message``; SiteError sorts them and survives pickling."""

from __future__ import annotations

import pickle

from generator.errors import Problem, SiteError, did_you_mean, errors_only


def test_problem_text_in_every_shape() -> None:
    assert str(Problem("content/a.md", 3, "date", "no such day")) == \
        "content/a.md:3: date: no such day"
    assert str(Problem("content/a.md", None, None, "unreadable")) == "content/a.md: unreadable"
    assert str(Problem("a.md", 0, "", "x")) == "a.md:0: x"
    assert str(Problem("a.md", 2, "tags", "duplicate", "warning")) == \
        "a.md:2: warning: tags: duplicate"


def test_site_error_sorts_by_path_then_line() -> None:
    error = SiteError([Problem("b.md", 1, None, "x"), Problem("a.md", 9, "f", "y"),
                       Problem("a.md", None, None, "z"), Problem("a.md", 2, None, "w")])
    assert str(error).splitlines() == ["a.md: z", "a.md:2: w", "a.md:9: f: y", "b.md:1: x"]


def test_site_error_keeps_its_problems_through_pickle() -> None:
    """A worker process's SiteError reaches the build whole (it crosses a pipe pickled)."""
    error = SiteError.one("state.db", None, None, "damaged")
    back = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes)
    assert type(back) is SiteError
    assert back.problems == [Problem("state.db", None, None, "damaged")]
    assert str(back) == "state.db: damaged"


def test_errors_only_drops_warnings() -> None:
    warning, error = Problem("a", 1, None, "w", "warning"), Problem("a", 1, None, "e")
    assert errors_only([warning, error, warning]) == [error]


def test_did_you_mean() -> None:
    assert did_you_mean("titel", ["date", "title"]) == " (did you mean 'title'?)"
    assert did_you_mean("zzz", ["date", "title"]) == ""
    assert did_you_mean("x", iter(())) == ""
