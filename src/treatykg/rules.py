"""The rules engine: events plus each treaty's own clauses give every state's status intervals.

Pure Python, no RDF. A state's standing in a treaty (or alliance) is a status, and
`TREATY_MOVES` (`ALLIANCE_MOVES`) say, status by status, which recorded acts move a state out of
it and which treaty concept applies, so that the tables can be checked against a treaty's text:

    (none), signatory --consent to be bound--> consented --entry into force (EIF clause)--> party
    party --instrument of withdrawal--> withdrawal-pending --notice period ends (withdrawal
        clause)--> withdrawn, or withdrawal-deferred while an armed conflict goes on --> withdrawn
    party --suspension--> suspended --end of suspension--> party
    withdrawn --a new consent--> consented ...

A move the clause dates in the future (entry into force, a withdrawal taking effect) waits in
`Course.due` and happens on its day, before the acts recorded that day. An act a status does not
list is a fault in the data, reported with the row. Dates computed here are checked against
dates recorded in data/: a mismatch is a Problem naming the row, never a silent choice.

>>> from treatykg.dates import parse_duration
>>> clause = WithdrawalClause("20", parse_duration("P6M"), NoticeKind.EXACT, True)
>>> withdrawal_effect(clause, "LTU", date(2024, 9, 6), []).takes_effect
datetime.date(2025, 3, 6)
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from treatykg.asof import on_day
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
from treatykg.statuses import Status

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
    """A state's status in a treaty or alliance from `since` (inclusive) until `until`, the
    first day no longer covered (None while it goes on)."""

    subject: str
    state: str
    status: Status
    since: date
    until: date | None
    bound: bool
    events: tuple[Event, ...]
    clause: str  # the rule applied, in words an analyst can check against the text
    clause_kind: str  # "entry-into-force", "withdrawal", "suspension" or "" (recorded fact)


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


# ------------------------------------------------------------------ the clauses, as computations

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
    words = (f"{where}: takes effect {clause.notice} after the instrument is received "
             f"({deposited} + {clause.notice} = {ends})")
    if clause.armed_conflict_deferral:
        covering = conflicts_covering(conflicts, state, ends)
        if covering:
            names = "; ".join(f"{c.conflict}, from {c.start}"
                              for c in sorted(covering, key=lambda c: (c.conflict, c.start)))
            end = engagement_end(conflicts, state, ends)
            after = (f"; it ends on {end}, so the withdrawal takes effect then" if end else
                     "; it has no recorded end")
            return WithdrawalEffect(
                deposited, ends, end, covering[0],
                words + f"; engaged in armed conflict ({names}) when the notice period ends, "
                f"so not before the end of that conflict{after}",
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
        computed = deposit + timedelta(days=clause.days)
        words = f"{clause.days} days after deposit"
    else:
        computed, words = deposit, "on deposit"
    if computed <= in_force:
        return in_force, (f"{name}: {words} ({deposit} -> {computed}), but not before the "
                          f"treaty's entry into force ({in_force})")
    return computed, f"{name}: {words} ({deposit} -> {computed})"


# ------------------------------------------------------------------ one state's course

@dataclass(frozen=True)
class Transition:
    """A move to `status` on `day`, the acts it rests on and the rule applied, in words."""

    day: date
    status: Status
    events: tuple[Event, ...]
    clause: str
    kind: str = ""  # the clause kind: "entry-into-force", "withdrawal", "suspension" or ""


class Course:
    """One state's course through one treaty (or alliance), act by act.

    `status` is where the state stands after the acts so far; `due` holds the moves a clause
    has dated in the future, which happen on their day before the acts recorded that day.
    """

    def __init__(self, dataset: Dataset, treaty: Treaty, subject: str, state: str,
                 events: list[Event], succession: Succession | None, result: Derivation):
        self.dataset, self.treaty, self.subject, self.state = dataset, treaty, subject, state
        self.alliance = subject in dataset.alliances
        self.events, self.succession, self.result = events, succession, result
        self.consent: Event | None = None  # the consent of the current cycle, if any
        self.in_force: date | None = None  # the day the treaty entered into force for it
        self.notice: Event | None = None  # the instrument of withdrawal under way
        self.suspension: Event | None = None  # a suspension not yet ended
        self.due: list[Transition] = []
        self.transitions: list[Transition] = []

    @property
    def status(self) -> Status | None:
        """The status the state is in: the last move's (None before any)."""
        return self.transitions[-1].status if self.transitions else None

    @property
    def joined(self) -> Status:
        """The status of a state for which the treaty (or membership) is in force."""
        return Status.MEMBER if self.alliance else Status.PARTY

    def move(self, day: date, status: Status, events: tuple[Event, ...], clause: str,
             kind: str = "") -> None:
        self.transitions.append(Transition(day, status, events, clause, kind))

    def schedule(self, day: date, status: Status, events: tuple[Event, ...], clause: str,
                 kind: str = "") -> None:
        self.due.append(Transition(day, status, events, clause, kind))
        self.due.sort(key=lambda t: t.day)

    def catch_up(self, day: date) -> None:
        """Make every move due on or before `day`."""
        while self.due and self.due[0].day <= day:
            t = self.due.pop(0)
            self.move(t.day, t.status, t.events, t.clause, t.kind)

    def fault(self, event: Event, field_name: str, message: str) -> None:
        self.result.problems.append(Problem(event.where, field_name, message))

    def run(self, events: Iterable[Event]) -> None:
        """Apply each act in order, by the table of moves for the status the state is in."""
        for event in events:
            self.catch_up(event.date.value)
            if event.kind in _ANY_STATUS:
                _ANY_STATUS[event.kind](self, event)
                continue
            moves = ALLIANCE_MOVES if self.alliance else TREATY_MOVES
            act = moves.get(self.status, {}).get(event.kind)
            if act is None:
                self.fault(event, "event", self.not_allowed(event))
            else:
                act(self, event)
        self.catch_up(date.max)

    def not_allowed(self, event: Event) -> str:
        """Why `event` cannot happen to a state with the current status, in a curator's words."""
        kind, state, subject = event.kind.value, self.state, self.subject
        if event.kind is EventKind.SIGNATURE_RENOUNCED:
            return (f"signature-renounced by {state}, which is not a signatory only of "
                    f"{subject} on {event.date}")
        if self.status in (Status.WITHDRAWN, Status.LAPSED):
            return (f"{kind} by {state} after its withdrawal from {subject} took effect on "
                    f"{self.transitions[-1].day}; a new consent to be bound must come first")
        if self.status is Status.CONSENTED:
            when = f"on {self.in_force}" if self.in_force else "(it is not in force)"
            return f"{kind} by {state} before {subject} entered into force for it {when}"
        if event.kind in self.consent_kinds:
            status = self.status.value if self.status else "bound"
            first = f" (first at {self.consent.where})" if self.consent else ""
            return (f"a second consent to be bound by {subject} while {state} is still "
                    f"{status}{first}")
        if event.kind is EventKind.WITHDRAWAL_NOTIFICATION and self.notice is not None:
            return (f"a second instrument of withdrawal while the one of {self.notice.date} is "
                    "pending")
        if event.kind is EventKind.CONSENT_REVOKED and self.in_force is not None:
            return (f"consent-revoked by {state} once {subject} is in force for it: only a "
                    "withdrawal can end it")
        if self.status is Status.TERMINATED:
            return f"{kind} by {state} after {subject} terminated"
        return f"{kind} by {state}, which never consented to be bound by {subject}"

    @property
    def consent_kinds(self) -> frozenset[EventKind]:
        return _JOINING if self.alliance else CONSENT_KINDS

    def recorded_entry_into_force(self, consent: Event) -> Event | None:
        """The entry into force recorded for `consent`: the first dated after the consent before
        it and before the consent after it (a successor's may precede its own deposit)."""
        consents = [e for e in self.events if e.kind in self.consent_kinds]
        n = consents.index(consent)
        after = consents[n - 1].date.value if n else date.min
        before = consents[n + 1].date.value if n + 1 < len(consents) else date.max
        return next((e for e in self.events if e.kind is EventKind.ENTRY_INTO_FORCE
                     and after < e.date.value < before), None)

    def recorded_effect(self, notice: Event) -> Event | None:
        """The withdrawal effect recorded for `notice`: the first on or after its deposit and
        before any later consent."""
        for event in self.events:
            if event.date.value < notice.date.value or event is notice:
                continue
            if event.kind in self.consent_kinds:
                return None
            if event.kind is EventKind.WITHDRAWAL_EFFECTIVE:
                return event
        return None

    def compare(self, what: str, computed: date | None, recorded: Event | None, clause: str,
                basis: tuple[Event, ...]) -> None:
        self.result.computations.append(Computation(self.subject, self.state, what, computed,
                                                    recorded, clause, basis))
        if recorded is not None and computed is not None and recorded.date.value != computed:
            self.fault(recorded, "date",
                       f"{what} recorded as {recorded.date} but {clause} gives {computed}")

    def intervals(self, cut: date | None = None) -> list[Interval]:
        """The transitions as intervals: the last move of a day wins, equal statuses in a row
        merge, and nothing goes past `cut` (the day a historic state ceased to exist)."""
        ordered = sorted(enumerate(self.transitions), key=lambda t: (t[1].day, t[0]))
        by_day: dict[date, Transition] = {t.day: t for _, t in ordered}
        runs: list[list] = []
        for day in sorted(by_day):
            if cut is not None and day >= cut:
                break
            t = by_day[day]
            if runs and runs[-1][0] is t.status:
                runs[-1][2] += t.events
                continue
            runs.append([t.status, day, t.events, t.clause, t.kind])
        out = []
        for i, (status, since, events, clause, kind) in enumerate(runs):
            until = runs[i + 1][1] if i + 1 < len(runs) else cut
            if any(e.hypothetical for e in events):
                clause += " [hypothetical: rests on a scenario's act]"
            elif any(not e.verified for e in events):
                clause += " [rests on an unverified event: see its note]"
            out.append(Interval(self.subject, self.state, status, since, until,
                                binds(status, self.treaty.suspension_clause), tuple(events),
                                clause, kind))
        return out


