"""load -> validate -> derive -> graph -> store, written to build/ only when every check passes.

The graph is built fragment by fragment (see `treatykg.graph`): each treaty family is derived,
emitted and checked on its own, and kept under build/fragments/ with the digest of everything it
was made from (its files, the shared files it reads, the code, the ontology and shapes). A build
re-derives and re-emits only the families whose digest changed, and updates the store by the
lines those fragments lost and gained; a first build, or one where much changed, bulk-loads.

Outputs go to a fresh folder under build/builds/ that becomes `build/current` in one rename at
the end (`treatykg.builds`), so a failed build leaves the previous one untouched and a reader
still holding an older build keeps answering from it. The same inputs give the same bytes (no
timestamps), however the build got there: incrementally or from scratch.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from treatykg import builds, graph, rules, store, validate
from treatykg.digests import file_digests, inputs_digest
from treatykg.digests import sha as _sha
from treatykg.load import DataError, load
from treatykg.paths import Project
from treatykg.records import Dataset, Problem, Where
from treatykg.shapes import Shapes, violation_problems

log = logging.getLogger(__name__)
NT, TTL, MANIFEST, FRAGMENTS = "treatykg.nt", "treatykg.ttl", "manifest.json", "fragments"
SHARED_FILES = ("data/states.csv", "data/successions.csv", "data/armed_conflicts.csv")
DECLARATION_FILES = ("data/declarations.csv", "data/bodies.csv")
BULK_SHARE = 0.2  # above this share of changed lines a bulk load beats line-by-line updates
_CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Built:
    """The data and everything the rules derived from it, for reports that need no graph."""

    dataset: Dataset
    derivation: rules.Derivation


@dataclass
class Fragment:
    """One fragment's text and what it cites; `digest` names everything it was made from."""

    name: str
    digest: str
    nt: str
    ttl: str
    sources: list[str]
    intervals: int = 0

    def record(self) -> dict:
        """What build/fragments/<name>.json keeps: everything but the text."""
        return {"name": self.name, "digest": self.digest, "intervals": self.intervals,
                "sources": self.sources}


@dataclass
class Plan:
    """What a build did, for the manifest and for the benchmark."""

    derived: list[str] = field(default_factory=list)  # families derived and emitted anew
    reused: int = 0
    store: str = "bulk"  # "bulk" or "update"
    added: int = 0
    removed: int = 0


def code_digest() -> str:
    """The emitter, the rules and the loader: a change to any of them rebuilds every fragment."""
    return _sha(*(p.read_bytes() for p in sorted(_CODE.glob("*.py"))))


def _family_files(family: Dataset) -> list[str]:
    files = []
    for slug, treaty in family.treaties.items():
        files += [treaty.where.file, f"data/events/{slug}.csv"]
    for slug, alliance in family.alliances.items():
        files += [alliance.where.file, f"data/memberships/{slug}.csv"]
    return files


def _load(project: Project) -> Dataset:
    dataset = load(project.data)
    if problems := validate.check(dataset):
        raise DataError(problems)  # the rules need consistent records to run at all
    return dataset


def derive(project: Project) -> Built:
    """Load, validate and derive; raise DataError with every fault found. The same intervals
    as the build's family by family (tests/test_build.py holds them equal)."""
    dataset = _load(project)
    derivation = rules.derive(dataset)
    if derivation.problems:
        raise DataError(derivation.problems)
    return Built(dataset, derivation)


def _emit(name: str, digest: str, emitted: graph.Emitter, shapes: Shapes,
          intervals: int = 0) -> Fragment:
    if problems := shapes.problems(emitted.nodes):
        raise DataError([Problem(Where("build", 0), "graph", p) for p in problems])
    return Fragment(name, digest, graph.ntriples(emitted.nodes), graph.turtle(emitted.nodes),
                    sorted(emitted.sources), intervals)


