"""The built graph: deterministic, closed vocabulary, sourced, and consistent under HermiT."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from projects import ROOT
from treatykg import build, builds, graph, reasoning, rules
from treatykg.dates import parse_date
from treatykg.load import load
from treatykg.records import ArmedConflict, Dataset, Where
from treatykg.vocab import ID, TKG, resource


def fragments(project) -> Path:
    """The current build's fragments (build/current/fragments)."""
    folder = builds.current_path(project) / "fragments"
    assert len(list(folder.glob("*.nt"))) > 18, folder
    return folder


def test_the_same_data_builds_the_same_bytes(built, tmp_path):
    first = {name: (built.build / name).read_bytes() for name in ("treatykg.nt", "treatykg.ttl")}
    build.build(built)
    for name, content in first.items():
        assert (built.build / name).read_bytes() == content, name


def _parsed(path: Path, fmt: pyoxigraph.RdfFormat) -> pyoxigraph.Store:
    """The file read by Oxigraph's parser, independent of the writer that made it."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(path), format=fmt)
    return store


def test_turtle_and_ntriples_hold_the_same_graph(built, same_graph):
    turtle = _parsed(built.build / "treatykg.ttl", pyoxigraph.RdfFormat.TURTLE)
    ntriples = _parsed(built.build / "treatykg.nt", pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(ntriples) > 70_000
    same_graph(turtle, ntriples)


def _as_store(g: Graph) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(g.serialize(format="nt").encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _as_graph(g: Graph) -> Graph:
    return g


@pytest.mark.parametrize("held_in", [_as_graph, _as_store], ids=["rdflib", "store"])
def test_the_graph_comparison_finds_one_changed_triple_and_a_changed_blank_node(
        same_graph, held_in):
    """The comparison the tests rely on can fail: a changed literal, a blank node's triple."""
    ontology = graph.ontology_graph(ROOT / "ontology" / "treatykg.ttl")
    changed = Graph()
    changed += ontology
    same_graph(held_in(ontology), held_in(changed))
    changed.set((TKG.Party, RDFS.label, Literal("Party")))
    members = next(changed.subjects(OWL.members, None))
    changed.add((members, RDFS.comment, Literal("a blank node's new triple")))
    with pytest.raises(AssertionError) as failure:
        same_graph(held_in(ontology), held_in(changed))
    message = str(failure.value)
    assert f'<{TKG.Party}> <{RDFS.label}> "party"@en .' in message
    assert f'<{TKG.Party}> <{RDFS.label}> "Party" .' in message
    assert "a blank node's new triple" in message


def test_the_python_vocabulary_and_the_ontology_name_the_same_terms():
    ontology = Graph().parse(ROOT / "ontology" / "treatykg.ttl")
    ns = str(TKG._NS)
    defined = {str(s)[len(ns):] for s in ontology.subjects()
               if isinstance(s, URIRef) and str(s).startswith(ns)}
    assert defined == set(TKG.__annotations__)


def test_every_ontology_term_has_a_label_and_a_comment():
    ontology = Graph().parse(ROOT / "ontology" / "treatykg.ttl")
    for term in ontology.subjects(RDF.type, None):
        if isinstance(term, URIRef) and str(term).startswith(str(TKG._NS)):
            assert ontology.value(term, RDFS.label), term
            assert ontology.value(term, RDFS.comment), term


def test_every_example_iri_the_readmes_give_is_a_node_of_the_built_graph(built):
    subjects = {line.split(" ", 1)[0] for line in
                (built.build / "treatykg.nt").read_text(encoding="utf-8").splitlines()}
    for readme in (ROOT / "README.md", ROOT / "ontology" / "README.md"):
        examples = re.findall(r"`id/([^`]+)`", readme.read_text(encoding="utf-8"))
        kinds = {example.split("/", 1)[0] for example in examples}
        assert kinds == {"state", "treaty", "alliance", "organization", "clause", "event",
                         "interval", "conflict", "succession", "declaration", "body"}, readme
        for example in examples:
            assert f"<{ID}{example}>" in subjects, f"{readme.name}: id/{example} is not a node"


def test_the_eu_is_an_organization_and_its_iri_says_so(built):
    g = Graph().parse(fragments(built) / "treaty-on-european-union.nt", format="nt")
    eu = resource("organization", "eu")
    assert (eu, RDF.type, TKG.InternationalOrganization) in g
    assert (eu, RDF.type, TKG.Alliance) not in g
    assert not any(str(s).startswith(str(ID) + "alliance/") for s in g.subjects())
    assert (resource("alliance", "nato"), RDF.type, TKG.Alliance) in Graph().parse(
        fragments(built) / "north-atlantic-treaty.nt", format="nt")


