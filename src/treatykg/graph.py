"""Emit RDF as text: data and derived intervals as N-Triples and Turtle, every node a stable IRI.

The graph is written directly as N-Triples terms, never through an in-memory RDF graph: at
100x the real data (millions of triples) an rdflib Graph costs more than everything else in a
build together (bench/RESULTS.md). A node is its subject and its (predicate, object) pairs, each
term already in N-Triples form; `ntriples` and `turtle` render nodes, and `treatykg.shapes`
checks them. No blank nodes are minted for data, and nodes come out in data order, so the same
data gives the same bytes.

The graph is emitted in fragments that share no subject, so one can be replaced alone: the
ontology, the `common` fragment (states, armed conflicts, successions), one per treaty family
(a treaty with the alliances it founds, their events and derived intervals) and the sources.

>>> print(ntriples([node(resource_name("state", "LTU"), [(CODE, text("LTU"))])]), end="")
<https://w3id.org/treatykg/id/state/LTU> <https://w3id.org/treatykg/ontology#code> "LTU" .
>>> text('say "no"\\n')
'"say \\\\"no\\\\"\\\\n"'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import pyoxigraph
from rdflib import RDF, RDFS, SKOS, XSD, Graph
from rdflib.namespace import DCTERMS, OWL, PROV

from treatykg.dates import PartialDate, Precision
from treatykg.records import (
    Alliance,
    ArmedConflict,
    Dataset,
    Declaration,
    DeclarationKind,
    Event,
    EventKind,
    Milestone,
    NoticeKind,
    Occasion,
    StateKind,
    Succession,
    Topic,
    Treaty,
)
from treatykg.rules import Derivation, Interval, Status
from treatykg.vocab import EVENT_CLASSES, ID, ORG, TKG, WD, resource_name

Pairs = list[tuple[str, str]]
Node = tuple[str, Pairs]  # subject and its (predicate, object) pairs, in N-Triples form


def iri(value: str) -> str:
    return f"<{value}>"


def text(value: str, lang: str | None = None) -> str:
    """A string literal; only the four characters N-Triples forbids raw are escaped."""
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                 .replace("\r", "\\r"))
    return f'"{value}"@{lang}' if lang else f'"{value}"'


def typed(lexical: str, datatype: str) -> str:
    return f'"{lexical}"^^<{datatype}>'


def node(subject: str, pairs: Pairs) -> Node:
    return iri(subject), pairs


TYPE, LABEL, COMMENT = iri(RDF.type), iri(RDFS.label), iri(RDFS.comment)
ALT_LABEL, SOURCE = iri(SKOS.altLabel), iri(PROV.hadPrimarySource)
ALIAS = iri(SKOS.hiddenLabel)  # a name to find a thing by, not to show it by (treatykg.names)
DERIVED_FROM = iri(PROV.wasDerivedFrom)
CODE, DATE, PRECISION, VERIFIED = iri(TKG.code), iri(TKG.date), iri(TKG.datePrecision), iri(
    TKG.verified)
CHECKED, STATE, TREATY, SINCE, UNTIL = (iri(TKG.lastChecked), iri(TKG.state), iri(TKG.treaty),
                                        iri(TKG.since), iri(TKG.until))
TRUE, FALSE = typed("true", XSD.boolean), typed("false", XSD.boolean)
_BOOL = {True: TRUE, False: FALSE}

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
_EIF_RULE = {"first-day-of-month-after-deposit": TKG.FirstDayOfMonthAfterDeposit,
             "on-deposit": TKG.OnDeposit, "days-after-deposit": TKG.DaysAfterDeposit,
             "months-after-deposit": TKG.MonthsAfterDeposit}
_NOTICE_KIND = {NoticeKind.EXACT: TKG.ExactNotice, NoticeKind.MINIMUM: TKG.MinimumNotice,
                NoticeKind.AS_AGREED: TKG.AgreedNotice}
_ID = str(ID)
_XSD_DATE = str(XSD.date)


def subject_iri(dataset: Dataset, slug: str) -> str:
    """A treaty's IRI, or an organization's under its kind: `alliance/nato`, `organization/eu`."""
    if slug in dataset.treaties:
        return resource_name("treaty", slug)
    return resource_name(dataset.alliances[slug].kind, slug)


def event_iri(event: Event) -> str:
    """An event's IRI names its identity (`Event.key`), which a corrected date does not change:
    `event/cmc/LTU/withdrawal-notification/1`."""
    return resource_name("event", *event.key.split("/"))


def interval_iri(interval: Interval) -> str:
    return resource_name("interval", interval.subject, interval.state, interval.since.isoformat())


def date_literal(day: PartialDate) -> str:
    return typed(str(day), _PRECISION[day.precision][1])


def _dated(pairs: Pairs, day: PartialDate) -> None:
    pairs.append((DATE, date_literal(day)))
    pairs.append((PRECISION, iri(_PRECISION[day.precision][0])))


class Emitter:
    """Collects one fragment's nodes, and the sources they cite."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.sources: set[str] = set()

    def add(self, subject: str, pairs: Pairs, sources: Iterable[str] = ()) -> None:
        for url in dict.fromkeys(sources):
            pairs.append((SOURCE, iri(url)))
            self.sources.add(url)
        self.nodes.append(node(subject, pairs))