# ------------------------------------------------------------------ the acts, as treaty concepts

def sign(course: Course, event: Event) -> None:
    """Signature: a signatory, until it consents to be bound (a later signature changes
    nothing)."""
    if course.status is None:
        course.move(event.date.value, Status.SIGNATORY, (event,), "signature")


def renounce_signature(course: Course, event: Event) -> None:
    """A signatory's notice that it does not intend to become a party (VCLT Art. 18)."""
    course.move(event.date.value, Status.RENOUNCED, (event,),
                "notice that it does not intend to become a party: no longer bound by the "
                "obligations of a signatory (VCLT Art. 18)")


def consent_to_be_bound(course: Course, consent: Event) -> None:
    """Deposit of an instrument of consent: the entry-into-force clause dates when the treaty
    binds the state (at once, later, or from its independence for a successor state)."""
    day, treaty = consent.date.value, course.treaty
    course.consent, course.notice, course.suspension = consent, None, None
    in_force, words = entry_into_force_for(treaty, consent, course.succession)
    course.in_force = in_force
    if in_force is None or in_force > day:
        course.move(day, Status.CONSENTED, (consent,), words, "entry-into-force")
    if in_force is not None:
        (course.schedule if in_force > day else course.move)(
            in_force, Status.PARTY, (consent,), words, "entry-into-force")
    course.compare("entry into force for the state", in_force,
                   course.recorded_entry_into_force(consent), words, (consent,))


