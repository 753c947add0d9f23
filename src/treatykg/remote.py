"""Asking a SPARQL 1.1 endpoint that is not the embedded store: the question library with the
same binding and the same output formats, for an institution that keeps the graph in its own
server (`treatykg query NAME --endpoint URL`).

Binding takes the one path the embedded store's does (`queries.bound`); only what a value is
checked against differs (`Names`). A code is looked up as the node it would name (one small
query for that node's names), any other name against the endpoint's catalog of names (one
query, read once), both by `treatykg.names` on an in-memory copy of what the endpoint sent, so
a name means on a server what it means locally; a full IRI must be the subject of a triple
there (one ASK). Values become checked RDF terms, written by pyoxigraph: user text never
becomes SPARQL. No local build is read: the server may hold another version of the graph, and
its names are the ones that count.

The answer is asked for as SPARQL Results JSON (a graph as N-Triples), parsed by pyoxigraph and
written by `results.write`, so that where the rows are the same the bytes are the embedded
store's. Every failure is a `RemoteError` of one line: the HTTP status with the server's first
line of text, a refused connection, a time-out, or an answer cut at the server's row limit
(Virtuoso's `ResultSetMaxRows`, which it announces in an X-SPARQL-MaxRows header and otherwise
applies silently). Credentials come only from environment variables (`Access.from_env`); the
server's challenge chooses HTTP Basic or Digest.

>>> authorization = digest("GET", "/dir/index.html", {
...     "realm": "testrealm@host.com", "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093",
...     "qop": "auth", "opaque": "5ccc069c403ebaf9f0171e9517f40e41"},
...     "Mufasa", "Circle Of Life", cnonce="0a4f113b")
>>> 'response="6629fae49393a05397450978507c4ef1"' in authorization  # RFC 2617's example
True
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import logging
import os
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import BinaryIO
from urllib.parse import urlencode, urlsplit

import pyoxigraph

from treatykg import guard, names, negotiation, queries

log = logging.getLogger(__name__)
AGENT = "treatykg"
FORM = "application/x-www-form-urlencoded"
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_RESULTS = {"application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
            "application/json": pyoxigraph.QueryResultsFormat.JSON,
            "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
            "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV}
_GRAPHS = {"application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
           "text/plain": pyoxigraph.RdfFormat.N_TRIPLES,  # N-Triples' old media type
           "text/turtle": pyoxigraph.RdfFormat.TURTLE,
           "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML}
_SHOWN = 300  # characters of a server's error text in a message


class RemoteError(Exception):
    """A server could not be asked, or did not answer as asked; the message is one line."""


@dataclass(frozen=True)
class Access:
    """Credentials for a server, from the environment only (never the command line, where
    other users of the machine and the shell's history would see them)."""

    prefix: str  # TREATYKG_STORE (publish) or TREATYKG_ENDPOINT (query --endpoint)
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, prefix: str, environ: Mapping[str, str] = os.environ) -> Access:
        return cls(prefix, environ.get(f"{prefix}_USER") or None,
                   environ.get(f"{prefix}_PASSWORD"))

    @property
    def variables(self) -> str:
        return f"{self.prefix}_USER and {self.prefix}_PASSWORD"

    @property
    def given(self) -> bool:
        return self.user is not None and self.password is not None