def common(dataset: Dataset) -> Emitter:
    """States, armed conflicts and successions: what every family's derivation reads."""
    out = Emitter()
    for state in dataset.states.values():
        pairs = [(TYPE, iri(TKG.State))]
        if state.kind is StateKind.HISTORIC:
            pairs.append((TYPE, iri(TKG.HistoricState)))
        pairs += [(LABEL, text(state.name, "en")),
                  *((ALIAS, text(alias, "en")) for alias in state.aliases),
                  (CODE, text(state.iso3)), (iri(TKG.stateKind), text(state.kind.value))]
        if state.wikidata:
            pairs.append((iri(TKG.wikidata), iri(WD[state.wikidata])))
        out.add(resource_name("state", state.iso3), pairs, state.sources)
    for conflict in dataset.conflicts:
        _conflict(out, conflict)
    for succession in dataset.successions:
        _succession(out, succession)
    return out


def family(dataset: Dataset, derivation: Derivation) -> Emitter:
    """A treaty family: its treaties and alliances, their events and their derived intervals."""
    out = Emitter()
    for treaty in dataset.treaties.values():
        _treaty(out, treaty)
    for alliance in dataset.alliances.values():
        _alliance(out, alliance)
    for event in dataset.events:
        _event(out, dataset, event)
    for interval in derivation.intervals:
        _interval(out, dataset, interval)
    return out


def declarations(dataset: Dataset) -> Emitter:
    """Treaty bodies and every declaration, reservation, objection and statement: a fragment of
    their own, since a declaration names its treaty, state and what it answers only by IRI."""
    out = Emitter()
    for body in dataset.bodies.values():
        out.add(resource_name("body", body.slug),
                [(TYPE, iri(TKG.TreatyBody)), (LABEL, text(body.name, "en")),
                 (CODE, text(body.slug)),
                 (iri(TKG.bodyOf), iri(resource_name("treaty", body.treaty)))], body.sources)
    for d in dataset.declarations:
        _declaration(out, d)
    return out


_KIND_TERM = {kind: iri(TKG[name]) for kind, name in (
    (DeclarationKind.RESERVATION, "Reservation"),
    (DeclarationKind.INTERPRETIVE_DECLARATION, "InterpretiveDeclaration"),
    (DeclarationKind.DECLARATION, "GeneralDeclaration"),
    (DeclarationKind.TERRITORIAL_DECLARATION, "TerritorialDeclaration"),
    (DeclarationKind.PROVISIONAL_APPLICATION, "ProvisionalApplication"),
    (DeclarationKind.OBJECTION, "Objection"), (DeclarationKind.COMMUNICATION, "Communication"),
    (DeclarationKind.STATEMENT, "Statement"), (DeclarationKind.DECISION, "Decision"))}
_OCCASION_TERM = {occasion: iri(TKG[name]) for occasion, name in (
    (Occasion.SIGNATURE, "OnSignature"), (Occasion.RATIFICATION, "OnRatification"),
    (Occasion.ACCEPTANCE, "OnAcceptance"), (Occasion.APPROVAL, "OnApproval"),
    (Occasion.ACCESSION, "OnAccession"), (Occasion.SUCCESSION, "OnSuccession"),
    (Occasion.LATER, "Later"), (Occasion.UNKNOWN, "OccasionUnknown"))}
