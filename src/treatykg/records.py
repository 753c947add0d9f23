"""Typed records that flow load -> validate -> derive -> graph; no stage passes dicts.

Each record remembers where it was read (`Where`), so that any later stage can report a fault
as `data/events/cmc.csv:88: date: ...`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from treatykg.dates import Duration, PartialDate
from treatykg.sources import Policy


@dataclass(frozen=True, order=True)
class Where:
    """A place in data/: a file relative to the project root and a 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, order=True)
class Problem:
    """One fault a curator can act on: where, which field, and why."""

    where: Where
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.message}"


class StateKind(Enum):
    UN_MEMBER = "un-member"
    UN_OBSERVER = "un-observer"
    NON_MEMBER_STATE = "non-member-state"
    HISTORIC = "historic"


@dataclass(frozen=True)
class State:
    iso3: str
    name: str
    kind: StateKind
    wikidata: str | None
    sources: tuple[str, ...]  # also the sources of the aliases
    where: Where
    aliases: tuple[str, ...] = ()  # common names besides `name`: Moldova, Russia, UK


@dataclass(frozen=True)
class Alias:
    """Another name a treaty or alliance goes by ("Ottawa Convention"), and where it is used."""

    name: str
    sources: tuple[str, ...]


class SuccessionKind(Enum):
    CONTINUATION = "continuation"  # the successor continues the predecessor's personality
    SUCCESSION = "succession"  # a new state; treaty status passes only by its own notification


@dataclass(frozen=True)
class Succession:
    predecessor: str
    successor: str
    kind: SuccessionKind
    date: PartialDate
    sources: tuple[str, ...]
    note: str
    where: Where


class EifRule(Enum):
    FIRST_DAY_OF_MONTH_AFTER_DEPOSIT = "first-day-of-month-after-deposit"
    ON_DEPOSIT = "on-deposit"
    DAYS_AFTER_DEPOSIT = "days-after-deposit"
    MONTHS_AFTER_DEPOSIT = "months-after-deposit"  # "six months after the date of deposit" (CCW)


class NoticeKind(Enum):
    EXACT = "exact"  # takes effect exactly the notice period after receipt (APMBC Art. 20)
    MINIMUM = "minimum"  # at least the notice period before an intended date (CFE Art. XIX)
    AS_AGREED = "as-agreed"  # on a date agreed with the others, else after the period (TEU 50)


@dataclass(frozen=True)
class EntryIntoForceClause:
    article: str
    rule: EifRule
    months: int = 0
    days: int = 0
    sources: tuple[str, ...] = ()
    # True when the rule applies only to deposits after the treaty's entry into force ("for
    # States whose instruments are deposited subsequent to the entry into force", CWC, ATT):
    # an earlier deposit takes effect with the treaty.
    after_entry_into_force: bool = False
    note: str = ""  # how the clause was read, where the text is not plain


@dataclass(frozen=True)
class WithdrawalClause:
    article: str
    notice: Duration
    notice_kind: NoticeKind
    armed_conflict_deferral: bool
    min_years_in_force: int = 0
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ReservationsClause:
    """What a treaty says of reservations: APMBC and CMC Art. 19, none allowed."""

    article: str
    allowed: bool
    sources: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Milestone:
    """A treaty-wide dated fact: adoption, opening for signature, entry into force, termination."""

    date: PartialDate
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Treaty:
    slug: str
    name: str
    short_name: str
    wikidata: str | None
    depositary: str
    text: str
    categories: tuple[str, ...]
    opened_for_signature: Milestone | None
    entry_into_force: Milestone | None
    termination: Milestone | None
    eif_clause: EntryIntoForceClause
    withdrawal_clause: WithdrawalClause | None
    suspension_clause: str | None  # the article, or None: the text provides no suspension
    checked: str
    where: Where
    note: str = ""  # what the sources say of the treaty and of the clauses it lacks
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # key -> line in file
    aliases: tuple[Alias, ...] = ()
    reservations_clause: ReservationsClause | None = None  # None: not recorded


@dataclass(frozen=True)
class Alliance:
    slug: str
    name: str
    short_name: str
    wikidata: str | None
    founded_by: str  # the slug of the founding treaty, whose clauses govern membership
    kind: str  # "alliance" (collective defence) or "organization"
    sources: tuple[str, ...]
    checked: str
    where: Where
    note: str = ""
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # key -> line in file
    aliases: tuple[Alias, ...] = ()