def join(course: Course, event: Event) -> None:
    """An alliance's founding member, or a state acceding to it: a member from that day."""
    day, treaty = event.date.value, course.treaty
    course.consent, course.notice, course.suspension, course.in_force = event, None, None, day
    words = ("founding member: member from the organization's founding"
             if event.kind is EventKind.FOUNDING else
             f"{treaty.short_name} Art. {treaty.eif_clause.article}: member from the date of "
             "accession")
    course.move(day, Status.MEMBER, (event,), words, "entry-into-force")
    course.compare("entry into force for the state", day,
                   course.recorded_entry_into_force(event), words, (event,))


def in_force_as_recorded(course: Course, event: Event) -> None:
    """A party whose consent no source dates: in force for it as the depositary records."""
    day = event.date.value
    course.in_force = day
    course.move(day, course.joined, (event,), "entry into force for the state, as recorded",
                "entry-into-force")


def revoke_consent(course: Course, event: Event) -> None:
    """Consent revoked before the treaty is in force for the state: a signatory again (Russia
    and the CTBT, 2023), and the entry into force it awaited does not come."""
    course.due.clear()
    course.consent, course.in_force = None, None
    course.move(event.date.value, Status.SIGNATORY, (event,),
                "ratification revoked before entry into force: a signatory again")