def fragments(project: Project, dataset: Dataset, digests: dict[str, str],
              reuse: dict[str, str] | None = None,
              plan: Plan | None = None) -> list[Fragment | str]:
    """The common fragment and every family's, in graph order; a family whose digest is in
    `reuse` is not derived again, and stands as its digest. Raise DataError on any fault."""
    plan = plan if plan is not None else Plan()
    ontology = graph.ontology_graph(project.ontology / "treatykg.ttl")
    shapes = Shapes(project.ontology / "shapes.ttl", ontology)
    base = [code_digest(), digests["ontology/treatykg.ttl"], digests["ontology/shapes.ttl"],
            *(digests.get(f, "absent") for f in SHARED_FILES)]
    emitted = graph.common(dataset)
    shapes.know(emitted.nodes)
    out: list[Fragment | str] = [_emit("common", _sha(*(b.encode() for b in base)), emitted,
                                       shapes)]
    problems: list[Problem] = []
    for slug, family in dataset.families().items():
        parts = base + [f"{f} {digests.get(f, 'absent')}" for f in _family_files(family)]
        digest = _sha(*(p.encode() for p in parts))
        if reuse and reuse.get(slug) == digest:
            out.append(digest)
            plan.reused += 1
            continue
        derivation = rules.derive(family)
        if derivation.problems:
            problems += derivation.problems
            continue
        out.append(_emit(slug, digest, graph.family(family, derivation), shapes,
                         len(derivation.intervals)))
        plan.derived.append(slug)
    if problems:
        raise DataError(sorted(problems))
    said = base + [f"{f} {digests.get(f, 'absent')}" for f in DECLARATION_FILES]
    out.append(_emit("declarations", _sha(*(p.encode() for p in said)),
                     graph.declarations(dataset), shapes))
    return out


def build(project: Project, plan: Plan | None = None) -> dict:
    """Build the graph and the embedded store, publish them as the current build; return the
    manifest. `plan`, if given, is filled with what the build re-derived and how it wrote the
    store."""
    plan = plan if plan is not None else Plan()
    dataset = _load(project)
    digests = file_digests(project)
    previous = _previous(project)
    try:
        reuse = {name: meta["digest"]
                 for name, meta in (previous.manifest if previous else {}).get(
                     "fragments", {}).items()}
        parts = fragments(project, dataset, digests, reuse, plan)
        staging = builds.staging(project)
        try:
            metas = _write_fragments(project, staging, parts, previous)
            _write_graph(project, staging, metas)
            changed = [metas[p.name] for p in parts if isinstance(p, Fragment)]  # emitted anew
            size = _write_store(project, staging, previous, metas, changed, plan)
            manifest = {
                "inputs": inputs_digest(digests),
                "files": digests,
                "triples": size,
                "states": len(dataset.states),
                "treaties": sorted(dataset.treaties),
                "alliances": sorted(dataset.alliances),
                "events": len(dataset.events),
                "intervals": sum(m["intervals"] for m in metas.values()),
                "fragments": {name: {"digest": m["digest"], "intervals": m["intervals"]}
                              for name, m in metas.items()},
            }
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n",
                                            encoding="utf-8")
        except BaseException:
            builds.discard(staging)
            raise
    finally:
        if previous is not None:
            previous.close()
    final = builds.publish(project, staging, manifest["inputs"])
    log.info("built %s triples into %s (%d families derived, %d reused, store %s)", size,
             final, len(plan.derived), plan.reused, plan.store)
    return manifest


def _previous(project: Project) -> builds.Build | None:
    """The current build, held while this one reuses its fragments and store; None when there
    is none or it lacks a fragment (then everything is derived anew)."""
    try:
        previous = builds.open_current(project, check=False)
    except builds.NotBuilt:
        return None
    folder = previous.path / FRAGMENTS
    names = [*previous.manifest.get("fragments", {}), "ontology", "sources"]
    if "fragments" not in previous.manifest or not all(
            (folder / f"{n}.nt").is_file() for n in names):
        previous.close()
        return None
    return previous


def _write_fragments(project: Project, staging: Path, parts: list[Fragment | str],
                     previous: builds.Build | None) -> dict[str, dict]:
    """Each fragment's files under staging/fragments/: new ones written, reused ones linked
    from the previous build."""
    folder = staging / FRAGMENTS
    folder.mkdir()
    old = previous.path / FRAGMENTS if previous else None
    names = {meta["digest"]: name
             for name, meta in (previous.manifest if previous else {}).get("fragments", {}).items()}
    metas: dict[str, dict] = {}
    for part in parts:
        if isinstance(part, str):
            name = names[part]
            for suffix in (".nt", ".ttl", ".json"):
                os.link(old / f"{name}{suffix}", folder / f"{name}{suffix}")
            metas[name] = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
            continue
        meta = part.record()
        (folder / f"{part.name}.nt").write_text(part.nt, encoding="utf-8")
        (folder / f"{part.name}.ttl").write_text(part.ttl, encoding="utf-8")
        (folder / f"{part.name}.json").write_text(json.dumps(meta), encoding="utf-8")
        metas[part.name] = meta
    nodes = graph.sources({url for meta in metas.values() for url in meta["sources"]})
    (folder / "sources.nt").write_text(graph.ntriples(nodes), encoding="utf-8")
    (folder / "sources.ttl").write_text(graph.turtle(nodes), encoding="utf-8")
    ontology = project.ontology / "treatykg.ttl"
    (folder / "ontology.nt").write_text(graph.ontology_ntriples(ontology), encoding="utf-8")
    return metas


