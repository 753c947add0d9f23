"""`treatykg query` writes the SPARQL 1.1 results formats an endpoint would send, byte for byte,
and runs ASK, CONSTRUCT and DESCRIBE files as well as SELECT."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from projects import CASES, ROOT, answer
from treatykg import queries

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
TKG = rdflib.Namespace("https://w3id.org/treatykg/ontology#")


def serialised(db, name: str, values: dict[str, str], fmt) -> bytes:
    """What pyoxigraph's own serialiser writes for the query's solutions."""
    text = queries.bound_text(db, queries.find(ROOT / "queries", name), values)
    return db.query(text).serialize(format=fmt)


def test_query_csv_is_byte_for_byte_what_pyoxigraph_writes(run_bytes, db):
    values = {"subject": "cmc", "asOf": "2024-12-31"}
    code, out, _ = run_bytes("query", str(ROOT / "queries" / "status-on-date.rq"),
                          "--param", "subject=cmc", "--as-of", "2024-12-31", "--format", "csv")
    assert code == 0
    assert out == serialised(db, "status-on-date", values, pyoxigraph.QueryResultsFormat.CSV)
    assert out.startswith(b"state,name,status,bound,since,until,_subject_iri,_asOf_xsd_date\r\n")
    assert b"\r\nDEU,Germany,party,true,2010-08-01,,https://w3id.org/treatykg/id/treaty/cmc," in out


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_library_answer_in_csv_is_pyoxigraphs_bytes(db, name):
    assert answer(db, name) == serialised(db, name, CASES[name], pyoxigraph.QueryResultsFormat.CSV)


@pytest.mark.parametrize(("fmt", "standard"), [
    ("tsv", pyoxigraph.QueryResultsFormat.TSV),
    ("json", pyoxigraph.QueryResultsFormat.JSON),
    ("xml", pyoxigraph.QueryResultsFormat.XML),
])
def test_tsv_json_and_xml_are_pyoxigraphs_own_bytes(run_bytes, db, fmt, standard):
    code, out, _ = run_bytes("query", "state-events", "--param", "state=LTU",
                          "--param", "subject=cmc", "--format", fmt)
    assert code == 0
    assert out == serialised(db, "state-events", {"state": "LTU", "subject": "cmc"}, standard)


def test_an_iri_with_a_comma_is_quoted_in_csv_where_pyoxigraph_leaves_it_bare(run_bytes, db):
    """Poland's APMBC withdrawal cites Polish journal pages whose IRIs contain commas. The
    standard quotes a field holding a comma; pyoxigraph 0.5 does not quote IRIs. When this test
    fails on its last line, pyoxigraph has been fixed: write CSV through its serialiser."""
    values = {"state": "POL", "subject": "apmbc", "asOf": "2026-11-22"}
    code, out, _ = run_bytes("query", "sources-for-status", "--param", "state=POL",
                          "--param", "subject=apmbc", "--as-of", "2026-11-22", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    assert {len(row) for row in rows} == {len(rows[0])}
    sources = {row[rows[0].index("source")] for row in rows[1:]}
    assert "https://www.prawo.pl/akty/dz-u-2025-1514,22192842.html" in sources
    theirs = serialised(db, "sources-for-status", values, pyoxigraph.QueryResultsFormat.CSV)
    assert len({len(row) for row in csv.reader(io.StringIO(theirs.decode(), newline=""))}) > 1


@pytest.mark.parametrize(("day", "bound"), [("2024-12-31", True), ("2025-03-06", False)])
def test_an_ask_file_runs_and_answers_a_boolean(run, day, bound):
    argv = ("query", str(FIXTURES / "is-bound.rq"), "--param", "state=LTU",
            "--param", "subject=cmc", "--as-of", day)
    code, out, _ = run(*argv, "--format", "json")
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": bound}
    _, out, _ = run(*argv, "--format", "xml")
    assert f"<boolean>{str(bound).lower()}</boolean>" in out
    _, out, _ = run(*argv)
    assert out.splitlines()[-1] == str(bound).lower()


def test_a_construct_file_runs_and_writes_a_graph(run):
    """LTU's intervals on the day, as a graph: the same subjects and statuses as state-status."""
    argv = ("query", str(FIXTURES / "status-graph.rq"), "--param", "state=LTU",
            "--as-of", "2024-12-31")
    code, out, _ = run(*argv)  # Turtle by default
    assert code == 0
    graph = rdflib.Graph().parse(data=out, format="turtle")
    _, ntriples, _ = run(*argv, "--format", "ntriples")
    assert isomorphic(graph, rdflib.Graph().parse(data=ntriples, format="nt"))
    statuses = {(str(graph.value(i, TKG.subject)).rsplit("/", 1)[-1],
                 str(graph.value(i, TKG.status)).rsplit("#", 1)[-1])
                for i in graph.subjects(TKG.state, None)}
    _, table, _ = run("query", "state-status", "--param", "state=LTU", "--as-of", "2024-12-31",
                      "--format", "json")
    rows = json.loads(table)["results"]["bindings"]
    assert len(statuses) == len(rows) and ("cmc", "WithdrawalPending") in statuses


