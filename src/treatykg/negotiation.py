"""Content negotiation for the endpoint: which serialisation an answer is written in.

A SELECT or ASK answer is SPARQL Results JSON, XML, CSV or TSV; a CONSTRUCT or DESCRIBE answer
(and the service description) is Turtle, N-Triples, JSON-LD or RDF/XML. The client says which
by `Accept` (with q-values and wildcards) or by a `format` parameter, which wins; the defaults
are JSON and Turtle. A format is named by a short key that the worker process maps to
pyoxigraph's serialiser, so only keys cross the process boundary.

>>> choose("text/csv;q=0.5, application/sparql-results+xml", None)
Choice(results='xml', graph=None)
>>> choose(None, "json")
Choice(results='json', graph='jsonld')
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph

SPARQL_QUERY = "application/sparql-query"  # a query's text (a question's, from GET /api/NAME)
GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})  # query forms answered with a graph
# key -> (media type, the pyoxigraph format, the W3C format IRI for the service description)
RESULTS = {
    "json": ("application/sparql-results+json", pyoxigraph.QueryResultsFormat.JSON,
             "http://www.w3.org/ns/formats/SPARQL_Results_JSON"),
    "xml": ("application/sparql-results+xml", pyoxigraph.QueryResultsFormat.XML,
            "http://www.w3.org/ns/formats/SPARQL_Results_XML"),
    "csv": ("text/csv", pyoxigraph.QueryResultsFormat.CSV,
            "http://www.w3.org/ns/formats/SPARQL_Results_CSV"),
    "tsv": ("text/tab-separated-values", pyoxigraph.QueryResultsFormat.TSV,
            "http://www.w3.org/ns/formats/SPARQL_Results_TSV"),
}
GRAPHS = {
    "turtle": ("text/turtle", pyoxigraph.RdfFormat.TURTLE, "http://www.w3.org/ns/formats/Turtle"),
    "ntriples": ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES,
                 "http://www.w3.org/ns/formats/N-Triples"),
    "jsonld": ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD,
               "http://www.w3.org/ns/formats/JSON-LD"),
    "rdfxml": ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML,
               "http://www.w3.org/ns/formats/RDF_XML"),
}
# other media types clients send for the same formats
_ALIASES_RESULTS = {"application/json": "json", "application/xml": "xml", "text/xml": "xml",
                    "application/javascript": "json", "text/javascript": "json"}
_ALIASES_GRAPHS = {"application/x-turtle": "turtle", "text/n3": "turtle", "text/rdf+n3": "turtle",
                   "application/json": "jsonld", "application/x-json+ld": "jsonld",
                   "application/xml": "rdfxml",
                   "text/xml": "rdfxml"}
# `format` parameter values (SPARQLWrapper sends json, xml, csv, tsv, turtle, n3, rdf+xml,
# json-ld) -> (results key, graph key); a value may also be a media type
_FORMAT_WORDS = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", None),
    "tsv": ("tsv", None), "turtle": (None, "turtle"), "ttl": (None, "turtle"),
    "n3": (None, "turtle"), "ntriples": (None, "ntriples"), "nt": (None, "ntriples"),
    "n-triples": (None, "ntriples"), "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdf+xml": (None, "rdfxml"), "rdfxml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
}

# the media types of answers chosen by Accept (a Vary: Accept on them)
_NEGOTIATED = frozenset({*(media for media, _, _ in (*RESULTS.values(), *GRAPHS.values())),
                         SPARQL_QUERY})


class NotAcceptable(Exception):
    """A `format` value the endpoint does not know (400), naming those it does."""


@dataclass(frozen=True)
class Choice:
    """The format for each kind of answer; None where nothing acceptable is offered (406)."""

    results: str | None
    graph: str | None


def _accepted(accept: str) -> list[str]:
    """Media ranges from an Accept header, best first (q=0 dropped; ties keep their order)."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    return [media for _, _, media in sorted(ranges)]


def _pick(ranges: list[str], table: dict, aliases: dict[str, str], default: str) -> str | None:
    for media in ranges:
        if media in ("*/*", ""):
            return default
        if media.endswith("/*"):
            family = media[:-1]
            if table[default][0].startswith(family):
                return default
            for key, (mt, _, _) in table.items():
                if mt.startswith(family):
                    return key
            continue
        for key, (mt, _, _) in table.items():
            if mt == media:
                return key
        if media in aliases:
            return aliases[media]
    return None


def choose(accept: str | None, format_: str | None) -> Choice:
    """The formats to answer in, from a `format` parameter (which wins) or an Accept header."""
    if format_:
        word = format_.strip().lower()
        if word in _FORMAT_WORDS:
            return Choice(*_FORMAT_WORDS[word])
        if "/" in word:  # a media type, or a list of them as in Accept (SPARQLWrapper)
            ranges = _accepted(word)
            choice = Choice(_pick(ranges, RESULTS, _ALIASES_RESULTS, "json"),
                            _pick(ranges, GRAPHS, _ALIASES_GRAPHS, "turtle"))
            if choice.results or choice.graph:
                return choice
        known = ", ".join(sorted(_FORMAT_WORDS))
        raise NotAcceptable(f"format={format_!r} is not one this endpoint writes (one of {known},"
                            " or a media type)")
    ranges = _accepted(accept) if accept and accept.strip() else ["*/*"]
    return Choice(_pick(ranges, RESULTS, _ALIASES_RESULTS, "json"),
                  _pick(ranges, GRAPHS, _ALIASES_GRAPHS, "turtle"))


def negotiated(media: str) -> bool:
    """Whether an answer in `media` (a Content-Type, parameters allowed) is one the request's
    Accept chose: SPARQL results, a graph, or a question's SPARQL text.

    >>> negotiated("application/n-triples"), negotiated("application/json")
    (True, False)
    """
    return media.split(";")[0].strip().lower() in _NEGOTIATED


def offered(kind: str) -> str:
    """The media types offered for `results` or `graph` answers, for a 406 message."""
    table = RESULTS if kind == "results" else GRAPHS
    return ", ".join(mt for mt, _, _ in table.values())
