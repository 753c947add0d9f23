"""Is this claim true? Structured claims about who is bound, decided from the built graph.

A claim names a state, a relation, a treaty or alliance and a day (`Claim`); counts name a
number instead of a state. Each is decided by the one status-on-day function (`asof.on_day`)
over the graph's derived intervals, and answered with what the graph finds, the evidence (the
status interval, the rule the engine applied, the acts behind it) and their sources. The data
are complete for the treaties and organizations they cover: a state with no record is not a
party or member, and the verdict is false with the participant list as evidence. A verdict is
`unknown` only where the graph lacks the fact: an act with no date, or a status that rests on an
unverified act.

Relations (as `treatykg check` takes them):
- `member`: a member of the alliance (bound by its membership);
- `bound`: bound by the treaty (party, withdrawal pending or deferred, or a suspension the treaty
  does not provide for);
- `party`: a party in the sense of the Vienna Convention on the Law of Treaties, Art. 2(1)(g):
  consented, and the treaty in force for it, including a pending or deferred withdrawal and a
  suspension; a state that deposited but for which the treaty is not yet in force is not;
- `signatory`: the graph's signatory status (signed, and not or no longer consented);
- `withdrawn`, `withdrawal-pending` (pending or deferred), `suspended`;
- `count-bound`, `count-parties`, `count-members`: how many states have that standing (of an
  alliance's members with `in`); `count-signatories`: how many states had signed by that day,
  as the depositaries' "Signatories" column counts them (less those withdrawn or extinct).
For a state relation `value` is empty (the relation holds) or `no` (it does not hold); for a
count it is the number claimed, or `<N`, `>N`, `!=N` ("fewer than all 32").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from treatykg.asof import on_day, signers
from treatykg.dates import parse_date, parse_day
from treatykg.snapshot import Snapshot, StoredInterval
from treatykg.statuses import IN_FORCE

PARTY = frozenset(s.value for s in IN_FORCE)  # a party in the Vienna Convention's sense
STATUSES = {
    "member": frozenset({"member"}),
    "party": PARTY,
    "signatory": frozenset({"signatory"}),
    "withdrawn": frozenset({"withdrawn"}),
    "withdrawal-pending": frozenset({"withdrawal-pending", "withdrawal-deferred"}),
    "suspended": frozenset({"suspended", "membership-suspended"}),
}
STATE_RELATIONS = ("member", "bound", "party", "signatory", "withdrawn", "withdrawal-pending",
                   "suspended")
COUNT_RELATIONS = ("count-bound", "count-parties", "count-signatories", "count-members")
RELATIONS = STATE_RELATIONS + COUNT_RELATIONS


class ClaimError(ValueError):
    """A claim that cannot be asked as written (unknown relation, treaty, state, ...)."""


@dataclass(frozen=True)
class Claim:
    id: str
    state: str  # ISO3; empty for a count
    relation: str
    subject: str  # treaty or alliance slug
    as_of: date
    in_: str = ""  # an alliance, for counts of its members
    value: str = ""  # a count's number; for a state relation empty or `no`
    text: str = ""  # the claim as its author wrote it


@dataclass(frozen=True)
class Verdict:
    id: str
    verdict: str  # "true", "false" or "unknown"
    found: str  # the status or count the graph derives on that day
    evidence: tuple[str, ...]
    sources: tuple[str, ...]

    def record(self) -> dict[str, object]:
        return {"id": self.id, "verdict": self.verdict, "found": self.found,
                "evidence": list(self.evidence), "sources": list(self.sources)}


def decide(claim: Claim, snap: Snapshot) -> Verdict:
    """The graph's verdict on one claim, with its evidence."""
    _known(claim, snap)
    if claim.relation in COUNT_RELATIONS:
        return _count(claim, snap)
    return _state(claim, snap)


def decide_all(claims: Iterable[Claim], snap: Snapshot) -> list[Verdict]:
    return [decide(c, snap) for c in claims]


def _known(claim: Claim, snap: Snapshot) -> None:
    if claim.relation not in RELATIONS:
        raise ClaimError(f"{claim.id}: relation {claim.relation!r} is not one of "
                         f"{', '.join(RELATIONS)}")
    if claim.subject not in snap.subjects:
        raise ClaimError(f"{claim.id}: {claim.subject!r} is not a treaty or alliance")
    alliance_only = claim.relation in ("member", "count-members")
    if alliance_only and snap.subjects[claim.subject].kind == "treaty":
        raise ClaimError(f"{claim.id}: {claim.relation} needs an alliance or organization, "
                         f"not the treaty {claim.subject!r}")
    if claim.in_ and (claim.in_ not in snap.subjects
                      or snap.subjects[claim.in_].kind == "treaty"):
        raise ClaimError(f"{claim.id}: in: {claim.in_!r} is not an alliance or organization")
    if claim.relation in STATE_RELATIONS:
        if claim.state not in snap.states:
            raise ClaimError(f"{claim.id}: state {claim.state!r} is not a state in the graph")
        if claim.value not in ("", "yes", "no"):
            raise ClaimError(f"{claim.id}: value: a state's claim takes no value, or `no`")
    elif claim.state or _COUNT.fullmatch(claim.value) is None:
        raise ClaimError(f"{claim.id}: a count names no state, and as value a whole number "
                         "(or <N, >N, !=N)")


