"""`treatykg serve`: a read-only SPARQL 1.1 Protocol endpoint, the question library as a web
API and a query page, over one build.

The stack, chosen by measurement (bench/RESULTS.md): uvicorn (httptools, uvloop) runs this
ASGI application in one process; queries run in worker processes (`treatykg.pool`) that are
killed at the time limit. In front of every query the guard (`treatykg.guard`) refuses
SERVICE, Update and FROM beyond the served graphs, so nothing reaches the engine that could
write, call out or name another dataset.

Routes:
- `GET /sparql?query=...`, `POST /sparql` (form `query=...`, or `application/sparql-query`):
  SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples,
  JSON-LD or RDF/XML; by Accept or `format`. `GET /sparql` alone: the service description.
- `GET /api/`: the library (Swagger 2.0, as grlc); `GET /api/NAME?param=...`: one question
  (with `format=sparql` or `Accept: application/sparql-query`: its bound SPARQL instead).
- `GET /`: the query page (package files only; nothing is fetched from elsewhere).
Errors are a status and one line of text; anything that would write is 403 or 405.

The server reads only the build it was started on: the front's store, each worker and each
worker started after a kill open that build's folder, whose lock keeps a rebuild from
removing it. With `reload`, a new current build is picked up between requests: a new set of
workers starts on it, new requests go to it, and the old set finishes its queries and stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qsl

from treatykg import api, builds, description, negotiation, queries
from treatykg.guard import Guard, Refused
from treatykg.negotiation import SPARQL_QUERY
from treatykg.paths import Project
from treatykg.pool import Limits, Pool, Refusal

log = logging.getLogger(__name__)
PAGE_FILES = {"/": ("index.html", "text/html; charset=utf-8"),
              "/page.js": ("page.js", "text/javascript; charset=utf-8"),
              "/page.css": ("page.css", "text/css; charset=utf-8")}
FORM = "application/x-www-form-urlencoded"
SPARQL_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class Options:
    """How the endpoint runs; the defaults are its safe defaults."""

    host: str = "127.0.0.1"
    port: int = 7878
    limits: Limits = field(default_factory=Limits)
    max_request_bytes: int = 1 * 2**20  # a query's text, in a body or a URL
    cors: tuple[str, ...] = ()  # origins allowed to read answers from a browser; "*" for any
    federation: tuple[str, ...] = ()  # endpoint prefixes SERVICE may call; none: no SERVICE
    reload: bool = False  # switch to a new current build when one is published

    def limits_line(self) -> str:
        limits = self.limits
        return (f"time limit {limits.time_limit:g} s per query, at most {limits.max_rows:,} "
                f"rows and {limits.max_bytes:,} bytes per answer, {limits.workers} queries "
                f"at once and {limits.waiting} waiting, requests up to "
                f"{self.max_request_bytes:,} bytes")


class ServeError(Exception):
    """The endpoint could not start (its workers could not open the build, ...)."""


class HttpError(Exception):
    def __init__(self, status: int, message: str, headers: tuple = ()) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers


class Served:
    """Everything read from one build: its store, guard, library and workers."""

    def __init__(self, build: builds.Build, project: Project, options: Options,
                 pool_factory: Callable[[Path, Limits], Pool] = Pool) -> None:
        self.build = build
        store = build.store
        graphs = tuple(g.value for g in store.named_graphs() if hasattr(g, "value"))
        self.triples = len(store)
        self.guard = Guard(graphs, options.federation)
        self.questions = api.Questions(store, queries.library(project.queries))
        self.listing = json.dumps(api.listing(self.questions.library)).encode()
        self.pool = pool_factory(build.path, options.limits)

    async def close(self, drain: float = 0.0) -> None:
        await self.pool.close(drain)
        self.build.close()


@lru_cache(maxsize=256)
def _choose(accept: str | None, format_: str | None) -> negotiation.Choice:
    return negotiation.choose(accept, format_)


class Endpoint:
    """The ASGI application."""

    def __init__(self, project: Project, build: builds.Build, options: Options,
                 on_ready: Callable[[], None] | None = None,
                 pool_factory: Callable[[Path, Limits], Pool] = Pool) -> None:
        self.project = project
        self.pool_factory = pool_factory  # bench/ measures another engine behind the guard
        self.options = options
        self._first = build
        self.served: Served | None = None
        self.failure: str | None = None  # why the server could not start
        self._on_ready = on_ready
        self._tasks: set[asyncio.Task] = set()
        self._page = {path: resources.files("treatykg").joinpath(f"page/{name}").read_bytes()
                      for path, (name, _) in PAGE_FILES.items()}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    # -- start, reload, stop ----------------------------------------------------------------

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self._start()
                except (RuntimeError, OSError, builds.NotBuilt) as error:
                    self.failure = str(error)
                    await send({"type": "lifespan.startup.failed", "message": str(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
                if self._on_ready:
                    self._on_ready()
            elif message["type"] == "lifespan.shutdown":
                for task in self._tasks:
                    task.cancel()
                if self.served:
                    await self.served.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _start(self) -> None:
        served = Served(self._first, self.project, self.options, self.pool_factory)
        await served.pool.start()
        self.served = served
        log.info("serving build %s (%d triples)", served.build.name, served.triples)
        if self.options.reload:
            self._spawn(self._watch())

    def _spawn(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _watch(self, every: float = 1.0) -> None:
        """With reload: switch to the current build when a rebuild publishes a new one."""
        failed: set[Path] = set()  # tried once and logged; a later build is tried afresh
        while True:
            await asyncio.sleep(every)
            current = builds.current_path(self.project)
            if current is None or current == self.served.build.path or current in failed:
                continue
            try:
                await self.switch(builds.open_path(current))
            except (builds.NotBuilt, RuntimeError, OSError) as error:
                failed.add(current)
                log.warning("could not switch to build %s: %s", current.name, error)

    async def switch(self, build: builds.Build) -> None:
        """Serve `build` from now on; the old build's workers finish their queries, then stop."""
        fresh = Served(build, self.project, self.options, self.pool_factory)
        try:
            await fresh.pool.start()
        except RuntimeError:
            await fresh.close()
            raise
        old, self.served = self.served, fresh
        log.info("switched from build %s to %s", old.build.name, build.name)
        self._spawn(old.close(drain=self.options.limits.time_limit + 1))

    # -- HTTP ------------------------------------------------------------------------------

    async def _http(self, scope, receive, send) -> None:
        served = self.served  # one build for the whole request
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        cors = self._cors(headers.get("origin"))
        try:
            status, media, body, more = await self._route(scope, receive, headers, served)
        except HttpError as error:
            status, media, body, more = (error.status, "text/plain; charset=utf-8",
                                         (str(error) + "\n").encode(), error.headers)
        except Exception:  # never a traceback to the client; the log has it
            log.exception("error answering %s %s", scope["method"], scope["path"])
            status, media, body, more = (500, "text/plain; charset=utf-8",
                                         b"internal error: the server log has the details\n", ())
        response = [("content-type", media), ("content-length", str(len(body))), *cors,
                    ("x-treatykg-build", served.build.name), *more, *_vary(media, cors)]
        await send({"type": "http.response.start", "status": status,
                    "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response]})
        await send({"type": "http.response.body",
                    "body": b"" if scope["method"] == "HEAD" else body})

    def _cors(self, origin: str | None) -> tuple:
        allowed = self.options.cors
        if not origin or not allowed:
            return ()
        if "*" in allowed:
            return (("access-control-allow-origin", "*"),)
        if origin in allowed:
            return (("access-control-allow-origin", origin),)
        return ()

    async def _route(self, scope, receive, headers, served: Served):
        path, method = scope["path"], scope["method"]
        if len(scope.get("query_string", b"")) > self.options.max_request_bytes:
            raise HttpError(414, f"the request's URL is longer than the "
                            f"{self.options.max_request_bytes:,}-byte limit: POST the query")
        if method == "OPTIONS":
            return 204, "text/plain; charset=utf-8", b"", (
                ("allow", "GET, HEAD, POST, OPTIONS"),
                ("access-control-allow-methods", "GET, HEAD, POST, OPTIONS"),
                ("access-control-allow-headers", "Accept, Content-Type"),
                ("access-control-max-age", "600"))
        reading = method in ("GET", "HEAD")
        if path == "/sparql":
            if not reading and method != "POST":
                raise HttpError(405, f"{method} is refused: this endpoint is read-only "
                                "(SPARQL 1.1 Query over GET and POST)",
                                (("allow", "GET, HEAD, POST, OPTIONS"),))
            return await self._sparql(scope, receive, headers, served)
        if not reading:
            raise HttpError(405, f"{method} {path} is refused: this endpoint is read-only",
                            (("allow", "GET, HEAD, OPTIONS"),))
        if path in ("/api", "/api/"):
            return 200, "application/json", served.listing, ()
        if path.startswith("/api/"):
            return await self._question(path[len("/api/"):], scope, headers, served)
        if path in PAGE_FILES:
            return 200, PAGE_FILES[path][1], self._page[path], (("cache-control", "no-cache"),)
        raise HttpError(404, f"nothing at {path}: the endpoint is /sparql, the library /api/, "
                        "the query page /")

    async def _sparql(self, scope, receive, headers, served: Served):
        params = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"),
                           keep_blank_values=True)
        if scope["method"] == "POST":
            media = headers.get("content-type", "").split(";")[0].strip().lower()
            if media == SPARQL_UPDATE:
                raise HttpError(403, "SPARQL Update is refused: this endpoint is read-only")
            if media not in (FORM, SPARQL_QUERY):
                raise HttpError(415, f"a POST to /sparql is {FORM} (query=...) or "
                                f"{SPARQL_QUERY}, not {media or 'without a content type'}")
            body = await self._body(receive, headers)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise HttpError(400, "the request body is not UTF-8") from None
            if media == FORM:
                params += parse_qsl(text, keep_blank_values=True)
            else:
                params.append(("query", text))
        if any(key == "update" for key, _ in params):
            raise HttpError(403, "SPARQL Update is refused: this endpoint is read-only")
        texts = [value for key, value in params if key == "query"]
        format_ = _format(params)
        if not texts:
            return self._description(scope, headers, served, format_)
        if len(texts) > 1:
            raise HttpError(400, "one query per request: the request has several")
        if not texts[0].strip():
            raise HttpError(400, "the query is empty")
        graphs = [v for k, v in params if k in ("default-graph-uri", "named-graph-uri")]
        return await self._answer(texts[0], headers.get("accept"), format_, served, graphs)

    async def _question(self, name: str, scope, headers, served: Served):
        params = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"),
                           keep_blank_values=True)
        format_ = _format(params)
        try:
            text = served.questions.bound(name, params)
        except api.ApiError as error:
            raise HttpError(error.status, str(error)) from None
        accept = headers.get("accept")
        if format_ == "sparql" or (not format_ and accept and accept.startswith(SPARQL_QUERY)):
            return 200, f"{SPARQL_QUERY}; charset=utf-8", text.encode(), ()
        return await self._answer(text, accept, format_, served, [])

    async def _answer(self, text: str, accept: str | None, format_: str | None,
                      served: Served, graphs: list[str]):
        try:
            choice = _choose(accept, format_)
        except negotiation.NotAcceptable as error:
            raise HttpError(400, str(error)) from None
        try:
            inspected = served.guard.inspect(text)
            served.guard.check_graphs(graphs)
        except Refused as refused:
            raise HttpError(refused.status, str(refused)) from None
        kind = "graph" if inspected.form in negotiation.GRAPH_FORMS else "results"
        if inspected.form and getattr(choice, kind) is None:
            raise HttpError(406, f"{inspected.form} answers are written as one of "
                            f"{negotiation.offered(kind)}; the request accepts none of them")
        try:
            answer = await served.pool.run(
                {"query": text, "results": choice.results, "graph": choice.graph})
        except Refusal as refusal:
            more = (("retry-after", str(refusal.retry_after)),) if refusal.retry_after else ()
            raise HttpError(refusal.status, str(refusal), more) from None
        if answer.status != 200:
            raise HttpError(answer.status, answer.message or "the query failed")
        media = answer.media_type
        if media.startswith("text/") or media.endswith("json") or media.endswith("xml"):
            media += "; charset=utf-8"
        return 200, media, answer.body, ()

    def _description(self, scope, headers, served: Served, format_: str | None):
        try:
            key = _choose(headers.get("accept"), format_).graph
        except negotiation.NotAcceptable as error:
            raise HttpError(400, str(error)) from None
        if key is None:
            raise HttpError(406, "the service description is written as one of "
                            + negotiation.offered("graph"))
        host = headers.get("host") or f"{self.options.host}:{self.options.port}"
        facts = description.Facts(f"{scope.get('scheme', 'http')}://{host}/sparql",
                                  served.triples, served.build.name, self.options.federation,
                                  self.options.limits_line())
        return 200, negotiation.GRAPHS[key][0], description.render(facts, key), ()

    async def _body(self, receive, headers) -> bytes:
        limit = self.options.max_request_bytes
        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise HttpError(413, f"the request body ({int(declared):,} bytes) is larger than "
                            f"the {limit:,}-byte limit")
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise HttpError(400, "the client went away")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise HttpError(413, f"the request body is larger than the {limit:,}-byte limit")
            chunks.append(chunk)
            if not message.get("more_body"):
                return b"".join(chunks)