def _order(metas: dict[str, dict]) -> list[str]:
    return ["ontology", *metas, "sources"]


def _write_graph(project: Project, staging: Path, metas: dict[str, dict]) -> None:
    """treatykg.nt and treatykg.ttl: the fragments, end to end, in graph order."""
    folder = staging / FRAGMENTS
    with open(staging / NT, "wb") as out:
        for name in _order(metas):
            with open(folder / f"{name}.nt", "rb") as part:
                shutil.copyfileobj(part, out, 1 << 20)
    with open(staging / TTL, "wb") as out:
        out.write((project.ontology / "treatykg.ttl").read_bytes())
        out.write(b"\n" + graph.TURTLE_HEADER.encode("utf-8"))
        for name in _order(metas)[1:]:
            out.write(b"\n")
            with open(folder / f"{name}.ttl", "rb") as part:
                shutil.copyfileobj(part, out, 1 << 20)


def _write_store(project: Project, staging: Path, previous: builds.Build | None,
                 metas: dict[str, dict], changed: list[dict], plan: Plan) -> int:
    """The store: the previous one updated by the changed fragments' lines, or a bulk load."""
    total = (staging / NT).stat().st_size  # bytes: the share of changed lines is estimated
    old_names = set(previous.manifest.get("fragments", {}) if previous else ())
    gone = old_names - set(metas)
    new_names = {m["name"] for m in changed} - old_names
    diffs: list[tuple[set[bytes], set[bytes]]] = []
    if previous:
        old = previous.path / FRAGMENTS
        ontology_same = (old / "ontology.nt").read_bytes() == (
            staging / FRAGMENTS / "ontology.nt").read_bytes()
        if ontology_same:
            for name in [m["name"] for m in changed] + sorted(gone) + ["sources"]:
                before = _lines(old / f"{name}.nt")
                after = _lines(staging / FRAGMENTS / f"{name}.nt")
                diffs.append((before - after, after - before))
    changed_bytes = sum(len(line) for r, a in diffs for line in (*r, *a))
    if not diffs or new_names or changed_bytes > BULK_SHARE * total:
        plan.store = "bulk"
        return store.create(staging / NT, staging / builds.STORE)
    plan.store = "update"
    store.copy(previous.path / builds.STORE, staging / builds.STORE)
    target = pyoxigraph.Store(str(staging / builds.STORE))
    for removed, added in diffs:
        plan.removed += len(removed)
        plan.added += len(added)
        if removed:
            for quad in pyoxigraph.parse(b"".join(removed), format=pyoxigraph.RdfFormat.N_TRIPLES):
                target.remove(quad)
        if added:
            target.load(b"".join(added), format=pyoxigraph.RdfFormat.N_TRIPLES)
    target.flush()
    size = len(target)
    del target
    return size


def _lines(path: Path) -> set[bytes]:
    if not path.is_file():
        return set()
    with open(path, "rb") as f:
        return set(f)


@dataclass
class Report:
    """What `treatykg validate` found: every problem, as one line a curator can act on."""

    problems: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not self.problems

    def text(self) -> str:
        if self.conforms:
            counts = ", ".join(f"{n} {what}" for what, n in self.checked.items())
            return f"conforms: {counts}"
        return "\n".join([f"does not conform: {len(self.problems)} problem(s)", *self.problems])

    def as_dict(self) -> dict:
        return {"conforms": self.conforms, "problems": self.problems, "checked": self.checked}


def check_all(project: Project) -> Report:
    """Every check, without writing anything: data rows, clauses, SHACL, violation queries."""
    try:
        dataset = _load(project)
        parts = fragments(project, dataset, file_digests(project))
    except DataError as error:
        return Report([str(p) for p in error.problems])
    memory = pyoxigraph.Store()
    ontology = graph.ontology_ntriples(project.ontology / "treatykg.ttl")
    cited = {url for p in parts if isinstance(p, Fragment) for url in p.sources}
    text = ontology + "".join(p.nt for p in parts if isinstance(p, Fragment)) + graph.ntriples(
        graph.sources(cited))
    memory.load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    problems = violation_problems(memory, project.queries)
    checked = {"states": len(dataset.states), "treaties": len(dataset.treaties),
               "alliances": len(dataset.alliances), "events": len(dataset.events),
               "status intervals": sum(p.intervals for p in parts if isinstance(p, Fragment))}
    return Report(problems, checked)
