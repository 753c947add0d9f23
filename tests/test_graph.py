"""The built graph: deterministic, closed vocabulary, sourced, and consistent under HermiT."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from treatykg import build, graph, reasoning, rules
from treatykg.dates import parse_date
from treatykg.load import load
from treatykg.records import ArmedConflict, Dataset, Where
from treatykg.vocab import ID, TKG, resource

ROOT = Path(__file__).resolve().parents[1]


def test_the_same_data_builds_the_same_bytes(built, tmp_path):
    first = {name: (built.build / name).read_bytes() for name in ("treatykg.nt", "treatykg.ttl")}
    build.build(built)
    for name, content in first.items():
        assert (built.build / name).read_bytes() == content, name


def test_turtle_and_ntriples_hold_the_same_graph(built):
    turtle = Graph().parse(built.build / "treatykg.ttl", format="turtle")
    ntriples = Graph().parse(built.build / "treatykg.nt", format="nt")
    assert len(turtle) == len(ntriples)


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
                         "interval", "conflict", "succession"}, readme
        for example in examples:
            assert f"<{ID}{example}>" in subjects, f"{readme.name}: id/{example} is not a node"


def test_the_eu_is_an_organization_and_its_iri_says_so(built):
    g = Graph().parse(built.build / "fragments" / "treaty-on-european-union.nt", format="nt")
    eu = resource("organization", "eu")
    assert (eu, RDF.type, TKG.InternationalOrganization) in g
    assert (eu, RDF.type, TKG.Alliance) not in g
    assert not any(str(s).startswith(str(ID) + "alliance/") for s in g.subjects())
    assert (resource("alliance", "nato"), RDF.type, TKG.Alliance) in Graph().parse(
        built.build / "fragments" / "north-atlantic-treaty.nt", format="nt")


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
    g = Graph().parse(built.build / "fragments" / "collective-security-treaty.nt", format="nt")
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


@pytest.fixture(scope="module")
def full_graph(built) -> Graph:
    return Graph().parse(built.build / "treatykg.nt", format="nt")


def test_hermit_finds_the_ontology_and_data_consistent(full_graph):
    reasoning.check_consistency(full_graph)


def test_hermit_catches_an_interval_with_two_statuses(full_graph):
    broken = Graph()
    broken += full_graph
    interval = next(broken.subjects(RDF.type, TKG.StatusInterval))
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
