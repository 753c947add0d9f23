"""Emit RDF: data and derived intervals as one graph, every node with a stable IRI.

No blank nodes are minted for data, so the same data gives the same N-Triples, byte for byte
(`write_ntriples` sorts lines). Every event and interval links to its sources (PROV-O).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import PROV

from treatykg.dates import PartialDate, Precision
from treatykg.records import (
    Alliance,
    ArmedConflict,
    Dataset,
    Event,
    EventKind,
    Milestone,
    NoticeKind,
    StateKind,
    Succession,
    Treaty,
)
from treatykg.rules import Derivation, Interval, Status
from treatykg.vocab import ORG, TKG, WD, resource

_EVENT_CLASS = {
    EventKind.SIGNATURE: TKG.Signature,
    EventKind.RATIFICATION: TKG.Ratification,
    EventKind.ACCESSION: TKG.Accession,
    EventKind.ACCEPTANCE: TKG.Acceptance,
    EventKind.APPROVAL: TKG.Approval,
    EventKind.SUCCESSION: TKG.Succession,
    EventKind.ENTRY_INTO_FORCE: TKG.EntryIntoForceForState,
    EventKind.WITHDRAWAL_NOTIFICATION: TKG.WithdrawalNotification,
    EventKind.WITHDRAWAL_EFFECTIVE: TKG.WithdrawalTakesEffect,
    EventKind.SUSPENSION: TKG.Suspension,
    EventKind.SUSPENSION_ENDED: TKG.SuspensionEnded,
    EventKind.CONSENT_REVOKED: TKG.ConsentRevocation,
    EventKind.SIGNATURE_RENOUNCED: TKG.SignatureRenunciation,
    EventKind.MEMBERSHIP_LAPSED: TKG.MembershipLapse,
    EventKind.MEMBERSHIP_SUSPENDED: TKG.MembershipSuspension,
    EventKind.FOUNDING: TKG.FoundingMembership,
}
STATUS_TERM = {
    Status.SIGNATORY: TKG.Signatory,
    Status.CONSENTED: TKG.Consented,
    Status.PARTY: TKG.Party,
    Status.SUSPENDED: TKG.Suspended,
    Status.WITHDRAWAL_PENDING: TKG.WithdrawalPending,
    Status.WITHDRAWAL_DEFERRED: TKG.WithdrawalDeferred,
    Status.WITHDRAWN: TKG.Withdrawn,
    Status.TERMINATED: TKG.Terminated,
    Status.MEMBER: TKG.Member,
    Status.RENOUNCED: TKG.SignatureRenounced,
    Status.LAPSED: TKG.Lapsed,
    Status.MEMBERSHIP_SUSPENDED: TKG.MembershipSuspended,
}
_PRECISION = {
    Precision.DAY: (TKG.DayPrecision, XSD.date),
    Precision.MONTH: (TKG.MonthPrecision, XSD.gYearMonth),
    Precision.YEAR: (TKG.YearPrecision, XSD.gYear),
}


def subject_iri(dataset: Dataset, slug: str) -> URIRef:
    return resource("treaty" if slug in dataset.treaties else "alliance", slug)


def event_iri(event: Event) -> URIRef:
    return resource("event", event.subject, event.state, event.kind.value,
                    str(event.date) if event.date else "undated")


def interval_iri(interval: Interval) -> URIRef:
    return resource("interval", interval.subject, interval.state, interval.start.isoformat())


def date_literal(day: PartialDate) -> Literal:
    return Literal(str(day), datatype=_PRECISION[day.precision][1])


def emit(dataset: Dataset, derivation: Derivation) -> Graph:
    """The data graph: states, treaties, alliances, events, conflicts, successions, intervals."""
    g = Graph()
    sources: set[str] = set()

    def cite(node: URIRef, urls: Iterable[str]) -> None:
        for url in urls:
            g.add((node, PROV.hadPrimarySource, URIRef(url)))
            sources.add(url)

    for state in dataset.states.values():
        node = resource("state", state.iso3)
        g.add((node, RDF.type, TKG.State))
        if state.kind is StateKind.HISTORIC:
            g.add((node, RDF.type, TKG.HistoricState))
        g.add((node, RDFS.label, Literal(state.name, lang="en")))
        g.add((node, TKG.code, Literal(state.iso3)))
        g.add((node, TKG.stateKind, Literal(state.kind.value)))
        if state.wikidata:
            g.add((node, TKG.wikidata, WD[state.wikidata]))
        cite(node, state.sources)

    for treaty in dataset.treaties.values():
        _treaty(g, treaty, cite)
    for alliance in dataset.alliances.values():
        _alliance(g, alliance, cite)
    for event in dataset.events:
        _event(g, dataset, event, cite)
    for conflict in dataset.conflicts:
        _conflict(g, conflict, cite)
    for succession in dataset.successions:
        _succession(g, succession, cite)
    for interval in derivation.intervals:
        _interval(g, dataset, interval)
    for url in sources:
        g.add((URIRef(url), RDF.type, TKG.Source))
    return g


def _milestone(g: Graph, treaty: Treaty, kind: str, cls: URIRef, milestone: Milestone | None,
               cite) -> None:
    if milestone is None:
        return
    node = resource("event", treaty.slug, kind)
    g.add((node, RDF.type, cls))
    g.add((node, TKG.treaty, resource("treaty", treaty.slug)))
    g.add((node, TKG.date, date_literal(milestone.date)))
    g.add((node, TKG.datePrecision, _PRECISION[milestone.date.precision][0]))
    g.add((node, TKG.verified, Literal(True)))
    g.add((node, RDFS.label, Literal(f"{treaty.short_name} {kind.replace('-', ' ')}", lang="en")))
    if milestone.note:
        g.add((node, RDFS.comment, Literal(milestone.note, lang="en")))
    cite(node, milestone.sources)


def _treaty(g: Graph, treaty: Treaty, cite) -> None:
    node = resource("treaty", treaty.slug)
    g.add((node, RDF.type, TKG.Treaty))
    g.add((node, RDFS.label, Literal(treaty.name, lang="en")))
    g.add((node, SKOS.altLabel, Literal(treaty.short_name, lang="en")))
    g.add((node, TKG.code, Literal(treaty.slug)))
    g.add((node, TKG.depositary, Literal(treaty.depositary)))
    g.add((node, TKG.officialText, URIRef(treaty.text)))
    g.add((node, TKG.lastChecked, Literal(treaty.checked, datatype=XSD.date)))
    if treaty.wikidata:
        g.add((node, TKG.wikidata, WD[treaty.wikidata]))
    for category in treaty.categories:
        g.add((node, TKG.category, Literal(category)))
    if treaty.suspension_clause:
        g.add((node, TKG.suspensionClause, Literal(treaty.suspension_clause)))
    _milestone(g, treaty, "opening-for-signature", TKG.OpeningForSignature,
               treaty.opened_for_signature, cite)
    _milestone(g, treaty, "entry-into-force", TKG.TreatyEntryIntoForce, treaty.entry_into_force,
               cite)
    _milestone(g, treaty, "termination", TKG.Termination, treaty.termination, cite)

    eif = treaty.eif_clause
    clause = resource("clause", treaty.slug, "entry-into-force")
    g.add((node, TKG.hasClause, clause))
    g.add((clause, RDF.type, TKG.EntryIntoForceClause))
    g.add((clause, RDFS.label, Literal(f"{treaty.short_name} Art. {eif.article}", lang="en")))
    g.add((clause, TKG.article, Literal(eif.article)))
    rule = {"first-day-of-month-after-deposit": TKG.FirstDayOfMonthAfterDeposit,
            "on-deposit": TKG.OnDeposit, "days-after-deposit": TKG.DaysAfterDeposit,
            "months-after-deposit": TKG.MonthsAfterDeposit}[eif.rule.value]
    g.add((clause, TKG.entryIntoForceRule, rule))
    if eif.months:
        g.add((clause, TKG.monthsAfterDeposit, Literal(eif.months)))
    if eif.days:
        g.add((clause, TKG.daysAfterDeposit, Literal(eif.days)))
    g.add((clause, TKG.afterEntryIntoForce, Literal(eif.after_entry_into_force)))
    cite(clause, eif.sources)

    w = treaty.withdrawal_clause
    if w is not None:
        clause = resource("clause", treaty.slug, "withdrawal")
        g.add((node, TKG.hasClause, clause))
        g.add((clause, RDF.type, TKG.WithdrawalClause))
        g.add((clause, RDFS.label, Literal(f"{treaty.short_name} Art. {w.article}", lang="en")))
        g.add((clause, TKG.article, Literal(w.article)))
        g.add((clause, TKG.noticePeriod, Literal(str(w.notice), datatype=XSD.duration)))
        kind = {NoticeKind.EXACT: TKG.ExactNotice, NoticeKind.MINIMUM: TKG.MinimumNotice,
                NoticeKind.AS_AGREED: TKG.AgreedNotice}[w.notice_kind]
        g.add((clause, TKG.noticeKind, kind))
        g.add((clause, TKG.deferredDuringArmedConflict, Literal(w.armed_conflict_deferral)))
        if w.min_years_in_force:
            g.add((clause, TKG.minimumYearsInForce, Literal(w.min_years_in_force)))
        cite(clause, w.sources)


def _alliance(g: Graph, alliance: Alliance, cite) -> None:
    node = resource("alliance", alliance.slug)
    g.add((node, RDF.type, TKG.Alliance if alliance.kind == "alliance"
           else TKG.InternationalOrganization))
    g.add((node, RDFS.label, Literal(alliance.name, lang="en")))
    g.add((node, SKOS.altLabel, Literal(alliance.short_name, lang="en")))
    g.add((node, TKG.code, Literal(alliance.slug)))
    g.add((node, TKG.foundedBy, resource("treaty", alliance.founded_by)))
    g.add((node, TKG.lastChecked, Literal(alliance.checked, datatype=XSD.date)))
    if alliance.wikidata:
        g.add((node, TKG.wikidata, WD[alliance.wikidata]))
    cite(node, alliance.sources)


def _event(g: Graph, dataset: Dataset, event: Event, cite) -> None:
    node = event_iri(event)
    in_alliance = event.subject in dataset.alliances
    cls = TKG.AllianceAccession if (in_alliance and event.kind is EventKind.ACCESSION) else (
        _EVENT_CLASS[event.kind])
    g.add((node, RDF.type, cls))
    g.add((node, TKG.state, resource("state", event.state)))
    g.add((node, TKG.organization if in_alliance else TKG.treaty,
           subject_iri(dataset, event.subject)))
    if event.date is not None:
        g.add((node, TKG.date, date_literal(event.date)))
        g.add((node, TKG.datePrecision, _PRECISION[event.date.precision][0]))
    g.add((node, TKG.verified, Literal(event.verified)))
    g.add((node, TKG.lastChecked, Literal(event.checked, datatype=XSD.date)))
    g.add((node, RDFS.label, Literal(
        f"{event.kind.value} of {event.state} ({event.subject}), {event.date or 'undated'}",
        lang="en")))
    if event.depositary_ref:
        g.add((node, TKG.depositaryReference, Literal(event.depositary_ref)))
    if event.note:
        g.add((node, RDFS.comment, Literal(event.note, lang="en")))
    cite(node, event.sources)


def _conflict(g: Graph, conflict: ArmedConflict, cite) -> None:
    node = resource("conflict", conflict.state, str(conflict.start))
    g.add((node, RDF.type, TKG.ArmedConflictEngagement))
    g.add((node, TKG.state, resource("state", conflict.state)))
    g.add((node, RDFS.label, Literal(conflict.conflict, lang="en")))
    g.add((node, TKG.since, date_literal(conflict.start)))
    if conflict.end is not None:
        g.add((node, TKG.until, date_literal(conflict.end)))
    g.add((node, TKG.verified, Literal(conflict.verified)))
    g.add((node, TKG.lastChecked, Literal(conflict.checked, datatype=XSD.date)))
    if conflict.note:
        g.add((node, RDFS.comment, Literal(conflict.note, lang="en")))
    cite(node, conflict.sources)


def _succession(g: Graph, s: Succession, cite) -> None:
    node = resource("succession", s.predecessor, s.successor)
    g.add((node, RDF.type, TKG.StateSuccession))
    g.add((node, TKG.predecessor, resource("state", s.predecessor)))
    g.add((node, TKG.successor, resource("state", s.successor)))
    g.add((node, TKG.successionKind, Literal(s.kind.value)))
    g.add((node, TKG.since, date_literal(s.date)))
    if s.note:
        g.add((node, RDFS.comment, Literal(s.note, lang="en")))
    cite(node, s.sources)


def _interval(g: Graph, dataset: Dataset, interval: Interval) -> None:
    node = interval_iri(interval)
    subject = subject_iri(dataset, interval.subject)
    state = resource("state", interval.state)
    g.add((node, RDF.type, TKG.StatusInterval))
    g.add((node, TKG.state, state))
    g.add((node, TKG.subject, subject))
    g.add((node, TKG.status, STATUS_TERM[interval.status]))
    g.add((node, TKG.since, Literal(interval.start.isoformat(), datatype=XSD.date)))
    if interval.end is not None:
        g.add((node, TKG.until, Literal(interval.end.isoformat(), datatype=XSD.date)))
    g.add((node, TKG.bound, Literal(interval.bound)))
    g.add((node, TKG.rule, Literal(interval.clause)))
    for event in interval.events:
        g.add((node, PROV.wasDerivedFrom, event_iri(event)))
    treaty = dataset.governing_treaty(interval.subject)
    if interval.status is Status.TERMINATED:
        g.add((node, PROV.wasDerivedFrom, resource("event", treaty.slug, "termination")))
    if interval.clause_kind == "entry-into-force" or (
            interval.clause_kind == "withdrawal" and treaty.withdrawal_clause is not None):
        g.add((node, TKG.appliedClause, resource("clause", treaty.slug, interval.clause_kind)))
    if interval.status is Status.MEMBER:
        g.add((node, RDF.type, ORG.Membership))
        g.add((node, ORG.member, state))
        g.add((node, ORG.organization, subject))


def ontology_graph(path: Path) -> Graph:
    """The ontology with its blank nodes labelled canonically, so its triples sort stably."""
    g = Graph()
    g.parse(path, format="turtle")
    return to_canonical_graph(g)


def ntriples(graph: Graph) -> str:
    """N-Triples with sorted lines: the same graph gives the same bytes."""
    text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"