@dataclass
class Reply:
    status: int
    reason: str
    headers: Message
    body: bytes

    @property
    def media(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def send(method: str, url: str, *, access: Access, body: bytes | BinaryIO | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60.0,
         once: bool = False) -> Reply:
    """One HTTP request; a 4xx or 5xx answer, or none, is a RemoteError.

    A challenge (401) is answered once with `access`, in the scheme the server asks for. A body
    that can be sent only once (`once`: a file being uploaded) is preceded by a HEAD to the
    same URL, answered with the credentials if challenged, so that a refusal is known before
    the upload: a server that refuses a request may close the connection without reading its
    body, and the client then sees only a broken pipe (Virtuoso does, for bad credentials and
    for a graph it cannot write).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{url!r} is not an http:// or https:// URL")
    sent = {"User-Agent": AGENT, **(headers or {})}
    login = _probe(url, access, timeout) if once else None
    reply = _exchange(_request(method, url, body, sent, login), url, timeout)
    if reply.status == 401 and login is None:  # no probe, or the probe was not challenged
        login = _Login.answering(reply, url, access)
        if hasattr(body, "seek"):
            body.seek(0)
        reply = _exchange(_request(method, url, body, sent, login), url, timeout)
    _check(reply, url, access)
    return reply


def _probe(url: str, access: Access, timeout: float) -> _Login | None:
    """Before an upload: a HEAD (without the body's headers, or a server would wait for a body
    that never comes), again with credentials if challenged, so that refused credentials or
    a failing target are said in words before the body is sent."""
    probe = _exchange(_request("HEAD", url, None, {"User-Agent": AGENT}, None), url, timeout)
    if probe.status != 401:
        return None
    login = _Login.answering(probe, url, access)
    probe = _exchange(_request("HEAD", url, None, {"User-Agent": AGENT}, login), url, timeout)
    if probe.status >= 500 and probe.status != 501:  # a HEAD has no text: ask for it
        said = _exchange(_request("GET", url, None, {"User-Agent": AGENT}, login), url, timeout)
        _check(said if said.status >= 400 else probe, url, access)
    _check(probe, url, access, allowed=(404, 405, 501))  # no graph yet; no HEAD: go on
    return login


def _check(reply: Reply, url: str, access: Access, allowed: tuple[int, ...] = ()) -> None:
    if reply.status == 401:
        raise RemoteError(f"{url} refused the credentials in {access.variables}")
    if reply.status >= 400 and reply.status not in allowed:
        raise RemoteError(f"{url} answered {reply.status} {reply.reason}"
                          f"{': ' + _said(reply) if reply.body else ''}")


def _request(method: str, url: str, body, headers: dict[str, str],
             login: _Login | None) -> urllib.request.Request:
    extra = {"Authorization": login.header(method, url)} if login else {}
    return urllib.request.Request(url, data=body, method=method, headers={**headers, **extra})


def _exchange(request: urllib.request.Request, url: str, timeout: float) -> Reply:
    """Send, and read the whole answer; the failures of the network as RemoteErrors."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.reason, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.reason, error.headers, error.read())
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise RemoteError(f"{url} did not answer within {timeout:g} s") from None
        if isinstance(reason, ConnectionRefusedError):
            raise RemoteError(f"cannot reach {url}: connection refused") from None
        shown = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
        raise RemoteError(f"cannot reach {url}: {shown}") from None
    except TimeoutError:
        raise RemoteError(f"{url} did not answer within {timeout:g} s") from None
    except (http.client.HTTPException, ConnectionError) as error:
        what = str(error) or type(error).__name__
        raise RemoteError(f"{url} closed the connection without a whole answer ({what})") \
            from None


def _said(reply: Reply) -> str:
    """The first line of what a server said in an error answer (its message, not its page)."""
    text = reply.body.decode("utf-8", "replace")
    if "html" in reply.media or text.lstrip().startswith("<"):
        quoted = re.search(r"<(xmp|pre)[^>]*>(.*?)</\1>", text, re.DOTALL | re.IGNORECASE)
        text = quoted.group(2) if quoted else re.sub(r"<[^>]*>", "\n", text)
    line = next((x.strip() for x in text.splitlines() if x.strip()), "")
    return line if len(line) <= _SHOWN else line[:_SHOWN] + "..."


_PARAMETER = re.compile(r'([A-Za-z][\w-]*)=("(?:[^"\\]|\\.)*"|[^,\s]+)')


@dataclass
class _Login:
    """Credentials as a server asked for them: Basic, or Digest with its nonce, which serves
    the requests that follow (each numbered)."""

    scheme: str  # basic or digest
    challenge: dict[str, str]
    access: Access
    count: int = 0

    @classmethod
    def answering(cls, reply: Reply, url: str, access: Access) -> _Login:
        offered = [v for v in reply.headers.get_all("WWW-Authenticate") or [] if v.strip()]
        asked = " or ".join(v.split(None, 1)[0] for v in offered) or "no scheme named"
        if not access.given:
            raise RemoteError(f"{url} asks for credentials ({asked}): set {access.variables}")
        for value in offered:
            scheme, _, rest = value.strip().partition(" ")
            if scheme.lower() in ("digest", "basic"):
                challenge = {k.lower(): v.strip('"') for k, v in _PARAMETER.findall(rest)}
                return cls(scheme.lower(), challenge, access)
        raise RemoteError(f"{url} asks for credentials in a scheme treatykg does not speak "
                          f"({asked})")

    def header(self, method: str, url: str) -> str:
        user, password = self.access.user or "", self.access.password or ""
        if self.scheme == "basic":
            return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self.count += 1
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return digest(method, target, self.challenge, user, password, count=self.count)


_DIGESTS = {"MD5": "md5", "MD5-SESS": "md5", "SHA-256": "sha256", "SHA-256-SESS": "sha256"}


def digest(method: str, target: str, challenge: dict[str, str], user: str, password: str,
           cnonce: str | None = None, count: int = 1) -> str:
    """An HTTP Digest Authorization header (RFC 7616; qop=auth, or none as in RFC 2069)."""
    algorithm = challenge.get("algorithm", "MD5").upper()
    if algorithm not in _DIGESTS:
        raise RemoteError(f"the server asks for Digest with {algorithm}, which treatykg does "
                          f"not speak ({', '.join(_DIGESTS)})")

    def h(text: str) -> str:
        return hashlib.new(_DIGESTS[algorithm], text.encode("utf-8")).hexdigest()

    realm, nonce = challenge.get("realm", ""), challenge.get("nonce", "")
    cnonce = cnonce or os.urandom(8).hex()
    secret = h(f"{user}:{realm}:{password}")
    if algorithm.endswith("-SESS"):
        secret = h(f"{secret}:{nonce}:{cnonce}")
    request = h(f"{method}:{target}")
    qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
    fields = {"username": user, "realm": realm, "nonce": nonce, "uri": target}
    if "auth" in qops:
        nc = f"{count:08x}"
        response = h(f"{secret}:{nonce}:{nc}:{cnonce}:auth:{request}")
        more = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
    elif not qops:
        response, more = h(f"{secret}:{nonce}:{request}"), ""
    else:
        raise RemoteError(f"the server asks for Digest with qop={','.join(qops)}, which "
                          "treatykg does not speak (auth)")
    fields["response"] = response
    if "opaque" in challenge:
        fields["opaque"] = challenge["opaque"]
    quoted = ", ".join(f'{k}="{v}"' for k, v in fields.items())
    return f"Digest {quoted}, algorithm={algorithm}{more}"


def check_graph_iri(graph: str | None) -> None:
    """A RemoteError unless `graph` (--graph: a named graph's IRI) is None or an IRI."""
    if graph is not None:
        try:
            pyoxigraph.NamedNode(graph)
        except ValueError:
            raise RemoteError(f"--graph {graph!r} is not an IRI") from None


@dataclass
class Endpoint:
    """A SPARQL 1.1 Protocol endpoint, and the graph to ask it about."""

    url: str
    graph: str | None = None  # the named graph the build was published to: default-graph-uri
    access: Access = field(default_factory=lambda: Access.from_env("TREATYKG_ENDPOINT"))
    timeout: float = 60.0
    _names: Names | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_graph_iri(self.graph)

    @property
    def names(self) -> Names:
        """The endpoint's states, treaties and alliances, for binding (read on first use)."""
        if self._names is None:
            self._names = Names(self)
        return self._names

    def described(self) -> str:
        where = f"graph <{self.graph}>" if self.graph else "its default graph"
        return f"{self.url} ({where})"

    def ask(self, text: str) -> queries.Outcome:
        """Run a query of any form; the outcome as the embedded store would give it."""
        graph_form = guard.form(text) in negotiation.GRAPH_FORMS
        fields = [("query", text)] + ([("default-graph-uri", self.graph)] if self.graph else [])
        reply = send("POST", self.url, body=urlencode(fields).encode("utf-8"),
                     headers={"Content-Type": FORM,
                              "Accept": GRAPH_ACCEPT if graph_form else RESULTS_ACCEPT},
                     access=self.access, timeout=self.timeout)
        if cap := reply.headers.get("X-SPARQL-MaxRows"):
            raise RemoteError(f"{self.url} cut the answer at its row limit ({cap} rows, "
                              "X-SPARQL-MaxRows): rows past it are missing; narrow the "
                              "question or raise the server's limit (Virtuoso: "
                              "ResultSetMaxRows)")
        return _outcome(reply, self.url)

    def rows(self, text: str) -> list[tuple]:
        """A SELECT's rows, as tuples of pyoxigraph terms."""
        outcome = self.ask(text)
        if not isinstance(outcome, pyoxigraph.QuerySolutions):
            raise RemoteError(f"{self.url} did not answer a SELECT with rows")
        return [tuple(solution) for solution in outcome]


def _outcome(reply: Reply, url: str) -> queries.Outcome:
    """The answer parsed by pyoxigraph: solutions or a boolean, or a graph as the triples of
    an in-memory store (so that `results.write` and `format_for` treat it as a local one)."""
    media = reply.media
    try:
        if media in _RESULTS:
            parsed = pyoxigraph.parse_query_results(reply.body, _RESULTS[media])
            if isinstance(parsed, pyoxigraph.QueryBoolean):
                return parsed
            list(parsed)  # read whole once, so that a fault is an error here, not mid-output
            return pyoxigraph.parse_query_results(reply.body, _RESULTS[media])
        if media in _GRAPHS:
            graph = pyoxigraph.Store()
            graph.load(reply.body, _GRAPHS[media])
            return graph.query("CONSTRUCT WHERE { ?s ?p ?o }")
    except (SyntaxError, ValueError) as error:
        raise RemoteError(f"{url} sent an answer that is not valid {media}: "
                          f"{str(error).splitlines()[0] if str(error) else error}") from None
    raise RemoteError(f"{url} answered with {media or 'no content type'}, not SPARQL results "
                      "or RDF: is it a SPARQL endpoint?")


def _values(terms) -> str:
    return " ".join(str(term) for term in terms)  # terms as pyoxigraph writes them


# The names a catalog is read from, for every node with a code (each text is fixed: no value)
_CATALOG = (f"SELECT ?s ?p ?o WHERE {{ ?s {names.PREDICATES[0]} ?code . "
            f"VALUES ?p {{ {_values(names.PREDICATES)} }} ?s ?p ?o }}")


class Names:
    """An endpoint's states, treaties and alliances, as `queries.Lookup` needs them.

    Resolved by `treatykg.names` on an in-memory store holding what the endpoint sent: for a
    code, the names of the few nodes it could be; for any other name, the catalog's names of
    every node with a code. Entries read this way lack a treaty's entry into force and
    termination, which binding does not use."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._catalog: pyoxigraph.Store | None = None

    def resolve(self, text: str, kinds: tuple[str, ...]) -> names.Entry:
        nodes = [node for _, _, node in names.code_nodes(text, kinds)]
        if nodes:
            described = (f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(nodes)} }} "
                         f"VALUES ?p {{ {_values(names.PREDICATES)} }} ?s ?p ?o }}")
            found = names.by_code(self._copy(self.endpoint.rows(described)), text, kinds)
            if found is not None:
                return found
        return names.resolve(self._whole(), text, kinds)

    def has(self, node: pyoxigraph.NamedNode) -> bool:
        return bool(self.endpoint.ask(f"ASK {{ {node} ?p ?o }}"))

    def _whole(self) -> pyoxigraph.Store:
        if self._catalog is None:
            self._catalog = self._copy(self.endpoint.rows(_CATALOG))
            log.info("read %d names from %s", len(self._catalog), self.endpoint.url)
        if not len(self._catalog):
            raise names.NotFound(
                f"{self.endpoint.described()} holds no states, treaties or alliances: publish "
                "the build there (`treatykg publish`), or name the graph it was published to "
                "(--graph IRI)")
        return self._catalog

    @staticmethod
    def _copy(rows: list[tuple]) -> pyoxigraph.Store:
        store = pyoxigraph.Store()
        store.extend(pyoxigraph.Quad(s, p, o) for s, p, o in rows if None not in (s, p, o))
        return store


def execute(endpoint: Endpoint, query: queries.LibraryQuery,
            values: dict[str, str]) -> queries.Answer:
    """Ask a query of the endpoint with every parameter bound from `values` or the header's
    defaults, each checked against the endpoint (`Names`): the remote twin of
    `queries.execute`."""
    text, settings = queries.bound(endpoint.names, query, values)
    return queries.Answer(query, endpoint.ask(text), settings)
