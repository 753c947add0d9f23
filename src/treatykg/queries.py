"""The question library and the one query runner.

A library query is a .rq file under queries/ with a grlc-style header (`#+ summary:`, ...).
Its parameters are variables named in grlc's convention, `?_name_type` (`?_asOf_xsd_date`,
`?_treaty_iri`). A user's value becomes an RDF term first (a key must name a resource in the
graph, a date must be a day), and that term, serialised by pyoxigraph, replaces the variable in
the query: never the user's text itself, so no value can change the query's shape. Binding in
the text rather than through SEP-0007 substitutions is what lets Oxigraph plan from the value:
substituted variables are joined in after the plan, which made an alliance question 150 times
slower at 100x (bench/RESULTS.md).

A library query is also safe to paste into any SPARQL 1.1 endpoint, where nothing binds its
parameters: each scope that uses a parameter opens with its declaration, one line that gives the
header's default when the parameter is unbound, and names the value the query then uses:

    BIND(COALESCE(?_treaty_iri, <https://w3id.org/treatykg/id/treaty/cmc>) AS ?treaty_iri)

When treatykg binds the query, `bind_text` drops these lines and writes the term for both
spellings, so the text Oxigraph plans from is the one it was before defaults were declared
(queries/README.md has the convention).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import pyoxigraph
import yaml

from treatykg import names
from treatykg.dates import as_of_day, parse_day

XSD = "http://www.w3.org/2001/XMLSchema#"
ID = names.ID
_PARAM = re.compile(r"\?(_([A-Za-z][A-Za-z0-9]*)_(iri|xsd_date|xsd_string|xsd_integer))\b")
# A parameter's declaration: `BIND(COALESCE(?_name_kind, DEFAULT) AS ?name_kind)`, a line alone.
_DECLARATION = re.compile(
    r"^[ \t]*BIND\(COALESCE\(\?_(?P<var>[A-Za-z][A-Za-z0-9]*_"
    r"(?:iri|xsd_date|xsd_string|xsd_integer)), (?P<default>.+)\) AS \?(?P=var)\)[ \t]*(?:\n|\Z)",
    re.MULTILINE)
TODAY = "today"  # a date parameter's default: the day the question is asked
# "today" as a query declares it for an endpoint: the date of NOW() (SPARQL 1.1 has no cast of
# a dateTime to xsd:date, and Oxigraph's gives the date a time zone).
TODAY_SPARQL = "STRDT(SUBSTR(STR(NOW()), 1, 10), xsd:date)"
# parameter name -> the kinds of resource an IRI parameter given as a bare key may name
_KEY_KINDS = {
    "state": ("state",),
    "treaty": ("treaty",),
    "alliance": ("alliance",),  # organizations such as the EU included (treatykg.names)
    "subject": ("treaty", "alliance"),
}

# parameters naming an event or a declaration by its identity (Event.key, a declaration's id)
_IDENTIFIED = {"event": "subject/STATE/kind/n, e.g. apmbc/UKR/suspension/1",
               "declaration": "its id, e.g. cmc-bel-regions"}
_IDENTITY = re.compile(r"[A-Za-z0-9-]+(?:/[A-Za-z0-9-]+)*")


class QueryError(Exception):
    """A query cannot run as asked: unknown query, parameter or key, or a malformed value."""


@dataclass(frozen=True)
class Parameter:
    name: str  # as the user gives it: asOf, treaty, state
    variable: str  # as the query spells it, without '?': _asOf_xsd_date
    kind: str  # iri, xsd_date, xsd_string, xsd_integer
    default: str | None  # the header's default, as a user would give it: cmc, LTU, today
    declared: str | None = None  # the default the query's text declares, in SPARQL


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


@dataclass(frozen=True)
class Setting:
    """A parameter as an answer used it, and whether the user gave it: no silent defaults.

    >>> str(Setting("treaty", "apmbc", "default")), str(Setting("asOf", "2025-09-01", "given"))
    ('treaty=apmbc (default)', 'asOf=2025-09-01')
    """

    name: str
    value: str  # as a user would give it: a key (cmc, LTU), a date, or an IRI not ours
    origin: str  # given, default (the header's), or today (asOf's default)

    def __str__(self) -> str:
        return self.name + "=" + self.value + ("" if self.origin == "given" else
                                               f" ({self.origin})")


@dataclass
class Result:
    """A SELECT answer: column names and rows of pyoxigraph terms (None where unbound), and
    the parameters it was asked with."""

    columns: list[str]
    rows: list[tuple] = field(default_factory=list)
    settings: tuple[Setting, ...] = ()

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
    defaults: dict[str, str] = {"asOf": TODAY}  # DESIGN: "as of" defaults to today
    for item in meta.get("defaults") or []:
        defaults.update({str(k): str(v) for k, v in item.items()})
    declared: dict[str, str] = {}
    for match in _DECLARATION.finditer(text):
        variable, default = "_" + match["var"], match["default"]
        if declared.setdefault(variable, default) != default:
            raise QueryError(f"{path}: ?{variable} is declared with two defaults: "
                             f"{declared[variable]} and {default}")
    params: dict[str, Parameter] = {}
    for match in _PARAM.finditer(text):
        variable, name, kind = match.groups()
        params.setdefault(name, Parameter(name, variable, kind, defaults.get(name),
                                          declared.get(variable)))
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


class Lookup(Protocol):
    """What a parameter's value is checked against: the embedded store (`StoreLookup`) or a
    remote endpoint (`treatykg.remote.Names`), so that one binding path serves both."""

    def resolve(self, text: str, kinds: tuple[str, ...]) -> names.Entry:
        """The one state, treaty or alliance of `kinds` that `text` names (names.NotFound)."""
        ...

    def has(self, node: pyoxigraph.NamedNode) -> bool:
        """Whether the graph says anything about `node`."""
        ...


@dataclass(frozen=True)
class StoreLookup:
    """Values checked against an embedded store."""

    store: pyoxigraph.Store

    def resolve(self, text: str, kinds: tuple[str, ...]) -> names.Entry:
        return names.resolve(self.store, text, kinds)

    def has(self, node: pyoxigraph.NamedNode) -> bool:
        return any(True for _ in self.store.quads_for_pattern(node, None, None))


Graph = pyoxigraph.Store | Lookup  # what binding checks values against


def _lookup(graph: Graph) -> Lookup:
    return StoreLookup(graph) if isinstance(graph, pyoxigraph.Store) else graph


def bind_value(graph: Graph, parameter: Parameter, value: str):
    """Turn a user's text into the RDF term the parameter takes: a key parameter (state,
    treaty, alliance, subject) takes a code, name or alias (`treatykg.names`); unknown keys
    and ambiguous names are errors. `graph` is the embedded store or a remote endpoint's
    `Lookup`: the value is checked against the graph the query will run on."""
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
        if _lookup(graph).has(node):
            return node
        raise QueryError(f"{parameter.name}: {value} is not in the graph")
    if parameter.name in _IDENTIFIED:  # an event or declaration by its identity
        node = pyoxigraph.NamedNode(f"{ID}{parameter.name}/{value}") if _IDENTITY.fullmatch(
            value) else None
        if node is not None and _lookup(graph).has(node):
            return node
        raise QueryError(f"{parameter.name}: no {parameter.name} {value!r} in the graph "
                         f"({_IDENTIFIED[parameter.name]})")
    kinds = _KEY_KINDS.get(parameter.name, names.KINDS)
    try:  # a code, a name or an alias, as every command takes them
        return pyoxigraph.NamedNode(_lookup(graph).resolve(value, kinds).iri)
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
    as its term. A parameter's declaration lines are dropped, and the value they name
    (`?treaty_iri` for `?_treaty_iri`) is written as the term too. In a projection the variable
    becomes `(term AS ?var)` in the outermost SELECT (so the answer still echoes it) and is
    dropped from a subquery's (the outer one binds it); in a GROUP BY list it becomes a constant
    key under a name of its own (rdflib cannot group by an unnamed expression). A variable after
    AS is a name being given, and stays. Comments, strings and IRIs are left alone."""
    declared = {"_" + m["var"] for m in _DECLARATION.finditer(text)} & set(terms)
    text = _DECLARATION.sub(lambda m: "" if "_" + m["var"] in terms else m[0], text)
    spelled = {v: v for v in terms} | {v[1:]: v for v in declared}  # spelling -> parameter
    out, clause, depth, selects, last, after_as = [], None, 0, 0, 0, False
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
        elif kind == "var" and token[1:] in spelled and not after_as:
            variable = spelled[token[1:]]
            term = terms[variable]
            if clause == "select" and depth == 0:
                replacement = f"({term} AS ?{token[1:]})" if selects == 1 else ""
            elif clause == "group" and depth == 0:
                replacement = f"({term} AS ?{variable}_key)"
            else:
                replacement = term
        if not (kind == "skip" and token.startswith("#")):
            after_as = kind == "word" and token.upper() == "AS"
        out.append(text[last:match.start()] + replacement)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _shown(term) -> str:
    """A bound term as a user would give it: our resources by their key."""
    if isinstance(term, pyoxigraph.NamedNode):
        return names.key_of(term.value)
    return term.value