_TOPIC_TERM = {topic: iri(TKG["".join(w.title() for w in topic.value.split("-")) + "Topic"])
               for topic in Topic}
_ATTRIBUTED = iri(PROV.wasAttributedTo)


def _declaration(out: Emitter, d: Declaration) -> None:
    author = resource_name("state", d.state) if d.state else resource_name("body", d.body)
    pairs = [(TYPE, iri(TKG.Declaration)), (iri(TKG.declarationKind), _KIND_TERM[d.kind]),
             (TREATY, iri(resource_name("treaty", d.treaty))), (_ATTRIBUTED, iri(author))]
    if d.state:
        pairs.append((STATE, iri(resource_name("state", d.state))))
    pairs.append((iri(TKG.madeAt), _OCCASION_TERM[d.made_at]))
    if d.date is not None:
        _dated(pairs, d.date)
    pairs += [(iri(TKG.concernsArticle), text(article)) for article in d.articles]
    pairs.append((iri(TKG.topic), _TOPIC_TERM[d.topic]))
    kind, _, key = d.responds_to.partition(":")
    if kind:
        pairs.append((iri(TKG.respondsTo), iri(resource_name(kind, *key.split("/")))))
    pairs += [(LABEL, text(f"{d.kind.value} of {d.state or d.body} ({d.treaty})", "en")),
              (_DESCRIPTION, text(d.summary, "en"))]
    if d.language:
        pairs.append((_LANGUAGE, text(d.language)))
    if d.depositary_kind:
        pairs.append((iri(TKG.depositaryKind), text(d.depositary_kind)))
    if d.depositary_ref:
        pairs.append((_DEPOSITARY_REF, text(d.depositary_ref)))
    pairs += [(VERIFIED, _BOOL[d.verified]), (CHECKED, typed(d.checked, XSD.date))]
    if d.note:
        pairs.append((COMMENT, text(d.note, "en")))
    out.add(resource_name("declaration", d.id), pairs, d.sources)


def sources(urls: Iterable[str]) -> list[Node]:
    """Every cited source typed once, in its own fragment so that families share no subject."""
    source = iri(TKG.Source)
    return [node(url, [(TYPE, source)]) for url in sorted(urls)]


def _milestone(out: Emitter, treaty: Treaty, kind: str, cls: str,
               milestone: Milestone | None) -> None:
    if milestone is None:
        return
    pairs = [(TYPE, iri(cls)), (TREATY, iri(resource_name("treaty", treaty.slug)))]
    _dated(pairs, milestone.date)
    pairs += [(VERIFIED, TRUE),
              (LABEL, text(f"{treaty.short_name} {kind.replace('-', ' ')}", "en"))]
    if milestone.note:
        pairs.append((COMMENT, text(milestone.note, "en")))
    out.add(resource_name("event", treaty.slug, kind), pairs, milestone.sources)


