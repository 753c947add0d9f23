"""A library query pasted into any SPARQL 1.1 endpoint, where nothing binds its parameters,
answers for the defaults its header documents (today for asOf) and never silently returns no
rows: every file runs as written on a small graph (tests/fixtures/small/), through pyoxigraph and
through rdflib, and gives the expected rows and the answer treatykg gives for those defaults.

Expected answers are tests/fixtures/small/expected/<query>.csv (the echoed parameter columns
left out); `python tests/regenerate_golden.py` rewrites them.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from projects import ROOT
from treatykg import queries

SMALL = Path(__file__).parent / "fixtures" / "small"
EXPECTED = SMALL / "expected"
LIBRARY = queries.library(ROOT / "queries")
QUESTIONS = sorted(name for name, q in LIBRARY.items() if not q.violation)
CHECKS = sorted(name for name, q in LIBRARY.items() if q.violation)
# Columns folded by GROUP_CONCAT, whose order SPARQL leaves to each engine: read as sets.
CONCATENATED = {"sources"}
# Nothing in the fixture changes after this day, so later days give the same answers, except
# that parties-per-year adds a row per year (with the count of the year before).
SETTLED = 2026


def oxigraph_store(*files: Path) -> pyoxigraph.Store:
    db = pyoxigraph.Store()
    for file in (ROOT / "ontology" / "treatykg.ttl", *files):
        db.load(path=str(file), format=pyoxigraph.RdfFormat.TURTLE)
    return db


def rdflib_graph(*files: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for file in (ROOT / "ontology" / "treatykg.ttl", *files):
        graph.parse(file, format="turtle")
    return graph


@pytest.fixture(scope="module")
def small() -> tuple[pyoxigraph.Store, rdflib.Graph]:
    return oxigraph_store(SMALL / "graph.ttl"), rdflib_graph(SMALL / "graph.ttl")


@pytest.fixture(scope="module")
def broken() -> tuple[pyoxigraph.Store, rdflib.Graph]:
    files = (SMALL / "graph.ttl", SMALL / "violations.ttl")
    return oxigraph_store(*files), rdflib_graph(*files)


def cell(term) -> str:
    """A term's lexical value ('' when unbound), from either engine."""
    if term is None:
        return ""
    if isinstance(term, rdflib.term.Identifier):
        return str(term)
    return term.value


def table(rows) -> list[tuple[str, ...]]:
    return [tuple(cell(t) for t in row) for row in rows]


def in_order(columns: list[str], rows: list[tuple]) -> list[tuple]:
    """Each GROUP_CONCAT cell with its parts sorted."""
    folded = [i for i, c in enumerate(columns) if c in CONCATENATED]
    return [tuple(" ".join(sorted(v.split(" "))) if i in folded else v for i, v in enumerate(row))
            for row in rows]


def oxigraph_answer(db: pyoxigraph.Store, text: str) -> tuple[list[str], list[tuple]]:
    solutions = db.query(text)
    columns = [v.value for v in solutions.variables]
    return columns, in_order(columns, table(tuple(s) for s in solutions))


def rdflib_answer(graph: rdflib.Graph, text: str) -> tuple[list[str], list[tuple]]:
    result = graph.query(text)
    columns = [str(v) for v in result.vars]
    return columns, in_order(columns, table(result))


def without_echo(columns: list[str], rows: list[tuple]) -> tuple[list[str], list[tuple]]:
    keep = [i for i, c in enumerate(columns) if not c.startswith("_")]
    return [columns[i] for i in keep], [tuple(row[i] for i in keep) for row in rows]


def expected_csv(columns: list[str], rows: list[tuple]) -> str:
    """The expected-answer file: the columns an analyst reads, one row a line."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def settled(name: str, rows: list[tuple]) -> list[tuple]:
    """The rows a day after SETTLED gives: parties-per-year stops at SETTLED, having checked that
    each later year counts what SETTLED does."""
    if name != "parties-per-year":
        return rows
    last = next(row for row in rows if row[0] == str(SETTLED))
    later = [row for row in rows if int(row[0]) > SETTLED]
    assert [row[1:] for row in later] == [last[1:]] * len(later)
    return [row for row in rows if int(row[0]) <= SETTLED]


def unbound_answer(name: str, db, graph) -> tuple[list[str], list[tuple]]:
    """The file's text run as written on both engines, which must agree."""
    text = LIBRARY[name].text
    columns, rows = oxigraph_answer(db, text)
    theirs, their_rows = rdflib_answer(graph, text)
    assert (theirs, sorted(their_rows)) == (columns, sorted(rows)), "rdflib differs"
    return columns, rows


def test_the_fixture_is_shaped_as_the_build_emits_it(small):
    """The fixture meets ontology/shapes.ttl, as every built graph must (pySHACL's verdict)."""
    import pyshacl

    shapes = rdflib.Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    conforms, _, report = pyshacl.validate(small[1], shacl_graph=shapes)
    assert conforms, report


@pytest.mark.parametrize("name", QUESTIONS)
def test_a_library_question_run_unbound_answers_for_its_defaults(small, name):
    db, graph = small
    columns, rows = unbound_answer(name, db, graph)
    expected = (EXPECTED / f"{name}.csv").read_text(encoding="utf-8")
    shown, cells = without_echo(columns, rows)
    assert expected_csv(shown, settled(name, cells)) == expected
    assert expected.count("\n") > 1, "every question has rows on the fixture"


@pytest.mark.parametrize("name", QUESTIONS)
def test_unbound_is_the_answer_treatykg_gives_for_the_header_defaults(small, name):
    """The defaults the text declares are the header's: asOf is the endpoint's today."""
    db, _ = small
    query = LIBRARY[name]
    columns, rows = oxigraph_answer(db, query.text)
    values = {}
    if "_asOf_xsd_date" in columns:
        day = {row[columns.index("_asOf_xsd_date")] for row in rows}
        assert len(day) == 1
        values["asOf"] = day.pop()  # the endpoint's today (UTC on Oxigraph) or treatykg's
        assert values["asOf"] in {date.today().isoformat(), datetime.now(UTC).date().isoformat()}
    result = queries.run(db, query, values)
    assert result.columns == columns
    assert in_order(columns, table(result.rows)) == rows
    assert all(p.default is not None for p in query.parameters)


@pytest.mark.parametrize("name", CHECKS)
def test_a_violation_query_run_unbound_finds_each_planted_problem(small, broken, name):
    columns, rows = unbound_answer(name, *broken)
    expected = (EXPECTED / f"{name}.csv").read_text(encoding="utf-8")
    assert expected_csv(columns, sorted(rows)) == expected
    assert expected.count("\n") > 1, "violations.ttl plants a problem for every check"
    assert unbound_answer(name, *small)[1] == [], "graph.ttl itself has no problem"


def write_expected() -> None:
    """Rewrite the expected answers from the fixture (tests/regenerate_golden.py calls this)."""
    EXPECTED.mkdir(exist_ok=True)
    for name in QUESTIONS:
        db = oxigraph_store(SMALL / "graph.ttl")
        shown, cells = without_echo(*oxigraph_answer(db, LIBRARY[name].text))
        (EXPECTED / f"{name}.csv").write_text(expected_csv(shown, settled(name, cells)),
                                              encoding="utf-8")
    for name in CHECKS:
        db = oxigraph_store(SMALL / "graph.ttl", SMALL / "violations.ttl")
        columns, rows = oxigraph_answer(db, LIBRARY[name].text)
        (EXPECTED / f"{name}.csv").write_text(expected_csv(columns, sorted(rows)),
                                              encoding="utf-8")
