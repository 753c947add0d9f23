"""load -> validate -> derive -> graph -> store, written to build/ only when every check passes.

Outputs go to a fresh folder that replaces build/ in one rename at the end, so a failed build
leaves the previous one untouched. The same inputs give the same bytes (no timestamps).
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from treatykg import graph as rdf
from treatykg import rules, store, validate
from treatykg.load import DataError, load
from treatykg.paths import Project
from treatykg.records import Dataset, Problem, Where
from treatykg.shapes import shacl_problems, violation_problems

log = logging.getLogger(__name__)
NT, TTL, MANIFEST = "treatykg.nt", "treatykg.ttl", "manifest.json"


@dataclass(frozen=True)
class Built:
    dataset: Dataset
    derivation: rules.Derivation
    graph: Graph


def inputs_digest(project: Project) -> str:
    """A digest of everything a build reads, to tell whether build/ is current."""
    digest = hashlib.sha256()
    for folder in (project.data, project.ontology, project.queries):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(project.root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def derive(project: Project) -> Built:
    """Load, validate and derive; raise DataError with every fault found."""
    dataset = load(project.data)
    if problems := validate.check(dataset):
        raise DataError(problems)  # the rules need consistent records to run at all
    derivation = rules.derive(dataset)
    if derivation.problems:
        raise DataError(derivation.problems)
    data = rdf.emit(dataset, derivation)
    return Built(dataset, derivation, data)


def check_graph(project: Project, built: Built) -> list[str]:
    full = built.graph + rdf.ontology_graph(project.ontology / "treatykg.ttl")
    return shacl_problems(full, project.ontology / "shapes.ttl")


def build(project: Project) -> dict:
    """Build the graph and the embedded store under build/; return the manifest."""
    built = derive(project)
    problems = check_graph(project, built)
    if problems:
        raise DataError([Problem(Where("build", 0), "graph", p) for p in problems])
    full = built.graph + rdf.ontology_graph(project.ontology / "treatykg.ttl")
    project.build.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=project.root))
    try:
        nt_text = rdf.ntriples(full)
        (staging / NT).write_text(nt_text, encoding="utf-8")
        # rdflib orders blank-node subjects by their random labels, so the data (which has
        # none) is serialized by rdflib and the reviewed ontology Turtle is appended as is.
        turtle = Graph()
        turtle.bind("tkg", "https://w3id.org/treatykg/ontology#")
        turtle.bind("id", "https://w3id.org/treatykg/id/")
        turtle.bind("wd", "http://www.wikidata.org/entity/")
        turtle.bind("org", "http://www.w3.org/ns/org#")
        for triple in built.graph:
            turtle.add(triple)
        ontology_text = (project.ontology / "treatykg.ttl").read_text(encoding="utf-8")
        (staging / TTL).write_text(turtle.serialize(format="turtle") + "\n" + ontology_text,
                                   encoding="utf-8")
        size = store.create(staging / NT, staging / "store")
        violations = violation_problems(store.open_read_only(staging / "store"), project.queries)
        if violations:
            raise DataError([Problem(Where("build", 0), "violation", v) for v in violations])
        manifest = {
            "inputs": inputs_digest(project),
            "triples": size,
            "states": len(built.dataset.states),
            "treaties": sorted(built.dataset.treaties),
            "alliances": sorted(built.dataset.alliances),
            "events": len(built.dataset.events),
            "intervals": len(built.derivation.intervals),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _replace(staging, project.build)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("built %s triples into %s", size, project.build)
    return manifest


def _replace(staging: Path, target: Path) -> None:
    """Swap the new build in; the old one is removed only after the new one is in place."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def data_version(project: Project) -> str:
    """A short name for the data a build holds: the first 12 hex digits of its input digest."""
    manifest = project.build / MANIFEST
    if not manifest.is_file():
        return "unbuilt"
    return json.loads(manifest.read_text(encoding="utf-8"))["inputs"][:12]


def is_current(project: Project) -> bool:
    manifest = project.build / MANIFEST
    if not manifest.is_file() or not (project.store).is_dir():
        return False
    return json.loads(manifest.read_text(encoding="utf-8")).get("inputs") == inputs_digest(project)


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
        built = derive(project)
    except DataError as error:
        return Report([str(p) for p in error.problems])
    problems = check_graph(project, built)
    full = built.graph + rdf.ontology_graph(project.ontology / "treatykg.ttl")
    memory = pyoxigraph.Store()
    memory.load(rdf.ntriples(full).encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    problems += violation_problems(memory, project.queries)
    checked = {"states": len(built.dataset.states), "treaties": len(built.dataset.treaties),
               "alliances": len(built.dataset.alliances), "events": len(built.dataset.events),
               "status intervals": len(built.derivation.intervals)}
    return Report(problems, checked)