def _holds(claim: Claim, interval: StoredInterval | None) -> bool:
    if interval is None:
        return False
    if claim.relation == "bound":
        return interval.bound
    return interval.status in STATUSES[claim.relation]


def _state(claim: Claim, snap: Snapshot) -> Verdict:
    history = [i for i in snap.intervals
               if i.state == claim.state and i.subject == claim.subject]
    standing = next(iter(on_day(history, claim.as_of)), None)
    holds = _holds(claim, standing)
    asserted = claim.value != "no"
    subject = snap.subjects[claim.subject].short
    name = snap.states.get(claim.state, claim.state)
    undated = [e for e in snap.events if e.state == claim.state
               and e.subject == claim.subject and e.date is None]
    if standing is None:
        found = "no status"
        evidence = [f"{name} has no record in {subject} on {claim.as_of}"
                    + (" (its acts there begin later)" if history else "")]
        listed, sources = _participants(claim, snap)
        evidence += listed
    else:
        found = standing.status + (" (bound)" if standing.bound else " (not bound)")
        evidence = [_describe(standing)]
        evidence += [f"act: {e.label}" for e in snap.events if e.iri in standing.events]
        sources = standing.sources
    reason = ""
    if undated:
        reason = ("the graph lacks a date: " + "; ".join(e.label for e in undated))
    elif standing is not None and "[rests on an unverified event" in standing.rule:
        reason = "the status rests on an unverified act"
    if reason:
        return Verdict(claim.id, "unknown", found, (*evidence, reason), sources)
    verdict = "true" if holds == asserted else "false"
    return Verdict(claim.id, verdict, found, tuple(evidence), sources)


def _describe(i: StoredInterval) -> str:
    until = i.until.isoformat() if i.until else "open"
    return f"{i.state} in {i.subject}: {i.status} from {i.since} until {until}: {i.rule}"


def _participants(claim: Claim, snap: Snapshot) -> tuple[list[str], tuple[str, ...]]:
    """The subject's participants on the day (the list a missing state is absent from), and
    the sources of their standing."""
    standing = [i for i in snap.on(claim.as_of, {claim.subject}) if i.bound or i.status in PARTY]
    subject = snap.subjects[claim.subject]
    what = "members" if subject.kind != "treaty" else "parties or bound"
    rows = sorted(i.state for i in standing)
    return ([f"{subject.short} on {claim.as_of}: {len(rows)} {what}: {', '.join(rows)}"],
            _sources(standing))


def _sources(intervals: Iterable[StoredInterval]) -> tuple[str, ...]:
    return tuple(sorted({url for i in intervals for url in i.sources}))


def _count(claim: Claim, snap: Snapshot) -> Verdict:
    day, subject = claim.as_of, claim.subject
    members = None
    if claim.in_:
        members = snap.bound(day, claim.in_)
    if claim.relation == "count-signatories":
        counted = _signers(snap, subject, day)
    else:
        statuses = {"count-parties": PARTY, "count-members": frozenset({"member"})}
        counted = {i.state for i in snap.on(day, {subject})
                   if (i.bound if claim.relation == "count-bound"
                       else i.status in statuses[claim.relation])}
    if members is not None:
        counted &= members
    sources = _sources(i for i in snap.on(day, {subject}) if i.state in counted)
    scope = f" of {snap.subjects[claim.in_].short}'s {len(members)} members" if members else ""
    label = claim.relation.removeprefix("count-")
    evidence = [f"{len(counted)} {label}{scope} in {snap.subjects[subject].short} on {day}: "
                f"{', '.join(sorted(counted))}"]
    undated = sorted({e.state for e in snap.events if e.subject == subject and e.date is None
                      and (members is None or e.state in members)})
    if undated:
        return Verdict(claim.id, "unknown", str(len(counted)), (
            *evidence, f"the graph lacks the date of acts by {', '.join(undated)}, which "
                       "could change the count"), sources)
    return Verdict(claim.id, "true" if _compares(len(counted), claim.value) else "false",
                   str(len(counted)), tuple(evidence), sources)


_COUNT = re.compile(r"(<|>|!=)?(\d+)")


def _compares(found: int, claimed: str) -> bool:
    """A count against the claimed one: a number (exactly), or <N, >N, !=N."""
    sign, number = _COUNT.fullmatch(claimed).groups()
    return {None: found == int(number), "<": found < int(number), ">": found > int(number),
            "!=": found != int(number)}[sign]


def _signers(snap: Snapshot, subject: str, day: date) -> set[str]:
    """The states that had signed by `day`, as the truth report counts them (`asof.signers`)."""
    signed = [(e.state, parse_date(e.date).value) for e in snap.events
              if e.subject == subject and e.kind == "signature" and e.date is not None]
    gone = {i.state for i in snap.on(day, {subject}) if i.status in ("withdrawn", "terminated")}
    return signers(signed, day, gone, snap.ceased)


