"""The rules engine: events plus each treaty's own clauses give every state's status intervals.

Pure Python, no RDF. The one place that knows each clause kind: entry into force for a state
(`entry_into_force_for`), when a withdrawal takes effect (`withdrawal_effect`), and which statuses
still bind (`binds`). Dates computed here are checked against dates recorded in data/: a
mismatch is a Problem naming the row, never a silent choice.

>>> from treatykg.dates import parse_duration
>>> clause = WithdrawalClause("20", parse_duration("P6M"), NoticeKind.EXACT, True)
>>> withdrawal_effect(clause, "LTU", date(2024, 9, 6), []).takes_effect
datetime.date(2025, 3, 6)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from itertools import pairwise

from treatykg.dates import add_duration, add_months, first_day_of_nth_month_after
from treatykg.records import (
    CONSENT_KINDS,
    SAME_DAY_ORDER,
    ArmedConflict,
    Dataset,
    EifRule,
    Event,
    EventKind,
    NoticeKind,
    Problem,
    Succession,
    SuccessionKind,
    Treaty,
    Where,
    WithdrawalClause,
)


class Status(Enum):
    SIGNATORY = "signatory"
    CONSENTED = "consented"
    PARTY = "party"
    SUSPENDED = "suspended"
    WITHDRAWAL_PENDING = "withdrawal-pending"
    WITHDRAWAL_DEFERRED = "withdrawal-deferred"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"
    MEMBER = "member"
    RENOUNCED = "signature-renounced"
    LAPSED = "lapsed"
    MEMBERSHIP_SUSPENDED = "membership-suspended"


BINDING = frozenset({Status.PARTY, Status.WITHDRAWAL_PENDING, Status.WITHDRAWAL_DEFERRED,
                     Status.MEMBER})


def binds(status: Status, suspension_clause: str | None) -> bool:
    """Whether a state with `status` is still legally bound.

    A suspension binds unless the treaty itself provides for suspension: without such a clause
    (APMBC, CMC, CFE, INF) a state's claim to suspend leaves it a party.
    """
    if status is Status.SUSPENDED:
        return suspension_clause is None
    return status in BINDING


@dataclass(frozen=True)
class Interval:
    """A state's status in a treaty or alliance from `start` (inclusive) to `end` (exclusive)."""

    subject: str
    state: str
    status: Status
    start: date
    end: date | None
    bound: bool
    events: tuple[Event, ...]
    clause: str  # the rule applied, in words an analyst can check against the text
    clause_kind: str  # "entry-into-force", "withdrawal", "suspension" or "" (recorded fact)

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Computation:
    """A date the rules computed, and the recorded date it was checked against (if any)."""

    subject: str
    state: str
    what: str  # "entry into force for the state" or "withdrawal takes effect"
    computed: date | None
    recorded: Event | None
    clause: str
    basis: tuple[Event, ...]


@dataclass(frozen=True)
class WithdrawalEffect:
    """When a withdrawal deposited on `deposited` takes effect, and why."""

    deposited: date
    notice_ends: date
    takes_effect: date | None  # None: deferred while an armed conflict goes on
    deferred_by: ArmedConflict | None
    clause: str


