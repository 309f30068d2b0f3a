"""EDTF dates (level 0 and the level 1 forms a chronology needs): parse, order and display.

One regular expression rather than the ``edtf`` package, which takes milliseconds a date: a
site re-parses every date on every build. ``tests/test_dates.py`` checks us against ``edtf``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["century", "decade", "year", "season", "month", "day", "second"]
PRECISION_ORDER: dict[str, int] = {
    "century": 0, "decade": 1, "year": 2, "season": 3, "month": 4, "day": 5, "second": 6,
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SEASONS = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}
# First and last month of each season, as edtf bounds them: winter is the December of its own
# year only, so "2017-24" never reaches into 2018.
_SEASON_MONTHS = {21: (3, 5), 22: (6, 8), 23: (9, 11), 24: (12, 12)}

# Only the canonical spellings match, so the text of a parsed date is already normalised.
# [0-9], not \d, which would accept other scripts' digits.
_SIDE = re.compile(
    r"Y(?P<long>-?[1-9][0-9]{4,})"  # EDTF allows the Y prefix only beyond four digits
    r"|(?P<year>-?[0-9]{2}(?:[0-9]{2}|[0-9]X|XX))"
    r"(?:-(?P<month>[0-9]{2}|XX)(?:-(?P<day>[0-9]{2}|XX)"
    r"(?:T(?P<time>(?P<hh>[0-9]{2}):(?P<mi>[0-9]{2}):(?P<ss>[0-9]{2})"
    r"(?P<zone>Z|[+-](?P<zh>[0-9]{2})(?::(?P<zm>[0-9]{2}))?)?))?)?)?"
    r"(?P<q>[?~%])?"
)


class DateError(ValueError):
    """A date an editor wrote that is not one we can place on the timeline."""


MAX_YEAR_DIGITS = 15
"""Years beyond a million billion are refused: more than a thousand times the age of the
universe, still exact as a float (the overview strip's axis), and no year is ever a number
too long to read (Python refuses 4,300 digits) or to draw."""


def shorten(text: str, limit: int = 40) -> str:
    """The text as quoted in a message: a pasted dump is not repeated in full."""
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"


def _long_year(digits: str, text: str) -> int:
    if len(digits.lstrip("-")) > MAX_YEAR_DIGITS:
        raise DateError(f"'{shorten(text)}' has a year of {len(digits.lstrip('-')):,} digits; "
                        f"a year may have at most {MAX_YEAR_DIGITS}")
    return int(digits)


def _not_a_date(text: str) -> DateError:
    message = f"'{shorten(text)}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (EDTF)"
    guess = suggest(text)
    return DateError(f"{message}; did you mean {guess}?" if guess else message)


_NUMERIC = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")
_MONTH_YEAR = re.compile(r"([a-z]+)\.?,? (\d{4})")
_ABOUT = re.compile(r"(?:c\.?|ca\.?|circa|about|around) ?(\d{4})")


def _month_number(name: str) -> int | None:
    for number, month in enumerate(MONTHS, start=1):
        if len(name) >= 3 and month.lower().startswith(name):
            return number
    return None


def suggest(text: str) -> str | None:
    """The EDTF form of a date written the way people write dates, if it is clear which."""
    plain = " ".join(text.strip().lower().split())
    guess = None
    if match := _NUMERIC.fullmatch(plain):
        year, month, day = match.groups()
        guess = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    elif match := _DAY_MONTH_YEAR.fullmatch(plain):
        day, name, year = match.groups()
        month = _month_number(name)
        guess = f"{year}-{month:02d}-{int(day):02d}" if month else None
    elif match := _MONTH_DAY_YEAR.fullmatch(plain):
        name, day, year = match.groups()
        month = _month_number(name)
        guess = f"{year}-{month:02d}-{int(day):02d}" if month else None
    elif match := _ABOUT.fullmatch(plain):
        guess = f"{match.group(1)}~"
    elif match := _MONTH_YEAR.fullmatch(plain):
        name, year = match.groups()
        month = _month_number(name)
        guess = f"{year}-{month:02d}" if month else None
    if guess is None or guess == text.strip():
        return None
    try:
        parse_date(guess)
    except DateError:
        return None
    return guess


def _is_leap(year: int) -> bool:
    # Proleptic Gregorian for every year; Python's % floors, so this holds for 0 and BCE too.
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar."""
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def year_label(year: int) -> str:
    """A year as an editor writes it: '2017', or '45 BCE' for astronomical -44."""
    # Astronomical year 0 is 1 BCE: there is no year 0 in the BCE/CE count.
    return str(year) if year > 0 else f"{1 - year} BCE"


def _years(first: int, last: int) -> str:
    """'2017–2019', '45–40 BCE' or '1 BCE – 9': one era named once."""
    if first > 0:
        return f"{first}–{last}"
    if last <= 0:
        return f"{1 - first}–{1 - last} BCE"
    return f"{1 - first} BCE – {last}"


def iso_day(ymd: tuple[int, int, int]) -> str:
    """'2017-09-11', '-0044-03-15', '170000002-01-01': sortable as text within 0001-9999."""
    y, m, d = ymd
    year = f"-{-y:04d}" if y < 0 else f"{y:04d}"
    return f"{year}-{m:02d}-{d:02d}"


def format_day(ymd: tuple[int, int, int]) -> str:
    """'3 October 2017': how readers see a single day."""
    y, m, d = ymd
    return f"{d} {MONTHS[m - 1]} {year_label(y)}"


@dataclass(frozen=True)
class PartialDate:
    """One EDTF date, known to some precision: a side of an interval, or a whole date."""

    year: int  # for 201X and 20XX the earliest year of the decade or century
    month: int | None = None
    day: int | None = None
    season: int | None = None
    time: str | None = None  # as written: "14:30:00", "14:30:00Z", "14:30:00+09:00"
    precision: Precision = "year"
    approximate: bool = False
    uncertain: bool = False
    text: str = ""

    def earliest(self) -> tuple[int, int, int]:
        """First day it can be; ~ and ? do not widen it, so bounds stay reproducible."""
        if self.season is not None:
            return (self.year, _SEASON_MONTHS[self.season][0], 1)
        return (self.year, self.month or 1, self.day or 1)

    def latest(self) -> tuple[int, int, int]:
        """Last day it can be."""
        year, month = self.year, self.month
        if self.season is not None:
            month = _SEASON_MONTHS[self.season][1]
        elif self.precision in ("decade", "century"):
            year += 9 if self.precision == "decade" else 99
        month = month or 12
        return (year, month, self.day or days_in(year, month))

    def _head(self) -> str:
        """What comes before the year in the display: '11 September', 'Spring' or ''."""
        if self.season is not None:
            return SEASONS[self.season]
        if self.month is None:
            return ""
        month = MONTHS[self.month - 1]
        return f"{self.day} {month}" if self.day is not None else month

    def _plain(self) -> str:
        if self.precision in ("decade", "century"):
            last = self.latest()[0]
            return f"{self.year}s" if self.year > 0 else _years(self.year, last)
        head, year = self._head(), year_label(self.year)
        out = f"{head} {year}" if head else year
        if self.time is not None:
            clock, zone = self.time[:8], self.time[8:]
            out += ", " + (clock[:5] if clock.endswith(":00") else clock)
            out += " UTC" if zone == "Z" else f" {zone}" if zone else ""
        return out

    def display(self) -> str:
        """'c. September 2017?': English, with the qualifiers readers know."""
        return ("c. " if self.approximate else "") + self._plain() + (
            "?" if self.uncertain else "")

    def machine(self) -> str:
        """A valid HTML ``<time datetime>``: the finest form HTML has for this precision."""
        y, m, d = self.earliest()
        if y < 1 or self.latest()[0] > 9999:
            return iso_day((y, m, d))
        if self.precision == "month":
            return f"{y:04d}-{m:02d}"
        if self.precision not in ("day", "second"):
            return f"{y:04d}"
        day = iso_day((y, m, d))
        if self.time is None or self.time.startswith("24"):  # HTML has no 24:00:00
            return day
        zone = self.time[8:]
        return f"{day}T{self.time[:8]}{zone + ':00' if len(zone) == 3 else zone}"


@dataclass(frozen=True)
class EventDate:
    """A date or interval as an editor wrote it in ``date:`` (plus ``end:``)."""

    start: PartialDate | None
    end: PartialDate | None
    start_open: str | None = None  # "open" for "..", "unknown" for an empty side
    end_open: str | None = None
    text: str = ""

    @property
    def is_range(self) -> bool:
        return (self.end is not None or self.start_open is not None
                or self.end_open is not None)

    @property
    def first(self) -> PartialDate:
        """The side that places the event: the start, or the end when the start is open."""
        side = self.start if self.start is not None else self.end
        if side is None:
            raise DateError("an interval needs a start or an end")
        return side

    @property
    def precision(self) -> Precision:
        return self.first.precision

    def earliest(self) -> str:
        return iso_day(self.first.earliest())

    def latest(self) -> str:
        """ISO day of the latest day; '' when the end is open or unknown."""
        last = self.end if self.is_range else self.start
        return iso_day(last.latest()) if last is not None else ""

    def machine(self) -> str:
        return self.first.machine()

    def sort_key(self) -> tuple[int, int, int, int, int]:
        """Earliest day, then coarse before fine ('2017' before '2017-01-01'), then clock."""
        side = self.first
        clock = -1
        if side.time is not None:
            clock = int(side.time[:2]) * 3600 + int(side.time[3:5]) * 60 + int(side.time[6:8])
        return (*side.earliest(), PRECISION_ORDER[side.precision], clock)

    def display(self) -> str:
        """'11–22 September 2017', '2017 onwards', 'until 2017': shared parts said once."""
        s, e = self.start, self.end
        if s is None:
            return ("until " if self.start_open == "open" else "? – ") + self.first.display()
        if e is None:
            tail = {"open": " onwards", "unknown": " – ?"}.get(self.end_open or "", "")
            return s.display() + tail
        a, b = s.display(), e.display()
        if s.approximate or s.uncertain or e.approximate or e.uncertain:
            return f"{a} – {b}"  # shortening would blur which side the qualifier is on
        if a == b:
            return a
        if s.precision == e.precision == "year":
            return _years(s.year, e.year)
        if s._head() and e._head() and s.year == e.year:
            if s.precision == e.precision == "day" and s.month == e.month:
                return f"{s.day}–{b}"
            return f"{s._head()} – {b}"
        return f"{a} – {b}"


def _make(q: str | None, text: str, year: int, month: int | None = None, day: int | None = None,
          precision: Precision = "year") -> PartialDate:
    return PartialDate(year, month, day, precision=precision, approximate=q in ("~", "%"),
                       uncertain=q in ("?", "%"), text=text)


def _side(m: re.Match[str], text: str) -> PartialDate:
    """Build one side from a regex match, checking what the regex cannot: ranges and combos."""
    if m["long"] is not None:
        return PartialDate(_long_year(m["long"], text), text=text)
    year_s, month_s, day_s, q = m["year"], m["month"], m["day"], m["q"]
    if "X" in year_s:
        if month_s is not None:
            raise _not_a_date(text)
        # -201X is -2019..-2010: the digits under X run away from zero on both sides of it.
        year = int(year_s.replace("X", "9" if year_s[0] == "-" else "0"))
        return _make(q, text, year, precision="decade" if year_s.count("X") == 1 else "century")
    if year_s == "-0000":
        raise _not_a_date(text)
    year = int(year_s)
    if m["time"] is not None and "X" in month_s + day_s:
        raise _not_a_date(text)
    if month_s is None or month_s == "XX":
        if day_s not in (None, "XX"):
            raise _not_a_date(text)
        return _make(q, text, year)
    month = int(month_s)
    if 21 <= month <= 24 and day_s is None:
        if q is not None:  # EDTF qualifies seasons only at level 2; edtf refuses it here
            raise _not_a_date(text)
        return PartialDate(year, season=month, precision="season", text=text)
    if not 1 <= month <= 12:
        what = "season" if month > 24 and day_s is None else "month"
        raise DateError(f"no such {what} {year_s}-{month_s}")
    if day_s is None or day_s == "XX":
        return _make(q, text, year, month, precision="month")
    day = int(day_s)
    if not 1 <= day <= days_in(year, month):
        raise DateError(f"no such day {year_s}-{month_s}-{day_s}")
    if m["time"] is None:
        return _make(q, text, year, month, day, precision="day")
    if q is not None:
        raise _not_a_date(text)
    hh, mi, ss = int(m["hh"]), int(m["mi"]), int(m["ss"])
    ok = (hh < 24 or (hh == 24 and mi == ss == 0)) and mi < 60 and ss < 60
    if m["zh"] is not None:
        offset = int(m["zh"]) * 60 + int(m["zm"] or 0)
        # -00:00 means "offset unknown" (RFC 3339); write Z or leave the zone out.
        ok = ok and int(m["zm"] or 0) < 60 and offset <= 14 * 60 and (
            offset > 0 or m["zone"][0] == "+")
    if not ok:
        raise DateError(f"no such time {text}")
    return PartialDate(year, month, day, time=m["time"], precision="second", text=text)


def parse_single(text: str) -> PartialDate:
    """Parse one EDTF date, not an interval (e.g. a source's ``published:``)."""
    text = text.strip()
    if not text:
        raise DateError("empty date")
    m = _SIDE.fullmatch(text)
    if m is None:
        raise _not_a_date(text)
    return _side(m, text)


def _interval(start: PartialDate | None, end: PartialDate | None,
              start_open: str | None, end_open: str | None) -> EventDate:
    if (start and start.time) or (end and end.time):
        raise DateError("a time of day cannot be part of an interval (EDTF): drop the time")
    if start is not None and end is not None and end.earliest() < start.earliest():
        raise DateError(f"end {end.text} is before start {start.text}")
    marks = {"open": "..", "unknown": "", None: ""}
    left = start.text if start is not None else marks[start_open]
    right = end.text if end is not None else marks[end_open]
    return EventDate(start, end, start_open, end_open, f"{left}/{right}")


def parse_date(text: str) -> EventDate:
    """Parse an EDTF date or interval ('2017-09/2017-12', '2017/..', '/2017')."""
    text = text.strip()
    if "/" not in text:
        side = parse_single(text)
        return EventDate(side, None, text=side.text)
    left, right = (part.strip() for part in text.split("/", 1))
    opens = {"..": "open", "": "unknown"}
    start_open, end_open = opens.get(left), opens.get(right)
    if "/" in right or (start_open and end_open):
        raise _not_a_date(text)
    start = None if start_open else parse_single(left)
    end = None if end_open else parse_single(right)
    return _interval(start, end, start_open, end_open)


def with_end(date: EventDate, end: EventDate) -> EventDate:
    """Join a ``date:`` and a separate ``end:`` field into one interval."""
    if date.is_range:
        raise DateError("date is already an interval; drop end or the /")
    if end.is_range:
        raise DateError("end is an interval; give end as a single date")
    return _interval(date.start, end.start, None, None)
