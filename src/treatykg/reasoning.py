"""Consistency of ontology + built data under OWL 2 DL, by owlready2's HermiT.

HermiT accepts only the OWL 2 datatype map, which lacks xsd:date, xsd:gYear, xsd:gYearMonth
and xsd:duration. The reasoner therefore reads a view of the graph in which dates become
xsd:dateTime at midnight and the other three become xsd:string, in literals and in ranges
alike; classes, properties and individuals are untouched, so every axiom that can clash
(disjointness, functional properties, domains, ranges, enumerations) is still checked. Labels
and comments, annotations without logical meaning, are left out to keep HermiT fast.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import owlready2
from rdflib import RDFS, SKOS, XSD, Graph, Literal

_AS_STRING = {XSD.gYear, XSD.gYearMonth, XSD.duration}
# Annotation properties carry no logical meaning in OWL 2 DL, so the reasoner skips them.
_ANNOTATIONS = {RDFS.label, RDFS.comment, SKOS.altLabel, SKOS.hiddenLabel}


class InconsistentGraph(Exception):
    """HermiT found the ontology and data inconsistent."""


def reasoner_view(graph: Graph) -> Graph:
    """The graph re-typed into the OWL 2 datatype map (see the module docstring)."""
    view = Graph()
    for s, p, o in graph:
        if p in _ANNOTATIONS:
            continue
        if isinstance(o, Literal) and o.datatype == XSD.date:
            o = Literal(f"{o}T00:00:00", datatype=XSD.dateTime)
        elif isinstance(o, Literal) and o.datatype in _AS_STRING:
            o = Literal(str(o), datatype=XSD.string)
        elif o == XSD.date:
            o = XSD.dateTime
        elif o in _AS_STRING:
            o = XSD.string
        view.add((s, p, o))
    return view


def check_consistency(graph: Graph) -> None:
    """Load `graph` in owlready2, then run owlready2's bundled HermiT on it as a consistency
    check; raise InconsistentGraph if it is inconsistent.

    HermiT's own consistency check (`-k`) answers in seconds where owlready2's
    `sync_reasoner_hermit`, which also classifies and realises every individual, takes minutes
    on the whole graph; both use the same HermiT.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "view.nt"
        reasoner_view(graph).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()  # the graph must load in owlready2
        finally:
            world.close()
        hermit = Path(owlready2.__file__).parent / "hermit"
        run = subprocess.run(
            [owlready2.JAVA_EXE, "-Xmx2000M", "-cp", f"{hermit}{os.pathsep}{hermit / 'HermiT.jar'}",
             "org.semanticweb.HermiT.cli.CommandLine", "-k", path.as_uri()],
            capture_output=True, text=True, check=False)
    if run.returncode == 0 and "owl#Thing is satisfiable" in run.stdout:
        return
    if "InconsistentOntologyException" in run.stderr or "not satisfiable" in run.stdout:
        raise InconsistentGraph("HermiT: the ontology and data are inconsistent")
    raise RuntimeError(f"HermiT could not run: {run.stderr[-2000:]}")
