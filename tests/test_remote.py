"""`treatykg query --endpoint URL`: a library question or a .rq file asked of a SPARQL 1.1 server
(here the `oxigraph` server, after `treatykg publish`) answers as the embedded store does, byte
for byte in every format; values are checked against the server; a server's failure is one line
and exit code 2."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

import stores
from treatykg import answers, builds, publish

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
NAMED = "https://w3id.org/treatykg/graph/2026-12"  # the build under a name, beside the default
NATO_CMC = ("alliance-members-bound", "--param", "alliance=nato", "--param", "treaty=cmc",
            "--as-of", "2026-11-22")


@pytest.fixture(scope="module")
def oxigraph(built, tmp_path_factory):
    """An oxigraph server holding the build in its default graph and in the graph NAMED."""
    running = stores.oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        with builds.open_current(built) as build:
            for graph in (None, NAMED):
                done = publish.publish(build, running.store, graph=graph, endpoint=running.query)
                assert done.agrees, "\n".join(done.summary())
        yield running
    finally:
        running.stop()


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_the_nato_cmc_question_asked_of_an_oxigraph_server_is_the_embedded_answer(
        run_bytes, oxigraph, fmt):
    local = run_bytes("query", *NATO_CMC, "--format", fmt)
    code, out, err = run_bytes("query", *NATO_CMC, "--format", fmt, "--endpoint", oxigraph.query)
    assert code == 0 and local[0] == 0
    assert out == local[1] and b"SVK" in out
    assert err.splitlines()[0] == f"treatykg: asked {oxigraph.query} (its default graph)"
    assert err.splitlines()[1:] == local[2].splitlines()  # the parameters it used, if not a table


def test_names_are_resolved_by_the_endpoint_as_by_the_embedded_store(run_bytes, oxigraph):
    by_codes = run_bytes("query", *NATO_CMC, "--format", "csv", "--endpoint", oxigraph.query)
    by_names = run_bytes("query", "alliance-members-bound", "--param", "alliance=NATO",
                   "--param", "treaty=cluster munitions", "--as-of", "2026-11-22",
                   "--format", "csv", "--endpoint", oxigraph.query)
    assert by_names[0] == 0 and by_names[1] == by_codes[1]


@pytest.mark.parametrize(("value", "message"), [
    ("Moldova", "unknown treaty 'Moldova': MDA (Republic of Moldova) is a state"),
    ('cmc> } UNION { ?s ?p ?o', "unknown treaty 'cmc> } UNION { ?s ?p ?o'"),
    ("https://w3id.org/treatykg/id/treaty/nothing",
     "treaty: https://w3id.org/treatykg/id/treaty/nothing is not in the graph"),
])
def test_a_value_the_endpoint_does_not_know_is_an_error_not_text_in_the_query(
        run_bytes, oxigraph, value, message):
    code, out, err = run_bytes("query", "withdrawals", "--param", f"treaty={value}",
                         "--endpoint", oxigraph.query)
    assert code == 2 and out == b""
    assert err.startswith(f"treatykg: {message}") and len(err.splitlines()) == 1


def test_an_ask_and_a_construct_file_asked_of_an_endpoint(run_bytes, oxigraph):
    ask = (str(FIXTURES / "is-bound.rq"), "--param", "state=LTU", "--param", "subject=cmc",
           "--as-of", "2024-12-31", "--format", "json")
    assert run_bytes("query", *ask, "--endpoint", oxigraph.query)[1] == run_bytes("query", *ask)[1]
    graph = (str(FIXTURES / "status-graph.rq"), "--param", "state=LTU", "--as-of", "2024-12-31")
    code, out, _ = run_bytes("query", *graph, "--endpoint", oxigraph.query)
    assert code == 0
    theirs = rdflib.Graph().parse(data=out.decode(), format="turtle")
    assert len(theirs) > 50
    assert isomorphic(theirs, rdflib.Graph().parse(data=run_bytes("query", *graph)[1].decode(),
                                                   format="turtle"))


def test_a_graph_published_under_a_name_is_asked_for_by_default_graph_uri(run_bytes, oxigraph):
    code, out, err = run_bytes("query", *NATO_CMC, "--format", "csv", "--endpoint", oxigraph.query,
                         "--graph", NAMED)
    assert code == 0 and out == run_bytes("query", *NATO_CMC, "--format", "csv")[1]
    assert f"(graph <{NAMED}>)" in err
    code, out, err = run_bytes("query", *NATO_CMC, "--endpoint", oxigraph.query,
                         "--graph", "https://w3id.org/treatykg/graph/none")
    assert code == 2 and out == b""
    assert "holds no states, treaties or alliances" in err and "--graph IRI" in err


def test_the_python_api_asks_an_endpoint_with_the_same_verbs(built, oxigraph):
    asked = answers.query("state-status", {"state": "FIN"}, as_of="2026-11-22", project=built,
                          endpoint=oxigraph.query)
    assert asked.records() == answers.query("state-status", {"state": "FIN"},
                                            as_of="2026-11-22", project=built).records()
    assert [str(s) for s in asked.settings] == ["state=FIN", "asOf=2026-11-22"]


# -- failures: one line, exit code 2, never a traceback ---------------------------------------

def _one_line(code: int, out: bytes, err: str) -> str:
    assert code == 2 and out == b""
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_a_server_that_is_not_there(run_bytes):
    port = stores.free_port()  # a port nothing listens on
    err = _one_line(*run_bytes("query", "unverified-facts", "--endpoint",
                         f"http://127.0.0.1:{port}/sparql"))
    assert err == f"treatykg: cannot reach http://127.0.0.1:{port}/sparql: connection refused\n"


def test_a_server_that_does_not_answer_in_time(run_bytes):
    with socket.socket() as sock:  # listens, and never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
        err = _one_line(*run_bytes("query", "unverified-facts", "--endpoint", url,
                             "--timeout", "0.5"))
    assert err == f"treatykg: {url} did not answer within 0.5 s\n"


def test_a_server_error_is_said_in_the_servers_words(run_bytes, fake):
    fake.answer = lambda *request: (500, {"Content-Type": "text/html"}, (
        b"<html><body><h1>HTTP/1.1 500 SPARQL Request Failed</h1>"
        b"<xmp>Virtuoso 42000 Error SR186: No permission to execute procedure</xmp>"
        b"</body></html>"))
    err = _one_line(*run_bytes("query", "unverified-facts", "--endpoint", fake.url + "/sparql"))
    assert err == (f"treatykg: {fake.url}/sparql answered 500 Internal Server Error: Virtuoso "
                   "42000 Error SR186: No permission to execute procedure\n")


def test_an_answer_that_is_not_sparql_results(run_bytes, fake):
    fake.answer = lambda *request: (200, {"Content-Type": "text/html"}, b"<html>hello</html>")
    err = _one_line(*run_bytes("query", "unverified-facts", "--endpoint", fake.url + "/"))
    assert "answered with text/html, not SPARQL results or RDF" in err


def test_an_answer_cut_at_a_servers_row_limit_is_refused(run_bytes, fake):
    """Virtuoso cuts answers at ResultSetMaxRows and says so only in a header."""
    rows = {"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "literal", "value": str(i)}} for i in range(3)]}}
    fake.answer = lambda *request: (200, {"Content-Type": "application/sparql-results+json",
                                          "X-SPARQL-MaxRows": "3"}, json.dumps(rows).encode())
    err = _one_line(*run_bytes("query", "unverified-facts", "--endpoint", fake.url + "/sparql"))
    assert "cut the answer at its row limit (3 rows, X-SPARQL-MaxRows)" in err


def test_credentials_come_from_the_environment(run_bytes, fake, monkeypatch):
    answer = {"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "literal", "value": "ok"}}]}}

    def answering(method, path, headers, body):
        if headers.get("authorization") != "Basic YW5hbHlzdDpzM2NyZXQ=":  # analyst:s3cret
            return 401, {"WWW-Authenticate": 'Basic realm="sparql"'}, b""
        return 200, {"Content-Type": "application/sparql-results+json"}, \
            json.dumps(answer).encode()

    fake.answer = answering
    err = _one_line(*run_bytes("query", "unverified-facts", "--endpoint", fake.url + "/sparql"))
    assert err == (f"treatykg: {fake.url}/sparql asks for credentials (Basic): set "
                   "TREATYKG_ENDPOINT_USER and TREATYKG_ENDPOINT_PASSWORD\n")
    monkeypatch.setenv("TREATYKG_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("TREATYKG_ENDPOINT_PASSWORD", "wrong")
    err = _one_line(*run_bytes("query", "unverified-facts", "--endpoint", fake.url + "/sparql"))
    assert "refused the credentials in TREATYKG_ENDPOINT_USER and " in err
    monkeypatch.setenv("TREATYKG_ENDPOINT_PASSWORD", "s3cret")
    code, out, _ = run_bytes("query", "unverified-facts", "--endpoint", fake.url + "/sparql",
                       "--format", "csv")
    assert code == 0 and out == b"x\r\nok\r\n"


@pytest.mark.parametrize(("argv", "message"), [
    (("--endpoint", "http://127.0.0.1:9/sparql", "--scenario", "x.yaml"),
     "--scenario and --known-at are derived from the local build"),
    (("--graph", NAMED), "--graph and --timeout go with --endpoint URL"),
    (("--endpoint", "ftp://example.org/sparql"), "is not an http:// or https:// URL"),
    (("--endpoint", "http://127.0.0.1:9/sparql", "--graph", "not an iri"), "is not an IRI"),
])
def test_options_that_do_not_go_together(run_bytes, argv, message):
    assert message in _one_line(*run_bytes("query", "withdrawals", *argv))
