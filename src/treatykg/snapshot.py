"""The built graph read back as plain records: states, treaties, alliances, status intervals.

Views and pictures start here, from the store `treatykg build` wrote, never from data/. It
walks triples directly (no SPARQL), so the networkx answers are an independent check on the
question library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pyoxigraph

from treatykg import names
from treatykg.asof import on_day
from treatykg.vocab import EVENT_CLASSES, TKG

_RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_ALT_LABEL = pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
_NOTATION = pyoxigraph.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
_SOURCE = pyoxigraph.NamedNode("http://www.w3.org/ns/prov#hadPrimarySource")
_DERIVED = pyoxigraph.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")


def _node(term) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(str(term))


@dataclass(frozen=True)
class Subject:
    code: str
    kind: str  # "treaty", "alliance" or "organization": the kind in its IRI
    label: str
    short: str
    categories: frozenset[str]


@dataclass(frozen=True)
class StoredInterval:
    state: str
    subject: str
    status: str
    since: date
    until: date | None
    bound: bool
    sources: tuple[str, ...]
    rule: str = ""  # the rule the engine applied, in words (tkg:rule)
    events: tuple[str, ...] = ()  # the IRIs of the events it derives from


@dataclass(frozen=True)
class StoredEvent:
    """A recorded (or hypothetical) act, as the graph holds it."""

    iri: str
    subject: str
    state: str
    kind: str  # the event kind, as in data/ (ratification, withdrawal-notification, ...)
    date: str | None  # YYYY-MM-DD, YYYY-MM or YYYY as the source gives it; None if undated
    verified: bool
    label: str
    sources: tuple[str, ...]


@dataclass
class Snapshot:
    states: dict[str, str] = field(default_factory=dict)  # ISO3 -> name
    subjects: dict[str, Subject] = field(default_factory=dict)
    intervals: list[StoredInterval] = field(default_factory=list)
    events: list[StoredEvent] = field(default_factory=list)  # read when asked for
    ceased: dict[str, date] = field(default_factory=dict)  # historic state -> its end
    catalog: names.Catalog | None = None  # every name, alias and code, to find things by

    def on(self, day: date, subjects: set[str] | None = None) -> list[StoredInterval]:
        """The intervals covering `day` (`asof.on_day`), of every subject or of `subjects`."""
        if subjects is None:
            return on_day(self.intervals, day)
        return [i for s in subjects for i in on_day(self._by_subject.get(s, ()), day)]

    def bound(self, day: date, subject: str) -> set[str]:
        """The states `subject` binds on `day` (an alliance's: its members)."""
        return {i.state for i in self.on(day, {subject}) if i.bound}

    @cached_property
    def _by_subject(self) -> dict[str, list[StoredInterval]]:
        by_subject: dict[str, list[StoredInterval]] = {}
        for i in self.intervals:
            by_subject.setdefault(i.subject, []).append(i)
        return by_subject

    def change_dates(self, subject: str | None = None) -> list[date]:
        """Every day on which some status (in `subject`, or anywhere) begins or ends."""
        days = set()
        for i in self.intervals:
            if subject is None or i.subject == subject:
                days.add(i.since)
                if i.until:
                    days.add(i.until)
        return sorted(days)


def _one(db: pyoxigraph.Store, subject, predicate: pyoxigraph.NamedNode) -> str | None:
    for quad in db.quads_for_pattern(subject, predicate, None):
        return quad.object.value
    return None


def _column(db: pyoxigraph.Store, predicate: pyoxigraph.NamedNode) -> dict[str, str]:
    """Every subject's object (its value) for a single-valued predicate, from one scan."""
    return {quad.subject.value: quad.object.value
            for quad in db.quads_for_pattern(None, predicate, None)}


def _columns(db: pyoxigraph.Store, predicate: pyoxigraph.NamedNode) -> dict[str, list[str]]:
    """Every subject's objects (their values) for a many-valued predicate, from one scan."""
    out: dict[str, list[str]] = {}
    for quad in db.quads_for_pattern(None, predicate, None):
        out.setdefault(quad.subject.value, []).append(quad.object.value)
    return out


def read(db: pyoxigraph.Store, *, events: bool = False) -> Snapshot:
    """Read states, treaties, alliances and intervals from a built store (and, with `events`,
    every act the intervals rest on)."""
    snap = Snapshot()
    codes = _column(db, _node(TKG.code))
    for quad in db.quads_for_pattern(None, _RDF_TYPE, _node(TKG.State)):
        iso = codes[quad.subject.value]
        snap.states[iso] = _one(db, quad.subject, _LABEL) or iso
    for kind, cls in (("treaty", TKG.Treaty), ("alliance", TKG.Alliance),
                      ("organization", TKG.InternationalOrganization)):
        for quad in db.quads_for_pattern(None, _RDF_TYPE, _node(cls)):
            slug = codes[quad.subject.value]
            if slug in snap.subjects:  # an alliance is also an organization: keep the first
                continue
            categories = frozenset(q.object.value for q in db.quads_for_pattern(
                quad.subject, _node(TKG.category), None))
            short = _one(db, quad.subject, _ALT_LABEL)
            snap.subjects[slug] = Subject(slug, kind, _one(db, quad.subject, _LABEL) or slug,
                                          short or slug, categories)
    notation = {}
    for quad in db.quads_for_pattern(None, _RDF_TYPE, _node(TKG.Status)):
        notation[quad.subject.value] = _one(db, quad.subject, _NOTATION)
    # Intervals are read a predicate at a time (one index scan each) rather than node by node:
    # a lookup per interval and per event took 56 s at 100x the data.
    state, subject, status, since, until, bound, rule = (_column(db, _node(p)) for p in (
        TKG.state, TKG.subject, TKG.status, TKG.since, TKG.until, TKG.bound, TKG.rule))
    derived, cited = _columns(db, _DERIVED), _columns(db, _SOURCE)
    for quad in db.quads_for_pattern(None, _RDF_TYPE, _node(TKG.StatusInterval)):
        node = quad.subject.value
        end = until.get(node)
        snap.intervals.append(StoredInterval(
            state=codes[state[node]],
            subject=codes[subject[node]],
            status=notation[status[node]],
            since=date.fromisoformat(since[node]),
            until=date.fromisoformat(end) if end is not None else None,
            bound=bound[node] == "true",
            sources=tuple(sorted({url for event in derived.get(node, ())
                                  for url in cited.get(event, ())})),
            rule=rule.get(node, ""),
            events=tuple(derived.get(node, ())),
        ))
    snap.intervals.sort(key=lambda i: (i.subject, i.state, i.since))
    if events:
        snap.events = _events(db, codes, state, cited)
    snap.ceased = _ceased(db, codes)
    snap.catalog = names.catalog(db)
    return snap


def _ceased(db: pyoxigraph.Store, codes: dict[str, str]) -> dict[str, date]:
    """Each historic state's end: the last of its successions (as records.Dataset.ceased)."""
    historic = {q.subject.value for q in db.quads_for_pattern(
        None, _RDF_TYPE, _node(TKG.HistoricState))}
    since = _column(db, _node(TKG.since))
    out: dict[str, date] = {}
    for quad in db.quads_for_pattern(None, _node(TKG.predecessor), None):
        if quad.object.value in historic and quad.subject.value in since:
            state, day = codes[quad.object.value], date.fromisoformat(since[quad.subject.value])
            out[state] = max(out.get(state, day), day)
    return out


def _events(db: pyoxigraph.Store, codes: dict[str, str], state: dict[str, str],
            cited: dict[str, list[str]]) -> list[StoredEvent]:
    """Every act recorded for a state, from one scan per event class and per column."""
    kinds = {}
    for quad in db.quads_for_pattern(None, _RDF_TYPE, None):
        kind = _EVENT_KINDS.get(quad.object.value)
        if kind is not None:
            kinds[quad.subject.value] = kind
    subject = {**_column(db, _node(TKG.treaty)), **_column(db, _node(TKG.organization))}
    day, verified, label = (_column(db, p) for p in (_node(TKG.date), _node(TKG.verified),
                                                     _LABEL))
    out = []
    for node, kind in kinds.items():
        if node not in state or node not in subject:
            continue
        out.append(StoredEvent(node, codes[subject[node]], codes[state[node]], kind,
                               day.get(node), verified.get(node) == "true", label.get(node, ""),
                               tuple(sorted(cited.get(node, ())))))
    return sorted(out, key=lambda e: (e.subject, e.state, e.date or "~", e.iri))


# the event classes of the ontology and the kinds data/ gives them
_EVENT_KINDS = {str(cls): kind for kind, cls in EVENT_CLASSES.items()} | {
    str(TKG.AllianceAccession): "accession"}
