"""Golden answers: every query in queries/ runs, and its answer on the real data is pinned.

Goldens live in tests/golden/<query>.csv, one file per query, readable in a diff: the answer in
the SPARQL 1.1 CSV format, as `treatykg query NAME --format csv` writes it (full IRIs, CRLF line
ends). After a reviewed change to data or queries, regenerate them with
`python tests/regenerate_golden.py`.
"""

from __future__ import annotations

import re
from datetime import date

import pyoxigraph
import pytest

from projects import CASES, GOLDEN, ROOT, answer
from treatykg import queries
from treatykg.vocab import TKG, resource_name


def test_every_library_query_has_a_golden_case():
    names = set(queries.library(ROOT / "queries"))
    assert names == set(CASES), "add a case and a golden file for each new query"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_answer(db, name):
    expected = (GOLDEN / f"{name}.csv").read_bytes()
    assert answer(db, name) == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_query_header_follows_the_grlc_convention(name):
    query = queries.read_query(ROOT / "queries" / f"{name}.rq")
    assert query.summary and query.description and query.tags
    assert re.search(r"^PREFIX tkg:", query.text, re.MULTILINE), "declare its own PREFIXes"
    if not query.violation:
        assert query.example.startswith("treatykg query ")


def test_a_parameter_becomes_its_term_and_is_echoed_by_the_outermost_select():
    text = ('SELECT ?x ?_t_iri (COUNT(?y) AS ?n) WHERE { { SELECT ?x ?_t_iri WHERE { '
            '?x <p> ?_t_iri . FILTER(?y != "?_t_iri") } } } GROUP BY ?x ?_t_iri # ?_t_iri')
    assert queries.bind_text(text, {"_t_iri": "<https://e.org/t>"}) == (
        'SELECT ?x (<https://e.org/t> AS ?_t_iri) (COUNT(?y) AS ?n) WHERE { { SELECT ?x  WHERE { '
        '?x <p> <https://e.org/t> . FILTER(?y != "?_t_iri") } } } '
        'GROUP BY ?x (<https://e.org/t> AS ?_t_iri_key)'
        ' # ?_t_iri')


def test_a_declared_parameter_becomes_its_term_and_its_declaration_goes():
    """What an endpoint reads as a default, treatykg replaces by the constant it binds."""
    text = ('SELECT ?x (?t_iri AS ?_t_iri) WHERE {\n'
            '  BIND(COALESCE(?_t_iri, <https://e.org/d>) AS ?t_iri)\n'
            '  { SELECT ?x WHERE {\n'
            '      BIND(COALESCE(?_t_iri, <https://e.org/d>) AS ?t_iri)\n'
            '      ?x <p> ?t_iri } }\n'
            '} GROUP BY ?x ?t_iri')
    assert queries.bind_text(text, {"_t_iri": "<https://e.org/t>"}) == (
        'SELECT ?x (<https://e.org/t> AS ?_t_iri) WHERE {\n'
        '  { SELECT ?x WHERE {\n'
        '      ?x <p> <https://e.org/t> } }\n'
        '} GROUP BY ?x (<https://e.org/t> AS ?_t_iri_key)')


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_library_parameter_declares_the_headers_default(db, name):
    query = queries.find(ROOT / "queries", name)
    for parameter in query.parameters:
        assert parameter.default is not None, f"{parameter.name}: #+ defaults: has none"
        assert parameter.declared is not None, f"{parameter.name}: no BIND(COALESCE(...)) line"
    queries.bound_text(db, query, {})  # a declared default that is not the header's raises


def test_a_declared_default_that_is_not_the_headers_is_an_error(db, tmp_path):
    file = tmp_path / "mismatch.rq"
    file.write_text("#+ defaults:\n#+   - treaty: cmc\n"
                    "SELECT ?s WHERE {\n"
                    "  BIND(COALESCE(?_treaty_iri, <https://w3id.org/treatykg/id/treaty/apmbc>)"
                    " AS ?treaty_iri)\n"
                    "  ?s <https://w3id.org/treatykg/ontology#boundBy> ?treaty_iri\n}\n",
                    encoding="utf-8")
    query = queries.read_query(file)
    with pytest.raises(queries.QueryError, match=r"the header's default cmc is .*treaty/cmc>, "
                                                 r"but the query declares .*treaty/apmbc>"):
        queries.bound_text(db, query, {})
    assert "treaty/cmc>" in queries.bound_text(db, query, {"treaty": "cmc"})


def test_group_concat_is_not_a_group_by_list():
    text = 'SELECT (GROUP_CONCAT(?s; separator=" ") AS ?all) WHERE { ?s <p> ?_d_xsd_date }'
    bound = queries.bind_text(text, {"_d_xsd_date": '"2026-11-22"^^<x:date>'})
    assert bound.endswith('{ ?s <p> "2026-11-22"^^<x:date> }')


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_bound_library_query_parses(db, name):
    query = queries.find(ROOT / "queries", name)
    text = queries.bound_text(db, query, CASES[name])
    body = text.split("WHERE", 1)[1]
    assert not re.search(r"\?_[A-Za-z]+_(iri|xsd_date)\b(?! *\))", body)  # only `AS ?_x)` left
    assert not re.search(r"\?[A-Za-z]+_(iri|xsd_date)\b", body)  # nor the values they name
    assert "COALESCE(?_" not in text and "NOW()" not in text
    db.query(text)  # a syntax error would raise


def test_violation_queries_find_nothing_in_the_real_data(db):
    for name in CASES:
        if name.endswith("-violation"):
            assert answer(db, name).count(b"\r\n") == 1, name


def test_bound_by_violation_finds_a_shortcut_out_of_step(db):
    """tkg:boundBy repeats the subject of every bound interval, and of no other."""
    bound_by = pyoxigraph.NamedNode(str(TKG.boundBy))
    copy = pyoxigraph.Store()
    copy.bulk_extend(db)
    party, withdrawn = (pyoxigraph.NamedNode(resource_name("interval", "cmc", "LTU", day))
                        for day in ("2011-09-01", "2025-03-06"))
    cmc, apmbc = (pyoxigraph.NamedNode(resource_name("treaty", t)) for t in ("cmc", "apmbc"))
    copy.remove(pyoxigraph.Quad(party, bound_by, cmc))  # bound, without its shortcut
    copy.add(pyoxigraph.Quad(withdrawn, bound_by, apmbc))  # a shortcut while not bound
    query = queries.find(ROOT / "queries", "bound-by-violation")
    rows = [tuple(r.values()) for r in queries.run(copy, query, {}).records()]
    assert rows == [("LTU", "cmc", date(2011, 9, 1), None),
                    ("LTU", "cmc", date(2025, 3, 6), "apmbc")]


def test_a_parameter_is_bound_as_a_term_never_pasted(db):
    """A value that would break out of the query text is just an unknown key."""
    query = queries.find(ROOT / "queries", "status-on-date")
    with pytest.raises(queries.QueryError, match="unknown treaty or alliance"):
        queries.run(db, query, {"subject": 'cmc> } UNION { ?s ?p ?o', "asOf": "2026-11-22"})


def test_an_unknown_parameter_is_an_error(db):
    query = queries.find(ROOT / "queries", "bound-counts")
    with pytest.raises(queries.QueryError, match="has no parameter 'treaty'"):
        queries.run(db, query, {"asOf": "2026-11-22", "treaty": "cmc"})
