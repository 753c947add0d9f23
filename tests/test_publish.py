"""`treatykg publish --store URL [--graph IRI]`: the built graph replaces a graph on a SPARQL 1.1
server through the Graph Store Protocol, and publish says what the server then holds, counted
predicate by predicate (here the `oxigraph` server; Virtuoso in tests/test_stores.py)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

import stores
from treatykg import builds, cli, publish

STRAY = b"<https://example.org/stray> <https://example.org/p> \"left over\" .\n"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    running = stores.oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield running
    running.stop()


def _count(endpoint: str, graph: str | None = None) -> int:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    url = endpoint + "?" + urllib.parse.urlencode(
        {"query": text, **({"default-graph-uri": graph} if graph else {})})
    with urllib.request.urlopen(urllib.request.Request(
            url, headers={"Accept": "application/sparql-results+json"}), timeout=60) as reply:
        return int(json.load(reply)["results"]["bindings"][0]["n"]["value"])


def _add(store: str, triples: bytes, graph: str | None = None) -> None:
    """POST triples to a graph (the Graph Store Protocol's "merge")."""
    urllib.request.urlopen(urllib.request.Request(
        publish.target(store, graph), data=triples, method="POST",
        headers={"Content-Type": "application/n-triples"}), timeout=60).close()


def test_publish_replaces_the_default_graph_and_checks_it(run, oxigraph, built):
    _add(oxigraph.store, STRAY)
    code, out, err = run("publish", "--store", oxigraph.store, "--endpoint", oxigraph.query)
    triples = builds.open_current(built).manifest["triples"]
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[0].startswith("published build ") and lines[0].endswith(
        f"({triples:,} triples) to the default graph at {oxigraph.store}: replaced (HTTP 204)")
    assert lines[1].startswith(f"checked through {oxigraph.query}: the server holds "
                               f"{triples:,} triples there, as built, predicate by predicate")
    assert "not atomic on every server" in lines[2]
    assert lines[3] == f"ask it: treatykg query NAME --endpoint {oxigraph.query}"
    assert _count(oxigraph.query) == triples  # the stray triple is gone


def test_without_a_query_endpoint_publish_reads_the_graph_back(run, oxigraph, built):
    code, out, _ = run("publish", "--store", oxigraph.store)
    assert code == 0
    assert f"checked through {oxigraph.store}?default (read back): the server holds " in out


def test_publish_to_a_named_graph_leaves_the_others(run, oxigraph, built):
    graph = "https://w3id.org/treatykg/graph/named"
    _add(oxigraph.store, STRAY, graph)
    before = _count(oxigraph.query)
    code, out, _ = run("publish", "--store", oxigraph.store, "--graph", graph,
                       "--endpoint", oxigraph.query)
    assert code == 0
    assert f"to graph <{graph}> at {oxigraph.store}: replaced" in out
    assert out.splitlines()[-1] == (f"ask it: treatykg query NAME --endpoint {oxigraph.query} "
                                    f"--graph {graph}")
    assert _count(oxigraph.query, graph) == builds.open_current(built).manifest["triples"]
    assert _count(oxigraph.query) == before


def test_a_server_that_holds_other_triples_afterwards_fails_the_check(run, fake, built, db):
    """A server that accepts the upload but loses triples: exit code 1, each predicate said."""
    counts = publish.counts(db)
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    counts[label] -= 2
    rows = [{"p": {"type": "uri", "value": p},
             "n": {"type": "literal", "value": str(n),
                   "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
            for p, n in counts.items()]

    def answering(method, path, headers, body):
        if method == "POST":
            return 200, {"Content-Type": "application/sparql-results+json"}, json.dumps(
                {"head": {"vars": ["p", "n"]}, "results": {"bindings": rows}}).encode()
        return (201 if method == "PUT" else 404), {}, b""

    fake.answer = answering
    code, out, _ = run("publish", "--store", fake.url + "/store", "--endpoint",
                       fake.url + "/query")
    triples = sum(counts.values()) + 2
    assert code == 1
    assert out.splitlines()[1:] == [
        f"checked through {fake.url}/query: the server holds {triples - 2:,} triples there, "
        f"not the {triples:,} built:",
        f"  <{label}>: built {counts[label] + 2:,}, the server holds {counts[label]:,}"]
    put = next(r for r in fake.requests if r[0] == "PUT")
    assert put[1] == "/store?default" and put[2]["content-type"] == "application/n-triples"
    assert len(put[3]) == (builds.open_current(built).path / "treatykg.nt").stat().st_size


def test_credentials_come_from_the_environment_never_the_command_line(run, fake, monkeypatch):
    def answering(method, path, headers, body):
        if headers.get("authorization") != "Basic cHVibGlzaGVyOnMzY3JldA==":  # publisher:s3cret
            return 401, {"WWW-Authenticate": 'Basic realm="store"'}, b""
        if method == "GET":  # the graph read back: empty
            return 200, {"Content-Type": "application/n-triples"}, b""
        return 204, {}, b""

    fake.answer = answering
    code, out, err = run("publish", "--store", fake.url + "/store")
    assert code == 2 and out == ""
    assert err == (f"treatykg: {fake.url}/store?default asks for credentials (Basic): set "
                   "TREATYKG_STORE_USER and TREATYKG_STORE_PASSWORD\n")
    assert [r[0] for r in fake.requests] == ["HEAD"]  # the body was never sent
    monkeypatch.setenv("TREATYKG_STORE_USER", "publisher")
    monkeypatch.setenv("TREATYKG_STORE_PASSWORD", "s3cret")
    fake.requests.clear()
    code, out, err = run("publish", "--store", fake.url + "/store")
    # the probe, again with credentials, the upload; the graph read back, challenged again
    assert [r[0] for r in fake.requests] == ["HEAD", "HEAD", "PUT", "GET", "GET"]
    assert code == 1 and "replaced (HTTP 204)" in out and "the server holds 0 triples" in out
    for option in ("--user", "--password", "--credentials"):
        with pytest.raises(SystemExit):
            cli.main(["publish", "--store", fake.url, option, "x"])


def test_a_store_that_is_not_there_is_one_line(run):
    url = f"http://127.0.0.1:{stores.free_port()}/store"  # a port nothing listens on
    code, out, err = run("publish", "--store", url)
    assert code == 2 and out == ""
    assert err == f"treatykg: cannot reach {url}?default: connection refused\n"