def _treaty(out: Emitter, treaty: Treaty) -> None:
    subject = resource_name("treaty", treaty.slug)
    eif_clause = resource_name("clause", treaty.slug, "entry-into-force")
    withdrawal_clause = resource_name("clause", treaty.slug, "withdrawal")
    pairs = [(TYPE, iri(TKG.Treaty)), (LABEL, text(treaty.name, "en")),
             (ALT_LABEL, text(treaty.short_name, "en")),
             *((ALIAS, text(alias.name, "en")) for alias in treaty.aliases),
             (CODE, text(treaty.slug)),
             (iri(TKG.depositary), text(treaty.depositary)),
             (iri(TKG.officialText), iri(treaty.text)),
             (CHECKED, typed(treaty.checked, XSD.date))]
    if treaty.wikidata:
        pairs.append((iri(TKG.wikidata), iri(WD[treaty.wikidata])))
    pairs += [(iri(TKG.category), text(category)) for category in treaty.categories]
    if treaty.suspension_clause:
        pairs.append((iri(TKG.suspensionClause), text(treaty.suspension_clause)))
    pairs.append((iri(TKG.hasClause), iri(eif_clause)))
    if treaty.reservations_clause is not None:
        pairs.append((iri(TKG.hasClause),
                      iri(resource_name("clause", treaty.slug, "reservations"))))
    if treaty.withdrawal_clause is not None:
        pairs.append((iri(TKG.hasClause), iri(withdrawal_clause)))
    if treaty.note:
        pairs.append((COMMENT, text(treaty.note, "en")))
    out.add(subject, pairs)
    _milestone(out, treaty, "opening-for-signature", TKG.OpeningForSignature,
               treaty.opened_for_signature)
    _milestone(out, treaty, "entry-into-force", TKG.TreatyEntryIntoForce,
               treaty.entry_into_force)
    _milestone(out, treaty, "termination", TKG.Termination, treaty.termination)

    eif = treaty.eif_clause
    pairs = [(TYPE, iri(TKG.EntryIntoForceClause)),
             (LABEL, text(f"{treaty.short_name} Art. {eif.article}", "en")),
             (iri(TKG.article), text(eif.article)),
             (iri(TKG.entryIntoForceRule), iri(_EIF_RULE[eif.rule.value]))]
    if eif.months:
        pairs.append((iri(TKG.monthsAfterDeposit), typed(str(eif.months), XSD.integer)))
    if eif.days:
        pairs.append((iri(TKG.daysAfterDeposit), typed(str(eif.days), XSD.integer)))
    pairs.append((iri(TKG.afterEntryIntoForce), _BOOL[eif.after_entry_into_force]))
    if eif.note:
        pairs.append((COMMENT, text(eif.note, "en")))
    out.add(eif_clause, pairs, eif.sources)

    w = treaty.withdrawal_clause
    if w is not None:
        pairs = [(TYPE, iri(TKG.WithdrawalClause)),
                 (LABEL, text(f"{treaty.short_name} Art. {w.article}", "en")),
                 (iri(TKG.article), text(w.article)),
                 (iri(TKG.noticePeriod), typed(str(w.notice), XSD.duration)),
                 (iri(TKG.noticeKind), iri(_NOTICE_KIND[w.notice_kind])),
                 (iri(TKG.deferredDuringArmedConflict), _BOOL[w.armed_conflict_deferral])]
        if w.min_years_in_force:
            pairs.append((iri(TKG.minimumYearsInForce),
                          typed(str(w.min_years_in_force), XSD.integer)))
        if w.note:
            pairs.append((COMMENT, text(w.note, "en")))
        out.add(withdrawal_clause, pairs, w.sources)

    r = treaty.reservations_clause
    if r is not None:
        pairs = [(TYPE, iri(TKG.ReservationsClause)),
                 (LABEL, text(f"{treaty.short_name} Art. {r.article}", "en")),
                 (iri(TKG.article), text(r.article)),
                 (iri(TKG.reservationsAllowed), _BOOL[r.allowed])]
        if r.note:
            pairs.append((COMMENT, text(r.note, "en")))
        out.add(resource_name("clause", treaty.slug, "reservations"), pairs, r.sources)


def _alliance(out: Emitter, alliance: Alliance) -> None:
    pairs = [(TYPE, iri(TKG.Alliance if alliance.kind == "alliance"
                        else TKG.InternationalOrganization)),
             (LABEL, text(alliance.name, "en")), (ALT_LABEL, text(alliance.short_name, "en")),
             *((ALIAS, text(alias.name, "en")) for alias in alliance.aliases),
             (CODE, text(alliance.slug)),
             (iri(TKG.foundedBy), iri(resource_name("treaty", alliance.founded_by))),
             (CHECKED, typed(alliance.checked, XSD.date))]
    if alliance.wikidata:
        pairs.append((iri(TKG.wikidata), iri(WD[alliance.wikidata])))
    if alliance.note:
        pairs.append((COMMENT, text(alliance.note, "en")))
    out.add(resource_name(alliance.kind, alliance.slug), pairs, alliance.sources)