def suspend(course: Course, event: Event) -> None:
    """A state's claim to suspend the treaty: it binds on unless the treaty provides for
    suspension. A withdrawal under way outranks it (the status stays pending)."""
    treaty = course.treaty
    if course.notice is None:
        words = (f"{treaty.short_name} has no suspension clause: the state claims to suspend "
                 "its obligations but remains legally bound" if treaty.suspension_clause is None
                 else f"{treaty.short_name} Art. {treaty.suspension_clause}: suspension")
        course.move(event.date.value, Status.SUSPENDED, (event,), words, "suspension")
    course.suspension = course.suspension or event


def end_suspension(course: Course, event: Event) -> None:
    """The state resumes the treaty it had suspended (a withdrawal under way stays pending)."""
    if course.suspension is None:
        course.fault(event, "event", f"suspension-ended by {course.state} with no suspension of "
                                     f"{course.subject} to end")
        return
    if course.notice is None:
        course.move(event.date.value, course.joined, (event,), "suspension ended", "suspension")
    course.suspension = None


def suspend_membership(course: Course, event: Event) -> None:
    """The organization suspends the state's membership by its own decision."""
    course.move(event.date.value, Status.MEMBERSHIP_SUSPENDED, (event,),
                "membership suspended by decision of the organization: not a participating "
                "member", "suspension")
    course.suspension = course.suspension or event


def lapse(course: Course, event: Event) -> None:
    """A fixed-term founding treaty not renewed for the state: it leaves, with no notice."""
    course.due.clear()
    course.move(event.date.value, Status.LAPSED, (event,),
                "membership lapsed: the founding treaty's term was not renewed for the state "
                "(no notice)", "withdrawal")


def give_notice_of_withdrawal(course: Course, notice: Event) -> None:
    """An instrument of withdrawal: pending at once, and the withdrawal clause dates its effect
    (exact notice, deferred during armed conflict; or the intended or agreed date recorded)."""
    course.notice = notice
    treaty, clause = course.treaty, course.treaty.withdrawal_clause
    day, name = notice.date.value, course.treaty.short_name
    if clause is None:
        course.fault(notice, "event", f"{name} has no withdrawal clause in "
                                      f"data/treaties/{treaty.slug}.yaml")
        return
    if clause.min_years_in_force and treaty.entry_into_force:
        earliest = add_months(treaty.entry_into_force.date.value, 12 * clause.min_years_in_force)
        if day < earliest:
            course.fault(notice, "date", f"{name} Art. {clause.article} allows notice only after "
                                         f"{clause.min_years_in_force} years in force "
                                         f"({earliest})")
    course.move(day, Status.WITHDRAWAL_PENDING, (notice,),
                f"{name} Art. {clause.article}: instrument of withdrawal deposited ({day})",
                "withdrawal")
    recorded = course.recorded_effect(notice)
    basis = (notice,) + ((recorded,) if recorded else ())
    if clause.notice_kind is NoticeKind.EXACT:
        _exact_notice(course, notice, recorded, basis)
    else:
        _dated_by_the_notice(course, notice, recorded, basis)