class EventKind(Enum):
    SIGNATURE = "signature"
    RATIFICATION = "ratification"
    ACCESSION = "accession"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    SUCCESSION = "succession"
    ENTRY_INTO_FORCE = "entry-into-force"
    WITHDRAWAL_NOTIFICATION = "withdrawal-notification"
    WITHDRAWAL_EFFECTIVE = "withdrawal-effective"
    SUSPENSION = "suspension"
    SUSPENSION_ENDED = "suspension-ended"
    CONSENT_REVOKED = "consent-revoked"  # ratification revoked before entry into force (CTBT)
    SIGNATURE_RENOUNCED = "signature-renounced"  # a signatory will not become a party (ATT)
    FOUNDING = "founding"
    MEMBERSHIP_LAPSED = "membership-lapsed"  # a fixed term not renewed for the state, no notice
    MEMBERSHIP_SUSPENDED = "membership-suspended"  # suspended by the organization's decision


CONSENT_KINDS = frozenset(
    {
        EventKind.RATIFICATION,
        EventKind.ACCESSION,
        EventKind.ACCEPTANCE,
        EventKind.APPROVAL,
        EventKind.SUCCESSION,
    }
)
TREATY_EVENT_KINDS = frozenset(EventKind) - {EventKind.FOUNDING, EventKind.MEMBERSHIP_LAPSED,
                                             EventKind.MEMBERSHIP_SUSPENDED}
ALLIANCE_EVENT_KINDS = frozenset(
    {
        EventKind.FOUNDING,
        EventKind.ACCESSION,
        EventKind.WITHDRAWAL_NOTIFICATION,
        EventKind.WITHDRAWAL_EFFECTIVE,
        EventKind.SUSPENSION,
        EventKind.SUSPENSION_ENDED,
        EventKind.MEMBERSHIP_LAPSED,
        EventKind.MEMBERSHIP_SUSPENDED,
    }
)

# The order of event kinds within one day, everywhere: the rules apply same-day events in this
# order (the last setting the day's status: a suspension and a withdrawal notice on one day, the
# US and the INF on 2 Feb 2019, leave the withdrawal pending) and data files sort rows by it.
SAME_DAY_ORDER = (
    EventKind.SIGNATURE, EventKind.RATIFICATION, EventKind.ACCESSION, EventKind.ACCEPTANCE,
    EventKind.APPROVAL, EventKind.SUCCESSION, EventKind.FOUNDING, EventKind.ENTRY_INTO_FORCE,
    EventKind.SUSPENSION, EventKind.SUSPENSION_ENDED, EventKind.WITHDRAWAL_NOTIFICATION,
    EventKind.WITHDRAWAL_EFFECTIVE, EventKind.CONSENT_REVOKED, EventKind.SIGNATURE_RENOUNCED,
    EventKind.MEMBERSHIP_SUSPENDED, EventKind.MEMBERSHIP_LAPSED,
)


@dataclass(frozen=True)
class Event:
    """One row of an event file: a state's act (or recorded outcome) under a treaty or alliance."""

    subject: str  # treaty or alliance slug
    state: str
    kind: EventKind
    date: PartialDate | None  # None only for an unverified event whose date no source gives
    verified: bool
    depositary_ref: str
    sources: tuple[str, ...]
    checked: str
    note: str
    where: Where
    ordinal: int = 0  # its place among the state's acts of this kind here: see `key`
    hypothetical: bool = False  # a scenario's act, not the record's
    public_date: PartialDate | None = None  # when it became public record, where known
    public_basis: str = ""  # what public_date is: depositary-notification or source-published

    @property
    def public(self) -> date | None:
        """The day the act became public record: the depositary's notification, else its
        source's publication, else its own date (None when undated)."""
        if self.public_date is not None:
            return self.public_date.value
        return self.date.value if self.date else None

    @property
    def public_by(self) -> str:
        """Which of those three `public` is."""
        return self.public_basis if self.public_date is not None else "event-date"

    @property
    def key(self) -> str:
        """The event's identity, which survives a corrected date: subject, state, kind and its
        ordinal among that state's acts of that kind under that subject (by date; undated ones
        last), e.g. `apmbc/UKR/suspension/1`."""
        return f"{self.subject}/{self.state}/{self.kind.value}/{self.ordinal}"


