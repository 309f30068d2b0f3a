"""Problems found in a site, reported as ``path:line: field: message``.

This module imports nothing from the rest of the package, so every stage can use it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One mistake in one file, with the line an editor has to look at."""

    path: str
    line: int | None
    field: str | None
    message: str
    severity: Severity = "error"
    until: tuple[int, ...] | None = None
    """For a day in the future: the day (year, month, day) from which it no longer is. A
    parse is kept across days, so whether the problem still holds is asked each build."""

    def holds_on(self, day: tuple[int, ...]) -> bool:
        """True unless the problem is about a day in the future and ``day`` has reached it."""
        return self.until is None or day < self.until

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = self.message if not self.field else f"{self.field}: {self.message}"
        tag = "warning: " if self.severity == "warning" else ""
        return f"{where}: {tag}{what}"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.field or "", self.message)


class SiteError(Exception):
    """A build or check that cannot go on; carries every problem found, not only the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[SiteError], tuple[list[Problem]]]:
        return (type(self), (self.problems,))  # keeps the problems across worker processes

    @classmethod
    def one(cls, path: str, line: int | None, field: str | None, message: str) -> SiteError:
        return cls([Problem(path, line, field, message)])


def errors_only(problems: list[Problem]) -> list[Problem]:
    """Return the problems that stop a build."""
    return [p for p in problems if p.severity == "error"]


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'title'?)`` for a misspelled key, or nothing when no name is close."""
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def day_numbers(day: str) -> tuple[int, ...]:
    """A ``YYYY-MM-DD`` day as numbers, as ``Problem.holds_on`` and the future-day checks
    compare it with a date's earliest day (as text, 'Y12000' would sort before today)."""
    return tuple(map(int, day.split("-")))
