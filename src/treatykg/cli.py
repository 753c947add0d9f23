"""The `treatykg` command: parse arguments, call the Python API, print. Nothing else.

Exit codes: 0 success; 1 `validate` found the data does not conform; 2 a usage or input error
(unknown state, treaty, query or date), with a message on stderr. A reader that stops reading
early (`| head -1`) ends the command quietly with 0: it got what it asked for.

A read imports only what it needs: the build, the graph views, the plotting and the reasoner
libraries are imported by the commands that use them, so `treatykg members` starts in a
fraction of the time (bench/startup.py).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import os
import shlex
import sys
from collections.abc import Callable
from datetime import date

from treatykg import answers, builds, names, queries, results
from treatykg.dates import as_of_day, parse_day
from treatykg.paths import find_project

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv")  # treatykg.export.FORMATS, without networkx
DEFAULT_ALLIANCE, DEFAULT_TREATY = "nato", "apmbc"  # of divergence, matrix and withdrawals


class UsageError(Exception):
    """Bad input from the command line; exit code 2."""


def _date(text: str) -> str:
    try:
        return parse_day(text).isoformat()
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"{text!r} is not KEY=VALUE")
    return key, value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="treatykg",
        description="Who is bound by which arms-control treaty and alliance, on which date, "
                    "and why.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_as_of(p: argparse.ArgumentParser) -> None:
        p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                       help="the day the question is asked for (default: today)")

    def with_format(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=results.FORMATS, default="table")

    def reads(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        """A command that reads the built graph: it rebuilds first when data/ changed (a
        visible step on stderr), unless told not to."""
        p.add_argument("--no-build", action="store_true",
                       help="never build: fail if build/ is missing or older than data/")
        return p

    def asks(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        """A command that answers a question: of the record, of a what-if, or of the record
        as it stood on a day."""
        reads(p)
        p.add_argument("--scenario", action="append", default=[], metavar="FILE.yaml",
                       help="hypothetical acts and armed conflicts to derive with the record "
                            "(repeatable); nothing is written")
        p.add_argument("--known-at", type=_date, default=None, metavar="YYYY-MM-DD",
                       help="answer as the public record stood on that day: acts not yet "
                            "notified or published are left out")
        return p

    sub.add_parser("build", help="load, validate and derive data/ into build/")
    sub.add_parser("format", help="rewrite data/ tables and YAML records in canonical form")
    p = sub.add_parser("validate", help="run every check; exit 0 conforms, 1 does not, 2 error")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--report", action="store_true",
                   help="also compare derived counts with the depositaries' stated totals "
                        "and list every unverified fact")

    p = asks(sub.add_parser("query", help="run a library query (by name) or a .rq file"))
    p.add_argument("name", metavar="NAME|FILE.rq")
    p.add_argument("--param", type=_param, action="append", default=[], metavar="KEY=VALUE")
    with_as_of(p)
    p.add_argument("--format", choices=results.QUERY_FORMATS, default=None,
                   help="SELECT and ASK: table (default), csv, tsv, json or xml, the SPARQL 1.1 "
                        "results formats; CONSTRUCT and DESCRIBE: turtle (default) or ntriples")
    p.add_argument("--endpoint", metavar="URL",
                   help="ask this SPARQL 1.1 endpoint instead of the embedded store; values "
                        "are checked against it, no local build is read (credentials, if it "
                        "asks: TREATYKG_ENDPOINT_USER and TREATYKG_ENDPOINT_PASSWORD)")
    p.add_argument("--graph", metavar="IRI",
                   help="with --endpoint: the named graph the build was published to (sent as "
                        "default-graph-uri)")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="with --endpoint: how long to wait for the server (default 60)")

    sub.add_parser("queries", help="list the question library")

    p = asks(sub.add_parser("members", help="states bound by a treaty or alliance on a date"))
    p.add_argument("subject", metavar="TREATY|ALLIANCE")
    p.add_argument("--in", dest="in_", metavar="ALLIANCE", help="only members of this alliance")
    p.add_argument("--status", choices=answers.STATUSES,
                   help="list states with this status instead of those bound")
    p.add_argument("--engine", choices=("sparql", "networkx"), default="sparql",
                   help="answer with the SPARQL library (default) or by networkx traversal")
    with_as_of(p)
    with_format(p)

    p = asks(sub.add_parser("status", help="one state across every treaty and alliance"))
    p.add_argument("state", metavar="STATE")
    with_as_of(p)
    with_format(p)

    p = asks(sub.add_parser("export", help="write a graph view for Gephi, Cytoscape or scripts"))
    p.add_argument("view", choices=("membership", "co_obligation", "divergence", "withdrawals"))
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the file to write (a folder for csv: nodes.csv, edges.csv, graph.csv)")
    p.add_argument("--in", dest="in_", metavar="ALLIANCE", help="only members of this alliance")
    p.add_argument("--treaty", help=f"the treaty, for the withdrawals view (default "
                                     f"{DEFAULT_TREATY})")
    p.add_argument("--dynamic", action="store_true",
                   help="membership over its whole history, with time spells (gexf)")
    with_as_of(p)

    p = asks(sub.add_parser("plot", help="draw a picture (PNG or SVG by the output's suffix)"))
    p.add_argument("picture", choices=("timeline", "matrix", "network"))
    p.add_argument("target", nargs="?", metavar="TREATY|VIEW",
                   help="timeline: the treaty; network: the view (default divergence)")
    p.add_argument("--in", dest="in_", metavar="ALLIANCE", default=None)
    p.add_argument("--treaty", help=f"the treaty, for the withdrawals view (default "
                                     f"{DEFAULT_TREATY})")
    p.add_argument("-o", "--output", metavar="FILE.png|FILE.svg")
    with_as_of(p)

    p = asks(sub.add_parser("report", help="a self-contained HTML report on an alliance"))
    p.add_argument("--in", dest="in_", metavar="ALLIANCE", required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE.html")
    with_as_of(p)

    p = sub.add_parser("docs", help="write the ontology's HTML documentation (pyLODE)")
    p.add_argument("-o", "--output", metavar="FILE.html",
                   help="the page to write (default: docs/ontology.html)")

    p = reads(sub.add_parser("publish", help="load the built graph into a SPARQL 1.1 server "
                                            "(Graph Store Protocol), replacing it, and check it"))
    p.add_argument("--store", required=True, metavar="URL",
                   help="the server's Graph Store endpoint (oxigraph: http://HOST:PORT/store); "
                        "credentials, if it asks: TREATYKG_STORE_USER and "
                        "TREATYKG_STORE_PASSWORD")
    p.add_argument("--graph", metavar="IRI",
                   help="replace this named graph (default: the default graph)")
    p.add_argument("--endpoint", metavar="URL",
                   help="the server's SPARQL query endpoint, to count what it holds afterwards "
                        "(default: read the graph back from --store)")
    p.add_argument("--timeout", type=float, default=300, metavar="SECONDS",
                   help="how long to wait for the server (default 300)")

    p = reads(sub.add_parser("serve", help="a read-only SPARQL endpoint, the library as a web "
                                          "API and a query page, on one build"))
    _serve_options(p)

    p = asks(sub.add_parser("explain",
                            help="why a state has its status: events, clauses, sources"))
    p.add_argument("state", metavar="STATE")
    p.add_argument("subject", metavar="TREATY|ALLIANCE")
    with_as_of(p)
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = asks(sub.add_parser("diff", help="what changed: every status change between two days, "
                                         "or what two revisions of data/ say differently"))
    p.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD",
                   help="changes dated after this day ...")
    p.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD",
                   help="... up to and including this one (default: today)")
    p.add_argument("--in", dest="in_", metavar="ALLIANCE",
                   help="the states that were members of this alliance at any time in between")
    p.add_argument("--treaty", metavar="TREATY|ALLIANCE", help="only this treaty or alliance")
    p.add_argument("--state", metavar="STATE", help="only this state")
    p.add_argument("--base", metavar="REV", help="compare data/ at this git revision ...")
    p.add_argument("--head", metavar="REV",
                   help="... with this one (default: the working tree)")
    with_format(p)

    p = asks(sub.add_parser("check", help="is this claim true? decide claims (a CSV file or a "
                                          "sentence) from the graph, with evidence"))
    p.add_argument("claims", metavar="FILE.csv|SENTENCE")
    p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                   help="for a sentence: the day it speaks of (default: today)")
    with_format(p)

    p = asks(sub.add_parser("declarations", help="declarations, reservations, objections and "
                                                 "statements under a treaty, with sources"))
    p.add_argument("treaty", nargs="?", metavar="TREATY", help="one treaty (default: every one)")
    p.add_argument("--state", metavar="STATE", help="only this state's")
    p.add_argument("--in", dest="in_", metavar="ALLIANCE",
                   help="only those of the alliance's members (on --as-of, default today)")
    p.add_argument("--kind", choices=answers.KINDS_OF_DECLARATION)
    p.add_argument("--topic", choices=answers.TOPICS)
    p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD",
                   help="only those made by this day (by their date, else their instrument's)")
    with_format(p)

    p = reads(sub.add_parser("list", help="what exists: states, treaties or alliances, with "
                                          "codes, names, aliases and Wikidata items"))
    p.add_argument("what", choices=tuple(answers.LISTS))
    with_format(p)
    return parser


def _serve_options(p: argparse.ArgumentParser) -> None:
    from treatykg.pool import Limits

    d = Limits()
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878; 0: any free)")
    p.add_argument("--workers", type=int, default=d.workers,
                   help=f"queries running at once, one process each (default {d.workers})")
    p.add_argument("--waiting", type=int, default=d.waiting,
                   help=f"queries waiting for a worker; beyond: 503 (default {d.waiting})")
    p.add_argument("--time-limit", type=float, default=d.time_limit, metavar="SECONDS",
                   help=f"wall clock per query, then its worker is killed (default "
                        f"{d.time_limit:g})")
    p.add_argument("--max-rows", type=int, default=d.max_rows,
                   help=f"rows or triples per answer (default {d.max_rows:,})")
    p.add_argument("--max-answer-bytes", type=int, default=d.max_bytes,
                   help=f"bytes per answer (default {d.max_bytes:,})")
    p.add_argument("--max-request-bytes", type=int, default=2**20,
                   help="bytes of query text per request (default 1,048,576)")
    p.add_argument("--worker-memory", type=int, default=d.memory // 2**20, metavar="MIB",
                   help=f"address space per worker, in MiB; 0: no limit (default "
                        f"{d.memory // 2**20})")
    p.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                   help="let pages from ORIGIN read answers ('*': any); repeatable")
    p.add_argument("--federate", action="append", default=[], metavar="ENDPOINT",
                   help="allow SERVICE calls to endpoints under this IRI prefix; repeatable "
                        "(default: SERVICE is refused)")
    p.add_argument("--reload", action="store_true",
                   help="switch to a new build when `treatykg build` publishes one")


def _serve(args: argparse.Namespace, project) -> int:
    from treatykg import serve
    from treatykg.pool import Limits

    for name in ("workers", "time_limit", "max_rows", "max_answer_bytes", "max_request_bytes"):
        if getattr(args, name) <= 0:
            raise UsageError(f"--{name.replace('_', '-')} must be positive")
    limits = Limits(time_limit=args.time_limit, max_rows=args.max_rows,
                    max_bytes=args.max_answer_bytes, memory=args.worker_memory * 2**20,
                    workers=args.workers, waiting=max(args.waiting, 0))
    options = serve.Options(host=args.host, port=args.port, limits=limits,
                            max_request_bytes=args.max_request_bytes, cors=tuple(args.cors),
                            federation=tuple(args.federate), reload=args.reload)
    build_ = _open(args, project, builds.open_current)  # closed by the server when it switches

    def ready(url: str) -> None:
        print(f"treatykg: serving build {build_.name} at {url} (SPARQL: {url}sparql, "
              f"questions: {url}api/)", flush=True)
        print(f"treatykg: {options.limits_line()}", flush=True)
        if not serve.is_loopback(args.host):
            print(f"treatykg: warning: --host {args.host} is reachable beyond this machine",
                  file=sys.stderr, flush=True)

    try:
        serve.run(project, build_, options, on_ready=ready)
    except KeyboardInterrupt:  # Ctrl+C: uvicorn has stopped the workers; a quiet exit
        print("treatykg: stopped", file=sys.stderr)
    except serve.ServeError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error.strerror}") from None
    return 0


def _plain_value(value) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _cell_text(value) -> object:
    """A value in a table or CSV cell: a list (aliases) as `a; b`."""
    return "; ".join(value) if isinstance(value, list) else value


def _print_rows(rows: list[dict], columns: list[str], fmt: str, title: str,
                noun: str | None = None) -> None:
    """Rows as a table under `title`, or as CSV, TSV or a bare JSON list (the title then goes
    to stderr when it says something the command line did not: a default or a resolved name)."""
    if any(r.get("hypothetical") for r in rows) and "hypothetical" not in columns:
        columns = [*columns, "hypothetical"]  # the rows a scenario changed say so
    clean = [{c: _plain_value(r.get(c)) for c in columns
              if c != "hypothetical" or r.get(c) or fmt != "json"} for r in rows]
    if fmt in ("csv", "tsv"):  # lower-case booleans, as in SPARQL results
        clean = [{c: (str(v).lower() if isinstance(v, bool) else _cell_text(v))
                  for c, v in r.items()} for r in clean]
    if fmt == "json":
        print(json.dumps(clean, indent=2, ensure_ascii=False))
        return
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, columns, delimiter="," if fmt == "csv" else "\t",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: "" if v is None else v for c, v in r.items()} for r in clean)
        print(buffer.getvalue(), end="")
        return
    print(title)

    def cell(value) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        return "" if value is None else str(_cell_text(value))

    noun = noun or ("state" if "state" in columns else "row")
    print(results.text_table(columns, [[cell(r[c]) for c in columns] for r in clean], noun),
          end="")


def _say(args: argparse.Namespace, title: str, assumed: list[str]) -> None:
    """For output without a title line (json, csv, tsv, files): the parameters the command
    chose itself, on stderr."""
    if assumed and getattr(args, "format", "table") not in ("table", "text"):
        print(f"treatykg: {title.rstrip(':')}", file=sys.stderr)


def _day(args: argparse.Namespace, assumed: list[str]) -> tuple[date, str]:
    """The day asked for, and how a title says it: `2026-11-22`, or `2026-12-02 (today)` when
    --as-of was left to its default."""
    day = as_of_day(args.as_of)
    if args.as_of is None:
        assumed.append("--as-of")
        return day, f"{day.isoformat()} (today)"
    return day, day.isoformat()


def _named(entry: names.Entry, text: str, assumed: list[str]) -> str:
    """How a title names what the user named: the code, with the user's words when they were a
    name or alias (`apmbc ('ottawa')`)."""
    if names.fold(text) == names.fold(entry.code):
        return entry.code
    assumed.append(text)
    return f"{entry.code} ({text!r})"


def _explain_text(report: dict) -> str:
    lines = [f"{report['state']} in {report['subject']} as of {report['as_of']}:"]
    now = report["status"]
    if now:
        bound = "bound" if now["bound"] else "not bound"
        lines.append(f"  status: {now['status']} ({bound}) since {now['since']}")
    else:
        lines.append("  status: no record")
    lines.append("")
    lines.append("Events (as recorded, with sources):")
    for e in report["events"]:
        flags = "" if e["verified"] else "  [UNVERIFIED]"
        ref = f"  depositary ref {e['depositaryRef']}" if e.get("depositaryRef") else ""
        day = str(e["date"]) if e["date"] else "undated"
        lines.append(f"  {day:<10}  {e['kind']}{ref}{flags}")
        for url in (e["sources"] or "").split():
            lines.append(f"              source: {url}")
    if report.get("declarations"):
        lines.append("")
        lines.append("Declarations (as the depositary or treaty body records them):")
        for d in report["declarations"]:
            flags = "" if d["verified"] else "  [UNVERIFIED]"
            day = str(d["date"]) if d["date"] else f"on {d['made_at']}"
            lines.append(f"  {day:<10}  {d['kind']} ({d['topic']}){flags}: {d['summary']}")
    lines.append("")
    lines.append("Derived status history (rule applied, computed dates):")
    for i in report["intervals"]:
        until = i["until"].isoformat() if i["until"] else "open"
        article = f" [Art. {i['article']}]" if i.get("article") else ""
        lines.append(f"  {i['since']} .. {until:<10}  {i['status']}"
                     f"{' (bound)' if i['bound'] else ''}{article}")
        lines.append(f"              rule: {i['rule']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run one command; on a reader that closed the pipe early, end quietly with exit code 0.

    The Python documentation's recipe for SIGPIPE: point stdout at /dev/null so that the
    interpreter's last flush cannot fail again. Exit 0 rather than 1 or 141: `head -1` and a
    pager closing early have what they asked for, and under `set -o pipefail` a non-zero code
    would fail the pipeline (`treatykg members cmc | head -1` must succeed).
    """
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (AttributeError, OSError, ValueError):  # stdout is not a file (captured)
            pass
        return 0


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="treatykg: %(message)s", stream=sys.stderr)
    project = find_project()
    try:
        return _run(args, project)
    except (queries.QueryError, UsageError, builds.NotBuilt) as error:
        print(f"treatykg: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        # data/ faults come from treatykg.load, which only the commands that build import
        load = sys.modules.get("treatykg.load")
        if load is None or not isinstance(error, load.DataError):
            raise
        print(f"treatykg: data/ has {len(error.problems)} problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2


def _open(args: argparse.Namespace, project,
          opener: Callable[..., builds.Build] = builds.current) -> builds.Build:
    """Before a read: the current build, opened once for the whole command. When build/ is
    missing or older than data/, build it first, saying so on stderr; with --no-build, refuse
    (NotBuilt names what changed and the command to run). `opener` is builds.open_current for
    a caller that closes the build itself (serve lets go of it when it switches to a new one)."""
    try:
        return opener(project)
    except builds.NotBuilt:
        if args.no_build:
            raise
    from treatykg import build

    print("treatykg: build/ is missing or older than data/: building it first "
          "(--no-build refuses to)", file=sys.stderr)
    manifest = build.build(project)
    print(f"treatykg: built {manifest['triples']} triples", file=sys.stderr)
    return opener(project)


def _run(args: argparse.Namespace, project) -> int:
    if args.command == "build":
        from treatykg import build

        manifest = build.build(project)
        print(f"built {manifest['triples']} triples: {manifest['events']} events, "
              f"{manifest['intervals']} status intervals -> {project.build}")
        return 0
    if args.command == "format":
        from treatykg.canonical import format_data

        changed, kept = format_data(project.data)
        for path in changed:
            print(f"formatted {path.relative_to(project.root)}")
        for path in kept:
            print(f"treatykg: {path.relative_to(project.root)} holds a # comment, which the "
                  "canonical form would drop: write it as a `note` field", file=sys.stderr)
        if not changed and not kept:
            print("data/ is in canonical form")
        return 1 if kept else 0
    if args.command == "validate":
        return _validate(args, project)
    if args.command == "docs":
        from pathlib import Path

        from treatykg import ontology_docs

        output = Path(args.output) if args.output else project.root / "docs" / "ontology.html"
        try:
            ontology_docs.write(project.ontology / "treatykg.ttl", output)
        except ontology_docs.DocsUnavailable as error:
            raise UsageError(str(error)) from None
        print(f"wrote {output}")
        return 0
    if args.command == "queries":
        for q in queries.library(project.queries).values():
            params = ", ".join(p.name + (f"={p.default}" if p.default is not None else "")
                               for p in q.parameters)
            print(f"{q.name:<32} {q.summary}" + (f"  [{params}]" if params else ""))
        return 0
    if args.command == "diff" and args.base:  # two revisions of data/: no build needed
        return _diff(args, project, None)
    if args.command == "query" and args.endpoint:  # a server's graph: no local build needed
        return _query_remote(args, project)
    if args.command == "query" and (args.graph or args.timeout is not None):
        raise UsageError("--graph and --timeout go with --endpoint URL")
    if args.command == "publish":
        return _publish(args, project)
    if args.command == "serve":
        return _serve(args, project)
    build = _open(args, project)
    world = _world(args, project) if (getattr(args, "scenario", None)
                                      or getattr(args, "known_at", None)) else None
    db = world.store if world else build.store
    if args.command == "diff":
        return _diff(args, project, db, world)
    if args.command == "declarations":
        return _declarations(args, project, db)
    if args.command == "check":
        return _check(args, project, db, world)
    if args.command == "query":
        answer = answers.execute(args.name, dict(args.param), as_of=args.as_of, project=project,
                                 db=db)
        return _print_answer(answer, args.format)
    if args.command == "list":
        rows = answers.listing(args.what, project=project, db=db)
        columns = list(rows[0]) if rows else ["code", "name"]
        _print_rows(rows, columns, args.format, f"{args.what}:",
                    answers.LISTS[args.what][0])
        return 0
    if args.command in ("export", "plot", "report"):
        caption = build.version + (f" ({world.describe()})" if world else "")
        return _pictures(args, project, db, caption)
    if args.command == "members":
        return _members(args, project, db, world)
    if args.command == "status":
        assumed: list[str] = []
        state = answers.find(args.state, ("state",), db=db)
        day, said = _day(args, assumed)
        rows = answers.status(state.code, as_of=day, project=project, db=db, world=world)
        title = f"{_named(state, args.state, assumed)} as of {said}:"
        _say(args, title, assumed)
        _print_rows(rows, ["subject", "kind", "status", "bound", "since", "until"], args.format,
                    title)
        return 0
    if args.command == "explain":
        assumed = []
        state = answers.find(args.state, ("state",), db=db)
        subject = answers.find(args.subject, answers.SUBJECTS, db=db)
        day, said = _day(args, assumed)
        report = answers.explain(state.code, subject.code, as_of=day, project=project, db=db,
                                 world=world)
        if args.format == "json":
            _say(args, f"{_named(state, args.state, assumed)} in "
                       f"{_named(subject, args.subject, assumed)} as of {said}", assumed)
            print(json.dumps(report, indent=2, default=_plain_value, ensure_ascii=False))
        else:
            report["as_of"] = said
            report["state"] = _named(state, args.state, [])
            report["subject"] = _named(subject, args.subject, [])
            print(_explain_text(report))
        return 0
    raise UsageError(f"unknown command {args.command}")


def _print_answer(answer: queries.Answer, requested: str | None) -> int:
    """A query's answer: a table under the line that says which parameters it used, or the
    standard bytes, untouched, with that line on stderr."""
    try:
        fmt = results.format_for(answer.outcome, requested)
    except ValueError as error:
        raise UsageError(f"{answer.query.name}: {error}") from None
    if fmt == "table":  # the title line says which parameters it used: no silent default
        print(results.title(answer))
        print(results.table(answer), end="")
    else:
        print(f"treatykg: {results.title(answer)}", file=sys.stderr)
        sys.stdout.flush()
        results.write(answer.outcome, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    return 0


def _query_remote(args: argparse.Namespace, project) -> int:
    """`query --endpoint`: the same question, binding and formats, asked of a server."""
    from treatykg import remote

    if args.scenario or args.known_at:
        raise UsageError("--scenario and --known-at are derived from the local build: they "
                         "cannot be asked of --endpoint")
    try:
        endpoint = remote.Endpoint(args.endpoint, graph=args.graph,
                                   access=remote.Access.from_env("TREATYKG_ENDPOINT"),
                                   timeout=args.timeout or 60.0)
        answer = answers.execute(args.name, dict(args.param), as_of=args.as_of,
                                 project=project, endpoint=endpoint)
        print(f"treatykg: asked {endpoint.described()}", file=sys.stderr)
        return _print_answer(answer, args.format)
    except remote.RemoteError as error:
        raise UsageError(str(error)) from None


def _publish(args: argparse.Namespace, project) -> int:
    """Replace the server's graph with the current build; exit 1 when the server then holds
    other triples than those built."""
    from treatykg import publish, remote

    build_ = _open(args, project)
    try:
        published = publish.publish(build_, args.store, graph=args.graph,
                                     endpoint=args.endpoint, timeout=args.timeout,
                                     access=remote.Access.from_env(publish.ENVIRONMENT))
    except remote.RemoteError as error:
        raise UsageError(str(error)) from None
    for line in published.summary():
        print(line)
    if published.agrees:
        graph = f" --graph {shlex.quote(args.graph)}" if args.graph else ""
        where = args.endpoint or "QUERY-ENDPOINT-URL"
        print(f"ask it: treatykg query NAME --endpoint {where}{graph}")
    return 0 if published.agrees else 1


def _world(args: argparse.Namespace, project):
    """The what-if world the command answers from (`worlds.World`); it says so, in the first
    line for a table or text and on stderr otherwise, so that no answer passes for the
    record's (pictures and reports carry it in their caption too)."""
    world = answers.world(project, scenario=args.scenario, known_at=args.known_at)
    line = world.describe()
    if getattr(args, "format", None) in (None, "table", "text") and args.command not in (
            "export", "plot", "report"):
        print(f"({line})")
    else:
        print(f"treatykg: {line}", file=sys.stderr)
    return world


_SHOWN = 5  # sources shown per claim in a table
_CHANGE_COLUMNS = ["date", "state", "subject", "before", "after", "bound_before", "bound_after",
                   "clause", "sources"]
_DIFFERENCE_COLUMNS = ["what", "key", "change", "field", "before", "after", "where"]


def _diff(args: argparse.Namespace, project, db, world=None) -> int:
    """`--from D1 --to D2`: status changes in a window; `--base REV`: two revisions of data/."""
    if args.base:
        if args.start or args.end or args.scenario or args.known_at:
            raise UsageError("diff --base compares two revisions of data/: drop --from, --to, "
                             "--scenario and --known-at")
        from treatykg import revisions

        try:
            found = revisions.compare(revisions.dataset_at(project.root, args.base),
                                      revisions.dataset_at(project.root, args.head))
        except revisions.RevisionError as error:
            raise UsageError(str(error)) from None
        rows = [d.record() for d in found]
        head = args.head or "the working tree"
        _print_rows(rows, _DIFFERENCE_COLUMNS, args.format,
                    f"data/ at {args.base} against {head}:", "difference")
        return 0
    if not args.start:
        raise UsageError("diff needs --from YYYY-MM-DD (and --to, default today), or --base REV")
    assumed: list[str] = []
    end_said = args.end or f"{as_of_day(None).isoformat()} (today)"
    if not args.end:
        assumed.append("--to")
    rows = answers.changes(args.start, args.end, in_=args.in_, subject=args.treaty,
                           state=args.state, project=project, db=db, world=world)
    scope = f" for members of {args.in_}" if args.in_ else ""
    title = f"status changes after {args.start} up to {end_said}{scope}:"
    _say(args, title, assumed)
    columns = _CHANGE_COLUMNS
    if args.format == "table":  # the sources are long: listed under the table, change by change
        _print_rows(rows, [c for c in columns if c != "sources"], args.format, title,
                    "change")
        if rows:
            print("sources:")
        for row in rows:
            print(f"  {row['date']} {row['state']} {row['subject']}: {' '.join(row['sources'])}")
        return 0
    _print_rows(rows, columns, args.format, title, "change")
    return 0


_DECLARATION_COLUMNS = ["state", "name", "treaty", "kind", "made_at", "date", "articles",
                        "topic", "responds_to", "summary", "verified", "sources"]


def _declarations(args: argparse.Namespace, project, db) -> int:
    rows = answers.declarations(args.treaty, state=args.state, in_=args.in_, kind=args.kind,
                                topic=args.topic, as_of=args.as_of, project=project, db=db)
    asked = [f"{k} {v}" for k, v in (("treaty", args.treaty), ("state", args.state),
                                      ("in", args.in_), ("kind", args.kind),
                                      ("topic", args.topic), ("made by", args.as_of)) if v]
    title = f"declarations{' (' + ', '.join(asked) + ')' if asked else ''}:"
    if args.format == "table":  # the summary cut to a line; json, csv and tsv hold it whole
        short = [{**r, "summary": r["summary"] if len(r["summary"]) <= 70
                  else r["summary"][:69] + "…"} for r in rows]
        _print_rows(short, ["state", "treaty", "kind", "made_at", "date", "topic", "verified",
                            "summary"], args.format, title, "declaration")
        return 0
    _print_rows(rows, _DECLARATION_COLUMNS, args.format, title, "declaration")
    return 0


def _check(args: argparse.Namespace, project, db, world) -> int:
    """Each claim's verdict with evidence; exit 0 when every claim was decided, 1 when the graph
    lacks a fact one needs (verdict unknown)."""
    from treatykg.claims import ClaimError

    try:
        rows = answers.check(args.claims, as_of=args.as_of, project=project, db=db,
                             world=world)
    except (ClaimError, OSError) as error:
        raise UsageError(str(error)) from None
    if args.format == "table":
        for row in rows:
            print(f"{row['id']}: {row['verdict'].upper()} (found: {row['found']})")
            for line in row["evidence"]:
                print(f"    {line}")
            for url in row["sources"][:_SHOWN]:
                print(f"    source: {url}")
            if len(row["sources"]) > _SHOWN:
                print(f"    ... and {len(row['sources']) - _SHOWN} more sources (--format json "
                      "lists them all)")
        decided = sum(r["verdict"] != "unknown" for r in rows)
        print(f"({len(rows)} claim{'s' if len(rows) != 1 else ''}, {decided} decided)")
    else:
        _print_rows(rows, ["id", "verdict", "found", "evidence", "sources"], args.format, "")
    return 0 if all(r["verdict"] != "unknown" for r in rows) else 1


def _validate(args: argparse.Namespace, project) -> int:
    from treatykg import build

    try:
        report = build.check_all(project)
    except (OSError, ValueError) as error:  # the checks themselves could not run
        print(f"treatykg: validate could not run: {error}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report.text())
    if args.report and report.conforms:
        from treatykg import truth

        built = build.derive(project)
        found = truth.checks(built.dataset, built.derivation)
        print()
        print(truth.render(found, truth.unverified(built.dataset),
                           truth.by_rank(built.dataset), truth.by_public_basis(built.dataset),
                           truth.declaration_counts(built.dataset)))
        return 0 if all(c.agrees for c in found) else 1
    return 0 if report.conforms else 1


_MEMBER_COLUMNS = ["state", "name", "status", "since", "until"]


def _members(args: argparse.Namespace, project, db, world) -> int:
    """Who is bound (or has a status); a treaty not in force on the day says so and how many
    states have consented, instead of an empty list."""
    assumed: list[str] = []
    subject = answers.find(args.subject, answers.SUBJECTS, db=db)
    alliance = answers.find(args.in_, ("alliance",), db=db) if args.in_ else None
    day, said = _day(args, assumed)
    scope = f"members of {_named(alliance, args.in_, assumed)} " if alliance else "states "
    what = f"with status {args.status} in" if args.status else "bound by"
    named = _named(subject, args.subject, assumed)
    if args.engine == "networkx":
        if args.status:
            raise UsageError("--engine networkx answers who is bound; drop --status")
        rows = _members_by_traversal(subject.code, day, alliance, db)
        title = f"{scope}{what} {named} as of {said} (networkx):"
    else:
        rows = answers.members(subject.code, as_of=day, in_=alliance and alliance.code,
                               status=args.status, project=project, db=db, world=world)
        title = f"{scope}{what} {named} as of {said}:"
    not_in_force = (subject.kind == "treaty" and not args.status and not rows
                    and (subject.in_force is None or day < subject.in_force))
    if not_in_force:
        waiting = answers.members(subject.code, as_of=day, in_=alliance and alliance.code,
                                  status="consented", project=project, db=db)
        who = f"members of {alliance.code}" if alliance else "states"
        since = f" (it entered into force on {subject.in_force})" if subject.in_force else ""
        note = (f"{subject.code} is not in force as of {day.isoformat()}{since}: no state is "
                f"bound by it; {len(waiting)} {who} have consented to be bound "
                f"(`treatykg members {shlex.quote(args.subject)} --status consented`)")
        if args.format == "table":
            print(note)
            return 0
        print(f"treatykg: {note}", file=sys.stderr)
    else:
        _say(args, title, assumed)
    _print_rows(rows, _MEMBER_COLUMNS, args.format, title)
    return 0


def _members_by_traversal(subject: str, day: date, alliance: names.Entry | None,
                          db) -> list[dict]:
    """The same answer as the question library's, by traversing the networkx membership
    graph."""
    from treatykg import views

    snap = views.load(db=db)
    codes = views.bound(subject, day, alliance and alliance.code, snapshot=snap)
    by_state = {i.state: i for i in snap.on(day) if i.subject == subject}
    return [{"state": c, "name": snap.states.get(c, c), "status": by_state[c].status,
             "since": by_state[c].since, "until": by_state[c].until} for c in codes]


def _pictures(args: argparse.Namespace, project, db, version: str) -> int:
    """export, plot and report: views of the built graph written to files; the parameters the
    command chose itself (today, nato, apmbc) are said on stderr."""
    from pathlib import Path

    from treatykg import export, plot, report, views

    snap = views.load(db=db)
    assumed: list[str] = []
    day, said = _day(args, assumed)
    alliance = answers.find(args.in_, ("alliance",), db=db).code if args.in_ else None
    treaty = answers.find(args.treaty, ("treaty",), db=db).code if getattr(
        args, "treaty", None) else None
    chosen: list[str] = [f"as of {said}"]

    def default_alliance() -> str:
        if alliance:
            return alliance
        chosen.append(f"--in {DEFAULT_ALLIANCE} (default)")
        return DEFAULT_ALLIANCE

    def default_treaty() -> str:
        if treaty:
            return treaty
        chosen.append(f"--treaty {DEFAULT_TREATY} (default)")
        return DEFAULT_TREATY

    try:
        if args.command == "export":
            if args.dynamic:
                chosen.remove(f"as of {said}")  # the whole history: no day
                g = views.dynamic_membership(alliance, snapshot=snap)
            elif args.view == "membership":
                g = views.membership(day, alliance, snapshot=snap)
            elif args.view == "co_obligation":
                g = views.co_obligation(day, alliance, snapshot=snap)
            elif args.view == "divergence":
                g = views.divergence(day, default_alliance(), snapshot=snap)
            else:
                chosen.remove(f"as of {said}")  # every withdrawal ever deposited
                g = views.withdrawals(default_treaty(), snapshot=snap)
            g.graph["data_version"] = version
            export.write(g, args.format, Path(args.output))
            print(f"wrote {args.view} ({g.number_of_nodes()} nodes, {g.number_of_edges()} "
                  f"edges) to {args.output}")
        elif args.command == "plot":
            target = args.target
            if args.picture == "timeline":
                if not target:
                    raise UsageError("plot timeline needs a treaty: treatykg plot timeline cmc")
                target = answers.find(target, answers.SUBJECTS, db=db).code
                output = Path(args.output or f"timeline-{target}.png")
                plot.timeline(target, output, as_of=day, version=version, snapshot=snap)
            elif args.picture == "matrix":
                chosen_alliance = default_alliance()
                output = Path(args.output or f"matrix-{chosen_alliance}.png")
                plot.matrix(chosen_alliance, output, as_of=day, version=version, snapshot=snap)
            else:
                view = target or "divergence"
                if not target:
                    chosen.append("the divergence view (default)")
                chosen_treaty = default_treaty() if view == "withdrawals" else treaty
                chosen_alliance = default_alliance() if view == "divergence" else alliance
                name = target or chosen_alliance or DEFAULT_ALLIANCE
                output = Path(args.output or f"network-{name}.png")
                plot.network(view, output, as_of=day, version=version, snapshot=snap,
                             in_=chosen_alliance, treaty=chosen_treaty or DEFAULT_TREATY)
            print(f"wrote {output}")
        else:
            report.write(alliance, Path(args.output), as_of=day, version=version,
                         snapshot=snap)
            print(f"wrote {args.output}")
    except KeyError as error:
        raise UsageError(error.args[0]) from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    if assumed or len(chosen) > 1:
        print(f"treatykg: {args.command}: {', '.join(chosen)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