def _terms(graph: Graph, query: LibraryQuery,
           values: dict[str, str]) -> tuple[dict[str, str], tuple[Setting, ...]]:
    """Each parameter's variable -> its term (N-Triples), from `values` or the header's default,
    and the settings an answer reports.

    A default the text also declares must be the same term, so that treatykg and an endpoint
    that leaves the parameter unbound answer the same question."""
    terms, settings = {}, []
    for parameter in query.parameters:
        given = values.get(parameter.name)
        value = given if given is not None else parameter.default
        if value is None:
            raise QueryError(f"query {query.name!r} needs --param {parameter.name}=...")
        if given is None and value == TODAY and parameter.kind == "xsd_date":
            value = as_of_day(None).isoformat()
        node = bind_value(graph, parameter, value)
        term = str(node)
        origin = ("given" if given is not None else
                  TODAY if parameter.default == TODAY else "default")
        settings.append(Setting(parameter.name, _shown(node), origin))
        if given is None and parameter.declared is not None:
            said = TODAY_SPARQL if parameter.default == TODAY else term
            if parameter.declared != said:
                raise QueryError(f"{query.path.name}: {parameter.name}: the header's default "
                                 f"{parameter.default} is {said}, but the query declares "
                                 f"{parameter.declared}")
        terms[parameter.variable] = term
    for name in values:
        query.parameter(name)  # an unknown parameter is an error, not silently ignored
    return terms, tuple(settings)