def test_an_armed_conflicts_until_is_the_first_day_after_its_last_day():
    """The data's `end` is the last day engaged, and the rules read it so; tkg:until is the
    first day no longer covered, as for every status interval."""
    ended = ArmedConflict("UKR", "conflict", parse_date("2022-02-24"), parse_date("2027-05-01"),
                          True, ("https://example.org/x",), "2026-11-23", "",
                          Where("data/armed_conflicts.csv", 2))
    assert rules.conflicts_covering([ended], "UKR", date(2027, 5, 1)) == [ended]
    assert rules.conflicts_covering([ended], "UKR", date(2027, 5, 2)) == []
    g = Graph().parse(data=graph.ntriples(graph.common(Dataset(conflicts=[ended])).nodes),
                      format="nt")
    node = resource("conflict", "UKR", "2022-02-24")
    assert g.value(node, TKG.since).toPython() == date(2022, 2, 24)
    assert g.value(node, TKG.until).toPython() == date(2027, 5, 2)


def test_a_curators_yaml_note_is_an_rdfs_comment_of_its_node(built):
    g = Graph().parse(fragments(built) / "collective-security-treaty.nt", format="nt")
    treaty = load(built.data).treaties["collective-security-treaty"]
    assert treaty.note.startswith("The depositary is not named")
    assert treaty.eif_clause.note.startswith("Not read:")
    assert g.value(resource("treaty", treaty.slug), RDFS.comment) == Literal(treaty.note, "en")
    assert g.value(resource("clause", treaty.slug, "entry-into-force"), RDFS.comment) == (
        Literal(treaty.eif_clause.note, "en"))


def test_every_event_and_interval_points_to_its_sources(built):
    g = Graph().parse(built.build / "treatykg.nt", format="nt")
    from rdflib.namespace import PROV

    intervals = list(g.subjects(RDF.type, TKG.StatusInterval))
    assert intervals
    for interval in intervals:  # a termination derives from the treaty's termination event
        assert g.value(interval, PROV.wasDerivedFrom), interval


_TYPE = f"<{RDF.type}>"
_TERM = f"<{TKG._NS}"


def _shape(predicate: str, value: str) -> tuple[str, str]:
    """What a (predicate, value) pair says of its node's kind: the value itself when it is an
    ontology term or a type, a literal's datatype or language, else only that it is an IRI."""
    if predicate == _TYPE or value.startswith(_TERM):
        return predicate, value
    if value.startswith('"'):
        return predicate, value.rpartition('"')[2]
    return predicate, "iri"


def one_node_of_each_kind(folder: Path) -> Graph:
    """The smallest data graph that still holds every kind of node the build emits: for each
    kind (its types; per predicate, the ontology term or the datatype it takes), the first
    node in IRI order, with the types of the nodes it points to."""
    nodes: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(folder.glob("*.nt")):
        if path.stem == "ontology":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            subject, predicate, value = line[:-2].split(" ", 2)
            nodes.setdefault(subject, []).append((predicate, value))
    kinds: dict[frozenset, str] = {}
    for subject in sorted(nodes):
        kinds.setdefault(frozenset(_shape(p, v) for p, v in nodes[subject]), subject)
    lines = set()
    for subject in kinds.values():
        lines |= {f"{subject} {p} {v} ." for p, v in nodes[subject]}
        for _, value in nodes[subject]:
            lines |= {f"{value} {p} {v} ." for p, v in nodes.get(value, ()) if p == _TYPE}
    return Graph().parse(data="\n".join(sorted(lines)), format="nt")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return graph.ontology_graph(ROOT / "ontology" / "treatykg.ttl")


def test_hermit_finds_the_ontology_consistent_with_every_kind_of_node_the_build_emits(
        built, ontology):
    sample = one_node_of_each_kind(fragments(built))
    emitted = {line.split(" ")[2] for path in fragments(built).glob("*.nt")
               if path.stem != "ontology"
               for line in path.read_text(encoding="utf-8").splitlines()
               if line.split(" ")[1] == _TYPE}
    assert {o.n3() for o in sample.objects(None, RDF.type)} == emitted
    assert len(set(sample.subjects())) > 60
    reasoning.check_consistency(ontology + sample)


def test_hermit_catches_an_interval_with_two_statuses(ontology):
    broken = Graph()
    broken += ontology
    interval = resource("interval", "cmc", "LTU", "2011-09-01")
    broken.add((interval, RDF.type, TKG.StatusInterval))
    broken.add((interval, TKG.status, TKG.Withdrawn))
    broken.add((interval, TKG.status, TKG.Party))
    with pytest.raises(reasoning.InconsistentGraph):
        reasoning.check_consistency(broken)


def test_the_reasoner_view_keeps_every_triple_and_retypes_only_dates():
    g = Graph()
    node = resource("state", "LTU")
    g.add((node, TKG.since, Literal("2025-03-06", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))))
    g.add((node, RDF.type, OWL.NamedIndividual))
    g.add((node, RDFS.label, Literal("Lithuania")))  # an annotation: no logical meaning
    view = reasoning.reasoner_view(g)
    assert len(view) == 2
    assert str(view.value(node, TKG.since)) == "2025-03-06T00:00:00"
