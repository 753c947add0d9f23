"""The question library and the one query runner.

A library query is a .rq file under queries/ with a grlc-style header (`#+ summary:`, ...).
Its parameters are variables named in grlc's convention, `?_name_type` (`?_asOf_xsd_date`,
`?_treaty_iri`). A user's value becomes an RDF term first (a key must name a resource in the
graph, a date must be a day), and that term, serialised by pyoxigraph, replaces the variable in
the query: never the user's text itself, so no value can change the query's shape. Binding in
the text rather than through SEP-0007 substitutions is what lets Oxigraph plan from the value:
substituted variables are joined in after the plan, which made an alliance question 150 times
slower at 100x (bench/RESULTS.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph
import yaml

from treatykg import names
from treatykg.dates import parse_day

XSD = "http://www.w3.org/2001/XMLSchema#"
ID = "https://w3id.org/treatykg/id/"
_PARAM = re.compile(r"\?(_([A-Za-z][A-Za-z0-9]*)_(iri|xsd_date|xsd_string|xsd_integer))\b")
# parameter name -> the kinds of resource an IRI parameter given as a bare key may name
_KEY_KINDS = {
    "state": ("state",),
    "treaty": ("treaty",),
    "alliance": ("alliance",),
    "subject": ("treaty", "alliance"),
}


class QueryError(Exception):
    """A query cannot run as asked: unknown query, parameter or key, or a malformed value."""


@dataclass(frozen=True)
class Parameter:
    name: str  # as the user gives it: asOf, treaty, state
    variable: str  # as the query spells it, without '?': _asOf_xsd_date
    kind: str  # iri, xsd_date, xsd_string, xsd_integer
    default: str | None


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    example: str = ""
    violation: bool = False

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (it takes: {known})")


@dataclass
class Result:
    """A SELECT answer: column names and rows of pyoxigraph terms (None where unbound)."""

    columns: list[str]
    rows: list[tuple] = field(default_factory=list)

    def records(self) -> list[dict[str, object]]:
        """Rows as dicts of plain Python values (str, bool, int, date), for the API.

        Projected parameters (columns named `_...`) echo the input and are left out.
        """
        return [
            {c: plain(t) for c, t in zip(self.columns, row, strict=True) if not c.startswith("_")}
            for row in self.rows
        ]


def plain(term) -> object:
    """A pyoxigraph term as a plain value: IRIs and strings as str, typed literals converted."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.Literal):
        kind = term.datatype.value
        if kind == XSD + "boolean":
            return term.value == "true"
        if kind == XSD + "integer":
            return int(term.value)
        if kind == XSD + "date":
            return date.fromisoformat(term.value)
        return term.value
    return str(term)


def read_query(path: Path) -> LibraryQuery:
    """Parse a library file: its `#+` header (YAML) and the parameters its text uses."""
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[3:] if line.startswith("#+ ") else "" for line in text.splitlines()
                       if line.startswith("#+"))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as error:
        raise QueryError(f"{path}: the #+ header is not YAML: {error}") from None
    defaults: dict[str, str] = {}
    for item in meta.get("defaults") or []:
        defaults.update({str(k): str(v) for k, v in item.items()})
    params: dict[str, Parameter] = {}
    for match in _PARAM.finditer(text):
        variable, name, kind = match.groups()
        params.setdefault(name, Parameter(name, variable, kind, defaults.get(name)))
    return LibraryQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(meta.get("summary", "")),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(meta.get("tags") or ()),
        parameters=tuple(params.values()),
        example=str(meta.get("example", "")),
        violation=path.stem.endswith("-violation"),
    )


def library(folder: Path) -> dict[str, LibraryQuery]:
    """Every query under `folder`, by name (file name without .rq)."""
    return {q.name: q for q in (read_query(p) for p in sorted(folder.glob("*.rq")))}