def numbered(events: list[Event], after: Iterable[Event] = ()) -> list[Event]:
    """`events` with their ordinals (see Event.key), numbered after those of `after`: a
    scenario's acts follow the record's, whose identities never change because of them."""
    taken: dict[tuple[str, str, EventKind], int] = {}
    for event in after:
        group = (event.subject, event.state, event.kind)
        taken[group] = max(taken.get(group, 0), event.ordinal)
    order = sorted(range(len(events)), key=lambda n: (
        events[n].date is None, events[n].date.value if events[n].date else None,
        events[n].where))
    out: list[Event | None] = [None] * len(events)
    for n in order:
        event = events[n]
        group = (event.subject, event.state, event.kind)
        taken[group] = taken.get(group, 0) + 1
        out[n] = replace(event, ordinal=taken[group])
    return out


@dataclass(frozen=True)
class ArmedConflict:
    """A state engaged in an armed conflict: it defers withdrawals under APMBC/CMC Art. 20(3)."""

    state: str
    conflict: str
    start: PartialDate
    end: PartialDate | None
    verified: bool
    sources: tuple[str, ...]
    checked: str
    note: str
    where: Where
    hypothetical: bool = False  # a scenario's, not the record's


class DeclarationKind(Enum):
    RESERVATION = "reservation"
    INTERPRETIVE_DECLARATION = "interpretive-declaration"
    DECLARATION = "declaration"
    TERRITORIAL_DECLARATION = "territorial-declaration"
    PROVISIONAL_APPLICATION = "provisional-application"
    OBJECTION = "objection"
    COMMUNICATION = "communication"
    STATEMENT = "statement"
    DECISION = "decision"  # a treaty body's, recorded with the body instead of a state


class Occasion(Enum):
    """When a declaration was made: with an instrument, later, or not known."""

    SIGNATURE = "signature"
    RATIFICATION = "ratification"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    ACCESSION = "accession"
    SUCCESSION = "succession"
    LATER = "later"
    UNKNOWN = "unknown"


class Topic(Enum):
    """What a declaration is about (data/README.md, Declarations)."""

    JOINT_OPERATIONS = "joint-operations"
    TERRITORIAL_SCOPE = "territorial-scope"
    DEFINITIONS = "definitions"
    DISPUTE_SETTLEMENT = "dispute-settlement"
    PROVISIONAL_APPLICATION = "provisional-application"
    STATEHOOD = "statehood"
    SUSPENSION = "suspension"
    WITHDRAWAL = "withdrawal"
    OTHER = "other"


@dataclass(frozen=True)
class TreatyBody:
    """A treaty's own body, e.g. the Meeting of the States Parties: it makes decisions."""

    slug: str
    name: str
    treaty: str
    sources: tuple[str, ...]
    where: Where


@dataclass(frozen=True)
class Declaration:
    """A declaration, reservation, objection or other statement under a treaty: by a state,
    or a decision of a treaty body, dated where a source dates it."""

    id: str
    treaty: str
    state: str  # "" for a treaty body's decision
    body: str  # "" unless a treaty body's decision
    kind: DeclarationKind
    made_at: Occasion
    date: PartialDate | None
    articles: tuple[str, ...]
    topic: Topic
    responds_to: str  # "", `event:<Event.key>` or `declaration:<id>`
    summary: str  # in the project's own words
    language: str  # of the original, ISO 639-1, where known
    depositary_kind: str  # what the depositary's record calls it, where read
    depositary_ref: str
    sources: tuple[str, ...]
    verified: bool
    checked: str
    note: str
    where: Where


@dataclass(frozen=True)
class Scenario:
    """A what-if: hypothetical acts and armed conflicts, read from a YAML file, derived through
    the same clauses as the record and never written into data/ or build/."""

    name: str
    events: tuple[Event, ...]
    conflicts: tuple[ArmedConflict, ...]
    where: Where  # the file


class PartiesCounted(Enum):
    """What a page's "parties" total counts."""

    CONSENTED = "consented"  # every state that consented, as UNTC headers and "Nth State Party"
    IN_FORCE = "in-force"  # only the states for which the treaty is in force


class SignatoriesCounted(Enum):
    """What a page's "signatories" total counts."""

    SIGNED_ONLY = "signed-only"  # signed and not (yet) consented
    ALL_SIGNERS = "all-signers"  # every state that signed, consented since or not


