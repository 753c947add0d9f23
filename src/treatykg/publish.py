"""`treatykg publish`: load the built graph into any SPARQL 1.1 server through the Graph Store
HTTP Protocol, replacing its default graph or a named one, then check what the server holds.

A PUT of the build's N-Triples to the Graph Store endpoint (`?default`, or `?graph=IRI`)
replaces the graph, but the protocol does not say whether a reader sees the change at once,
and servers differ (README, *Publishing*): during the upload, Oxigraph 0.5's readers went on
seeing the old graph until the new one was whole, Virtuoso 7.2's saw it empty, then in part.
So publish checks after the upload, and says so: the server's count of triples for each
predicate must be the build's. It counts through the server's SPARQL query endpoint when one
is named (the way `query --endpoint` will read the graph), else by reading the graph back
over the Graph Store Protocol. Credentials come only from TREATYKG_STORE_USER and
TREATYKG_STORE_PASSWORD; they are sent when a server asks for them (HTTP Basic or Digest).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph

from treatykg import builds, remote
from treatykg.remote import Access, Endpoint, RemoteError, check_graph_iri, send

log = logging.getLogger(__name__)
ENVIRONMENT = "TREATYKG_STORE"  # TREATYKG_STORE_USER, TREATYKG_STORE_PASSWORD
N_TRIPLES = "application/n-triples"
# Triples per predicate: the same text for the build's store and for the server
COUNTS = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"


@dataclass(frozen=True)
class Published:
    """What publish did and what the server held afterwards."""

    build: str  # the build's folder name
    store: str  # the Graph Store endpoint
    graph: str | None  # the named graph replaced; None: the default graph
    status: int  # the PUT's HTTP status (201: created, 200 or 204: replaced)
    checked_by: str  # the query endpoint counted through, or the Graph Store read back
    expected: dict[str, int]  # triples per predicate in the build
    found: dict[str, int]  # ... and on the server

    @property
    def triples(self) -> int:
        return sum(self.expected.values())

    @property
    def agrees(self) -> bool:
        return self.found == self.expected

    def differences(self) -> list[str]:
        """One line per predicate whose count differs: `<p>: built 12, the server holds 3`."""
        return [f"<{p}>: built {self.expected.get(p, 0):,}, the server holds "
                f"{self.found.get(p, 0):,}"
                for p in sorted(self.expected.keys() | self.found.keys())
                if self.expected.get(p, 0) != self.found.get(p, 0)]

    def summary(self) -> list[str]:
        """What was done and found, in lines for a person."""
        target = f"graph <{self.graph}>" if self.graph else "the default graph"
        done = "created" if self.status == 201 else "replaced"
        lines = [f"published build {self.build} ({self.triples:,} triples) to {target} at "
                 f"{self.store}: {done} (HTTP {self.status})"]
        held = sum(self.found.values())
        if self.agrees:
            lines.append(f"checked through {self.checked_by}: the server holds {held:,} "
                         f"triples there, as built, predicate by predicate "
                         f"({len(self.found)} predicates)")
            lines.append("a Graph Store PUT is not atomic on every server: a reader during "
                         "the upload may have seen the graph empty or in part; it is whole "
                         "now (README: Publishing)")
        else:
            lines.append(f"checked through {self.checked_by}: the server holds {held:,} "
                         f"triples there, not the {self.triples:,} built:")
            lines += [f"  {line}" for line in self.differences()]
        return lines


def counts(store: pyoxigraph.Store) -> dict[str, int]:
    """Triples per predicate in an embedded store."""
    return _per_predicate(store.query(COUNTS))


def _per_predicate(rows) -> dict[str, int]:
    """COUNTS' rows (a predicate and its count) as a dict."""
    return {p.value: int(n.value) for p, n in rows}


def target(store: str, graph: str | None) -> str:
    """The Graph Store URL of the default graph or of a named one.

    >>> target("http://127.0.0.1:7878/store", None)
    'http://127.0.0.1:7878/store?default'
    >>> target("http://h/sparql-graph-crud-auth", "https://e.org/g?v=1")
    'http://h/sparql-graph-crud-auth?graph=https%3A%2F%2Fe.org%2Fg%3Fv%3D1'
    """
    joint = "&" if "?" in store else "?"
    return store + joint + ("default" if graph is None else "graph=" + quote(graph, safe=""))


def publish(build: builds.Build, store: str, *, graph: str | None = None,
            endpoint: str | None = None, access: Access | None = None,
            timeout: float = 300.0) -> Published:
    """Replace the default graph (or `graph`) at the Graph Store endpoint `store` with the
    build's triples, then count them on the server (through `endpoint`, a SPARQL query
    endpoint, when given). Raises RemoteError when the server cannot be reached or refuses."""
    check_graph_iri(graph)
    access = access or Access.from_env(ENVIRONMENT)
    url = target(store, graph)
    expected = counts(build.store)
    data = build.path / "treatykg.nt"
    size = data.stat().st_size
    log.info("uploading %s (%d bytes) to %s", data, size, url)
    with data.open("rb") as file:  # streamed: a build 100 times the size is 1.3 GB
        reply = send("PUT", url, body=file, once=True, access=access, timeout=timeout,
                     headers={"Content-Type": N_TRIPLES, "Content-Length": str(size)})
    if endpoint is not None:
        server = Endpoint(endpoint, graph=graph, access=access, timeout=timeout)
        found = _per_predicate(server.rows(COUNTS))
        checked_by = endpoint
    else:
        found = _read_back(url, access, timeout)
        checked_by = f"{url} (read back)"
    return Published(build.name, store, graph, reply.status, checked_by, expected, found)


def _read_back(url: str, access: Access, timeout: float) -> dict[str, int]:
    """Triples per predicate in the graph as the Graph Store sends it back."""
    reply = send("GET", url, headers={"Accept": N_TRIPLES}, access=access, timeout=timeout)
    formats = {media: remote._GRAPHS[media] for media in (N_TRIPLES, "text/plain", "text/turtle")}
    if reply.media not in formats:
        raise RemoteError(f"{url} sent the graph back as {reply.media or 'no content type'}, "
                          "not N-Triples or Turtle")
    try:
        return dict(Counter(t.predicate.value
                            for t in pyoxigraph.parse(reply.body, formats[reply.media])))
    except SyntaxError as error:
        raise RemoteError(f"{url} sent back a graph that is not valid {reply.media}: "
                          f"{str(error).splitlines()[0]}") from None