def bound_text(graph: Graph, query: LibraryQuery, values: dict[str, str]) -> str:
    """The query's text with every parameter bound from `values` or the header's defaults."""
    return bound(graph, query, values)[0]


def bound(graph: Graph, query: LibraryQuery,
          values: dict[str, str]) -> tuple[str, tuple[Setting, ...]]:
    """The query's bound text and the settings its answer reports, each value checked against
    `graph` (the embedded store, or a remote endpoint's `Lookup`)."""
    terms, settings = _terms(graph, query, values)
    return bind_text(query.text, terms), settings


# What pyoxigraph returns for each query form: SELECT, ASK, CONSTRUCT and DESCRIBE.
Outcome = pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples


@dataclass
class Answer:
    """A query's answer as pyoxigraph returned it, for `results.write` to put in a standard
    format or `result()` to read as rows. The outcome is an iterator: read it once."""

    query: LibraryQuery
    outcome: Outcome
    settings: tuple[Setting, ...] = ()  # every parameter, in the order the query uses them

    def result(self) -> Result:
        """The rows of a SELECT, read by position (2.5x faster than by column name)."""
        if not isinstance(self.outcome, pyoxigraph.QuerySolutions):
            kind = "a boolean" if isinstance(self.outcome, pyoxigraph.QueryBoolean) else "a graph"
            raise QueryError(f"{self.query.path.name} answers {kind}, not rows")
        columns = [v.value for v in self.outcome.variables]
        rows = [tuple(solution) for solution in self.outcome]
        return Result(columns, rows, self.settings)


def execute(store: pyoxigraph.Store, query: LibraryQuery, values: dict[str, str]) -> Answer:
    """Run a query of any form with every parameter bound from `values` or the header's
    defaults: the one place a library query meets the store."""
    text, settings = bound(store, query, values)
    try:
        outcome = store.query(text)
    except (SyntaxError, OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"{query.path.name}: {error}") from None
    return Answer(query, outcome, settings)


def run(store: pyoxigraph.Store, query: LibraryQuery, values: dict[str, str]) -> Result:
    """Run a SELECT with every parameter bound from `values` or the header's defaults."""
    return execute(store, query, values).result()