def _exact_notice(course: Course, notice: Event, recorded: Event | None,
                  basis: tuple[Event, ...]) -> None:
    """Takes effect the notice period after receipt; where the clause defers it, not while the
    state is engaged in an armed conflict when that period ends (APMBC and CMC Art. 20)."""
    clause = course.treaty.withdrawal_clause
    effect = withdrawal_effect(clause, course.state, notice.date.value,
                               course.dataset.conflicts, course.treaty.short_name)
    course.compare("withdrawal takes effect", effect.takes_effect, recorded, effect.clause,
                   (notice,))
    if effect.deferred_by is not None:
        course.schedule(effect.notice_ends, Status.WITHDRAWAL_DEFERRED, (notice,), effect.clause,
                        "withdrawal")
        if recorded is not None and effect.takes_effect is None:
            course.fault(recorded, "date", f"withdrawal recorded as effective {recorded.date} "
                                           f"but {effect.clause}, and that conflict has no "
                                           "recorded end")
    if effect.takes_effect is not None:
        course.schedule(effect.takes_effect, Status.WITHDRAWN, basis, effect.clause,
                        "withdrawal")


def _dated_by_the_notice(course: Course, notice: Event, recorded: Event | None,
                         basis: tuple[Event, ...]) -> None:
    """Takes effect on the date the notice states, at least the notice period ahead (CFE Art.
    XIX), or on the date agreed (TEU Art. 50): that date must be recorded."""
    clause, name = course.treaty.withdrawal_clause, course.treaty.short_name
    if clause.notice_kind is NoticeKind.MINIMUM:
        earliest = add_duration(notice.date.value, clause.notice)
        words = (f"{name} Art. {clause.article}: notice at least {clause.notice} before the "
                 f"intended date (earliest {notice.date} + {clause.notice} = {earliest})")
    else:
        earliest = None
        words = (f"{name} Art. {clause.article}: takes effect on the date agreed (failing "
                 f"agreement, {clause.notice} after notice, unless extended)")
    course.result.computations.append(Computation(course.subject, course.state,
                                                  "withdrawal takes effect", earliest, recorded,
                                                  words, (notice,)))
    if recorded is None:
        course.fault(notice, "event", f"{words}: record the withdrawal-effective date")
    elif earliest is not None and recorded.date.value < earliest:
        course.fault(recorded, "date",
                     f"withdrawal effective {recorded.date} is earlier than {words}")
    else:
        course.schedule(recorded.date.value, Status.WITHDRAWN, basis, words, "withdrawal")


def note_suspension(course: Course, event: Event) -> None:
    """A suspension while a withdrawal is under way: noted, the status stays pending."""
    if event.kind is EventKind.SUSPENSION:
        suspend(course, event)
    else:
        end_suspension(course, event)


def recorded_entry_into_force(course: Course, event: Event) -> None:
    """A recorded entry into force: checked against the clause when its consent is applied
    (a successor's may precede its deposit); it stands in for a consent only where no source
    dates one."""
    if course.status in (None, Status.SIGNATORY) and not any(
            e.kind in course.consent_kinds for e in course.events):
        in_force_as_recorded(course, event)


def recorded_withdrawal_effect(course: Course, event: Event) -> None:
    """A recorded withdrawal effect: checked against the clause when the notice is applied;
    it needs an instrument of withdrawal deposited on or before it."""
    if course.notice is None:
        course.fault(event, "date", f"withdrawal effective {event.date} with no instrument of "
                                    "withdrawal deposited on or before it")


Act = Callable[[Course, Event], None]
_JOINING = frozenset({EventKind.FOUNDING, EventKind.ACCESSION})

