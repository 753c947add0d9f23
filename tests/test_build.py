"""The build: fragments, the incremental path, and the shapes checker held to pySHACL."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from projects import ROOT, edit_cmc_events
from treatykg import build, graph, rules
from treatykg.load import DataError, load
from treatykg.shapes import Shapes


def test_an_edit_to_one_treaty_rederives_only_its_family_and_updates_the_store(
        scratch, tmp_path, same_graph):
    build.build(scratch)
    edit_cmc_events(scratch, "AFG,signature,2008-12-03,yes,", "AFG,signature,2008-12-04,yes,")
    plan = build.Plan()
    build.build(scratch, plan)
    assert plan.derived == ["cmc"]
    assert plan.store == "update" and plan.added and plan.removed

    fresh = tmp_path / "fresh"
    for folder in ("data", "ontology", "queries"):
        shutil.copytree(scratch.root / folder, fresh / folder)
    fresh = type(scratch)(fresh)
    build.build(fresh)
    for name in ("treatykg.nt", "treatykg.ttl", "manifest.json"):
        assert (scratch.build / name).read_bytes() == (fresh.build / name).read_bytes(), name
    same_graph(pyoxigraph.Store.read_only(str(scratch.store)),
               pyoxigraph.Store.read_only(str(fresh.store)))


def test_an_unchanged_rebuild_derives_nothing(built):
    plan = build.Plan()
    build.build(built, plan)
    assert plan.derived == [] and plan.reused == 18


def test_fragments_share_no_subject(built):
    seen: dict[str, str] = {}
    folder = built.build / "current" / "fragments"
    # ontology, common, 18 families, declarations, sources
    assert len(list(folder.glob("*.nt"))) == 22
    for path in sorted(folder.glob("*.nt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            subject = line.split(" ", 1)[0]
            assert seen.setdefault(subject, path.stem) == path.stem, (subject, path.stem)


def test_the_families_derive_what_the_whole_dataset_derives():
    dataset = load(ROOT / "data")
    whole = rules.derive(dataset).intervals
    parts = [i for family in dataset.families().values() for i in rules.derive(family).intervals]
    assert sorted(parts, key=repr) == sorted(whole, key=repr)


def test_overlapping_intervals_are_a_problem():
    dataset = load(ROOT / "data")
    intervals = rules.derive(dataset.families()["cmc"]).intervals
    first = intervals[0]
    clash = dataclasses.replace(first, until=None)
    problems = rules.overlaps([clash, *intervals[1:]])
    assert problems and first.state in str(problems[0])


# ------------------------------------------------------------------------- shapes vs pySHACL

def _nodes(project) -> list[graph.Node]:
    dataset = load(project.data)
    nodes = graph.common(dataset).nodes
    for family in dataset.families().values():
        nodes += graph.family(family, rules.derive(family)).nodes
    return nodes


def _verdicts(nodes: list[graph.Node], shapes_file: Path) -> tuple[set, set]:
    """(focus, path) of every violation: ours, and pySHACL's on the same triples."""
    ontology = graph.ontology_graph(ROOT / "ontology" / "treatykg.ttl")
    shapes = Shapes(shapes_file, ontology)
    ours = {tuple(line.split(": ")[1:3]) for line in shapes.problems(nodes)}
    data = Graph().parse(data=graph.ntriples(nodes), format="nt") + ontology
    _, report, _ = pyshacl_validate(data, shacl_graph=Graph().parse(shapes_file),
                                    inference="none", advanced=True)
    theirs = {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
              for r in report.subjects(SH.resultSeverity, SH.Violation)}
    return ours, theirs


@pytest.fixture(scope="module")
def real_nodes(built) -> list[graph.Node]:
    return _nodes(built)


def test_the_real_graph_conforms_for_both_checkers(real_nodes):
    assert _verdicts(real_nodes, ROOT / "ontology" / "shapes.ttl") == (set(), set())


