"""The query guard: what a query sent to the endpoint may do, decided before it runs.

Oxigraph executes `SERVICE <iri>` against any address, from the server's own network
(docs: ENGINES.md, "Serving"), so SERVICE is refused before execution unless federation is
allowed for that endpoint. The check is a scan of the query's tokens, made conservative so
that it cannot miss a SERVICE the engine would run:

- comments, strings and IRIs are skipped (a SERVICE there is text, not a keyword); anything
  else that spells "service" in any case, inside a word or a prefixed name, counts. Oxigraph's
  parser matches keywords without a word boundary (`SERVICEex:x{}` runs a SERVICE to `ex:x`),
  so a token that merely contains the word is refused;
- the scan reads the text as written and again with its `\\u` escapes decoded (`\\u0053`
  is `S`: the SPARQL spec decodes them before parsing; Oxigraph 0.5 does not, a later version
  might);
- where the scan's tokens could differ from the parser's (a `<` the scan takes for an IRI's
  start but the parser for "less than"), the text the scan skips can hold no `{`, whitespace
  or `<`, so no SERVICE clause can hide in it.

The guard also refuses SPARQL Update (the endpoint is read-only), FROM and FROM NAMED naming a
graph the endpoint does not serve, and finds the query form (SELECT, ASK, CONSTRUCT,
DESCRIBE) that content negotiation needs. A verdict is cached by query text: the scan is
cheap, but a library question costs a few milliseconds and the same texts come back.

>>> guard = Guard()
>>> guard.inspect("SELECT * WHERE { ?s ?p 'SERVICE' } # SERVICE in a comment").form
'SELECT'
>>> try:
...     guard.inspect("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
... except Refused as refused:
...     print(refused.status, refused)
403 SERVICE <http://example.org/sparql> is refused: this endpoint does not federate
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

_NAME_CHARS = r"\w.\-\u00B7\u0300-\u036F\u203F\u2040"
_COMMENT = r"\#[^\n\r\x0b\x0c\x85\u2028\u2029]*"
_STRING = r"""\"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*\"\"\" | '''(?:[^'\\]|\\[\s\S]|'(?!''))*'''
      | "(?:[^"\\\n\r]|\\.)*" | '(?:[^'\\\n\r]|\\.)*'"""
_IRI = r"""<[^<>"{}|^`\\\x00-\x20]*>"""
_LEX = re.compile(rf"""
    (?P<comment>{_COMMENT})
  | (?P<string>{_STRING})
  | (?P<iri>{_IRI})
  | (?P<var>[?$][{_NAME_CHARS}]+)
  | (?P<pname>(?:[^\W\d_][{_NAME_CHARS}]*)?:
      (?:[{_NAME_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<blank>_:[{_NAME_CHARS}]*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[^\W\d_]\w*)
""", re.VERBOSE)
_TEXT = re.compile(f"{_COMMENT} | {_STRING} | {_IRI}", re.VERBOSE)  # not SPARQL syntax
_BRACKET = re.compile(r"[(){}\[\]]")
# Oxigraph's parser recurses once per level: at 3,000 nested groups its stack overflows and
# the process dies (measured); no real query comes near this
MAX_DEPTH = 200
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
            "WITH"}


class Refused(Exception):
    """A query the endpoint will not run; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Inspected:
    """What the guard found in an accepted query."""

    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE; None when the parser must say why
    services: tuple[str, ...] = ()  # endpoints of allowed SERVICE clauses


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.lastgroup, m.group()) for m in _LEX.finditer(text)]


def _depth(text: str) -> int:
    """How deeply (), {} and [] nest outside comments, strings and IRIs."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_TEXT.sub(" ", text)):
        depth += 1 if match.group() in "({[" else -1
        deepest = max(deepest, depth)
    return deepest


