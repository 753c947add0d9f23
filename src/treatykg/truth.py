"""The truth report: the graph's counts against the totals the depositaries' pages state.

`data/status_pages.csv` holds dated totals read on status pages and announcements ("the 165th
State Party"); for each, the report derives the same count from the rules engine's intervals
on that day and lists every disagreement, then every fact marked unverified. A row may state
the difference its note explains (`explained_difference`, derived minus stated: a count the data
cannot reach because a source gives no date); a row states one count when such a difference
applies to it alone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from treatykg.asof import on_day, signers
from treatykg.load import DataError
from treatykg.records import Dataset, EventKind, Problem, Where
from treatykg.rules import Derivation, Status
from treatykg.sources import RANKS

COLUMNS = ("subject", "as_of", "parties", "parties_are", "signatories", "signatories_are",
           "sources", "checked", "note", "explained_difference")
# What a page's "parties" counts: all who consented (as UNTC headers and "Nth State Party"
# announcements do), or only those for whom the treaty is in force.
CONSENTED = frozenset({Status.CONSENTED, Status.PARTY, Status.SUSPENDED,
                       Status.WITHDRAWAL_PENDING, Status.WITHDRAWAL_DEFERRED})
IN_FORCE = CONSENTED - {Status.CONSENTED}


@dataclass(frozen=True)
class Check:
    subject: str
    as_of: date
    what: str  # "parties (consented)", "signatories (signed-only)", ...
    stated: int
    derived: int
    sources: str
    note: str
    where: Where
    explained: int = 0  # derived - stated, when the note explains the difference

    @property
    def agrees(self) -> bool:
        return self.derived - self.stated == self.explained


def read_pages(path: Path, root: Path) -> list[dict]:
    rel = path.relative_to(root).as_posix()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise DataError([Problem(Where(rel, 1), "header", f"expected {','.join(COLUMNS)}")])
        return [dict(row, _where=Where(rel, reader.line_num)) for row in reader]


def _count(derivation: Derivation, subject: str, day: date, statuses: frozenset) -> set[str]:
    return {i.state for i in on_day(derivation.intervals, day)
            if i.subject == subject and i.status in statuses}


def checks(dataset: Dataset, derivation: Derivation, pages: list[dict]) -> list[Check]:
    out = []
    for page in pages:
        subject, day = page["subject"], date.fromisoformat(page["as_of"])
        where = page["_where"]
        if subject not in dataset.treaties:
            raise DataError([Problem(where, "subject", f"{subject!r} is not a treaty")])
        if page["parties"]:
            kind = page["parties_are"]
            statuses = {"consented": CONSENTED, "in-force": IN_FORCE}.get(kind)
            if statuses is None:
                raise DataError([Problem(where, "parties_are",
                                         f"{kind!r} is not consented or in-force")])
            derived = len(_count(derivation, subject, day, statuses))
            out.append(Check(subject, day, f"parties ({kind})", int(page["parties"]), derived,
                             page["sources"], page["note"], where,
                             int(page["explained_difference"] or 0)))
        if page["signatories"]:
            kind = page["signatories_are"]
            if kind == "signed-only":
                derived = len(_count(derivation, subject, day, frozenset({Status.SIGNATORY})))
            elif kind == "all-signers":
                signed = [(e.state, e.date.value) for e in dataset.events
                          if e.subject == subject and e.kind is EventKind.SIGNATURE and e.date]
                gone = _count(derivation, subject, day,
                              frozenset({Status.WITHDRAWN, Status.TERMINATED}))
                derived = len(signers(signed, day, gone, dataset.ceased()))
            else:
                raise DataError([Problem(where, "signatories_are",
                                         f"{kind!r} is not signed-only or all-signers")])
            out.append(Check(subject, day, f"signatories ({kind})", int(page["signatories"]),
                             derived, page["sources"], page["note"], where,
                             int(page["explained_difference"] or 0)))
    return out


def unverified(dataset: Dataset) -> list[str]:
    """Every fact marked unverified, one line each: where, what, and the curator's note."""
    lines = []
    for e in sorted(dataset.events, key=lambda e: e.where):
        if not e.verified:
            lines.append(f"{e.where}: {e.kind.value} of {e.state} ({e.subject}), "
                         f"{e.date or 'undated'}: {e.note[:200]}")
    for c in dataset.conflicts:
        if not c.verified:
            lines.append(f"{c.where}: armed conflict of {c.state} from {c.start}: {c.note[:200]}")
    return lines


def by_rank(dataset: Dataset) -> dict[str, int]:
    """How many facts rest on each rank of source at best (data/source_policy.yaml)."""
    counts = dict.fromkeys(RANKS, 0)
    if dataset.policy is not None:
        for _where, urls in dataset.sourced():
            counts[dataset.policy.best(urls)] += 1
    return counts


def render(found: list[Check], facts: list[str], ranks: dict[str, int] | None = None) -> str:
    bad = [c for c in found if not c.agrees]
    explained = [c for c in found if c.agrees and c.explained]
    lines = [f"Truth report: {len(found)} stated totals checked, {len(bad)} unexplained "
             f"disagreement(s), {len(explained)} explained.", ""]
    lines.append(f"{'subject':<24} {'as of':<10} {'count':<26} {'stated':>6} {'derived':>7}  "
                 "result")
    for c in found:
        if c.agrees:
            result = "agrees" if not c.explained else f"differs by {c.explained:+d}, explained"
        else:
            result = f"DISAGREES by {c.derived - c.stated:+d}"
        lines.append(f"{c.subject:<24} {c.as_of.isoformat():<10} {c.what:<26} {c.stated:>6} "
                     f"{c.derived:>7}  {result}")
    for c in bad:
        lines += ["", f"{c.where}: {c.subject} {c.what} on {c.as_of}: the source says {c.stated},"
                      f" the graph derives {c.derived} ({c.sources})"]
    for c in explained:
        lines += ["", f"{c.where}: explained: {c.note}"]
    if ranks:
        lines += ["", f"Facts by the best rank of their sources ({sum(ranks.values())}): "
                      + ", ".join(f"{rank} {n}" for rank, n in ranks.items())]
    lines += ["", f"Unverified facts ({len(facts)}):", *(f"  {f}" for f in facts)]
    return "\n".join(lines)