STATE = "<https://w3id.org/treatykg/id/state/LTU>"
TKG = "https://w3id.org/treatykg/ontology#"


def _broken(nodes, subject_start: str, change) -> list[graph.Node]:
    """The first node under `subject_start`, changed, with every node it refers to, directly
    or not (pySHACL on the whole graph takes 12 s a case; what a shape sees of a node is this)."""
    by_subject = dict(nodes)
    first = next(s for s, _ in nodes if s.startswith(subject_start))
    out, todo, seen = [], [first], {first}
    while todo:
        subject = todo.pop()
        pairs = by_subject[subject]
        if subject == first:
            pairs = change(list(pairs))
        out.append((subject, pairs))
        for _, obj in pairs:
            if obj in by_subject and obj not in seen:
                seen.add(obj)
                todo.append(obj)
    return out


def test_what_a_broken_node_is_checked_with_conforms_unbroken(real_nodes):
    nodes = _broken(real_nodes, "<https://w3id.org/treatykg/id/interval/", lambda p: p)
    assert 1 < len(nodes) < len(real_nodes) / 10
    assert _verdicts(nodes, ROOT / "ontology" / "shapes.ttl") == (set(), set())


@pytest.mark.parametrize("subject_start, change, path", [
    ("<https://w3id.org/treatykg/id/state/", lambda p: [x for x in p if "#code>" not in x[0]],
     TKG + "code"),
    ("<https://w3id.org/treatykg/id/state/", lambda p: [(a, '"Lt"') if "#code>" in a else (a, b)
                                                        for a, b in p], TKG + "code"),
    ("<https://w3id.org/treatykg/id/event/cmc/AFG/", lambda p: [(a, "<https://example.org/x>")
                                                        if a.endswith("#state>") else (a, b)
                                                        for a, b in p], TKG + "state"),
    ("<https://w3id.org/treatykg/id/event/cmc/AFG/", lambda p: [(a, '"yes"') if "#verified>" in a
                                                        else (a, b) for a, b in p],
     TKG + "verified"),
    ("<https://w3id.org/treatykg/id/interval/", lambda p: [*p, (f"<{TKG}state>", STATE)],
     TKG + "state"),
    ("<https://w3id.org/treatykg/id/interval/", lambda p: [
        *p, (f"<{TKG}until>", '"1900-01-01"^^<http://www.w3.org/2001/XMLSchema#date>')],
     TKG + "since"),
    ("<https://w3id.org/treatykg/id/interval/",
     lambda p: [x for x in p if "wasDerivedFrom" not in x[0]],
     "http://www.w3.org/ns/prov#wasDerivedFrom"),
])
def test_a_broken_node_is_caught_by_both_checkers_alike(real_nodes, subject_start, change, path):
    nodes = _broken(real_nodes, subject_start, change)
    ours, theirs = _verdicts(nodes, ROOT / "ontology" / "shapes.ttl")
    assert ours == theirs
    assert path in {p for _, p in ours}


def test_a_shape_the_checker_does_not_know_is_refused(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text((ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8").replace(
        "sh:minCount 1 ; sh:maxCount 1 ; sh:pattern", "sh:minLength 3 ; sh:pattern"),
        encoding="utf-8")
    with pytest.raises(ValueError, match="minLength"):
        Shapes(shapes, graph.ontology_graph(ROOT / "ontology" / "treatykg.ttl"))


def test_a_violation_stops_the_build_and_keeps_the_previous_one(scratch, monkeypatch):
    build.build(scratch)
    before = (scratch.build / "treatykg.nt").read_bytes()
    monkeypatch.setattr(graph, "_BOOL", {True: '"yes"', False: '"no"'})
    edit_cmc_events(scratch, "AFG,signature,2008-12-03,yes,", "AFG,signature,2008-12-04,yes,")
    with pytest.raises(DataError, match="verified"):
        build.build(scratch)
    assert (scratch.build / "treatykg.nt").read_bytes() == before