_ALLIANCE_ACCESSION = iri(TKG.AllianceAccession)
_EVENT_TYPE = {kind: iri(EVENT_CLASSES[kind.value]) for kind in EventKind}
_ORGANIZATION = iri(TKG.organization)
_DESCRIPTION, _LANGUAGE = iri(DCTERMS.description), iri(DCTERMS.language)
_HYPOTHETICAL = iri(TKG.hypothetical)
_DEPOSITARY_REF = iri(TKG.depositaryReference)


def _event(out: Emitter, dataset: Dataset, event: Event) -> None:
    in_alliance = event.subject in dataset.alliances
    cls = _ALLIANCE_ACCESSION if (in_alliance and event.kind is EventKind.ACCESSION) else (
        _EVENT_TYPE[event.kind])
    pairs = [(TYPE, cls), (STATE, iri(resource_name("state", event.state))),
             (_ORGANIZATION if in_alliance else TREATY,
              iri(subject_iri(dataset, event.subject)))]
    if event.date is not None:
        _dated(pairs, event.date)
    pairs.append((VERIFIED, _BOOL[event.verified]))
    if event.checked:  # a scenario's hypothetical act may have none
        pairs.append((CHECKED, typed(event.checked, XSD.date)))
    label = (f"{'hypothetical ' if event.hypothetical else ''}{event.kind.value} of "
             f"{event.state} ({event.subject}), {event.date or 'undated'}")
    pairs.append((LABEL, text(label, "en")))
    if event.hypothetical:
        pairs.append((_HYPOTHETICAL, TRUE))
    if event.depositary_ref:
        pairs.append((_DEPOSITARY_REF, text(event.depositary_ref)))
    if event.note:
        pairs.append((COMMENT, text(event.note, "en")))
    out.add(event_iri(event), pairs, event.sources)


def _conflict(out: Emitter, conflict: ArmedConflict) -> None:
    pairs = [(TYPE, iri(TKG.ArmedConflictEngagement)),
             (STATE, iri(resource_name("state", conflict.state))),
             (LABEL, text(conflict.conflict, "en")), (SINCE, date_literal(conflict.start))]
    if conflict.end is not None:  # the data's end is the last day engaged; until excludes it
        until = conflict.end.last + timedelta(days=1)
        pairs.append((UNTIL, typed(until.isoformat(), _XSD_DATE)))
    pairs.append((VERIFIED, _BOOL[conflict.verified]))
    if conflict.checked:
        pairs.append((CHECKED, typed(conflict.checked, XSD.date)))
    if conflict.hypothetical:
        pairs.append((_HYPOTHETICAL, TRUE))
    if conflict.note:
        pairs.append((COMMENT, text(conflict.note, "en")))
    out.add(resource_name("conflict", conflict.state, str(conflict.start)), pairs, conflict.sources)


def _succession(out: Emitter, s: Succession) -> None:
    pairs = [(TYPE, iri(TKG.StateSuccession)),
             (iri(TKG.predecessor), iri(resource_name("state", s.predecessor))),
             (iri(TKG.successor), iri(resource_name("state", s.successor))),
             (iri(TKG.successionKind), text(s.kind.value)), (SINCE, date_literal(s.date))]
    if s.note:
        pairs.append((COMMENT, text(s.note, "en")))
    out.add(resource_name("succession", s.predecessor, s.successor), pairs, s.sources)


_STATUS_INTERVAL, _MEMBERSHIP = iri(TKG.StatusInterval), iri(ORG.Membership)
_SUBJECT, _STATUS, _BOUND, _RULE = (iri(TKG.subject), iri(TKG.status), iri(TKG.bound),
                                    iri(TKG.rule))
_BOUND_BY = iri(TKG.boundBy)
_APPLIED, _MEMBER, _ORG = iri(TKG.appliedClause), iri(ORG.member), iri(ORG.organization)
_STATUS_IRI = {status: iri(term) for status, term in STATUS_TERM.items()}