# Acts whose meaning does not depend on the status: a signature moves a state only from no
# status, and recorded outcomes are checked against the clause where it applies.
_ANY_STATUS: dict[EventKind, Act] = {
    EventKind.SIGNATURE: sign,
    EventKind.ENTRY_INTO_FORCE: recorded_entry_into_force,
    EventKind.WITHDRAWAL_EFFECTIVE: recorded_withdrawal_effect,
}
_CONSENT = {kind: consent_to_be_bound for kind in sorted(CONSENT_KINDS, key=lambda k: k.value)}
_WHILE_WITHDRAWING = {EventKind.SUSPENSION: note_suspension,
                      EventKind.SUSPENSION_ENDED: note_suspension}

# For each status a state can have in a treaty, the acts that move it out of that status (or
# that it may take in it) and the treaty concept that applies. An act not listed is a fault in
# the data (`Course.not_allowed` says why).
TREATY_MOVES: dict[Status | None, dict[EventKind, Act]] = {
    None: _CONSENT,
    Status.SIGNATORY: {**_CONSENT, EventKind.SIGNATURE_RENOUNCED: renounce_signature},
    Status.RENOUNCED: _CONSENT,
    Status.CONSENTED: {EventKind.CONSENT_REVOKED: revoke_consent},
    Status.PARTY: {EventKind.SUSPENSION: suspend,
                   EventKind.WITHDRAWAL_NOTIFICATION: give_notice_of_withdrawal},
    Status.SUSPENDED: {EventKind.SUSPENSION: suspend,
                       EventKind.SUSPENSION_ENDED: end_suspension,
                       EventKind.WITHDRAWAL_NOTIFICATION: give_notice_of_withdrawal},
    Status.WITHDRAWAL_PENDING: _WHILE_WITHDRAWING,
    Status.WITHDRAWAL_DEFERRED: _WHILE_WITHDRAWING,
    Status.WITHDRAWN: _CONSENT,
    Status.TERMINATED: {},
}

# The same for a state's membership of an alliance or organization (its founding treaty's
# clauses date the moves).
_MEMBERSHIP = {EventKind.SUSPENSION: suspend,
               EventKind.WITHDRAWAL_NOTIFICATION: give_notice_of_withdrawal,
               EventKind.MEMBERSHIP_SUSPENDED: suspend_membership,
               EventKind.MEMBERSHIP_LAPSED: lapse}
ALLIANCE_MOVES: dict[Status | None, dict[EventKind, Act]] = {
    None: {EventKind.FOUNDING: join, EventKind.ACCESSION: join},
    Status.MEMBER: _MEMBERSHIP,
    Status.SUSPENDED: {**_MEMBERSHIP, EventKind.SUSPENSION_ENDED: end_suspension},
    Status.MEMBERSHIP_SUSPENDED: {**_MEMBERSHIP, EventKind.SUSPENSION_ENDED: end_suspension},
    Status.WITHDRAWAL_PENDING: {**_WHILE_WITHDRAWING,
                                EventKind.MEMBERSHIP_SUSPENDED: suspend_membership,
                                EventKind.MEMBERSHIP_LAPSED: lapse},
    Status.WITHDRAWAL_DEFERRED: {**_WHILE_WITHDRAWING,
                                 EventKind.MEMBERSHIP_SUSPENDED: suspend_membership,
                                 EventKind.MEMBERSHIP_LAPSED: lapse},
    Status.WITHDRAWN: {EventKind.ACCESSION: join},
    Status.LAPSED: {EventKind.ACCESSION: join},
    Status.TERMINATED: {},
}


# ------------------------------------------------------------------ every course, derived

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