def _decode_escapes(text: str) -> str:
    def one(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group()
    return _ESCAPE.sub(one, text)


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _spells_service(token: _Token) -> bool:
    """A token the parser may read as (or as starting with, or hiding) the SERVICE keyword."""
    if token.kind not in ("word", "pname", "blank", "langtag"):
        return False
    return "service" in _folded(token.text)


class Guard:
    """The endpoint's policy for query text, with verdicts cached by text.

    `served_graphs`: the named graphs FROM / FROM NAMED may name (the store's; none in a
    treatykg build, whose triples are all in the default graph). `federation`: endpoint
    prefixes SERVICE may call (none by default: every SERVICE is refused).
    """

    def __init__(self, served_graphs: tuple[str, ...] = (), federation: tuple[str, ...] = (),
                 cache_size: int = 4096) -> None:
        self.served_graphs = frozenset(served_graphs)
        self.federation = tuple(federation)
        self._cache: OrderedDict[str, Inspected | Refused] = OrderedDict()
        self._cache_size = cache_size

    def inspect(self, text: str) -> Inspected:
        """The query's form, or Refused naming what is not allowed."""
        verdict = self._cache.get(text)
        if verdict is None:
            try:
                verdict = self._inspect(text)
            except Refused as refused:
                verdict = refused
            self._cache[text] = verdict
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(text)
        if isinstance(verdict, Refused):
            raise verdict
        return verdict

    def check_graphs(self, iris: list[str]) -> None:
        """Protocol parameters default-graph-uri / named-graph-uri: only served graphs."""
        for iri in iris:
            self._check_graph("default-graph-uri/named-graph-uri", iri)

    def _inspect(self, text: str) -> Inspected:
        if (depth := _depth(text)) > MAX_DEPTH:
            raise Refused(f"the query nests brackets {depth} levels deep; at most {MAX_DEPTH} "
                          "are accepted", 400)
        decoded = _decode_escapes(text)
        if decoded != text and any(_spells_service(t) for t in _tokens(decoded)):
            raise Refused("SERVICE is refused (spelled with \\u escapes): this endpoint does "
                          "not federate", 403)
        significant, prefixes, base, first = _opening(text)
        if first in _UPDATES:
            raise Refused(f"SPARQL Update ({first}) is refused: this endpoint is read-only", 403)
        services = self._services(significant, prefixes, base)
        self._graphs(significant, prefixes, base)
        return Inspected(_form(first), tuple(services))

    @staticmethod
    def _prologue(tokens: list[_Token]) -> tuple[dict[str, str], str | None, int]:
        """PREFIX and BASE declarations, and where the query proper starts."""
        prefixes: dict[str, str] = {}
        base: str | None = None
        i = 0
        while i < len(tokens) and tokens[i].kind == "word":
            word = tokens[i].text.upper()
            if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
                base = _resolve(tokens[i + 1].text[1:-1], base)
                i += 2
            elif (word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1].kind == "pname"
                  and tokens[i + 2].kind == "iri"):
                name = tokens[i + 1].text.rstrip(":")
                prefixes[name] = _resolve(tokens[i + 2].text[1:-1], base) or ""
                i += 3
            else:
                break
        return prefixes, base, i

    def _services(self, tokens: list[_Token], prefixes: dict[str, str],
                  base: str | None) -> list[str]:
        found = []
        for i, token in enumerate(tokens):
            if not _spells_service(token):
                continue
            if token.kind != "word" or _folded(token.text) != "service":
                raise Refused(f"SERVICE is refused: {token.text!r} may be read as the SERVICE "
                              "keyword; this endpoint does not run SERVICE clauses", 403)
            j = i + 1
            if j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.upper() == "SILENT":
                j += 1
            target = tokens[j] if j < len(tokens) else None
            shown = target.text if target else "(nothing)"
            if not self.federation:
                raise Refused(f"SERVICE {shown} is refused: this endpoint does not federate", 403)
            iri = _term_iri(target, prefixes, base) if target else None
            if iri is None:
                raise Refused(f"SERVICE {shown} is refused: only a constant endpoint IRI can "
                              "be checked against the allowed endpoints", 403)
            if not any(_within(iri, allowed) for allowed in self.federation):
                raise Refused(f"SERVICE <{iri}> is refused: not one of the allowed endpoints "
                              f"({', '.join(self.federation)})", 403)
            found.append(iri)
        return found

    def _graphs(self, tokens: list[_Token], prefixes: dict[str, str], base: str | None) -> None:
        for i, token in enumerate(tokens):
            if token.kind != "word" or token.text.upper() != "FROM":
                continue
            j = i + 1
            if j < len(tokens) and tokens[j].kind == "word" and tokens[j].text.upper() == "NAMED":
                j += 1
            target = tokens[j] if j < len(tokens) else None
            iri = _term_iri(target, prefixes, base) if target else None
            self._check_graph("FROM", iri if iri is not None else
                              (target.text if target else "(nothing)"))

    def _check_graph(self, clause: str, iri: str) -> None:
        if iri in self.served_graphs:
            return
        served = (", ".join(f"<{g}>" for g in sorted(self.served_graphs))
                  if self.served_graphs else "none: every triple is in the default graph")
        raise Refused(f"{clause} <{iri}>: not a graph this endpoint serves (named graphs: "
                      f"{served})", 400)


def form(text: str) -> str | None:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE) its first word after the prologue
    names, or None; no policy applied (a client asking another server needs only this).

    >>> form("PREFIX ex: <http://e.org/> construct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    return _form(_opening(text)[3])


def _opening(text: str) -> tuple[list[_Token], dict[str, str], str | None, str]:
    """The query's tokens without comments, its PREFIX and BASE declarations, and its first
    word after them, upper-cased ("" when there is none)."""
    significant = [t for t in _tokens(text) if t.kind != "comment"]
    prefixes, base, position = Guard._prologue(significant)
    first = significant[position].text.upper() if position < len(significant) else ""
    return significant, prefixes, base, first


def _form(first: str) -> str | None:
    return first if first in _FORMS else None


def _resolve(iri: str, base: str | None) -> str | None:
    """An absolute IRI, or None where it cannot be made one."""
    if urlsplit(iri).scheme:
        return iri
    return urljoin(base, iri) if base and urlsplit(base).scheme else None


def _term_iri(token: _Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if token.kind == "iri":
        return _resolve(token.text[1:-1], base)
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes and "\\" not in local and "%" not in local:
            return prefixes[prefix] + local
    return None


def _within(iri: str, allowed: str) -> bool:
    """Whether an endpoint IRI lies under an allowed prefix: same scheme, host and port, and a
    path that is the prefix's or continues it after a '/' (so `https://a.org/sparql` allows
    `https://a.org/sparql?x` but not `https://a.org/sparql.evil` or `https://a.org.evil/`)."""
    got, want = urlsplit(iri), urlsplit(allowed)
    try:
        same_port = got.port == want.port
    except ValueError:
        return False
    if (got.scheme.lower(), got.hostname, same_port, got.username) != (
            want.scheme.lower(), want.hostname, True, want.username):
        return False
    path, prefix = got.path or "/", want.path or "/"
    return path == prefix or path.startswith(prefix if prefix.endswith("/") else prefix + "/")