@dataclass(frozen=True)
class StatusPage:
    """One row of status_pages.csv: the totals a depositary or treaty body states on a day,
    which the truth report compares with the graph's."""

    subject: str  # treaty slug
    as_of: date
    parties: int | None
    parties_are: PartiesCounted | None
    signatories: int | None
    signatories_are: SignatoriesCounted | None
    sources: tuple[str, ...]
    checked: str
    note: str
    explained_difference: int  # derived - stated, when the note explains the difference
    where: Where
    declarants: int | None = None  # participants the page lists with declarations


@dataclass
class Dataset:
    """Everything data/ holds, as typed records keyed by their stable identifiers."""

    states: dict[str, State] = field(default_factory=dict)
    successions: list[Succession] = field(default_factory=list)
    treaties: dict[str, Treaty] = field(default_factory=dict)
    alliances: dict[str, Alliance] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    conflicts: list[ArmedConflict] = field(default_factory=list)
    status_pages: list[StatusPage] = field(default_factory=list)  # read by the truth report
    policy: Policy | None = None  # data/source_policy.yaml
    bodies: dict[str, TreatyBody] = field(default_factory=dict)
    declarations: list[Declaration] = field(default_factory=list)

    def sourced(self) -> Iterator[tuple[Where, tuple[str, ...]]]:
        """Every fact's sources, with where the fact is written."""
        for record in (*self.states.values(), *self.successions, *self.conflicts, *self.events,
                       *self.status_pages, *self.bodies.values(), *self.declarations):
            yield record.where, record.sources
        for treaty in self.treaties.values():
            for key in ("opened_for_signature", "entry_into_force", "termination"):
                milestone = getattr(treaty, key)
                if milestone is not None:
                    yield self.at(treaty, key), milestone.sources
            clauses = [treaty.eif_clause, treaty.withdrawal_clause, treaty.reservations_clause]
            for clause in (c for c in clauses if c is not None):
                yield self.at(treaty, "clauses"), clause.sources
        for alliance in self.alliances.values():
            yield self.at(alliance, "sources"), alliance.sources
        for record in (*self.treaties.values(), *self.alliances.values()):
            for alias in record.aliases:
                yield self.at(record, "aliases"), alias.sources

    def ceased(self) -> dict:
        """Each historic state's end: the last of its successions (Yugoslavia: 27 April 1992,
        when the Federal Republic took its place, not Slovenia's independence in 1991)."""
        out: dict = {}
        for s in self.successions:
            state = self.states.get(s.predecessor)
            if state is not None and state.kind is StateKind.HISTORIC:
                out[s.predecessor] = max(out.get(s.predecessor, s.date.value), s.date.value)
        return out

    def governing_treaty(self, slug: str) -> Treaty | None:
        """The treaty whose clauses govern `slug`: the treaty itself, or an alliance's founder."""
        if slug in self.treaties:
            return self.treaties[slug]
        alliance = self.alliances.get(slug)
        return self.treaties.get(alliance.founded_by) if alliance else None

    def family_of(self, subject: str) -> str:
        """The treaty family `subject` belongs to: a treaty's own, an alliance's founder's."""
        return subject if subject in self.treaties else self.alliances[subject].founded_by

    def with_acts(self, events: Iterable[Event] = (), conflicts: Iterable[ArmedConflict] = (),
                  dropped: Iterable[Event] = ()) -> Dataset:
        """The dataset with extra events and armed conflicts (a scenario's), less `dropped`
        events (by identity): files untouched."""
        gone = {id(e) for e in dropped}
        return replace(self, events=[*(e for e in self.events if id(e) not in gone), *events],
                       conflicts=[*self.conflicts, *conflicts])

    def families(self) -> dict[str, Dataset]:
        """The data split by treaty family: a treaty with the alliances it founds, their events,
        and the states, successions and conflicts every family reads. Families derive and emit
        independently (an alliance's members are its founding treaty's parties)."""
        out = {slug: Dataset(self.states, self.successions, {slug: treaty}, {}, [],
                             self.conflicts) for slug, treaty in sorted(self.treaties.items())}
        for slug, alliance in sorted(self.alliances.items()):
            out[alliance.founded_by].alliances[slug] = alliance
        for event in self.events:
            out[self.family_of(event.subject)].events.append(event)
        return out

    def at(self, record: Treaty | Alliance, key: str) -> Where:
        """Where a treaty's or alliance's key is, for a message about it."""
        return Where(record.where.file, record.lines.get(key, record.where.line))

    def subject_name(self, slug: str) -> str:
        if slug in self.treaties:
            return self.treaties[slug].name
        return self.alliances[slug].name