def test_a_describe_file_runs(run, tmp_path):
    file = tmp_path / "describe.rq"
    file.write_text("DESCRIBE ?_state_iri\n", encoding="utf-8")
    code, out, _ = run("query", str(file), "--param", "state=LTU", "--format", "ntriples")
    assert code == 0
    assert ('<https://w3id.org/treatykg/id/state/LTU> '
            '<http://www.w3.org/2000/01/rdf-schema#label> "Lithuania"@en .') in out.splitlines()


@pytest.mark.parametrize(("argv", "message"), [
    (("state-events", "--format", "turtle"), "answers a table, not a graph"),
    ((str(FIXTURES / "status-graph.rq"), "--format", "csv"), "answers a graph"),
])
def test_a_format_the_answer_cannot_take_is_an_error_with_exit_code_2(run, argv, message):
    code, out, err = run("query", *argv)
    assert code == 2 and message in err and out == ""


# No silent defaults: every answer says which parameters it used.

def test_the_table_opens_with_the_parameters_it_used(run):
    code, out, _ = run("query", "withdrawals")
    assert code == 0 and out.splitlines()[0] == "withdrawals: treaty=apmbc (default)"
    today = date.today().isoformat()
    _, out, _ = run("query", "alliance-members-bound", "--param", "treaty=apmbc")
    assert out.splitlines()[0] == (
        f"alliance-members-bound: alliance=nato (default), treaty=apmbc, asOf={today} (today)")
    _, out, _ = run("query", "withdrawals-pending", "--as-of", "2025-09-01")
    assert out.splitlines()[0] == "withdrawals-pending: asOf=2025-09-01"
    _, out, _ = run("query", "unverified-facts")
    assert out.splitlines()[0] == "unverified-facts: no parameters"


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_the_standard_formats_say_it_on_stderr_and_stay_pure(run, fmt):
    code, out, err = run("query", "state-history", "--param", "state=LTU", "--format", fmt)
    assert code == 0
    assert err == "treatykg: state-history: state=LTU, subject=cmc (default)\n"
    assert "state-history" not in out


def test_a_graph_says_it_on_stderr_too(run):
    code, out, err = run("query", str(FIXTURES / "status-graph.rq"), "--as-of", "2024-12-31")
    assert code == 0 and err == "treatykg: status-graph: state=LTU (default), asOf=2024-12-31\n"
    rdflib.Graph().parse(data=out, format="turtle")


def test_json_stays_the_sparql_results_format(run):
    _, out, err = run("query", "withdrawals", "--format", "json")
    assert set(json.loads(out)) == {"head", "results"}
    assert err == "treatykg: withdrawals: treaty=apmbc (default)\n"


def test_the_api_says_which_parameters_an_answer_used(db):
    query = queries.find(ROOT / "queries", "sources-for-status")
    result = queries.run(db, query, {"state": "ltu", "asOf": "2026-11-22"})
    assert [str(s) for s in result.settings] == [
        "state=LTU", "subject=cmc (default)", "asOf=2026-11-22"]


def test_queries_lists_each_parameter_with_its_default(run):
    code, out, _ = run("queries")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert code == 0
    assert lines["withdrawals"].endswith("[treaty=apmbc]")
    assert lines["alliance-members-bound"].endswith("[alliance=nato, treaty=cmc, asOf=today]")
    assert lines["changes-between"].endswith("[start=2025-01-01, asOf=today]")
    assert "[" not in lines["unverified-facts"]