def find(folder: Path, name_or_file: str) -> LibraryQuery:
    """A library query by name, or any .rq file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return read_query(path)
    candidate = folder / f"{name_or_file}.rq"
    if candidate.is_file():
        return read_query(candidate)
    known = ", ".join(sorted(library(folder))) or "none"
    raise QueryError(f"no query named {name_or_file!r} (the library has: {known})")


def _exists(store: pyoxigraph.Store, node: pyoxigraph.NamedNode) -> bool:
    return any(True for _ in store.quads_for_pattern(node, None, None))


def bind_value(store: pyoxigraph.Store, parameter: Parameter, value: str):
    """Turn a user's text into the RDF term the parameter takes: a key parameter (state,
    treaty, alliance, subject) takes a code, name or alias (`treatykg.names`); unknown keys
    and ambiguous names are errors."""
    if parameter.kind == "xsd_date":
        try:
            return pyoxigraph.Literal(parse_day(value).isoformat(),
                                      datatype=pyoxigraph.NamedNode(XSD + "date"))
        except ValueError as error:
            raise QueryError(f"{parameter.name}: {error}") from None
    if parameter.kind == "xsd_integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"{parameter.name}: {value!r} is not a whole number")
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(XSD + "integer"))
    if parameter.kind == "xsd_string":
        return pyoxigraph.Literal(value)
    if re.match(r"^https?://", value):
        try:
            node = pyoxigraph.NamedNode(value)
        except ValueError:
            raise QueryError(f"{parameter.name}: {value!r} is not a valid IRI") from None
        if _exists(store, node):
            return node
        raise QueryError(f"{parameter.name}: {value} is not in the graph")
    kinds = _KEY_KINDS.get(parameter.name, names.KINDS)
    try:  # a code, a name or an alias, as every command takes them
        return pyoxigraph.NamedNode(names.resolve(store, value, kinds).iri)
    except names.NotFound as error:
        raise QueryError(str(error)) from None


# The lexical pieces a parameter must not be replaced inside, the variables, and the words
# and brackets that tell a projection or a GROUP BY list from a pattern.
_TOKEN = re.compile(r"""
    (?P<skip>\#[^\n]*
       | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\" | '''(?:[^'\\]|\\.|'(?!''))*'''
       | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*'
       | <[^<>"{}|^`\\\s]*>
       | [A-Za-z_][\w.-]*:[\w.-]* | :[\w.-]*)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<bracket>[(){}])
""", re.VERBOSE)
_CLAUSE_END = {"WHERE", "FROM", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"}


def bind_text(text: str, terms: dict[str, str]) -> str:
    """`text` with each parameter variable (name without '?' -> term in N-Triples form) written
    as its term. In a projection the variable becomes `(term AS ?var)` in the outermost SELECT
    (so the answer still echoes it) and is dropped from a subquery's (the outer one binds it);
    in a GROUP BY list it becomes a constant key under a name of its own (rdflib cannot group by
    an unnamed expression). Comments, strings and IRIs are left alone."""
    out, clause, depth, selects, last = [], None, 0, 0, 0
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        replacement = token
        if kind == "word":
            word = token.upper()
            if word == "SELECT":
                clause, depth, selects = "select", 0, selects + 1
            elif word == "GROUP":
                clause, depth = "group", 0
            elif word in _CLAUSE_END:
                clause = None
        elif kind == "bracket":
            if token in "{}":
                clause = None
            elif clause:
                depth += 1 if token == "(" else -1
        elif kind == "var" and token[1:] in terms:
            term = terms[token[1:]]
            if clause == "select" and depth == 0:
                replacement = f"({term} AS ?{token[1:]})" if selects == 1 else ""
            elif clause == "group" and depth == 0:
                replacement = f"({term} AS ?{token[1:]}_key)"
            else:
                replacement = term
        out.append(text[last:match.start()] + replacement)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def bound_text(store: pyoxigraph.Store, query: LibraryQuery, values: dict[str, str]) -> str:
    """The query's text with every parameter bound from `values` or the header's defaults."""
    terms = {}
    for parameter in query.parameters:
        value = values.get(parameter.name, parameter.default)
        if value is None:
            raise QueryError(f"query {query.name!r} needs --param {parameter.name}=...")
        terms[parameter.variable] = str(bind_value(store, parameter, value))
    for name in values:
        query.parameter(name)  # an unknown parameter is an error, not silently ignored
    return bind_text(query.text, terms)


def run(store: pyoxigraph.Store, query: LibraryQuery, values: dict[str, str]) -> Result:
    """Run a SELECT with every parameter bound from `values` or the header's defaults."""
    text = bound_text(store, query, values)
    try:
        solutions = store.query(text)
    except (SyntaxError, OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"{query.path.name}: {error}") from None
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise QueryError(f"{query.path.name}: only SELECT queries are supported")
    columns = [v.value for v in solutions.variables]
    rows = [tuple(solution) for solution in solutions]  # by position: 2.5x faster than by name
    return Result(columns, rows)
