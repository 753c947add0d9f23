"""The one place that parses dates and does calendar arithmetic for treaty clauses.

A date from a source keeps the precision the source gives: "1994" stays a year and is
never padded to 1994-01-01 (STYLE: no invented precision).

>>> parse_date("2024-09-06")
PartialDate(value=datetime.date(2024, 9, 6), precision=<Precision.DAY: 'day'>)
>>> str(parse_date("1994-03"))
'1994-03'
>>> first_day_of_nth_month_after(date(2011, 3, 24), 6)
datetime.date(2011, 9, 1)
>>> add_duration(date(2024, 9, 6), parse_duration("P6M"))
datetime.date(2025, 3, 6)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum


class Precision(Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


_RANK = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year; `value` is the first day it can be.

    Partial dates sort by their first possible day, a less precise one first.
    """

    value: date
    precision: Precision

    @property
    def is_day(self) -> bool:
        return self.precision is Precision.DAY

    @property
    def last(self) -> date:
        """The last day the date can be: 1994 -> 1994-12-31, 1994-03 -> 1994-03-31."""
        if self.precision is Precision.YEAR:
            return date(self.value.year, 12, 31)
        if self.precision is Precision.MONTH:
            days = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=days)
        return self.value

    def _key(self) -> tuple[date, int]:
        return self.value, _RANK[self.precision]

    def __lt__(self, other: PartialDate) -> bool:
        return self._key() < other._key()

    def __le__(self, other: PartialDate) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: PartialDate) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: PartialDate) -> bool:
        return self._key() >= other._key()

    def __str__(self) -> str:
        if self.precision is Precision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date(text: str) -> PartialDate:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; raise ValueError with a message a curator can act on."""
    return _parse(text, "YYYY-MM-DD, YYYY-MM or YYYY")


def _parse(text: str, expected: str) -> PartialDate:
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date (expected {expected})")
    year, month, day = match.groups()
    try:
        if day is not None:
            return PartialDate(date(int(year), int(month), int(day)), Precision.DAY)
        if month is not None:
            return PartialDate(date(int(year), int(month), 1), Precision.MONTH)
        return PartialDate(date(int(year), 1, 1), Precision.YEAR)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (no such day)") from None


def as_of_day(value: str | date | None) -> date:
    """The day a question is asked for: a date, a YYYY-MM-DD text, or today when None."""
    if value is None:
        return date.today()
    return value if isinstance(value, date) else parse_day(value)


def parse_day(text: str) -> date:
    """Parse a full YYYY-MM-DD date, as every question's day (--as-of, asOf=) is given. The
    one wording for a day everywhere, and the same as for a date in data/:

    >>> parse_day("2024-03")
    Traceback (most recent call last):
    ValueError: '2024-03' is a month, not a day (expected YYYY-MM-DD)
    >>> parse_day("2031-13-45")
    Traceback (most recent call last):
    ValueError: '2031-13-45' is not a date (no such day)
    """
    parsed = _parse(text, "YYYY-MM-DD")
    if not parsed.is_day:
        raise ValueError(f"{text!r} is a {parsed.precision.value}, not a day (expected "
                         "YYYY-MM-DD)")
    return parsed.value


@dataclass(frozen=True)
class Duration:
    """A notice period: whole years, months and days, as in an xsd:duration like P6M or P150D."""

    years: int = 0
    months: int = 0
    days: int = 0

    def __str__(self) -> str:
        parts = "".join(
            f"{n}{unit}"
            for n, unit in ((self.years, "Y"), (self.months, "M"), (self.days, "D"))
            if n
        )
        return "P" + (parts or "0D")


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")


def parse_duration(text: str) -> Duration:
    """Parse the date part of an xsd:duration (PnYnMnD); time parts have no use in treaty law."""
    match = _DURATION.match(text.strip())
    if not match or text.strip() == "P":
        raise ValueError(f"{text!r} is not a duration (expected e.g. P6M, P1Y, P150D)")
    years, months, days = (int(g) if g else 0 for g in match.groups())
    return Duration(years, months, days)


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later; a day the month lacks becomes its last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_duration(day: date, duration: Duration) -> date:
    """`day` plus a notice period: years and months on the calendar, then days."""
    from datetime import timedelta

    return add_months(day, 12 * duration.years + duration.months) + timedelta(days=duration.days)


def first_day_of_nth_month_after(day: date, months: int) -> date:
    """The first day of the n-th month after the month of `day` (APMBC/CMC Art. 17(2) with n=6)."""
    shifted = add_months(day.replace(day=1), months)
    return shifted
