"""The `treatykg` command: parse arguments, call the Python API, print. Nothing else.

Exit codes: 0 success; 1 `validate` found the data does not conform; 2 a usage or input error
(unknown state, treaty, query or date), with a message on stderr.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sys
from datetime import date

from treatykg import answers, build, builds, export, queries, results
from treatykg.dates import as_of_day, parse_day
from treatykg.load import DataError
from treatykg.paths import find_project


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
                       help="the date the question is asked for (default: today)")

    def with_format(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=results.FORMATS, default="table")

    def reads(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        """A command that reads the built graph: it rebuilds first when data/ changed (a
        visible step on stderr), unless told not to."""
        p.add_argument("--no-build", action="store_true",
                       help="never build: fail if build/ is missing or older than data/")
        return p

    sub.add_parser("build", help="load, validate and derive data/ into build/")
    sub.add_parser("format", help="rewrite data/ tables in canonical form (sorted rows)")
    p = sub.add_parser("validate", help="run every check; exit 0 conforms, 1 does not, 2 error")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--report", action="store_true",
                   help="also compare derived counts with the depositaries' stated totals "
                        "and list every unverified fact")

    p = reads(sub.add_parser("query", help="run a library query (by name) or a .rq file"))
    p.add_argument("name", metavar="NAME|FILE.rq")
    p.add_argument("--param", type=_param, action="append", default=[], metavar="KEY=VALUE")
    with_as_of(p)
    with_format(p)

    sub.add_parser("queries", help="list the question library")

    p = reads(sub.add_parser("members", help="states bound by a treaty or alliance on a date"))
    p.add_argument("subject", metavar="TREATY|ALLIANCE")
    p.add_argument("--in", dest="in_", metavar="ALLIANCE", help="only members of this alliance")
    p.add_argument("--status", choices=answers.STATUSES,
                   help="list states with this status instead of those bound")
    p.add_argument("--engine", choices=("sparql", "networkx"), default="sparql",
                   help="answer with the SPARQL library (default) or by networkx traversal")
    with_as_of(p)
    with_format(p)

    p = reads(sub.add_parser("status", help="one state across every treaty and alliance"))
    p.add_argument("state", metavar="STATE")
    with_as_of(p)
    with_format(p)

    p = reads(sub.add_parser("export", help="write a graph view for Gephi, Cytoscape or scripts"))
    p.add_argument("view", choices=("membership", "co_obligation", "divergence", "withdrawals"))
    p.add_argument("--format", choices=export.FORMATS, required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the file to write (a folder for csv: nodes.csv and edges.csv)")
    p.add_argument("--in", dest="in_", metavar="ALLIANCE", help="only members of this alliance")
    p.add_argument("--treaty", default="apmbc", help="the treaty, for the withdrawals view")
    p.add_argument("--dynamic", action="store_true",
                   help="membership over its whole history, with time spells (gexf)")
    with_as_of(p)

    p = reads(sub.add_parser("plot", help="draw a picture (PNG or SVG by the output's suffix)"))
    p.add_argument("picture", choices=("timeline", "matrix", "network"))
    p.add_argument("target", nargs="?", metavar="TREATY|VIEW",
                   help="timeline: the treaty; network: the view (default divergence)")
    p.add_argument("--in", dest="in_", metavar="ALLIANCE", default=None)
    p.add_argument("--treaty", default="apmbc", help="the treaty, for the withdrawals view")
    p.add_argument("-o", "--output", metavar="FILE.png|FILE.svg")
    with_as_of(p)

    p = reads(sub.add_parser("report", help="a self-contained HTML report on an alliance"))
    p.add_argument("--in", dest="in_", metavar="ALLIANCE", required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE.html")
    with_as_of(p)

    p = reads(sub.add_parser("serve", help="a read-only SPARQL endpoint, the library as a web "
                                          "API and a query page, on one build"))
    _serve_options(p)

    p = reads(sub.add_parser("explain",
                             help="why a state has its status: events, clauses, sources"))
    p.add_argument("state", metavar="STATE")
    p.add_argument("subject", metavar="TREATY|ALLIANCE")
    with_as_of(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
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
    build_ = builds.open_current(project)

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


def _print_rows(rows: list[dict], columns: list[str], fmt: str, title: str) -> None:
    clean = [{c: _plain_value(r.get(c)) for c in columns} for r in rows]
    if fmt in ("csv", "tsv"):  # lower-case booleans, as in SPARQL results
        clean = [{c: (str(v).lower() if isinstance(v, bool) else v) for c, v in r.items()}
                 for r in clean]
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
        return "" if value is None else str(value)

    print(results.text_table(columns, [[cell(r[c]) for c in columns] for r in clean],
                             "state" if "state" in columns else "row"), end="")


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
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="treatykg: %(message)s", stream=sys.stderr)
    project = find_project()
    try:
        return _run(args, project)
    except DataError as error:
        print(f"treatykg: data/ has {len(error.problems)} problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (queries.QueryError, UsageError, builds.NotBuilt) as error:
        print(f"treatykg: {error}", file=sys.stderr)
        return 2


def _ensure_built(args: argparse.Namespace, project) -> None:
    """Before a read: build when build/ is missing or older than data/, saying so on stderr;
    with --no-build, refuse (NotBuilt names what changed and the command to run)."""
    if builds.is_current(project):
        return
    if args.no_build:
        builds.open_current(project).close()  # raises NotBuilt
        return
    print("treatykg: build/ is missing or older than data/: building it first "
          "(--no-build refuses to)", file=sys.stderr)
    manifest = build.build(project)
    print(f"treatykg: built {manifest['triples']} triples", file=sys.stderr)


def _run(args: argparse.Namespace, project) -> int:
    if hasattr(args, "no_build"):
        _ensure_built(args, project)
    if args.command == "build":
        manifest = build.build(project)
        print(f"built {manifest['triples']} triples: {manifest['events']} events, "
              f"{manifest['intervals']} status intervals -> {project.build}")
        return 0
    if args.command == "format":
        from treatykg.canonical import format_tables

        changed = format_tables(project.data)
        for path in changed:
            print(f"formatted {path.relative_to(project.root)}")
        if not changed:
            print("data/ tables are in canonical form")
        return 0
    if args.command == "validate":
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
            pages = truth.read_pages(project.data / "status_pages.csv", project.root)
            found = truth.checks(built.dataset, built.derivation, pages)
            print()
            print(truth.render(found, truth.unverified(built.dataset)))
            return 0 if all(c.agrees for c in found) else 1
        return 0 if report.conforms else 1
    if args.command == "queries":
        for q in queries.library(project.queries).values():
            params = ", ".join(p.name for p in q.parameters)
            print(f"{q.name:<32} {q.summary}" + (f"  [{params}]" if params else ""))
        return 0
    if args.command == "query":
        result = answers.query(args.name, dict(args.param), as_of=args.as_of, project=project)
        print(results.render(result, args.format), end="")
        return 0
    if args.command in ("export", "plot", "report"):
        return _pictures(args, project)
    if args.command == "members" and args.engine == "networkx":
        if args.status:
            raise UsageError("--engine networkx answers who is bound; drop --status")
        from treatykg import views

        snap = views.load(project)
        try:
            codes = views.bound(args.subject.lower(), args.as_of, args.in_, snapshot=snap)
        except KeyError as error:
            raise UsageError(error.args[0]) from None
        day = as_of_day(args.as_of)
        by_state = {i.state: i for i in snap.on(day) if i.subject == args.subject.lower()}
        rows = [{"state": c, "name": snap.states.get(c, c), "status": by_state[c].status,
                 "since": by_state[c].since, "until": by_state[c].until} for c in codes]
        _print_rows(rows, ["state", "name", "status", "since", "until"], args.format,
                    f"{'members of ' + args.in_ + ' ' if args.in_ else 'states '}bound by "
                    f"{args.subject} as of {day.isoformat()} (networkx):")
        return 0
    if args.command == "members":
        rows = answers.members(args.subject, as_of=args.as_of, in_=args.in_,
                               status=args.status, project=project)
        day = as_of_day(args.as_of).isoformat()
        what = f"with status {args.status} in" if args.status else "bound by"
        scope = f"members of {args.in_} " if args.in_ else "states "
        _print_rows(rows, ["state", "name", "status", "since", "until"], args.format,
                    f"{scope}{what} {args.subject} as of {day}:")
        return 0
    if args.command == "status":
        rows = answers.status(args.state, as_of=args.as_of, project=project)
        day = as_of_day(args.as_of).isoformat()
        _print_rows(rows, ["subject", "kind", "status", "bound", "since", "until"], args.format,
                    f"{args.state.upper()} as of {day}:")
        return 0
    if args.command == "serve":
        return _serve(args, project)
    if args.command == "explain":
        report = answers.explain(args.state, args.subject, as_of=args.as_of, project=project)
        if args.format == "json":
            print(json.dumps(report, indent=2, default=_plain_value, ensure_ascii=False))
        else:
            print(_explain_text(report))
        return 0
    raise UsageError(f"unknown command {args.command}")


def _pictures(args: argparse.Namespace, project) -> int:
    """export, plot and report: views of the built graph written to files."""
    from pathlib import Path

    from treatykg import plot, report, views

    snap = views.load(project)
    version = builds.current(project).version
    day = as_of_day(args.as_of)
    try:
        if args.command == "export":
            if args.dynamic:
                g = views.dynamic_membership(args.in_, snapshot=snap)
            elif args.view == "membership":
                g = views.membership(day, args.in_, snapshot=snap)
            elif args.view == "co_obligation":
                g = views.co_obligation(day, args.in_, snapshot=snap)
            elif args.view == "divergence":
                g = views.divergence(day, args.in_ or "nato", snapshot=snap)
            else:
                g = views.withdrawals(args.treaty, snapshot=snap)
            g.graph["data_version"] = version
            export.write(g, args.format, Path(args.output))
            print(f"wrote {args.view} ({g.number_of_nodes()} nodes, {g.number_of_edges()} "
                  f"edges) to {args.output}")
        elif args.command == "plot":
            target = args.target
            output = Path(args.output or f"{args.picture}-{target or args.in_ or 'nato'}.png")
            if args.picture == "timeline":
                if not target:
                    raise UsageError("plot timeline needs a treaty: treatykg plot timeline cmc")
                plot.timeline(target, output, as_of=day, version=version, snapshot=snap)
            elif args.picture == "matrix":
                plot.matrix(args.in_ or "nato", output, as_of=day, version=version, snapshot=snap)
            else:
                plot.network(target or "divergence", output, as_of=day, version=version,
                             snapshot=snap, in_=args.in_, treaty=args.treaty)
            print(f"wrote {output}")
        else:
            report.write(args.in_, Path(args.output), as_of=day, version=version, snapshot=snap)
            print(f"wrote {args.output}")
    except KeyError as error:
        raise UsageError(error.args[0]) from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
