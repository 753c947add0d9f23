"""The truth report: the graph's counts against the totals the depositaries' pages state.

`data/status_pages.csv` holds dated totals read on status pages and announcements ("the 165th
State Party"), which `treatykg.load` reads as `StatusPage` records. For each, the report derives
the same count from the rules engine's intervals on that day and lists every disagreement, then
every fact marked unverified. A row may state the difference its note explains
(`explained_difference`, derived minus stated: a count the data cannot reach because a source
gives no date); a row states one count when such a difference applies to it alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from treatykg.asof import on_day, signers
from treatykg.load import PUBLIC_BASES
from treatykg.records import (
    Dataset,
    EventKind,
    PartiesCounted,
    SignatoriesCounted,
    StatusPage,
    Where,
)
from treatykg.rules import Derivation, Status
from treatykg.sources import RANKS
from treatykg.statuses import CONSENTED, IN_FORCE

_PARTIES = {PartiesCounted.CONSENTED: CONSENTED, PartiesCounted.IN_FORCE: IN_FORCE}


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


def _count(derivation: Derivation, subject: str, day: date, statuses: frozenset) -> set[str]:
    return {i.state for i in on_day(derivation.intervals, day)
            if i.subject == subject and i.status in statuses}


def _signatories(dataset: Dataset, derivation: Derivation, page: StatusPage) -> int:
    subject, day = page.subject, page.as_of
    if page.signatories_are is SignatoriesCounted.SIGNED_ONLY:
        return len(_count(derivation, subject, day, frozenset({Status.SIGNATORY})))
    signed = [(e.state, e.date.value) for e in dataset.events
              if e.subject == subject and e.kind is EventKind.SIGNATURE and e.date]
    gone = _count(derivation, subject, day, frozenset({Status.WITHDRAWN, Status.TERMINATED}))
    return len(signers(signed, day, gone, dataset.ceased()))


def checks(dataset: Dataset, derivation: Derivation) -> list[Check]:
    """Each total of data/status_pages.csv beside the count the graph derives that day."""
    out = []
    for page in dataset.status_pages:
        common = (" ".join(page.sources), page.note, page.where, page.explained_difference)
        if page.parties is not None and page.parties_are is not None:
            derived = len(_count(derivation, page.subject, page.as_of,
                                 _PARTIES[page.parties_are]))
            out.append(Check(page.subject, page.as_of, f"parties ({page.parties_are.value})",
                             page.parties, derived, *common))
        if page.signatories is not None and page.signatories_are is not None:
            out.append(Check(page.subject, page.as_of,
                             f"signatories ({page.signatories_are.value})", page.signatories,
                             _signatories(dataset, derivation, page), *common))
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


def by_public_basis(dataset: Dataset) -> dict[str, int]:
    """How many events rest on each kind of date for when they became public record
    (`Event.public_by`), as `--known-at` reads them."""
    counts = dict.fromkeys((*PUBLIC_BASES, "event-date"), 0)
    for event in dataset.events:
        counts[event.public_by] += 1
    return counts


_OF_CONSENT = frozenset({"signature", "ratification", "acceptance", "approval", "accession",
                         "succession"})


def declaration_counts(dataset: Dataset) -> list[str]:
    """Per treaty: the declarations the data hold, and how many participants the depositary's
    page lists in its declarations section, where a status page states it. Not a check: the
    page's section leaves out end notes, objections and statements that the data hold."""
    listed = {page.subject: page for page in sorted(dataset.status_pages, key=lambda p: p.as_of)
              if page.declarants is not None}
    lines = []
    for treaty in sorted({d.treaty for d in dataset.declarations} | set(listed)):
        held = [d for d in dataset.declarations if d.treaty == treaty]
        at_consent = {d.state for d in held if d.state and d.made_at.value in _OF_CONSENT}
        line = (f"{treaty:<24} {len(held):>4} held from {len({d.state or d.body for d in held})}"
                f" states or bodies ({len(at_consent)} states on signing or consenting)")
        if treaty in listed:
            page = listed[treaty]
            line += (f"; the depositary's page of {page.as_of} lists {page.declarants} "
                     f"participants ({page.where})")
        lines.append(line)
    return lines


def render(found: list[Check], facts: list[str], ranks: dict[str, int] | None = None,
           public: dict[str, int] | None = None, said: list[str] | None = None) -> str:
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
    if said:
        lines += ["", "Declarations, reservations and objections (data/declarations.csv):", *(
            f"  {line}" for line in said)]
    if public:
        lines += ["", f"Events by the day they became public record ({sum(public.values())}), "
                      "as --known-at reads them: "
                      + ", ".join(f"{basis} {n}" for basis, n in public.items())]
    lines += ["", f"Unverified facts ({len(facts)}):", *(f"  {f}" for f in facts)]
    return "\n".join(lines)
