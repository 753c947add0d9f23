"""The SPARQL 1.1 Service Description the endpoint answers at GET /sparql without a query.

It says what a client may rely on: the endpoint's address, SPARQL 1.1 Query only (no Update),
the result formats it writes, federation only if allowed, and the one default graph it serves
(with its number of triples and the build it comes from).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

from treatykg import negotiation

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"sd": SD, "void": VOID, "dcterms": DCTERMS, "xsd": XSD}


@dataclass(frozen=True)
class Facts:
    """What the description states about the running endpoint."""

    endpoint: str  # the /sparql address as the client reached it
    triples: int
    build: str
    federation: tuple[str, ...]
    limits: str  # one line: time limit, row cap, ...


def triples(facts: Facts) -> list[pyoxigraph.Triple]:
    service = pyoxigraph.NamedNode(facts.endpoint)
    dataset, graph = pyoxigraph.BlankNode("dataset"), pyoxigraph.BlankNode("default")

    def iri(value: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(value)

    out = [
        (service, iri(RDF_TYPE), iri(SD + "Service")),
        (service, iri(SD + "endpoint"), service),
        (service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
        (service, iri(SD + "defaultEntailmentRegime"),
         iri("http://www.w3.org/ns/entailment/Simple")),
        (service, iri(DCTERMS + "description"), pyoxigraph.Literal(
            f"treatykg: who is bound by which arms-control treaty and alliance, on which date, "
            f"and why. Read-only; build {facts.build}; {facts.limits}.")),
    ]
    for _, _, fmt in (*negotiation.RESULTS.values(), *negotiation.GRAPHS.values()):
        out.append((service, iri(SD + "resultFormat"), iri(fmt)))
    if facts.federation:
        out.append((service, iri(SD + "feature"), iri(SD + "BasicFederatedQuery")))
    out += [
        (service, iri(SD + "defaultDataset"), dataset),
        (dataset, iri(RDF_TYPE), iri(SD + "Dataset")),
        (dataset, iri(SD + "defaultGraph"), graph),
        (graph, iri(RDF_TYPE), iri(SD + "Graph")),
        (graph, iri(VOID + "triples"),
         pyoxigraph.Literal(str(facts.triples), datatype=iri(XSD + "integer"))),
    ]
    return [pyoxigraph.Triple(*t) for t in out]


def render(facts: Facts, key: str) -> bytes:
    """The description in a graph format (a key of negotiation.GRAPHS)."""
    _, fmt, _ = negotiation.GRAPHS[key]
    return pyoxigraph.serialize(triples(facts), format=fmt,
                                prefixes=PREFIXES if key == "turtle" else None)