def _interval(out: Emitter, dataset: Dataset, interval: Interval) -> None:
    subject = iri(subject_iri(dataset, interval.subject))
    state = iri(resource_name("state", interval.state))
    pairs = [(TYPE, _STATUS_INTERVAL), (STATE, state), (_SUBJECT, subject),
             (_STATUS, _STATUS_IRI[interval.status]),
             (SINCE, typed(interval.since.isoformat(), _XSD_DATE))]
    if interval.until is not None:
        pairs.append((UNTIL, typed(interval.until.isoformat(), _XSD_DATE)))
    pairs += [(_BOUND, _BOOL[interval.bound]), (_RULE, text(interval.clause))]
    if any(e.hypothetical for e in interval.events):
        pairs.append((_HYPOTHETICAL, TRUE))
    if interval.bound:
        pairs.append((_BOUND_BY, subject))
    pairs += [(DERIVED_FROM, iri(e)) for e in dict.fromkeys(map(event_iri, interval.events))]
    treaty = dataset.governing_treaty(interval.subject)
    if interval.status is Status.TERMINATED:
        pairs.append((DERIVED_FROM, iri(resource_name("event", treaty.slug, "termination"))))
    if interval.clause_kind == "entry-into-force" or (
            interval.clause_kind == "withdrawal" and treaty.withdrawal_clause is not None):
        pairs.append((_APPLIED, iri(resource_name("clause", treaty.slug, interval.clause_kind))))
    if interval.status is Status.MEMBER:
        pairs += [(TYPE, _MEMBERSHIP), (_MEMBER, state), (_ORG, subject)]
    out.add(interval_iri(interval), pairs)


def ontology_graph(path: Path) -> Graph:
    """The ontology as an rdflib graph, for the shapes checker and HermiT."""
    return Graph().parse(path, format="turtle")


def ontology_ntriples(path: Path) -> str:
    """The ontology as sorted N-Triples lines: the same file gives the same bytes. Its blank
    nodes are named in the order the parser meets them, which the file fixes (rdflib's
    canonical labelling did the same in 0.2 s a call, a tenth of a build at 1x)."""
    labels: dict[str, int] = {}

    def term(node) -> str:
        if isinstance(node, pyoxigraph.BlankNode):
            return f"_:o{labels.setdefault(node.value, len(labels))}"
        return str(node)

    lines = {f"{term(t.subject)} {t.predicate} {term(t.object)} .\n"
             for t in pyoxigraph.parse(path=path, format=pyoxigraph.RdfFormat.TURTLE)}
    return "".join(sorted(lines))


def ntriples(nodes: Iterable[Node]) -> str:
    return "".join([f"{s} {p} {o} .\n" for s, pairs in nodes for p, o in pairs])


# ------------------------------------------------------------------------------ Turtle

PREFIXES = {"tkg": str(TKG._NS), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
            "prov": str(PROV), "org": str(ORG), "skos": str(SKOS), "wd": str(WD),
            "owl": str(OWL)}
TURTLE_HEADER = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + (
    f"@base <{_ID}> .\n")
_SHORT: dict[str, str] = {}
_XSD_TAIL = f'"^^<{XSD}'


def _short(term: str) -> str:
    """The Turtle form of an N-Triples term: prefixed names, ids relative to the base."""
    if term[0] == '"':
        if term[-1] == ">" and _XSD_TAIL in term:
            head, _, datatype = term.rpartition(_XSD_TAIL)
            return f'{head}"^^xsd:{datatype[:-1]}'
        return term
    if term.startswith("<" + _ID):
        return "<" + term[len(_ID) + 1:]
    short = _SHORT.get(term)
    if short is None:
        short = term
        for prefix, ns in PREFIXES.items():
            local = term[len(ns) + 1:-1]
            if term.startswith("<" + ns) and local.replace("_", "a").isalnum():
                short = f"{prefix}:{local}"
                break
        _SHORT[term] = short
    return short


class _Shorts(dict):
    """Each term's Turtle form, worked out once per call: predicates and values recur."""

    def __missing__(self, term: str) -> str:
        short = self[term] = _short(term)
        return short


def turtle(nodes: Iterable[Node]) -> str:
    """One Turtle block per node; to be read after TURTLE_HEADER."""
    short = _Shorts()
    blocks = []
    for s, pairs in nodes:
        body = " ;\n    ".join(["a " + short[o] if p == TYPE else f"{short[p]} {short[o]}"
                                for p, o in pairs])
        blocks.append(f"{short[s]} {body} .\n")
    return "\n".join(blocks)
