"""Check the built graph: SHACL shapes (ontology/shapes.ttl) and the *-violation.rq queries."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from treatykg.queries import library, run


def shacl_problems(data: Graph, shapes_file: Path) -> list[str]:
    """One line per SHACL result: the focus node, the path and the message."""
    shapes = Graph().parse(shapes_file, format="turtle")
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none",
                                         advanced=True, allow_warnings=False)
    if conforms:
        return []
    lines = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        lines.append(f"shacl: {focus}: {path}: {message}")
    return sorted(lines)


def violation_problems(store: pyoxigraph.Store, queries_dir: Path) -> list[str]:
    """Every row of every *-violation.rq query, which must return none."""
    lines = []
    for query in library(queries_dir).values():
        if not query.violation:
            continue
        result = run(store, query, {})
        for record in result.records():
            cells = ", ".join(f"{k}={v}" for k, v in record.items())
            lines.append(f"{query.path.name}: {cells}")
    return lines
