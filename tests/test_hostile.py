"""Hostile input against `treatykg serve`, with a 2 s time limit for the run: each request gets
a clear 4xx/5xx, the server keeps serving the other clients, and the graph is unchanged.

No timing is asserted: a runaway query must be refused or killed, not fast."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlencode

import pyoxigraph
import pytest

import servers
from servers import NATO_CMC
from treatykg import builds, worker

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PATH_BLOWUP = ("SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:p>|!<urn:p>)* ?b . "
               "?b (<urn:p>|!<urn:p>)* ?c }")
MILLIONS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"


class _Listener:
    """A socket on loopback that counts the connections anything makes to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def _graph_digest(store_path) -> str:
    """A hash of the graph's content: every quad, in a canonical order."""
    store = pyoxigraph.Store.read_only(str(store_path))
    lines = sorted(str(q) for q in store)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.fixture(scope="module")
def served(built):
    store_path = builds.current_path(built) / "store"
    before = _graph_digest(store_path)
    trap = _Listener()
    server = servers.start(built.root, "--time-limit", "2", "--workers", "2", "--waiting", "4",
                           "--max-rows", "10000")
    yield server, trap
    server.stop()
    trap.close()
    assert trap.connections == 0, "a query reached out to a loopback address"
    assert _graph_digest(store_path) == before, "the graph changed"


def _sparql(server, query: str, **headers):
    return server.request("POST", "/sparql", query.encode(),
                          {"Content-Type": "application/sparql-query", **headers})


def _still_serving(server) -> None:
    status, _, body = server.request("GET", NATO_CMC)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 23


def _one_line(body: bytes) -> str:
    text = body.decode()
    assert text.endswith("\n") and text.count("\n") == 1 and "Traceback" not in text
    return text


@pytest.mark.parametrize("params", [
    {"treaty": "cmc> } SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } #"},
    {"treaty": "cmc . } } SELECT * WHERE { ?s ?p ?o"},
    {"treaty": "https://w3id.org/treatykg/id/treaty/cmc> ?p ?o } #"},
    {"asOf": '2026-11-22"^^<http://www.w3.org/2001/XMLSchema#date>) } #'},
    {"asOf": "2026-11-22') } SERVICE <http://127.0.0.1:{port}/> { } #"},
    {"alliance": "nato\n} INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
])
def test_a_parameter_value_cannot_break_out_of_its_term(served, params):
    server, trap = served
    query = urlencode({k: v.replace("{port}", str(trap.port)) for k, v in params.items()})
    status, _, body = server.request("GET", f"/api/alliance-members-bound?{query}")
    assert status == 400
    assert next(iter(params)) in _one_line(body) or "unknown" in body.decode()


@pytest.mark.parametrize("target", [
    "http://example.org/sparql", "https://query.wikidata.org/sparql",
    "http://127.0.0.1:{port}/sparql", "http://localhost:{port}/", "http://[::1]:{port}/",
    "http://2130706433:{port}/", "http://127.1:{port}/",
])
@pytest.mark.parametrize("spelling", [
    "SELECT * WHERE {{ SERVICE <{t}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{t}> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <{t}> SELECT * WHERE {{ ?a ?b ?c SERVICEex:x{{}} }}",
    "SELECT * WHERE {{ ?a ?b ?c SERVICESILENT<{t}>{{}} }}",
    "SELECT * WHERE {{ ?a ?b ?c \\u0053ERVICE <{t}> {{}} }}",
    "SELECT * WHERE {{ ?a <urn:p>\\' ?o . SERVICE <{t}> {{ ?x ?y ?z }} ?s <urn:q> ?o }}",
])
def test_service_to_outside_or_loopback_is_refused_before_it_runs(served, target, spelling):
    server, trap = served
    query = spelling.format(t=target.format(port=trap.port))
    status, _, body = _sparql(server, query)
    assert status == 403 and "SERVICE" in _one_line(body), body


@pytest.mark.parametrize(("method", "path", "body", "content_type"), [
    ("POST", "/sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-query"),
    ("POST", "/sparql", "DROP ALL", "application/sparql-update"),
    ("POST", "/sparql", "update=" + quote("LOAD <http://example.org/x.ttl>"),
     "application/x-www-form-urlencoded"),
    ("GET", "/sparql?update=" + quote("CLEAR DEFAULT"), None, None),
    ("POST", "/sparql", "PREFIX a: <urn:a> DELETE WHERE { ?s ?p ?o }", "application/sparql-query"),
    ("PUT", "/sparql?default", "<urn:a> <urn:b> <urn:c> .", "application/n-triples"),
    ("DELETE", "/sparql?default", None, None),
    ("PATCH", "/sparql", "x", "text/plain"),
])
def test_update_and_graph_store_writes_are_refused(served, method, path, body, content_type):
    server, _ = served
    status, _, text = server.request(method, path, body,
                                     {"Content-Type": content_type} if content_type else {})
    assert status in (403, 405) and "read-only" in _one_line(text)


def test_the_cartesian_count_is_killed_at_the_limit_and_the_server_answers_on(served):
    server, _ = served
    workers = server.workers()
    status, _, body = _sparql(server, CARTESIAN)
    assert status == 504 and "ran past the 2 s limit and was stopped" in _one_line(body)
    _still_serving(server)
    survivors = set(workers) & set(server.workers())
    assert len(survivors) == len(workers) - 1, "the runaway query's worker was killed"
    for _ in range(300):  # a replacement starts in the background
        if len(server.workers()) == len(workers):
            break
        time.sleep(0.1)
    assert len(server.workers()) == len(workers), "and replaced"
    for pid in set(workers) - survivors:
        assert not os.path.exists(f"/proc/{pid}"), "no query keeps running after its answer"


def test_a_property_path_blow_up_is_stopped(served):
    server, _ = served
    status, _, body = _sparql(server, PATH_BLOWUP)
    assert status in (422, 500, 504), body
    _one_line(body)
    _still_serving(server)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_the_row_cap_counts_each_row_once_in_every_format(fmt):
    """An answer of exactly the cap is served, one row more is refused: rows are counted as
    the answer is written, chunk by chunk, and none twice."""
    store = pyoxigraph.Store()
    for n in range(2000):  # several writes of the serialiser
        store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(f"https://example.org/s{n}"),
                                  pyoxigraph.NamedNode("https://example.org/p"),
                                  pyoxigraph.Literal(f"row {n}\twith a tab, a comma")))
    asked = {"query": "SELECT ?s ?o WHERE { ?s ?p ?o }", "results": fmt}
    head, body = worker.answer(store, asked, max_rows=2000, max_bytes=10**7)
    assert (head["status"], head["rows"]) == (200, 2000) and body
    head, _ = worker.answer(store, asked, max_rows=1999, max_bytes=10**7)
    assert head["status"] == 422 and "1,999-row limit" in head["message"]


