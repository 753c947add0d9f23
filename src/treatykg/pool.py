"""The worker pool: runs each query in a worker process with a wall-clock limit that holds.

A query past the time limit is not asked to stop (pyoxigraph has no way to ask): its worker
is killed and a new one started on the same build folder, so the limit holds for any query,
and the server never reads a build other than the one it was started on. The pool admits at
most `workers + waiting` queries at once; one more is refused at once (`Busy`, answered 503
with Retry-After), never queued without bound. A query that waits longer than the time limit
for a free worker is refused the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
# the pipe's framing, at both ends (this pool and treatykg.worker): a 4-byte big-endian length,
# then that many bytes
FRAME_HEAD = struct.Struct("!I")


def frame(data: bytes) -> bytes:
    return FRAME_HEAD.pack(len(data)) + data


def read_frame(stream) -> bytes | None:
    """The next frame from a blocking binary stream; None at its end."""
    head = stream.read(FRAME_HEAD.size)
    if len(head) < FRAME_HEAD.size:
        return None
    (size,) = FRAME_HEAD.unpack(head)
    return stream.read(size)


def write_frame(stream, data: bytes) -> None:
    stream.write(frame(data))


@dataclass(frozen=True)
class Limits:
    """What one query may take. The defaults suit a public endpoint on a small machine."""

    time_limit: float = 10.0  # seconds of wall clock per query, then its worker is killed
    max_rows: int = 100_000  # rows (or triples) in one answer
    max_bytes: int = 64 * 2**20  # bytes in one answer
    memory: int = 4 * 2**30  # address space of a worker (RLIMIT_AS); 0: no limit
    workers: int = 2  # queries running at once
    waiting: int = 14  # queries waiting for a worker, beyond which: 503


class Refusal(Exception):
    """A query the pool did not answer: `status` and a one-line message for the client."""

    def __init__(self, message: str, status: int, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass
class Answer:
    status: int
    media_type: str | None
    body: bytes
    message: str | None


class _Worker:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def read(self) -> bytes:
        (size,) = FRAME_HEAD.unpack(await self.process.stdout.readexactly(FRAME_HEAD.size))
        return await self.process.stdout.readexactly(size)

    async def ask(self, request: dict) -> tuple[dict, bytes]:
        data = json.dumps(request).encode()
        self.process.stdin.write(frame(data))
        await self.process.stdin.drain()
        head = json.loads(await self.read())
        return head, await self.read()

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()


def _died(code: int | None, limits: Limits) -> str:
    """Why a worker died under a query, as far as its exit tells."""
    if code in (-signal.SIGABRT, -signal.SIGKILL) and limits.memory:
        return (f"the query needed more than the worker's {limits.memory // 2**20:,} MiB of "
                f"memory and was stopped (signal {-code})")
    shown = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
    return f"the engine failed on this query and its worker was restarted ({shown})"


class Pool:
    """Worker processes on one build folder, started by `start()` inside the event loop."""

    def __init__(self, build: Path, limits: Limits) -> None:
        self.build = build
        self.limits = limits
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._admitted = 0
        self._closing = False
        self._starting: set[asyncio.Task] = set()
        self._restarts = 0

    async def start(self) -> None:
        started = await asyncio.gather(*(self._spawn() for _ in range(self.limits.workers)),
                                       return_exceptions=True)
        failed = [s for s in started if isinstance(s, BaseException)]
        if failed:
            await asyncio.gather(*(w.kill() for w in started if isinstance(w, _Worker)))
            self._all.clear()
            raise failed[0]
        for worker in started:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "treatykg.worker", str(self.build),
            str(self.limits.max_rows), str(self.limits.max_bytes), str(self.limits.memory),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            limit=2**20)
        worker = _Worker(process)
        try:
            hello = json.loads(await asyncio.wait_for(worker.read(), 60))
        except (TimeoutError, asyncio.IncompleteReadError, ValueError):
            await worker.kill()
            raise RuntimeError(f"a worker on {self.build} did not start") from None
        if not hello.get("ready"):
            await worker.kill()
            raise RuntimeError(f"a worker could not open {self.build}: {hello.get('message')}")
        self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start another on the same build, in the background."""
        self._all.discard(worker)
        self._restarts += 1
        log.info("replacing a worker on %s (%d replaced since the pool started)",
                 self.build.name, self._restarts)

        async def replace() -> None:
            await worker.kill()
            if self._closing:
                return
            try:
                fresh = await self._spawn()
            except RuntimeError as error:  # the build went away: keep trying is pointless
                log.error("%s", error)
                return
            if self._closing:
                await fresh.kill()
            else:
                self._idle.put_nowait(fresh)

        task = asyncio.get_running_loop().create_task(replace())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def run(self, request: dict) -> Answer:
        """Answer one query, or raise Refusal (503 busy, 504 past the limit, 500 died)."""
        limits = self.limits
        if self._closing:
            raise Refusal("the server is switching builds or stopping: retry", 503, 1)
        if self._admitted >= limits.workers + limits.waiting:
            raise Refusal(f"too many queries at once ({self._admitted} running or waiting): "
                          "retry shortly", 503, max(1, round(limits.time_limit / 2)))
        self._admitted += 1
        try:
            try:
                worker = await asyncio.wait_for(self._idle.get(), limits.time_limit)
            except TimeoutError:
                raise Refusal(f"no worker came free within {limits.time_limit:g} s: retry "
                              "shortly", 503, max(1, round(limits.time_limit))) from None
            try:
                head, body = await asyncio.wait_for(worker.ask(request), limits.time_limit)
            except TimeoutError:
                self._replace(worker)
                raise Refusal(f"the query ran past the {limits.time_limit:g} s limit and was "
                              "stopped", 504) from None
            except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(worker.process.wait(), 1)
                code = worker.process.returncode
                self._replace(worker)
                raise Refusal(_died(code, limits), 500) from None
            except BaseException:  # cancelled mid-answer: the worker's pipe is out of step
                self._replace(worker)
                raise
            self._idle.put_nowait(worker)
            return Answer(head["status"], head.get("type"), body, head.get("message"))
        finally:
            self._admitted -= 1

    async def close(self, drain: float = 0.0) -> None:
        """Stop every worker, after waiting up to `drain` seconds for admitted queries."""
        deadline = time.monotonic() + drain
        while self._admitted and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        self._closing = True
        for task in list(self._starting):
            with contextlib.suppress(BaseException):
                await task
        await asyncio.gather(*(w.kill() for w in list(self._all)))
        self._all.clear()
