"""The query guard refuses every SERVICE Oxigraph would run, and lets the rest through.

Oxigraph refuses HTTP to port 9 before opening any connection ("port 9 is not allowed"), so
asking it to run a query whose SERVICE points at port 9 shows, without any network, whether
its parser read a SERVICE clause: every text the guard accepts must not."""

from __future__ import annotations

import itertools

import pyoxigraph
import pytest

from treatykg import api, guard, queries
from treatykg.guard import Guard, Refused

PORT_9 = "http://127.0.0.1:9/sparql"


def _runs_a_service(text: str) -> bool:
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("urn:a"), pyoxigraph.NamedNode("urn:p"),
                              pyoxigraph.Literal("x")))
    try:
        result = store.query(text)
        if isinstance(result, pyoxigraph.QuerySolutions):
            list(result)
    except OSError as error:
        return "port 9" in str(error)
    except (SyntaxError, RuntimeError, ValueError):
        return False
    return False


# Ways to write SERVICE that the parser may read, glued to what comes before and after it
_BEFORE = ["", " ", "}", ".", "a1", "true", "1", "?s ?p ?o ", "?s ?p ?o.", "<urn:x>", "x",
           "ex:", "ex:a", "#\n", "'''a'''", "\\u0020"]
_SPELLINGS = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERVICESILENT", "SERVICE SILENT",
              "SERVICE\tSILENT", "SERVICE#c\n"]
_TARGETS = [f"<{PORT_9}>", "ex:sparql", f"<{PORT_9}>"]


def _variants():
    for before, spelling, target in itertools.product(_BEFORE, _SPELLINGS, _TARGETS):
        yield (f"PREFIX ex: <http://127.0.0.1:9/> SELECT * WHERE {{ ?a ?b ?c {before}{spelling}"
               f"{target}{{ ?x ?y ?z }} }}")
        yield (f"PREFIX ex: <http://127.0.0.1:9/> SELECT * WHERE {{ ?a ?b ?c {spelling}{target}"
               "{} }")


def test_no_text_the_guard_accepts_makes_oxigraph_call_a_service():
    accepted_and_ran, refused_and_would_run = [], 0
    for text in sorted(set(_variants())):
        try:
            Guard().inspect(text)
        except Refused:
            refused_and_would_run += _runs_a_service(text)
            continue
        if _runs_a_service(text):
            accepted_and_ran.append(text)
    assert accepted_and_ran == []
    assert refused_and_would_run >= 30  # the corpus does hold SERVICE clauses Oxigraph runs


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s ?p 'SERVICE <http://evil/> {}' }",
    'SELECT * WHERE { ?s ?p """a\nSERVICE <http://evil/> {}\n""" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil/> {}",
    "SELECT * WHERE { <http://example.org/service> ?p ?o }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?s<?p&&?o>?s) }",
])
def test_service_in_a_string_comment_iri_or_variable_is_only_text(text):
    assert Guard().inspect(text).form == "SELECT"
    assert not _runs_a_service(text.replace("http://evil/", PORT_9))


def test_every_library_question_passes_the_guard(built):
    library = queries.library(built.queries)
    questions = api.Questions(pyoxigraph.Store.read_only(str(built.store)), library)
    for name in library:
        assert Guard().inspect(questions.bound(name, [])).form == "SELECT", name


@pytest.mark.parametrize(("text", "status", "says"), [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403, "Update (INSERT)"),
    ("PREFIX x: <urn:x> BASE <urn:b> DELETE WHERE { ?s ?p ?o }", 403, "Update (DELETE)"),
    ("LOAD <http://example.org/data.ttl>", 403, "Update (LOAD)"),
    ("SELECT * FROM <http://example.org/other> WHERE { ?s ?p ?o }", 400, "FROM"),
    ("PREFIX g: <http://example.org/> SELECT * FROM NAMED g:x WHERE { ?s ?p ?o }", 400,
     "<http://example.org/x>"),
    ("SELECT * WHERE { " + "{" * 201 + "}" * 201 + " }", 400, "202 levels deep"),
])
def test_update_other_graphs_and_deep_nesting_are_refused(text, status, says):
    with pytest.raises(Refused, match=r".*") as refused:
        Guard().inspect(text)
    assert refused.value.status == status and says in str(refused.value)


def test_from_may_name_a_served_graph():
    served = Guard(served_graphs=("http://example.org/g",))
    assert served.inspect("SELECT * FROM <http://example.org/g> { ?s ?p ?o }").form == "SELECT"
    with pytest.raises(Refused, match="not a graph this endpoint serves"):
        served.check_graphs(["http://example.org/h"])


@pytest.mark.parametrize(("endpoint", "allowed"), [
    ("https://query.wikidata.org/sparql", True),
    ("https://query.wikidata.org/sparql?format=json", True),
    ("https://QUERY.wikidata.org/sparql", True),
    ("https://query.wikidata.org/sparql/x", True),
    ("https://query.wikidata.org/sparqlx", False),
    ("https://query.wikidata.org.evil.org/sparql", False),
    ("https://query.wikidata.org@127.0.0.1/sparql", False),
    ("https://query.wikidata.org:8443/sparql", False),
    ("http://query.wikidata.org/sparql", False),
    ("http://127.0.0.1/sparql", False),
])
def test_federation_allows_only_endpoints_under_an_allowed_prefix(endpoint, allowed):
    federating = Guard(federation=("https://query.wikidata.org/sparql",))
    text = f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}"
    if allowed:
        assert federating.inspect(text).services == (endpoint,)
    else:
        with pytest.raises(Refused, match="not one of the allowed endpoints"):
            federating.inspect(text)


def test_federation_needs_a_constant_endpoint():
    federating = Guard(federation=("https://query.wikidata.org/sparql",))
    with pytest.raises(Refused, match="only a constant endpoint IRI"):
        federating.inspect("SELECT * WHERE { VALUES ?e { <https://query.wikidata.org/sparql> }"
                           " SERVICE ?e { ?s ?p ?o } }")


def test_a_verdict_is_cached_by_text():
    checker = Guard()
    text = "SELECT * WHERE { ?s ?p ?o }"
    assert checker.inspect(text) is checker.inspect(text)
    assert guard.MAX_DEPTH == 200
