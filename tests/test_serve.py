"""`treatykg serve` as an analyst's client meets it: SPARQLWrapper and plain HTTP against the
SPARQL 1.1 Protocol endpoint, the service description, and the library as a web API."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlencode

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

import servers
from servers import NATO_CMC
from treatykg import answers

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
TKG = "PREFIX tkg: <https://w3id.org/treatykg/ontology#>\n"


@pytest.fixture(scope="module")
def nato_cmc_query(server) -> str:
    """The NATO/CMC library question as SPARQL, bound by the API (as the query page gets it)."""
    status, headers, body = server.request("GET", NATO_CMC + "&format=sparql")
    assert status == 200 and headers["content-type"].startswith("application/sparql-query")
    return body.decode()


def _wrapper(server, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def _states(bindings: list[dict]) -> list[str]:
    return [b["state"]["value"] for b in bindings]


def test_sparqlwrapper_and_the_api_give_the_same_23_nato_states_bound_by_the_cmc(
        server, nato_cmc_query, built):
    by_wrapper = _wrapper(server, nato_cmc_query, JSON).query().convert()
    status, headers, body = server.request("GET", NATO_CMC)
    by_api = json.loads(body)
    assert status == 200
    assert headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert _states(by_wrapper["results"]["bindings"]) == _states(by_api["results"]["bindings"])
    expected = [r["state"] for r in answers.members("cmc", as_of="2026-11-22", in_="nato",
                                                    project=built)]
    assert _states(by_api["results"]["bindings"]) == expected and len(expected) == 23


def test_sparqlwrapper_posts_a_form_and_reads_xml_csv_and_tsv(server, nato_cmc_query):
    client = _wrapper(server, nato_cmc_query, XML)
    client.setMethod(POST)
    result = client.query()
    assert result.info()["content-type"].startswith("application/sparql-results+xml")
    dom = result.convert()
    assert len(dom.getElementsByTagName("result")) == 23
    for fmt, media, delimiter in ((CSV, "text/csv", ","), (TSV, "text/tab-separated-values",
                                                           "\t")):
        result = _wrapper(server, nato_cmc_query, fmt).query()
        assert result.info()["content-type"].startswith(media)
        rows = list(csv.reader(io.StringIO(result.convert().decode()), delimiter=delimiter))
        assert len(rows) == 24  # the header and 23 states
        assert rows[1][0] in ("ALB", '"ALB"')


def test_ask_answers_a_boolean(server):
    yes = _wrapper(server, TKG + "ASK { ?s tkg:code 'LTU' }", JSON).query().convert()
    no = _wrapper(server, TKG + "ASK { ?s tkg:code 'ATLANTIS' }", JSON).query().convert()
    assert (yes["boolean"], no["boolean"]) == (True, False)


@pytest.mark.parametrize(("fmt", "media"), [(TURTLE, "text/turtle"), (N3, "text/turtle"),
                                            (JSONLD, "application/ld+json")])
def test_construct_and_describe_answer_rdf_graphs(server, fmt, media):
    query = TKG + ("CONSTRUCT { ?s tkg:code ?c } WHERE { ?s tkg:code ?c "
                   "FILTER(?c IN ('LTU', 'FIN')) }")
    result = _wrapper(server, query, fmt).query()
    assert result.info()["content-type"].startswith(media)
    graph = rdflib.Graph().parse(data=result.response.read(),
                                 format="json-ld" if fmt == JSONLD else "turtle")
    assert sorted(str(o) for o in graph.objects()) == ["FIN", "LTU"]
    status, headers, body = server.request(
        "GET", "/sparql?" + urlencode({"query": "DESCRIBE <https://w3id.org/treatykg/id/state/LTU>"}),
        headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    assert b'"LTU"' in body


def test_a_malformed_query_is_a_400_that_sparqlwrapper_reports(server):
    # SPARQLWrapper warns first that it cannot tell the query's form, as a client would see
    with pytest.warns(RuntimeWarning, match="query type"), \
            pytest.raises(QueryBadFormed, match="not valid SPARQL"):
        _wrapper(server, "SELEKT * WHERE { ?s ?p ?o }", JSON).query()


def test_the_service_description_is_at_get_sparql_without_a_query(server):
    status, headers, body = server.request("GET", "/sparql")
    assert status == 200 and headers["content-type"] == "text/turtle"
    graph = rdflib.Graph().parse(data=body, format="turtle")
    endpoint = rdflib.URIRef(server.url + "sparql")
    assert (endpoint, rdflib.RDF.type, SD.Service) in graph
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Update) not in graph
    formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(endpoint, SD.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
            "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD"} <= formats
    assert (endpoint, SD.feature, SD.BasicFederatedQuery) not in graph
    status, headers, body = server.request("GET", "/sparql",
                                           headers={"Accept": "application/ld+json"})
    assert status == 200 and headers["content-type"] == "application/ld+json"
    assert len(rdflib.Graph().parse(data=body, format="json-ld")) == len(graph)


@pytest.mark.parametrize(("accept", "fmt", "media"), [
    (None, None, "application/sparql-results+json"),
    ("*/*", None, "application/sparql-results+json"),
    ("application/json", None, "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/*", None, "text/csv"),
    ("application/sparql-results+json", "tsv", "text/tab-separated-values"),
])
def test_content_negotiation_by_accept_and_the_format_parameter(server, accept, fmt, media):
    params = {"query": TKG + "SELECT ?c WHERE { ?s tkg:code ?c } LIMIT 2"}
    if fmt:
        params["format"] = fmt
    status, headers, _ = server.request("GET", "/sparql?" + urlencode(params),
                                        headers={"Accept": accept} if accept else {})
    assert status == 200 and headers["content-type"].split(";")[0] == media


def test_posting_the_query_itself_as_application_sparql_query(server, nato_cmc_query):
    status, _, body = server.request("POST", "/sparql", nato_cmc_query.encode(),
                                           {"Content-Type": "application/sparql-query"})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 23


@pytest.mark.parametrize(("method", "path", "body", "headers", "status", "says"), [
    ("POST", "/sparql", "SELECT * {}", {"Content-Type": "text/plain"}, 415,
     "application/sparql-query"),
    ("POST", "/sparql", '{"query": "SELECT * {}"}', {"Content-Type": "application/json"}, 415,
     "not application/json"),
    ("POST", "/sparql", "INSERT DATA { <a:b> <a:c> <a:d> }",
     {"Content-Type": "application/sparql-update"}, 403, "read-only"),
    ("POST", "/sparql", "update=" + quote("CLEAR ALL"),
     {"Content-Type": "application/x-www-form-urlencoded"}, 403, "read-only"),
    ("PUT", "/sparql", "<a:b> <a:c> <a:d> .", {"Content-Type": "text/turtle"}, 405, "read-only"),
    ("DELETE", "/sparql?graph=default", None, {}, 405, "read-only"),
    ("PUT", "/store?default", "<a:b> <a:c> <a:d> .", {"Content-Type": "text/turtle"}, 405,
     "read-only"),
    ("POST", "/store?default", "<a:b> <a:c> <a:d> .", {"Content-Type": "text/turtle"}, 405,
     "read-only"),
    ("GET", "/sparql?query=" + quote("SELECT * {}") + "&query=" + quote("ASK {}"), None, {}, 400,
     "one query per request"),
    ("GET", "/sparql?query=" + quote("SELECT * {}"), None, {"Accept": "image/png"}, 406,
     "application/sparql-results+json"),
    ("GET", "/sparql?format=yaml&query=" + quote("SELECT * {}"), None, {}, 400, "format='yaml'"),
    ("GET", "/nothing-here", None, {}, 404, "/sparql"),
])
def test_wrong_methods_content_types_and_accepts_get_a_clear_status(
        server, method, path, body, headers, status, says):
    got, response_headers, text = server.request(method, path, body, headers)
    assert got == status, text
    assert response_headers["content-type"].startswith("text/plain")
    message = text.decode()
    assert says in message and message.count("\n") == 1 and "Traceback" not in message


def test_the_api_lists_the_library_in_grlcs_swagger_convention(server):
    status, headers, body = server.request("GET", "/api/")
    listing = json.loads(body)
    assert status == 200 and headers["content-type"] == "application/json"
    assert listing["swagger"] == "2.0" and listing["basePath"] == "/api"
    question = listing["paths"]["/alliance-members-bound"]["get"]
    params = {p["name"]: p for p in question["parameters"]}
    assert list(params) == ["alliance", "treaty", "asOf"]
    assert params["alliance"]["default"] == "nato" and params["treaty"]["default"] == "cmc"
    assert params["asOf"]["format"] == "date"
    assert params["asOf"]["default"] == date.today().isoformat()
    assert question["summary"] == "Members of an alliance bound by a treaty on a date"
    assert "/state-history" in listing["paths"] and "/withdrawals" in listing["paths"]


def test_a_parameter_left_out_takes_the_documented_default(server):
    today = date.today().isoformat()
    _, _, by_default = server.request("GET", "/api/alliance-members-bound")
    _, _, spelled_out = server.request(
        "GET", f"/api/alliance-members-bound?alliance=nato&treaty=cmc&asOf={today}")
    assert json.loads(by_default) == json.loads(spelled_out)


def test_api_values_are_codes_or_iris_as_on_the_command_line(server):
    by_key = server.request("GET", "/api/state-status?state=LTU&asOf=2026-11-22")
    by_iri = server.request("GET", "/api/state-status?state="
                            + quote("https://w3id.org/treatykg/id/state/LTU") + "&asOf=2026-11-22")
    assert by_key[0] == by_iri[0] == 200 and json.loads(by_key[2]) == json.loads(by_iri[2])
    status, headers, body = server.request("GET", NATO_CMC + "&format=csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body.decode().count("\n") == 24


@pytest.mark.parametrize(("path", "status", "says"), [
    ("/api/alliance-members-bound?colour=red", 400, "no parameter 'colour'"),
    ("/api/alliance-members-bound?treaty=cmc&treaty=apmbc", 400, "given twice"),
    ("/api/alliance-members-bound?asOf=2026-02-30", 400, "asOf"),
    ("/api/alliance-members-bound?treaty=atlantis", 400, "unknown treaty 'atlantis'"),
    ("/api/no-such-question", 404, "no question named 'no-such-question'"),
])
def test_api_errors_name_what_is_wrong(server, path, status, says):
    got, _, body = server.request("GET", path)
    assert got == status and says in body.decode()


def test_answers_name_the_build_they_come_from(server, built):
    from treatykg import builds

    _, headers, _ = server.request("GET", NATO_CMC)
    assert headers["x-treatykg-build"] == builds.current_path(built).name


def test_no_cross_origin_reads_unless_allowed(server):
    _, headers, _ = server.request("GET", NATO_CMC, headers={"Origin": "https://elsewhere.org"})
    assert "access-control-allow-origin" not in headers


class _StubEndpoint(BaseHTTPRequestHandler):
    """A SPARQL endpoint on loopback that answers every query with one fixed row."""

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer()

    def _answer(self) -> None:
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
            {"x": {"type": "literal", "value": "from the stub"}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def open_server(built):
    """A server with CORS for one origin and federation allowed to one stub endpoint."""
    stub = ThreadingHTTPServer(("127.0.0.1", 0), _StubEndpoint)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    allowed = f"http://127.0.0.1:{stub.server_address[1]}/sparql"
    running = servers.start(built.root, "--cors", "https://analyst.example",
                            "--federate", allowed)
    yield running, allowed
    running.stop()
    stub.shutdown()


def test_cors_lets_only_the_configured_origin_read(open_server):
    server, _ = open_server
    _, headers, _ = server.request("GET", NATO_CMC, headers={"Origin": "https://analyst.example"})
    assert headers["access-control-allow-origin"] == "https://analyst.example"
    _, headers, _ = server.request("GET", NATO_CMC, headers={"Origin": "https://other.example"})
    assert "access-control-allow-origin" not in headers
    status, headers, _ = server.request("OPTIONS", "/sparql", headers={
        "Origin": "https://analyst.example", "Access-Control-Request-Method": "POST"})
    assert status == 204 and "POST" in headers["access-control-allow-methods"]


def test_federation_reaches_only_the_allowed_endpoints(open_server):
    server, allowed = open_server
    query = f"SELECT ?x WHERE {{ SERVICE <{allowed}> {{ ?s ?p ?x }} }}"
    status, _, body = server.request("GET", "/sparql?" + urlencode({"query": query}))
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"] == [{"x": {"type": "literal",
                                                              "value": "from the stub"}}]
    elsewhere = allowed.replace("/sparql", "/other")
    status, _, body = server.request("GET", "/sparql?" + urlencode(
        {"query": f"SELECT * WHERE {{ SERVICE <{elsewhere}> {{ ?s ?p ?o }} }}"}))
    assert status == 403 and b"not one of the allowed endpoints" in body
    _, _, description = server.request("GET", "/sparql")
    assert b"sd:BasicFederatedQuery" in description
