"""Status on a day: the one definition every Python reader uses.

A status interval covers its first day (`since`) and every day before `until`, the first day no
longer covered (absent while the status goes on). The rules engine derives intervals so that a
state has at most one per treaty or alliance on any day, so the intervals covering a day are
each state's status that day, and each says whether it binds. The SPARQL question library is
the second, independent path (`tkg:since <= ?day`, `tkg:until > ?day`); a test holds the two
equal on every day any status changes.

>>> from datetime import date
>>> from treatykg.snapshot import StoredInterval
>>> party = StoredInterval("LTU", "cmc", "party", date(2011, 9, 1), date(2024, 9, 6), True, ())
>>> [i.status for i in on_day([party], date(2024, 9, 5))], on_day([party], date(2024, 9, 6))
(['party'], [])
>>> len(during([party], date(2024, 9, 6), date(2025, 1, 1)))
0
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar


class Span(Protocol):
    """Anything dated as an interval is: the derived intervals and those read from the store."""

    @property
    def since(self) -> date: ...

    @property
    def until(self) -> date | None: ...


S = TypeVar("S", bound=Span)


def on_day(intervals: Iterable[S], day: date) -> list[S]:
    """The intervals covering `day`, in their order: each state's status in each subject then."""
    return [i for i in intervals if i.since <= day and (i.until is None or day < i.until)]


def during(intervals: Iterable[S], first: date, last: date) -> list[S]:
    """The intervals covering at least one day from `first` to `last` (both included)."""
    return [i for i in intervals if i.since <= last and (i.until is None or first < i.until)]


def signers(signed: Iterable[tuple[str, date]], day: date, gone: set[str],
            ceased: dict[str, date]) -> set[str]:
    """The states that had signed by `day` as a depositary's "Signatories" column counts them:
    every signer (`signed`: state and day of signature), less those `gone` (withdrawn, or the
    treaty terminated for them) and states that had ceased to exist."""
    return {state for state, when in signed if when <= day} - gone - {
        state for state, end in ceased.items() if end <= day}