@dataclass
class Derivation:
    intervals: list[Interval] = field(default_factory=list)
    computations: list[Computation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    not_used: list[Event] = field(default_factory=list)  # undated or month/year precision


def conflicts_covering(conflicts: list[ArmedConflict], state: str,
                       day: date) -> list[ArmedConflict]:
    """The armed conflicts `state` is engaged in on `day` (start and end days included)."""
    return [c for c in conflicts if c.state == state and c.start.value <= day
            and (c.end is None or c.end.value >= day)]


def engagement_end(conflicts: list[ArmedConflict], state: str, day: date) -> date | None:
    """The day the state's engagement in armed conflict, ongoing on `day`, ends: the latest end
    among the conflicts covering it, following any conflict still going on that day. None while
    one has no end."""
    end = day
    while True:
        covering = conflicts_covering(conflicts, state, end)
        if any(c.end is None for c in covering):
            return None
        later = max(c.end.value for c in covering)
        if later == end:
            return end
        end = later


def withdrawal_effect(clause: WithdrawalClause, state: str, deposited: date,
                      conflicts: list[ArmedConflict], short_name: str = "") -> WithdrawalEffect:
    """Apply an exact-notice withdrawal clause, with its armed-conflict deferral if it has one."""
    ends = add_duration(deposited, clause.notice)
    where = f"{short_name} Art. {clause.article}".strip()
    words = f"{where}: takes effect {clause.notice} after the instrument is received"
    if clause.armed_conflict_deferral:
        covering = conflicts_covering(conflicts, state, ends)
        if covering:
            names = "; ".join(sorted({c.conflict for c in covering}))
            return WithdrawalEffect(
                deposited, ends, engagement_end(conflicts, state, ends), covering[0],
                words + f"; engaged in armed conflict ({names}) when the notice period ends, "
                "so not before the end of that conflict",
            )
        words += "; not engaged in armed conflict when the notice period ends"
    return WithdrawalEffect(deposited, ends, ends, None, words)


def entry_into_force_for(treaty: Treaty, consent: Event,
                         succession: Succession | None) -> tuple[date | None, str]:
    """The date the treaty enters into force for a state that consented by `consent`."""
    clause = treaty.eif_clause
    name = f"{treaty.short_name} Art. {clause.article}"
    if treaty.entry_into_force is None:
        return None, f"{name}: the treaty is not in force"
    in_force = treaty.entry_into_force.date.value
    deposit = consent.date.value
    if consent.kind is EventKind.SUCCESSION and succession is not None:
        start = max(in_force, succession.date.value)
        return start, (f"succession: bound from the date of succession of states "
                       f"({succession.predecessor} to {succession.successor}, {succession.date}) "
                       f"or the treaty's entry into force ({in_force}), whichever is later")
    if clause.after_entry_into_force and deposit < in_force:
        return in_force, (f"{name}: deposited before the treaty's entry into force, so bound from "
                          f"it ({in_force})")
    if clause.rule is EifRule.FIRST_DAY_OF_MONTH_AFTER_DEPOSIT:
        computed = first_day_of_nth_month_after(deposit, clause.months)
        words = f"first day of month {clause.months} after deposit"
    elif clause.rule is EifRule.MONTHS_AFTER_DEPOSIT:
        computed = add_months(deposit, clause.months)
        words = f"{clause.months} months after deposit"
    elif clause.rule is EifRule.DAYS_AFTER_DEPOSIT:
        from datetime import timedelta

        computed = deposit + timedelta(days=clause.days)
        words = f"{clause.days} days after deposit"
    else:
        computed, words = deposit, "on deposit"
    if computed <= in_force:
        return in_force, (f"{name}: {words}, but not before the treaty's entry into force "
                          f"({in_force})")
    return computed, f"{name}: {words} ({deposit} -> {computed})"


class _History:
    """One state's transitions in one subject, turned into intervals at the end."""

    def __init__(self, subject: str, state: str, suspension_clause: str | None):
        self.subject, self.state, self.suspension_clause = subject, state, suspension_clause
        self.transitions: list[tuple[date, int, Status, tuple[Event, ...], str, str]] = []

    def add(self, day: date, status: Status, events: tuple[Event, ...], clause: str,
            kind: str = "") -> None:
        self.transitions.append((day, len(self.transitions), status, events, clause, kind))

    def status_on(self, day: date) -> Status | None:
        current = None
        for when, _, status, *_ in sorted(self.transitions, key=lambda t: (t[0], t[1])):
            if when > day:
                break
            current = status
        return current

    def intervals(self, cut: date | None = None) -> list[Interval]:
        ordered = sorted(self.transitions, key=lambda t: (t[0], t[1]))
        # the last transition of a day wins; consecutive equal statuses merge
        by_day: dict[date, tuple] = {}
        for t in ordered:
            by_day[t[0]] = t
        runs: list[list] = []
        for day in sorted(by_day):
            if cut is not None and day >= cut:
                break
            _, _, status, events, clause, kind = by_day[day]
            if runs and runs[-1][0] is status:
                runs[-1][2] += events
                continue
            runs.append([status, day, events, clause, kind])
        out = []
        for i, (status, start, events, clause, kind) in enumerate(runs):
            end = runs[i + 1][1] if i + 1 < len(runs) else cut
            if any(not e.verified for e in events):
                clause += " [rests on an unverified event: see its note]"
            out.append(Interval(self.subject, self.state, status, start, end,
                                binds(status, self.suspension_clause), tuple(events), clause, kind))
        return out


_KIND_ORDER = {kind: i for i, kind in enumerate(SAME_DAY_ORDER)}


def _successions(dataset: Dataset) -> dict[str, Succession]:
    """For each state, the succession its own notifications of succession rest on: its own
    earliest, else that of the state it continues (Serbia: the Federal Republic of Yugoslavia's,
    1992, through Serbia and Montenegro)."""
    ordered = sorted(dataset.successions, key=lambda s: s.date)
    own = {}
    for s in ordered:
        if s.kind is SuccessionKind.SUCCESSION:
            own.setdefault(s.successor, s)
    out = dict(own)
    for s in ordered:
        if s.kind is SuccessionKind.CONTINUATION and s.successor not in out:
            inherited = own.get(s.predecessor)
            out[s.successor] = inherited if inherited is not None else s
    return out


def derive(dataset: Dataset) -> Derivation:
    """Every state's status intervals in every treaty and alliance, with the checks they imply."""
    result = Derivation()
    by_history: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in dataset.events:
        if event.date is None or not event.date.is_day:
            result.not_used.append(event)
        else:
            by_history[(event.subject, event.state)].append(event)

    successions_of = _successions(dataset)
    ended = dataset.ceased()

    continuations = {s.successor: s for s in dataset.successions
                     if s.kind is SuccessionKind.CONTINUATION and s.date.is_day}
    histories: dict[tuple[str, str], _History] = {}
    for (subject, state), events in sorted(by_history.items()):
        continued = continuations.get(state)
        if continued is not None and (subject, continued.predecessor) not in by_history:
            continued = None
        events.sort(key=lambda e: (e.date, _KIND_ORDER[e.kind]))
        alliance = subject if subject in dataset.alliances else None
        histories[(subject, state)] = _treaty_history(
            dataset, dataset.governing_treaty(subject), state, events,
            None if alliance else successions_of.get(state), result, alliance=alliance,
            continued=continued)

    _continuations(dataset, histories)
    for (subject, state), history in sorted(histories.items()):
        treaty = dataset.governing_treaty(subject)
        _terminate(treaty, history)
        intervals = history.intervals(cut=ended.get(state))
        result.intervals += intervals
        if subject in dataset.alliances:
            # the founding treaty's parties are the alliance's members, recorded once
            result.intervals += [
                Interval(treaty.slug, state, Status.PARTY if i.status is Status.MEMBER
                         else i.status, i.start, i.end, i.bound, i.events, i.clause, i.clause_kind)
                for i in intervals
            ]
    result.intervals.sort(key=lambda i: (i.subject, i.state, i.start))
    result.problems += overlaps(result.intervals)
    result.problems.sort()
    return result


def overlaps(intervals: list[Interval]) -> list[Problem]:
    """A state has one status in a subject on any day: intervals sorted by subject, state and
    start that overlap (an alliance's members recorded against a treaty with its own rows)."""
    out = []
    for a, b in pairwise(intervals):
        if (a.subject, a.state) == (b.subject, b.state) and (a.end is None or a.end > b.start):
            out.append(Problem(Where("rules", 0), a.subject, f"{a.state}: {a.status.value} from "
                               f"{a.start} overlaps {b.status.value} from {b.start}"))
    return out


def _treaty_history(dataset: Dataset, treaty: Treaty, state: str, events: list[Event],
                    succession: Succession | None, result: Derivation,
                    alliance: str | None = None,
                    continued: Succession | None = None) -> _History:
    """One state's history in one treaty (or alliance), consent cycle by consent cycle."""
    subject = alliance or treaty.slug
    history = _History(subject, state, treaty.suspension_clause)
    starts = (frozenset({EventKind.FOUNDING, EventKind.ACCESSION}) if alliance
              else CONSENT_KINDS)
    consents = [e for e in events if e.kind in starts]
    recorded_only = [e for e in events if e.kind is EventKind.ENTRY_INTO_FORCE]
    signatures = [e for e in events if e.kind is EventKind.SIGNATURE]
    if signatures and (not consents or signatures[0].date.value < consents[0].date.value):
        history.add(signatures[0].date.value, Status.SIGNATORY, (signatures[0],), "signature")
    for renounced in (e for e in events if e.kind is EventKind.SIGNATURE_RENOUNCED):
        if not signatures or any(c.date.value <= renounced.date.value for c in consents):
            result.problems.append(Problem(renounced.where, "event", (
                f"signature-renounced by {state}, which is not a signatory only of {subject} "
                f"on {renounced.date}")))
        else:
            history.add(renounced.date.value, Status.RENOUNCED, (renounced,),
                        "notice that it does not intend to become a party: no longer bound by "
                        "the obligations of a signatory (VCLT Art. 18)")
    revoked = [e for e in events if e.kind is EventKind.CONSENT_REVOKED]
    if not consents and continued is not None:
        # bound as its predecessor was (see _continuations); its own acts follow from that day
        _cycle(dataset, treaty, history, None, continued.date.value, None,
               [e for e in events if e.date.value >= continued.date.value], result, alliance)
        return history
    if not consents:
        if recorded_only:  # a party whose consent no source dates: in force as recorded
            first = recorded_only[0]
            history.add(first.date.value, Status.MEMBER if alliance else Status.PARTY, (first,),
                        "entry into force for the state, as recorded", "entry-into-force")
            _cycle(dataset, treaty, history, None, first.date.value, first,
                   [e for e in events if e.date.value >= first.date.value], result, alliance)
        else:
            for stray in events:
                if stray.kind not in (EventKind.SIGNATURE, EventKind.SIGNATURE_RENOUNCED):
                    result.problems.append(Problem(stray.where, "event", (
                        f"{stray.kind.value} by {state}, which never consented to be bound by "
                        f"{subject}")))
        return history
    for n, consent in enumerate(consents):
        after = consents[n + 1].date.value if n + 1 < len(consents) else None
        before = consents[n - 1].date.value if n else None
        window = [e for e in events if e is not consent
                  and (before is None or e.date.value > before)
                  and (after is None or e.date.value < after)]
        if n:
            withdrawn = [i for i in history.intervals()
                         if i.status in (Status.WITHDRAWN, Status.LAPSED)
                         or (i.status is Status.SIGNATORY and i.events
                             and i.events[-1] in revoked)]  # free to consent again
            if not withdrawn or withdrawn[-1].start > consent.date.value:
                result.problems.append(Problem(consent.where, "event", (
                    f"a second consent to be bound by {subject} while {state} is still "
                    f"{history.status_on(consent.date.value).value} (first at "
                    f"{consents[n - 1].where})")))
                continue
        day = consent.date.value
        if alliance:
            in_force: date | None = day
            words = ("founding member: member from the organization's founding"
                     if consent.kind is EventKind.FOUNDING else
                     f"{treaty.short_name} Art. {treaty.eif_clause.article}: member from the "
                     "date of accession")
        else:
            in_force, words = entry_into_force_for(treaty, consent, succession)
            if in_force is None or in_force > day:
                history.add(day, Status.CONSENTED, (consent,), words, "entry-into-force")
        if in_force is not None:
            history.add(in_force, Status.MEMBER if alliance else Status.PARTY, (consent,), words,
                        "entry-into-force")
        recorded = next((e for e in window if e.kind is EventKind.ENTRY_INTO_FORCE), None)
        _compare(result, subject, state, "entry into force for the state", in_force, recorded,
                 words, (consent,))
        _cycle(dataset, treaty, history, consent, in_force, consent,
               [e for e in window if e.date.value >= day], result, alliance)
    return history


def _cycle(dataset: Dataset, treaty: Treaty, history: _History, consent: Event | None,
           in_force: date | None, opening: Event, events: list[Event], result: Derivation,
           alliance: str | None) -> None:
    """What follows one consent: suspensions and a withdrawal, each checked for its place."""
    state, subject = history.state, history.subject
    joined = Status.MEMBER if alliance else Status.PARTY
    suspended: Event | None = None
    pending: Event | None = None
    gone: date | None = None  # the day a withdrawal took effect
    deferred_open = False
    for event in events:
        kind, day = event.kind, event.date.value
        if kind in (EventKind.SIGNATURE, EventKind.ENTRY_INTO_FORCE,
                    EventKind.WITHDRAWAL_EFFECTIVE, EventKind.SIGNATURE_RENOUNCED
                    ) or event is opening:
            continue  # signatures before consent and recorded dates are handled elsewhere
        if kind is EventKind.CONSENT_REVOKED:
            if consent is None or (in_force is not None and day >= in_force):
                result.problems.append(Problem(event.where, "event", (
                    f"consent-revoked by {state} once {subject} is in force for it: only a "
                    "withdrawal can end it")))
            else:
                history.add(day, Status.SIGNATORY, (event,), (
                    "ratification revoked before entry into force: a signatory again"))
            break
        if gone is not None and day >= gone:
            result.problems.append(Problem(event.where, "event", (
                f"{kind.value} by {state} after its withdrawal from {subject} took effect on "
                f"{gone}; a new consent to be bound must come first")))
            continue
        if in_force is None or day < in_force:
            when = f"on {in_force}" if in_force else "(it is not in force)"
            result.problems.append(Problem(event.where, "event", (
                f"{kind.value} by {state} before {subject} entered into force for it {when}")))
            continue
        if kind is EventKind.MEMBERSHIP_LAPSED:
            history.add(day, Status.LAPSED, (event,), (
                "membership lapsed: the founding treaty's term was not renewed for the state "
                "(no notice)"), "withdrawal")
            gone = day
            continue
        if kind is EventKind.MEMBERSHIP_SUSPENDED:
            history.add(day, Status.MEMBERSHIP_SUSPENDED, (event,), (
                "membership suspended by decision of the organization: not a participating "
                "member"), "suspension")
            suspended = suspended or event
            continue
        if kind is EventKind.SUSPENSION:
            if pending is None:  # a withdrawal under way outranks a suspension
                words = (f"{treaty.short_name} has no suspension clause: the state claims to "
                         "suspend its obligations but remains legally bound"
                         if treaty.suspension_clause is None
                         else f"{treaty.short_name} Art. {treaty.suspension_clause}: suspension")
                history.add(day, Status.SUSPENDED, (event,), words, "suspension")
            suspended = suspended or event
        elif kind is EventKind.SUSPENSION_ENDED:
            if suspended is None:
                result.problems.append(Problem(event.where, "event", (
                    f"suspension-ended by {state} with no suspension of {subject} to end")))
                continue
            if pending is None:
                history.add(day, joined, (event,), "suspension ended", "suspension")
            suspended = None
        elif kind is EventKind.WITHDRAWAL_NOTIFICATION:
            if pending is not None:
                result.problems.append(Problem(event.where, "event", (
                    f"a second instrument of withdrawal while the one of {pending.date} is "
                    "pending")))
                continue
            pending = event
            recorded = next((e for e in events if e.kind is EventKind.WITHDRAWAL_EFFECTIVE
                             and e.date.value >= day), None)
            gone, deferred_open = _withdrawal(dataset, treaty, history, event, recorded, result)
        if deferred_open:
            break  # a withdrawal deferred with no end in sight: nothing later can apply
    for event in events:
        if (event.kind is EventKind.WITHDRAWAL_EFFECTIVE and pending is None
                and event is not opening):
            result.problems.append(Problem(event.where, "date", (
                f"withdrawal effective {event.date} with no instrument of withdrawal deposited "
                "on or before it")))


def _compare(result: Derivation, subject: str, state: str, what: str, computed: date | None,
             recorded: Event | None, clause: str, basis: tuple[Event, ...]) -> None:
    result.computations.append(Computation(subject, state, what, computed, recorded, clause, basis))
    if recorded is not None and computed is not None and recorded.date.value != computed:
        result.problems.append(Problem(
            recorded.where, "date",
            f"{what} recorded as {recorded.date} but {clause} gives {computed}"))


def _withdrawal(dataset: Dataset, treaty: Treaty, history: _History, notice: Event,
                recorded: Event | None, result: Derivation) -> tuple[date | None, bool]:
    """Apply the withdrawal clause; return (the day it takes effect, deferred with no end)."""
    clause = treaty.withdrawal_clause
    subject, state, day = history.subject, history.state, notice.date.value
    if clause is None:
        result.problems.append(Problem(notice.where, "event",
                                       f"{treaty.short_name} has no withdrawal clause in "
                                       f"data/treaties/{treaty.slug}.yaml"))
        return None, False
    if clause.min_years_in_force and treaty.entry_into_force:
        earliest = add_months(treaty.entry_into_force.date.value, 12 * clause.min_years_in_force)
        if day < earliest:
            result.problems.append(Problem(
                notice.where, "date",
                f"{treaty.short_name} Art. {clause.article} allows notice only after "
                f"{clause.min_years_in_force} years in force ({earliest})"))
    history.add(day, Status.WITHDRAWAL_PENDING, (notice,),
                f"{treaty.short_name} Art. {clause.article}: instrument of withdrawal deposited",
                "withdrawal")
    basis = (notice,) + ((recorded,) if recorded else ())
    if clause.notice_kind in (NoticeKind.AS_AGREED, NoticeKind.MINIMUM):
        # the effective date is the one the notice (or the agreement) states: it must be recorded
        earliest = add_duration(day, clause.notice) if clause.notice_kind is NoticeKind.MINIMUM \
            else None
        words = (f"{treaty.short_name} Art. {clause.article}: notice at least {clause.notice} "
                 f"before the intended date (earliest {earliest})" if earliest else
                 f"{treaty.short_name} Art. {clause.article}: takes effect on the date agreed "
                 f"(failing agreement, {clause.notice} after notice, unless extended)")
        result.computations.append(Computation(subject, state, "withdrawal takes effect",
                                                earliest, recorded, words, (notice,)))
        if recorded is None:
            result.problems.append(Problem(
                notice.where, "event", f"{words}: record the withdrawal-effective date"))
            return None, False
        if earliest is not None and recorded.date.value < earliest:
            result.problems.append(Problem(
                recorded.where, "date",
                f"withdrawal effective {recorded.date} is earlier than {words}"))
            return None, False
        history.add(recorded.date.value, Status.WITHDRAWN, basis, words, "withdrawal")
        return recorded.date.value, False
    effect = withdrawal_effect(clause, state, day, dataset.conflicts, treaty.short_name)
    _compare(result, subject, state, "withdrawal takes effect", effect.takes_effect, recorded,
             effect.clause, (notice,))
    if effect.deferred_by is not None:
        history.add(effect.notice_ends, Status.WITHDRAWAL_DEFERRED, (notice,), effect.clause,
                    "withdrawal")
        if recorded is not None and effect.takes_effect is None:
            result.problems.append(Problem(
                recorded.where, "date",
                f"withdrawal recorded as effective {recorded.date} but {effect.clause}, "
                "and that conflict has no recorded end"))
    if effect.takes_effect is None:
        return None, True
    history.add(effect.takes_effect, Status.WITHDRAWN, basis, effect.clause, "withdrawal")
    return effect.takes_effect, False


def _terminate(treaty: Treaty, history: _History) -> None:
    """At termination every open status ends; a withdrawal effective that day stands."""
    if treaty.termination is None or not treaty.termination.date.is_day:
        return
    day = treaty.termination.date.value
    if not history.transitions or min(t[0] for t in history.transitions) > day:
        return
    history.transitions = [t for t in history.transitions if t[0] <= day]
    if history.status_on(day) is not Status.WITHDRAWN:
        history.add(day, Status.TERMINATED, (), f"{treaty.short_name} terminated on {day}")


def _continuations(dataset: Dataset, histories: dict[tuple[str, str], _History]) -> None:
    """A continuing state carries on the status its predecessor had on the date of continuation."""
    for s in dataset.successions:
        if s.kind is not SuccessionKind.CONTINUATION or not s.date.is_day:
            continue
        day = s.date.value
        for (subject, state), history in list(histories.items()):
            if state != s.predecessor:
                continue
            status = history.status_on(day)
            if status is None or status in (Status.WITHDRAWN, Status.TERMINATED):
                continue
            successor = histories.setdefault(
                (subject, s.successor), _History(subject, s.successor, history.suspension_clause))
            carried = tuple(e for t in history.transitions if t[0] <= day for e in t[3])
            successor.add(day, status, carried,
                          f"continuation: {s.successor} continues the treaty status of "
                          f"{s.predecessor} from {s.date}")
            for t in sorted(history.transitions, key=lambda t: (t[0], t[1])):
                if t[0] > day:
                    successor.add(t[0], t[2], t[3], t[4], t[5])