def _vary(media: str, cors: tuple) -> tuple:
    """The one Vary header: Accept and Origin on an answer chosen by Accept (any of
    negotiation's media types), Origin where CORS echoed the request's origin."""
    names = ["Accept", "Origin"] if negotiation.negotiated(media) else []
    if any(k == "access-control-allow-origin" and v != "*" for k, v in cors) \
            and "Origin" not in names:
        names.append("Origin")
    return (("vary", ", ".join(names)),) if names else ()


def _format(params: list[tuple[str, str]]) -> str | None:
    """The `format` parameter. Several are accepted when they name the same format
    (SPARQLWrapper sends `format=tsv&format=text/tab-separated-values`)."""
    values = [v for k, v in params if k == "format"]
    if len(values) > 1:
        try:
            if len({_choose(None, v) for v in values}) > 1:
                raise HttpError(400, f"the format parameters disagree: {', '.join(values)}")
        except negotiation.NotAcceptable as error:
            raise HttpError(400, str(error)) from None
    return values[0] if values else None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free port, read back by the caller)."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(256)
    sock.set_inheritable(True)
    return sock


def run(project: Project, build: builds.Build, options: Options,
        on_ready: Callable[[str], None] | None = None,
        pool_factory: Callable[[Path, Limits], Pool] = Pool) -> None:
    """Serve until interrupted. `on_ready` gets the address once the workers are up."""
    import uvicorn

    if not is_loopback(options.host):
        log.warning("serving on %s: reachable beyond this machine", options.host)
    sock = listen(options.host, options.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    app = Endpoint(project, build, options, on_ready=(lambda: on_ready(url)) if on_ready else None,
                   pool_factory=pool_factory)
    config = uvicorn.Config(app, lifespan="on", access_log=False, log_level="error",
                            timeout_keep_alive=5, server_header=False)
    server = uvicorn.Server(config)
    started = time.monotonic()
    try:
        server.run(sockets=[sock])
    except SystemExit:  # uvicorn's way of saying the application did not start
        pass
    finally:
        with contextlib.suppress(OSError):
            sock.close()
        log.info("served %.0f s", time.monotonic() - started)
    if app.failure:
        raise ServeError(f"the server could not start: {app.failure}")