COLUMNS = ("id", "state", "relation", "subject", "as_of", "in", "value", "text")


def read_claims(path: Path) -> list[Claim]:
    """A claims file: CSV with the columns id,state,relation,subject,as_of,in,value,text.
    Raise ClaimError naming `file:line: field: reason` for every bad cell."""
    problems, out = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ClaimError(f"{path}:1: header: columns are "
                             f"{','.join(reader.fieldnames or ())}; expected {','.join(COLUMNS)}")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            try:
                day = parse_day(row["as_of"])
            except ValueError as error:
                problems.append(f"{where}: as_of: {error}")
                continue
            if row["relation"] not in RELATIONS:
                problems.append(f"{where}: relation: {row['relation']!r} is not one of "
                                f"{', '.join(RELATIONS)}")
                continue
            out.append(Claim(row["id"], row["state"].strip(), row["relation"],
                             row["subject"].strip(), day, row["in"].strip(),
                             row["value"].strip(), row["text"]))
    if problems:
        raise ClaimError("\n".join(problems))
    return out


# ------------------------------------------------------------------ claims in plain English

Resolve = Callable[[str, str], str]  # (a name, "state" | "treaty" | "alliance") -> its code

_NOT = r"(?P<not>(?:not|no longer) )?"
_STATE_SHAPES = [
    (rf"(?P<state>.+?) is {_NOT}(?:still )?(?:a |an )?(?P<subject>.+?) member", "member",
     "alliance"),
    (rf"(?P<state>.+?) is {_NOT}(?:still )?(?:a )?member of (?:the )?(?P<subject>.+)", "member",
     "alliance"),
    (rf"(?P<state>.+?) (?:is|remains) {_NOT}(?:still )?(?:a )?(?:state )?party to "
     r"(?:the )?(?P<subject>.+)", "party", "treaty"),
    (rf"(?P<state>.+?) (?:is|remains) {_NOT}(?:still )?bound by (?:the )?(?P<subject>.+)",
     "bound", "treaty"),
    (rf"(?P<state>.+?) (?:is|remains) {_NOT}(?:still )?a signatory (?:of|to) (?:the )?"
     r"(?P<subject>.+)", "signatory", "treaty"),
    (r"(?P<state>.+?) (?:has withdrawn|withdrew|has left|left) (?:from )?(?:the )?"
     r"(?P<subject>.+)", "withdrawn", "treaty"),
    (r"(?P<state>.+?) (?:has suspended|suspended) (?:its participation in )?(?:the )?"
     r"(?P<subject>.+)", "suspended", "treaty"),
]
_COUNT_SHAPES = [
    (r"(?:the )?(?P<subject>.+?) has (?P<n>\d+) members", "count-members", "alliance"),
    (r"(?P<n>\d+) (?:states|countries) are (?:states )?part(?:y|ies) to (?:the )?"
     r"(?P<subject>.+)", "count-parties", "treaty"),
    (r"(?:the )?(?P<subject>.+?) has (?P<n>\d+) (?:states )?parties", "count-parties",
     "treaty"),
    (r"(?:the )?(?P<subject>.+?) has (?P<n>\d+) signatories", "count-signatories", "treaty"),
    (r"(?P<n>\d+) (?P<in>.+?) members are bound by (?:the )?(?P<subject>.+)", "count-bound",
     "treaty"),
    (r"(?P<n>\d+) (?:states|countries) are bound by (?:the )?(?P<subject>.+)", "count-bound",
     "treaty"),
]


def parse_sentence(text: str, as_of: date, resolve: Resolve) -> Claim:
    """A claim in plain English, for the common shapes ("Moldova is a NATO member", "Poland is
    not bound by the CMC", "NATO has 32 members", "24 NATO members are bound by the CMC"), as
    the same structure a claims file holds. Raise ClaimError when the sentence is not
    understood, saying which shapes are."""
    sentence = " ".join(text.strip().rstrip(".").split())
    for pattern, relation, kind in _STATE_SHAPES:
        if (found := re.fullmatch(pattern, sentence, re.IGNORECASE)) is not None:
            return Claim("1", resolve(found["state"], "state"), relation,
                         resolve(found["subject"], kind if relation != "member" else "alliance"),
                         as_of, value="no" if found.groupdict().get("not") else "", text=text)
    for pattern, relation, kind in _COUNT_SHAPES:
        if (found := re.fullmatch(pattern, sentence, re.IGNORECASE)) is not None:
            within = found.groupdict().get("in")
            return Claim("1", "", relation, resolve(found["subject"], kind), as_of,
                         resolve(within, "alliance") if within else "", found["n"], text)
    raise ClaimError(f"not understood: {text!r}. Say it as one of: 'STATE is a ALLIANCE "
                     "member', 'STATE is (not) a party to / bound by / a signatory of TREATY', "
                     "'STATE has withdrawn from / suspended TREATY', 'ALLIANCE has N members', "
                     "'TREATY has N parties / signatories', 'N ALLIANCE members are bound by "
                     "TREATY'; or write a claims file (treatykg check --help)")