def derive(dataset: Dataset, events: Iterable[Event] = (),
           conflicts: Iterable[ArmedConflict] = ()) -> Derivation:
    """Every state's status intervals in every treaty and alliance, with the checks they imply.

    `events` and `conflicts` are added to the dataset's own (a scenario's hypothetical acts),
    without touching any file: the same clauses apply to them.
    """
    dataset = dataset.with_acts(events, conflicts)
    result = Derivation()
    by_course: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in dataset.events:
        if event.date is None or not event.date.is_day:
            result.not_used.append(event)
        else:
            by_course[(event.subject, event.state)].append(event)
    successions_of = _successions(dataset)
    continued = {s.successor: s for s in dataset.successions
                 if s.kind is SuccessionKind.CONTINUATION and s.date.is_day}
    # predecessors first, so that a continuing state can carry on from where they stood
    order = sorted(by_course.keys() | {(subject, s.successor) for s in continued.values()
                                       for subject, state in by_course if state == s.predecessor},
                   key=lambda key: (key[1] in continued, key))
    courses: dict[tuple[str, str], Course] = {}
    for subject, state in order:
        events_here = sorted(by_course.get((subject, state), []),
                             key=lambda e: (e.date, _KIND_ORDER[e.kind]))
        alliance = subject in dataset.alliances
        course = Course(dataset, dataset.governing_treaty(subject), subject, state, events_here,
                        None if alliance else successions_of.get(state), result)
        continuation = continued.get(state)
        predecessor = courses.get((subject, continuation.predecessor)) if continuation else None
        if predecessor is not None:
            day = continuation.date.value
            course.run(e for e in events_here if e.date.value < day)
            _carry_on(course, predecessor, continuation)
            course.run(e for e in events_here if e.date.value >= day)
        else:
            course.run(events_here)
        if course.transitions:
            courses[(subject, state)] = course
    ended = dataset.ceased()
    for (subject, state), course in sorted(courses.items()):
        treaty = dataset.governing_treaty(subject)
        _terminate(treaty, course)
        intervals = course.intervals(cut=ended.get(state))
        result.intervals += intervals
        if subject in dataset.alliances:
            # the founding treaty's parties are the alliance's members, recorded once
            result.intervals += [
                dataclasses.replace(i, subject=treaty.slug, status=Status.PARTY
                                    if i.status is Status.MEMBER else i.status)
                for i in intervals
            ]
    result.intervals.sort(key=lambda i: (i.subject, i.state, i.since))
    result.problems += overlaps(result.intervals)
    result.problems.sort()
    return result


def _carry_on(course: Course, predecessor: Course, s: Succession) -> None:
    """A continuing state carries on the status its predecessor had on the date of continuation,
    and whatever the predecessor's clauses had already dated after it (Russia and the USSR)."""
    day = s.date.value
    standing = on_day(predecessor.intervals(), day)
    if not standing or standing[0].status in (Status.WITHDRAWN, Status.TERMINATED):
        return
    carried = tuple(e for t in predecessor.transitions if t.day <= day for e in t.events)
    course.move(day, standing[0].status, carried,
                f"continuation: {s.successor} continues the treaty status of {s.predecessor} "
                f"from {s.date}")
    course.consent, course.in_force = predecessor.consent, predecessor.in_force
    course.notice, course.suspension = predecessor.notice, predecessor.suspension
    for t in [*predecessor.transitions, *predecessor.due]:
        if t.day > day:
            course.schedule(t.day, t.status, t.events, t.clause, t.kind)


def _terminate(treaty: Treaty, course: Course) -> None:
    """At termination every open status ends; a withdrawal effective that day stands."""
    if treaty.termination is None or not treaty.termination.date.is_day:
        return
    day = treaty.termination.date.value
    if not course.transitions or min(t.day for t in course.transitions) > day:
        return
    course.transitions = [t for t in course.transitions if t.day <= day]
    standing = on_day(course.intervals(), day)
    if not standing or standing[0].status is not Status.WITHDRAWN:
        course.transitions.append(Transition(day, Status.TERMINATED, (),
                                             f"{treaty.short_name} terminated on {day}"))


def overlaps(intervals: list[Interval]) -> list[Problem]:
    """A state has one status in a subject on any day: intervals sorted by subject, state and
    start that overlap (an alliance's members recorded against a treaty with its own rows)."""
    out = []
    for a, b in pairwise(intervals):
        if (a.subject, a.state) == (b.subject, b.state) and (a.until is None or
                                                             a.until > b.since):
            out.append(Problem(Where("rules", 0), a.subject, f"{a.state}: {a.status.value} from "
                               f"{a.since} overlaps {b.status.value} from {b.since}"))
    return out
