"""Check the built graph: SHACL shapes (ontology/shapes.ttl) and the *-violation.rq queries.

The shapes are checked on the nodes as they are emitted, one fragment at a time, by a checker
for the SHACL Core subset shapes.ttl uses: class targets (with subclasses), simple paths, and
minCount, maxCount, datatype, pattern, class and lessThan. pySHACL on a whole graph took longer
than the rest of a build at the real scale and hours at 100x; compiled to SPARQL, each shape took
seconds at 100x. A shapes file using anything else is refused, never half-checked, and the tests
hold this checker to pySHACL's verdicts on the real graph and on broken ones.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import SH

from treatykg.graph import TYPE, Node
from treatykg.queries import library, run

_NODE_KEYS = {RDF.type, SH.targetClass, SH.property, RDFS.label, RDFS.comment}
_PROPERTY_KEYS = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.pattern, SH["class"],
                  SH.lessThan, SH.name, SH.description}
_LANG_STRING, _STRING = str(RDF.langString), str(XSD.string)
_COMPARABLE = {str(XSD.date), str(XSD.dateTime), str(XSD.integer)}
_ESCAPES = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r", "\\t": "\t"}


@dataclass(frozen=True)
class PropertyShape:
    path: str  # N-Triples form, as the emitted pairs hold it
    min_count: int | None = None
    max_count: int | None = None
    datatype: str | None = None  # a datatype IRI
    pattern: re.Pattern | None = None
    cls: str | None = None  # N-Triples form
    less_than: str | None = None  # N-Triples form


def _literal(term: str) -> tuple[str, str] | None:
    """(lexical form, datatype IRI) of an N-Triples literal; None for an IRI."""
    if term[0] != '"':
        return None
    if term[-1] == ">":
        lexical, _, datatype = term.rpartition('"^^<')
        datatype = datatype[:-1]
    elif term[-1] != '"':
        lexical, datatype = term.rpartition('"@')[0], _LANG_STRING
    else:
        lexical, datatype = term[:-1], _STRING
    lexical = lexical[1:]
    if "\\" in lexical:
        lexical = re.sub(r'\\[\\"nrt]', lambda m: _ESCAPES[m[0]], lexical)
    return lexical, datatype


class Shapes:
    """The compiled shapes, ready to check emitted nodes."""

    def __init__(self, shapes_file: Path, ontology: Graph):
        shapes = Graph().parse(shapes_file, format="turtle")
        self._subclasses: dict[str, set[str]] = defaultdict(set)  # class -> itself and below
        for cls in set(ontology.subjects(RDF.type, None)) | set(ontology.objects(None, RDF.type)):
            for sup in ontology.transitive_objects(cls, RDFS.subClassOf):
                self._subclasses[f"<{sup}>"].add(f"<{cls}>")
        self._applies: dict[str, list[tuple[str, list[PropertyShape]]]] = defaultdict(list)
        for shape in sorted(set(shapes.subjects(SH.targetClass, None))):
            _only(shapes, shape, _NODE_KEYS)
            props = [self._property(shapes, p) for p in shapes.objects(shape, SH.property)]
            targets = {t for c in shapes.objects(shape, SH.targetClass)
                       for t in self._subclasses[f"<{c}>"] | {f"<{c}>"}}
            for target in sorted(targets):
                self._applies[target].append((str(shape), props))
        self._types: dict[str, set[str]] = defaultdict(set)  # known node -> its types
        for s, o in ontology.subject_objects(RDF.type):
            if isinstance(s, URIRef):
                self._types[f"<{s}>"].add(f"<{o}>")

    def _property(self, shapes: Graph, shape) -> PropertyShape:
        _only(shapes, shape, _PROPERTY_KEYS)
        path = shapes.value(shape, SH.path)
        if not isinstance(path, URIRef):
            raise ValueError(f"shapes: {shape}: only a predicate IRI is checked as sh:path")

        def value(key):
            v = shapes.value(shape, key)
            return None if v is None else v.toPython() if isinstance(v, Literal) else str(v)

        pattern, cls, less = value(SH.pattern), value(SH["class"]), value(SH.lessThan)
        return PropertyShape(f"<{path}>", value(SH.minCount), value(SH.maxCount),
                             value(SH.datatype), re.compile(pattern) if pattern else None,
                             f"<{cls}>" if cls else None, f"<{less}>" if less else None)

    def know(self, nodes: Iterable[Node]) -> None:
        """Record nodes' types, for sh:class checks on values that point to them."""
        for s, pairs in nodes:
            types = [o for p, o in pairs if p == TYPE]
            if types:
                self._types[s].update(types)

    def problems(self, nodes: Iterable[Node]) -> list[str]:
        """One line per violation: the focus node, the path and what is wrong. A value's class
        is looked up among `nodes`, then among the nodes made known."""
        nodes = list(nodes)
        local = {s: {o for p, o in pairs if p == TYPE} for s, pairs in nodes}
        out: list[str] = []
        for s, pairs in nodes:
            shapes = [shape for p, o in pairs if p == TYPE for shape in self._applies.get(o, ())]
            if not shapes:
                continue
            values: dict[str, set[str]] = defaultdict(set)
            for p, o in pairs:
                values[p].add(o)
            seen = set()
            for name, props in shapes:
                if name in seen:
                    continue
                seen.add(name)
                for prop in props:
                    out += [f"shacl: {s[1:-1]}: {prop.path[1:-1]}: {message}"
                            for message in self._check(prop, values, local)]
        return sorted(out)

    def _check(self, prop: PropertyShape, values: dict[str, set[str]],
               local: dict[str, set[str]]) -> list[str]:
        found = values.get(prop.path, ())
        out = []
        if prop.min_count is not None and len(found) < prop.min_count:
            out.append(f"{len(found)} value(s), at least {prop.min_count} required")
        if prop.max_count is not None and len(found) > prop.max_count:
            out.append(f"{len(found)} value(s), at most {prop.max_count} allowed")
        for term in sorted(found):
            literal = _literal(term) if prop.datatype or prop.pattern or prop.less_than else None
            if prop.datatype and (literal is None or literal[1] != prop.datatype):
                out.append(f"{term} is not of datatype {prop.datatype}")
            if prop.pattern and not prop.pattern.search(literal[0] if literal else term[1:-1]):
                out.append(f"{term} does not match {prop.pattern.pattern!r}")
            if prop.cls:
                types = local.get(term) or self._types.get(term, set())
                if not types & self._subclasses[prop.cls]:
                    out.append(f"{term} is not a {prop.cls[1:-1]}")
            if prop.less_than:
                for other in sorted(values.get(prop.less_than, ())):
                    if not _less(literal, _literal(other)):
                        out.append(f"{term} is not less than {other}")
        return out


def _less(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool:
    """a < b for two literals of one comparable datatype; anything else is a violation."""
    if a is None or b is None or a[1] != b[1] or a[1] not in _COMPARABLE:
        return False
    if a[1] == str(XSD.integer):
        return int(a[0]) < int(b[0])
    return a[0] < b[0]  # ISO 8601 dates without time zone sort as text


def _only(shapes: Graph, shape, allowed: set) -> None:
    for key in set(shapes.predicates(shape)) - allowed:
        raise ValueError(f"shapes: {shape}: {key} is not a constraint treatykg checks")


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
