"""Real SPARQL servers for tests: the `oxigraph` server from PyPI and Debian's Virtuoso
(`virtuoso-opensource`, installed by tests/setup.sh), each with its own database in a temporary
folder, on 127.0.0.1 and free ports. A fixture starts one and stops it (`Running.stop`)."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

VIRTUOSO_USER = VIRTUOSO_PASSWORD = "dba"  # a new Virtuoso database's administrator
REPORT: list[str] = []  # how the servers differed, printed at the end of the run (conftest)


@dataclass
class Running:
    name: str
    process: subprocess.Popen
    query: str  # the SPARQL query endpoint
    store: str  # the Graph Store endpoint
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.is_file() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(running: Running, timeout: float = 60) -> Running:
    """Until the query endpoint answers an ASK, the process ends, or the time is up."""
    ask = running.query + "?query=" + quote("ASK {}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise RuntimeError(f"{running.name} stopped at start:\n{running.tail()}")
        try:
            with urllib.request.urlopen(urllib.request.Request(
                    ask, headers={"Accept": "application/sparql-results+json"}), timeout=5):
                return running
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    running.stop()
    raise RuntimeError(f"{running.name} did not answer within {timeout:g} s:\n{running.tail()}")


def oxigraph(folder: Path) -> Running:
    """`oxigraph serve` (writable: the Graph Store at /store, queries at /query)."""
    binary = Path(sys.executable).with_name("oxigraph")
    assert binary.is_file(), "the oxigraph server is missing: pip install -e '.[test]'"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(binary), "serve", "--location", str(folder / "db"), "--bind",
             f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    return _wait(Running("oxigraph", process, f"{base}/query", f"{base}/store", log))


# Virtuoso's settings: its own database files, both ports on 127.0.0.1, few buffers (about
# 80 MB), and ResultSetMaxRows, the row cap it applies to every SPARQL answer (10,000 in
# Debian's shipped virtuoso.ini).
_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {folder}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def virtuoso(folder: Path, max_rows: int = 10_000) -> Running:
    """Debian's `virtuoso-t` on a new database: queries at /sparql, the Graph Store (HTTP
    Digest, as dba) at /sparql-graph-crud-auth."""
    binary = shutil.which("virtuoso-t")
    assert binary, "Debian's virtuoso-opensource is missing: run tests/setup.sh"
    folder.mkdir(parents=True, exist_ok=True)
    http = free_port()
    sql = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(folder=folder, sql=sql, http=http, max_rows=max_rows))
    log = folder / "virtuoso.out"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "+configfile", str(ini), "+foreground"],
                                   cwd=folder, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    return _wait(Running("virtuoso", process, f"{base}/sparql",
                         f"{base}/sparql-graph-crud-auth", log))


class Fake:
    """A stand-in HTTP server on 127.0.0.1 whose answer a test sets (`answer`), recording each
    request it gets (method, path, headers, body): for the failures a real server is not
    asked to make."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        fake = self
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        # (status, headers, body) for each request, or a callable of the request
        self.answer = lambda method, path, headers, body: (200, {}, b"")

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                fake.requests.append((self.command, self.path, headers, body))
                status, extra, payload = fake.answer(self.command, self.path, headers, body)
                self.send_response(status)
                for key, value in extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_HEAD = _any

            def log_message(self, *args) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
