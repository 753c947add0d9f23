"""What changed between two days: every status change dated in the window, each with the rule
the engine applied and the sources of the acts behind it.

A change is the first day of a status interval: `before` is the status on the day before
(`asof.on_day`; None when the state had none), `after` the status from that day. An interval
that ends with nothing on its end day (a historic state ceasing to exist) is a change to None.
The rules engine merges equal statuses in a row, so every change it reports is a real one.

>>> from datetime import date
>>> from treatykg.snapshot import Snapshot, StoredInterval
>>> snap = Snapshot({"LTU": "Lithuania"}, {}, [
...     StoredInterval("LTU", "cmc", "party", date(2011, 9, 1), date(2024, 9, 6), True, ()),
...     StoredInterval("LTU", "cmc", "withdrawal-pending", date(2024, 9, 6), date(2025, 3, 6),
...                    True, ()),
...     StoredInterval("LTU", "cmc", "withdrawn", date(2025, 3, 6), None, False, ())])
>>> [(c.date.isoformat(), c.before, c.after) for c in between(snap, date(2024, 1, 1),
...                                                            date(2026, 1, 1))]
[('2024-09-06', 'party', 'withdrawal-pending'), ('2025-03-06', 'withdrawal-pending', 'withdrawn')]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from treatykg.asof import during, on_day
from treatykg.snapshot import Snapshot, StoredInterval

FOUNDING = "alliance-founding"  # a founding treaty's parties mirror its alliance's members


@dataclass(frozen=True)
class Change:
    """One state's status in one treaty or alliance changing on a day."""

    state: str
    name: str
    subject: str
    date: date
    before: str | None
    after: str | None
    bound_before: bool
    bound_after: bool
    clause: str
    sources: tuple[str, ...]

    def record(self) -> dict[str, object]:
        """The change as a plain row (the JSON of `treatykg diff`)."""
        return {"state": self.state, "name": self.name, "subject": self.subject,
                "date": self.date, "before": self.before, "after": self.after,
                "bound_before": self.bound_before, "bound_after": self.bound_after,
                "clause": self.clause, "sources": list(self.sources)}


def between(snap: Snapshot, start: date, end: date, *, in_: str | None = None,
            subject: str | None = None, state: str | None = None) -> list[Change]:
    """Every status change dated after `start` up to and including `end`, ordered by date.

    `in_` keeps the states that were members of that alliance on any day of the window (one
    that joined in it included); `subject` and `state` keep one treaty or alliance and one state.
    Founding treaties (the North Atlantic Treaty) mirror their alliance and are left out unless
    asked for by `subject`.
    """
    first = start + timedelta(days=1)
    members = None
    if in_ is not None:
        members = {i.state for i in during(_of(snap, in_), first, end) if i.bound}
    histories: dict[tuple[str, str], list[StoredInterval]] = defaultdict(list)
    for i in snap.intervals:
        if subject is not None and i.subject != subject:
            continue
        if subject is None and FOUNDING in _categories(snap, i.subject):
            continue
        if (state is not None and i.state != state) or (members is not None
                                                        and i.state not in members):
            continue
        histories[(i.state, i.subject)].append(i)
    out = []
    for (code, slug), items in histories.items():
        name = snap.states.get(code, code)
        for current in items:
            if first <= current.since <= end:
                before = next(iter(on_day(items, current.since - timedelta(days=1))), None)
                out.append(Change(code, name, slug, current.since,
                                  before.status if before else None, current.status,
                                  bool(before and before.bound), current.bound, current.rule,
                                  current.sources))
            ends = current.until
            if ends is not None and first <= ends <= end and not on_day(items, ends):
                out.append(Change(code, name, slug, ends, current.status, None, current.bound,
                                  False, "", current.sources))
    return sorted(out, key=lambda c: (c.date, c.state, c.subject))


def _of(snap: Snapshot, subject: str) -> list[StoredInterval]:
    return [i for i in snap.intervals if i.subject == subject]


def _categories(snap: Snapshot, subject: str) -> frozenset[str]:
    found = snap.subjects.get(subject)
    return found.categories if found else frozenset()
