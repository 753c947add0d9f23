"""The question library as a web API, in grlc's convention.

`GET /api/` lists the questions as a Swagger 2.0 document, as grlc does (one path per query,
its summary, description, tags and parameters); `GET /api/NAME?param=value` answers one.
Parameters are named as in the queries' grlc headers (`alliance`, `treaty`, `asOf`, ...) and
take values as the CLI does (a key such as `nato` or `LTU`, or a full IRI; dates as
YYYY-MM-DD). A parameter left out takes the query's documented default (`asOf`: today); one
the query does not take is an error naming it. Values become checked RDF terms and are
written into the query by `queries.bound_text`: user text never becomes SPARQL.

>>> from treatykg.paths import find_project
>>> from treatykg import answers
>>> project = find_project()
>>> questions = Questions(answers.open_store(project), queries.library(project.queries))
>>> text = questions.bound("alliance-members-bound", [("asOf", "2026-11-22")])
>>> "<https://w3id.org/treatykg/id/alliance/nato>" in text
True
>>> try:
...     questions.bound("alliance-members-bound", [("colour", "red")])
... except ApiError as error:
...     print(error.status, error)
400 query 'alliance-members-bound' has no parameter 'colour' (it takes: alliance, treaty, asOf)
"""

from __future__ import annotations

from collections import OrderedDict

import pyoxigraph

from treatykg import negotiation, queries
from treatykg.dates import as_of_day

RESERVED = ("format",)  # an API parameter of the endpoint itself, not of a question
_TYPES = {"iri": ("string", "iri"), "xsd_date": ("string", "date"),
          "xsd_string": ("string", None), "xsd_integer": ("integer", None)}
# a kind of resource an IRI parameter names by a key (queries._KEY_KINDS): whose, what, e.g.
_KEYS = {"state": ("state's", "code", "LTU"), "treaty": ("treaty's", "key", "cmc"),
         "alliance": ("alliance's", "key", "nato")}


class ApiError(Exception):
    """A request the API cannot answer: `status` 404 (no such question) or 400."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def defaults(query: queries.LibraryQuery) -> dict[str, str]:
    """The values a question takes when none are given: its header's, with today's date for
    a default of today (every asOf has one: `queries.read_query`)."""
    today = as_of_day(None).isoformat()
    return {p.name: today if p.default == queries.TODAY else p.default
            for p in query.parameters if p.default is not None}


class Questions:
    """The library bound to one build's store; bound texts are cached by their values (binding
    reads the store to check each key, and the same questions come back)."""

    def __init__(self, store: pyoxigraph.Store, library: dict[str, queries.LibraryQuery],
                 cache_size: int = 2048) -> None:
        self.store = store
        self.library = library
        self._cache: OrderedDict[tuple, str] = OrderedDict()
        self._cache_size = cache_size

    def bound(self, name: str, params: list[tuple[str, str]]) -> str:
        """The question's SPARQL with its parameters bound from `params` and the defaults."""
        query = self.library.get(name)
        if query is None:
            raise ApiError(f"no question named {name!r} (GET /api/ lists them)", 404)
        given: dict[str, str] = {}
        for key, value in params:
            if key in RESERVED:
                continue
            if key in given:
                raise ApiError(f"parameter {key!r} is given twice")
            given[key] = value
        values = {**defaults(query), **given}
        key = (name, tuple(sorted(values.items())))
        text = self._cache.get(key)
        if text is None:
            try:
                text = queries.bound_text(self.store, query, values)
            except queries.QueryError as error:
                raise ApiError(str(error).replace("--param ", "")) from None
            self._cache[key] = text
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return text


def listing(library: dict[str, queries.LibraryQuery], base_path: str = "/api") -> dict:
    """A Swagger 2.0 document of the library, as grlc serves one."""
    paths = {}
    for query in library.values():
        given = defaults(query)
        parameters = []
        for p in query.parameters:
            kind, fmt = _TYPES[p.kind]
            item = {"name": p.name, "in": "query", "type": kind, "required": False,
                    "description": _describe(p)}
            if fmt:
                item["format"] = fmt
            if p.name in given:
                item["default"] = given[p.name]
            parameters.append(item)
        paths[f"/{query.name}"] = {"get": {
            "operationId": query.name,
            "summary": query.summary,
            "description": query.description,
            "tags": list(query.tags),
            "parameters": parameters,
            "produces": [*(media for media, _, _ in negotiation.RESULTS.values()),
                         negotiation.SPARQL_QUERY],
            "responses": {"200": {"description": "SPARQL results"},
                          "400": {"description": "an unknown parameter or a bad value"}},
            "x-example": query.example,
            "x-violation": query.violation,
        }}
    return {"swagger": "2.0",
            "info": {"title": "treatykg question library",
                     "description": "Who is bound by which arms-control treaty and alliance, "
                                    "on which date, and why.",
                     "version": "1"},
            "basePath": base_path, "schemes": ["http"], "paths": paths}


def _describe(parameter: queries.Parameter) -> str:
    if parameter.kind == "xsd_date":
        return "a date, YYYY-MM-DD" + (" (default: today)" if parameter.name == "asOf" else "")
    if parameter.kind == "iri":
        if parameter.name in queries._IDENTIFIED:  # checked first, as queries binds them
            what = (f"{_article(parameter.name)} {parameter.name}'s identity "
                    f"({queries._IDENTIFIED[parameter.name]})")
        elif parameter.name in queries._KEY_KINDS:
            what = _keys(queries._KEY_KINDS[parameter.name])
        else:
            what = "a key"
        return what + ", or a full IRI"
    return parameter.kind.replace("xsd_", "an xsd:")


def _keys(kinds: tuple[str, ...]) -> str:
    """`a treaty's or alliance's key (e.g. cmc, nato)`: the keys naming resources of `kinds`."""
    whose = " or ".join(_KEYS[k][0] for k in kinds)
    what = " or ".join(dict.fromkeys(_KEYS[k][1] for k in kinds))
    examples = ", ".join(_KEYS[k][2] for k in kinds)
    return f"{_article(whose)} {whose} {what} (e.g. {examples})"


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"