def test_an_answer_of_millions_of_rows_is_refused_at_the_row_cap(served):
    server, _ = served
    for accept in ("application/sparql-results+json", "application/sparql-results+xml",
                   "text/csv", "text/tab-separated-values"):
        status, _, body = _sparql(server, MILLIONS, Accept=accept)
        assert status == 422 and "10,000-row limit" in _one_line(body), (accept, body)
    status, _, body = _sparql(server, "SELECT ?x WHERE { ?a ?b ?c . ?d ?e ?f }")  # empty rows
    assert status in (422, 504) and _one_line(body)
    status, _, body = _sparql(server, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert status == 422 and "triple limit" in _one_line(body)
    _still_serving(server)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?s ?p ?o",
    "SELEKT * WHERE { ?s ?p ?o }",
    "\x00\x01\x02 binary",
    "SELECT * WHERE { " + "{ " * 20000 + "}" * 20000 + " }",
    "SELECT * WHERE { ?s ?p " + "(" * 50000 + "1" + ")" * 50000 + " }",
    "",
    "PREFIX : <" + "a" * 100000 + "> SELECT * { ?s ?p ?o } LIMIT 1",
])
def test_malformed_query_text_gets_a_4xx_or_5xx_and_the_server_answers_on(served, query):
    server, _ = served
    status, _, body = _sparql(server, query)
    assert 400 <= status < 600 and status != 200
    _one_line(body)
    _still_serving(server)


def test_invalid_utf8_is_a_400(served):
    server, _ = served
    status, _, body = server.request("POST", "/sparql", b"SELECT * { ?s ?p '\xff\xfe' }",
                                     {"Content-Type": "application/sparql-query"})
    assert status == 400 and "UTF-8" in _one_line(body)


def test_a_10_mb_body_or_url_is_refused_without_reading_it_all(served):
    server, _ = served
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (10 * 2**20)
    status, _, body = _sparql(server, big)
    assert status == 413 and "limit" in _one_line(body)
    status, _, body = server.request("POST", "/sparql", "query=" + quote(big),
                                     {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    status, _, body = server.request("GET", "/sparql?query=" + quote(big[: 2 * 2**20]))
    assert status in (413, 414, 431, 400) and status != 200
    _still_serving(server)


@pytest.mark.parametrize("content_type", [
    "text/plain", "application/json", "multipart/form-data; boundary=x", "", "application/xml",
])
def test_wrong_content_types_are_415(served, content_type):
    server, _ = served
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, body = server.request("POST", "/sparql", "SELECT * { ?s ?p ?o } LIMIT 1", headers)
    assert status == 415 and "application/sparql-query" in _one_line(body)


def test_many_concurrent_slow_queries_are_bounded_and_the_server_keeps_serving(served):
    server, _ = served
    # 2 workers and 4 waiting places: 12 runaway queries at once fill them; the rest are
    # refused at once with 503 and Retry-After, and nothing queues without bound
    with ThreadPoolExecutor(12) as pool:
        storm = [pool.submit(_sparql, server, CARTESIAN) for _ in range(12)]
        during = [server.request("GET", "/api/"), server.request("GET", "/sparql")]
        answers = [f.result(timeout=120) for f in storm]
    statuses = sorted(status for status, _, _ in answers)
    assert set(statuses) <= {503, 504} and statuses.count(503) >= 6, statuses
    for status, headers, body in answers:
        _one_line(body)
        if status == 503:
            assert int(headers["retry-after"]) >= 1
    assert [status for status, _, _ in during] == [200, 200], "the front answered meanwhile"
    _still_serving(server)
