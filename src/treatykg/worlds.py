"""Worlds other than the record: the built graph with some treaty families derived again.

A scenario adds hypothetical acts and armed conflicts (`load.load_scenario`); `--known-at`
leaves out the acts not yet on record on a day. Either way the families they touch are derived
again through the same clauses (`rules.derive`) and emitted into an in-memory copy of the current
build, so every question reads one graph holding the rest of the record and the changed
families. Nothing is written into data/ or build/.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pyoxigraph

from treatykg import builds, graph, rules, validate
from treatykg.load import DataError, load, load_scenario
from treatykg.paths import Project
from treatykg.records import ArmedConflict, Dataset, Event, EventKind, Problem, Scenario
from treatykg.vocab import resource_name

log = logging.getLogger(__name__)
NT = pyoxigraph.RdfFormat.N_TRIPLES


@dataclass
class World:
    """The graph a question reads: the current build's, or one derived from it."""

    store: pyoxigraph.Store
    build: builds.Build
    scenarios: tuple[Scenario, ...] = ()
    known_at: date | None = None

    @property
    def hypothetical(self) -> bool:
        return bool(self.scenarios)

    def describe(self) -> str:
        """What world the answer is from, in one line ('' for the record as it stands)."""
        parts = [f"hypothetical: {', '.join(s.name for s in self.scenarios)}"] * bool(
            self.scenarios)
        if self.known_at is not None:
            parts.append(f"the record as known on {self.known_at.isoformat()}")
        return "; ".join(parts)


def open_world(project: Project, *, scenarios: Sequence[Path | Scenario] = (),
               known_at: date | None = None) -> World:
    """The current build, or, with scenarios or a day the record is read as of, an in-memory
    graph in which the families those touch are derived again."""
    build = builds.current(project)
    if not scenarios and known_at is None:
        return World(build.store, build)
    dataset = load(project.data)
    read = tuple(s if isinstance(s, Scenario) else load_scenario(Path(s), dataset)
                 for s in scenarios)
    events = [e for s in read for e in s.events]
    conflicts = [c for s in read for c in s.conflicts]
    _check(dataset, read, events, conflicts)
    dropped = [] if known_at is None else not_yet_on_record(dataset.events, known_at)
    store = derived_store(build, dataset, _sourced(read), conflicts, dropped)
    return World(store, build, read, known_at)


_OUTCOMES = frozenset({EventKind.ENTRY_INTO_FORCE, EventKind.WITHDRAWAL_EFFECTIVE})


def not_yet_on_record(events: list[Event], day: date) -> list[Event]:
    """The acts not yet public record on `day` (`Event.public`: the depositary's notification,
    else the source's publication, else the act's own date), and the recorded outcomes that
    complete them (an entry into force, a withdrawal's effect: the notice announced them, so
    they are on record with their act, and go with it)."""
    unknown = [e for e in events if e.kind not in _OUTCOMES and e.public is not None
               and e.public > day]
    first: dict[tuple[str, str], date] = {}
    for e in unknown:
        key = (e.subject, e.state)
        first[key] = min(first.get(key, e.date.value), e.date.value)
    outcomes = [e for e in events if e.kind in _OUTCOMES and e.date is not None
                and (e.subject, e.state) in first and e.date.value >= first[(e.subject, e.state)]]
    return unknown + outcomes


def _sourced(scenarios: Iterable[Scenario]) -> list[Event]:
    """The scenarios' acts, each citing its scenario when it names no source of its own."""
    out = []
    for s in scenarios:
        here = resource_name("scenario", _slug(s.name))
        out += [e if e.sources else replace(e, sources=(here,)) for e in s.events]
    return out


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


def _check(dataset: Dataset, scenarios: Sequence[Scenario], events: list[Event],
           conflicts: list[ArmedConflict]) -> None:
    """The hypothetical acts, checked like real data: across records, then by the clauses."""
    files = {s.where.file for s in scenarios}
    whole = dataset.with_acts(events, conflicts)
    problems = [p for p in validate.check(whole) if p.where.file in files]
    if problems:
        raise DataError(problems)


def derived_store(build: builds.Build, dataset: Dataset, events: list[Event],
                  conflicts: list[ArmedConflict], dropped: list[Event]) -> pyoxigraph.Store:
    """The build's graph in memory, with every family that the extra events, the extra
    conflicts or the dropped events touch derived and emitted again (and the shared fragment,
    when conflicts change). Raise DataError when the clauses refuse the result."""
    world = dataset.with_acts(events, conflicts, dropped)
    touched = {dataset.family_of(e.subject) for e in [*events, *dropped]}
    if conflicts:  # a conflict can defer a withdrawal in any treaty that says so
        touched |= {slug for slug, t in dataset.treaties.items()
                    if t.withdrawal_clause and t.withdrawal_clause.armed_conflict_deferral}
    store = pyoxigraph.Store()
    store.bulk_load(path=str(build.path / "treatykg.nt"), format=NT)
    families = world.families()
    emitted: list[graph.Node] = []
    cited: set[str] = set()
    problems: list[Problem] = []
    for name in sorted(touched | ({"common"} if conflicts else set())):
        _remove(store, build.path / "fragments" / f"{name}.nt")
        if name == "common":
            out = graph.common(world)
        else:
            derivation = rules.derive(families[name])
            problems += derivation.problems
            out = graph.family(families[name], derivation)
        emitted += out.nodes
        cited |= out.sources
    if problems:
        raise DataError(problems)
    text = graph.ntriples(emitted) + graph.ntriples(graph.sources(cited))
    store.load(text.encode("utf-8"), format=NT)
    log.info("derived %s again for a world of %d triples", ", ".join(sorted(touched)),
             len(store))
    return store


def _remove(store: pyoxigraph.Store, fragment: Path) -> None:
    for quad in pyoxigraph.parse(path=str(fragment), format=NT):
        store.remove(quad)
