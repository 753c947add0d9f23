"""The other server stack measured for `treatykg serve`: the `oxigraph` server behind our guard.

The same front (uvicorn, the guard, the API, the bounds on waiting) hands each query to one of
N `oxigraph serve-read-only` processes on loopback instead of a pyoxigraph worker. The Rust
server cannot be asked to stop a query (`--timeout-s` did not stop the cartesian count,
ENGINES.md), so the time limit kills the process that runs it and starts another on the same
store; with one query per process at a time, the kill hurts no other query. Row and byte caps
are not enforced here (the Rust server has none): this stack exists to be measured, by
bench/load.py --stacks.

    python bench/guarded_oxigraph.py PROJECT_ROOT [--port 0] [--time-limit 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from treatykg import builds, negotiation, serve
from treatykg.paths import Project
from treatykg.pool import Answer, Limits, Refusal


def oxigraph_command() -> str:
    """The `oxigraph` CLI installed beside this Python (the PyPI package), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else "oxigraph"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Backend:
    def __init__(self, process: asyncio.subprocess.Process, port: int) -> None:
        self.process, self.port = process, port
        self.connection: http.client.HTTPConnection | None = None

    def ask(self, text: str, accept: str) -> tuple[int, str, bytes]:
        """Blocking: one query over a kept-alive connection (run in a thread)."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=3600)
        self.connection.request("POST", "/query", urlencode({"query": text}),
                                {"Content-Type": "application/x-www-form-urlencoded",
                                 "Accept": accept})
        response = self.connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()
        if self.connection is not None:
            self.connection.close()


class OxigraphPool:
    """A pool of `oxigraph serve-read-only` processes with the interface of treatykg.pool.Pool."""

    def __init__(self, build: Path, limits: Limits) -> None:
        self.build, self.limits = build, limits
        self._idle: asyncio.Queue[_Backend] = asyncio.Queue()
        self._all: set[_Backend] = set()
        self._admitted = 0
        self._closing = False
        self.restarts = 0

    @property
    def busy(self) -> int:
        return self._admitted

    async def start(self) -> None:
        for backend in await asyncio.gather(*(self._spawn() for _ in range(self.limits.workers))):
            self._idle.put_nowait(backend)

    async def _spawn(self) -> _Backend:
        port = free_port()
        process = await asyncio.create_subprocess_exec(
            oxigraph_command(), "serve-read-only", "--location", str(self.build / "store"),
            "--bind", f"127.0.0.1:{port}", stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                backend = _Backend(process, port)
                self._all.add(backend)
                return backend
            await asyncio.sleep(0.02)
        process.kill()
        raise RuntimeError(f"oxigraph did not start on port {port}")

    def _replace(self, backend: _Backend) -> None:
        self._all.discard(backend)
        self.restarts += 1

        async def replace() -> None:
            await backend.kill()
            if not self._closing:
                self._idle.put_nowait(await self._spawn())

        asyncio.get_running_loop().create_task(replace())

    async def run(self, request: dict) -> Answer:
        limits = self.limits
        if self._admitted >= limits.workers + limits.waiting:
            raise Refusal("too many queries at once: retry shortly", 503, 1)
        self._admitted += 1
        try:
            try:
                backend = await asyncio.wait_for(self._idle.get(), limits.time_limit)
            except TimeoutError:
                raise Refusal("no worker came free: retry shortly", 503, 1) from None
            accept = ", ".join(mt for key, (mt, _, _) in negotiation.RESULTS.items()
                               if key == request.get("results")) or "*/*"
            try:
                status, media, body = await asyncio.wait_for(
                    asyncio.to_thread(backend.ask, request["query"], accept), limits.time_limit)
            except TimeoutError:
                self._replace(backend)
                raise Refusal(f"the query ran past the {limits.time_limit:g} s limit and was "
                              "stopped", 504) from None
            except (OSError, http.client.HTTPException):
                self._replace(backend)
                raise Refusal("the oxigraph server failed on this query", 500) from None
            self._idle.put_nowait(backend)
            if status != 200:
                return Answer(status, None, b"", body.decode(errors="replace").strip())
            return Answer(200, media.split(";")[0], body, None)
        finally:
            self._admitted -= 1

    async def close(self, drain: float = 0.0) -> None:
        self._closing = True
        await asyncio.gather(*(b.kill() for b in list(self._all)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--waiting", type=int, default=14)
    args = parser.parse_args()
    project = Project(args.root.resolve())
    options = serve.Options(port=args.port, limits=Limits(
        time_limit=args.time_limit, workers=args.workers, waiting=args.waiting))
    build = builds.open_current(project)
    serve.run(project, build, options, pool_factory=OxigraphPool,
              on_ready=lambda url: print(f"guarded oxigraph: serving build {build.name} at {url}",
                                         flush=True))


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
