"""A worker process: answers queries on one build, one at a time, until its pool kills it.

pyoxigraph has no time limit and a query can run for hours (ENGINES.md, "Serving"), so every
query runs here, in a process the pool (`treatykg.pool`) kills when the wall-clock limit
passes, and replaces with a new one on the same build. The worker opens its build by path and
holds the build's shared lock, so a rebuild cannot remove it while the worker lives.

It talks over stdin/stdout in frames (`treatykg.pool.frame`: a 4-byte big-endian length, then
the bytes): a request is JSON (`query`, `results` and `graph` format keys); the answer is a
JSON head (`status`, `type`, `message`) and a body. SPARQL results are written by
`results.write`, as the CLI writes them (pyoxigraph's serialisers; CSV by
`results.write_csv`), into a buffer that counts rows and bytes as they are written and stops
past either cap, so an answer of millions of rows is refused without ever being held whole.

    python -m treatykg.worker BUILD_FOLDER MAX_ROWS MAX_BYTES [MEMORY_BYTES]
"""

from __future__ import annotations

import ctypes
import io
import json
import logging
import resource
import signal
import sys
from pathlib import Path

import pyoxigraph

from treatykg import builds, negotiation, results
from treatykg.pool import read_frame, write_frame

log = logging.getLogger(__name__)
# Turtle answers use these prefixes (the library's own)
PREFIXES = {
    "tkg": "https://w3id.org/treatykg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
}
# the byte pattern that starts each row in pyoxigraph's output of each results format, and how
# many such patterns belong to the head; JSON rows open as `{"` or `{}` after `[` or `,`,
# which a string cannot hold unescaped (a raw `,{}` in a literal counts one too many: a cap
# errs towards refusing)
_ROW_MARKS = {
    "json": ((b'[{"', b',{"', b"[{}", b",{}"), 0),
    "xml": ((b"<result>",), 0),
    "csv": ((b"\r\n",), 1),
    "tsv": ((b"\n",), 1),
}


class Capped(Exception):
    """The answer passed the row or byte cap."""


class _CountingBuffer(io.RawIOBase):
    """Where a serialiser writes: keeps the bytes, counts rows, stops past a cap."""

    def __init__(self, marks: tuple[bytes, ...], head_rows: int, max_rows: int,
                 max_bytes: int) -> None:
        self.chunks: list[bytes] = []
        self.size = 0
        self.rows = -head_rows
        self.marks, self.max_rows, self.max_bytes = marks, max_rows, max_bytes
        self._keep = max(len(m) for m in marks) - 1
        self._tail = b""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.size += len(data)
        if self.size > self.max_bytes:
            raise Capped(f"the answer is larger than the {self.max_bytes:,}-byte limit")
        window = self._tail + data
        self.rows += sum(window.count(mark) for mark in self.marks)
        self._tail = window[len(window) - self._keep:]  # a mark cut by this write
        if self.rows > self.max_rows:
            raise Capped(f"the answer has more than the {self.max_rows:,}-row limit")
        self.chunks.append(data)
        return len(data)

    def value(self) -> bytes:
        return b"".join(self.chunks)


def answer(store: pyoxigraph.Store, request: dict, max_rows: int,
           max_bytes: int) -> tuple[dict, bytes]:
    """Run one query and write its answer; errors become a status and a one-line message."""
    try:
        result = store.query(request["query"])
    except SyntaxError as error:
        return _error(400, f"the query is not valid SPARQL: {_one_line(error)}")
    except (OSError, RuntimeError, ValueError) as error:
        return _error(500, f"the query failed: {_one_line(error)}")
    try:
        if isinstance(result, pyoxigraph.QueryTriples):
            return _graph(result, request.get("graph"), max_rows, max_bytes)
        key = request.get("results")
        if key is None:
            return _error(406, "this answer is SPARQL results: ask for one of "
                          + negotiation.offered("results"))
        media, fmt, _ = negotiation.RESULTS[key]
        if isinstance(result, pyoxigraph.QueryBoolean):
            return {"status": 200, "type": media, "rows": 1}, result.serialize(format=fmt)
        marks, head = _ROW_MARKS[key]
        buffer = _CountingBuffer(marks, head, max_rows, max_bytes)
        results.write(result, key, buffer)  # as the CLI writes it (CSV: IRIs with a comma quoted)
        return {"status": 200, "type": media, "rows": max(buffer.rows, 0)}, buffer.value()
    except Capped as capped:
        return _error(422, f"{capped}: narrow the query or add a LIMIT")
    except (OSError, RuntimeError, ValueError) as error:
        if isinstance(error.__context__, Capped) or "-row limit" in str(error) \
                or "-byte limit" in str(error):
            return _error(422, f"{_one_line(error)}: narrow the query or add a LIMIT")
        return _error(500, f"the query failed: {_one_line(error)}")


def _graph(triples: pyoxigraph.QueryTriples, key: str | None, max_rows: int,
           max_bytes: int) -> tuple[dict, bytes]:
    if key is None:
        return _error(406, "this answer is an RDF graph: ask for one of "
                      + negotiation.offered("graph"))
    kept = []
    for triple in triples:
        kept.append(triple)
        if len(kept) > max_rows:
            raise Capped(f"the answer has more than the {max_rows:,}-triple limit")
    media, fmt, _ = negotiation.GRAPHS[key]
    body = pyoxigraph.serialize(kept, format=fmt, prefixes=PREFIXES if key == "turtle" else None)
    if len(body) > max_bytes:
        raise Capped(f"the answer is larger than the {max_bytes:,}-byte limit")
    return {"status": 200, "type": media, "rows": len(kept)}, body


def _error(status: int, message: str) -> tuple[dict, bytes]:
    return {"status": status, "message": message}, b""


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _die_with_parent() -> None:
    """Linux: be killed if the server dies, even mid-query (prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    except (OSError, AttributeError):
        log.debug("prctl unavailable: a worker may outlive a killed server until its query ends")


def main(argv: list[str]) -> int:
    folder, max_rows, max_bytes = Path(argv[0]), int(argv[1]), int(argv[2])
    if len(argv) > 3 and int(argv[3]) > 0:  # a query that needs more memory dies, not the box
        resource.setrlimit(resource.RLIMIT_AS, (int(argv[3]), int(argv[3])))
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the pipe
    logging.basicConfig(level=logging.WARNING, format="treatykg worker: %(message)s")
    try:
        build = builds.open_path(folder)
        store = build.store
        len(store)  # open it now, not on the first query
    except (builds.NotBuilt, OSError) as error:
        write_frame(outbox, json.dumps({"ready": False, "message": str(error)}).encode())
        outbox.flush()
        return 1
    write_frame(outbox, json.dumps({"ready": True, "build": build.name}).encode())
    outbox.flush()
    while (frame := read_frame(inbox)) is not None:
        head, body = answer(store, json.loads(frame), max_rows, max_bytes)
        write_frame(outbox, json.dumps(head).encode())
        write_frame(outbox, body)
        outbox.flush()
    build.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
