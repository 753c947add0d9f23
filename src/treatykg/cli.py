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

from treatykg import answers, build, queries, results
from treatykg.dates import parse_day
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

    sub.add_parser("build", help="load, validate and derive data/ into build/")
    p = sub.add_parser("validate", help="run every check; exit 0 conforms, 1 does not, 2 error")
    p.add_argument("--format", choices=("text", "json"), default="text")

    p = sub.add_parser("query", help="run a library query (by name) or a .rq file")
    p.add_argument("name", metavar="NAME|FILE.rq")
    p.add_argument("--param", type=_param, action="append", default=[], metavar="KEY=VALUE")
    with_as_of(p)
    with_format(p)

    sub.add_parser("queries", help="list the question library")

    p = sub.add_parser("members", help="states bound by a treaty or alliance on a date")
    p.add_argument("subject", metavar="TREATY|ALLIANCE")
    p.add_argument("--in", dest="in_", metavar="ALLIANCE", help="only members of this alliance")
    p.add_argument("--status", choices=answers.STATUSES,
                   help="list states with this status instead of those bound")
    with_as_of(p)
    with_format(p)

    p = sub.add_parser("status", help="one state across every treaty and alliance")
    p.add_argument("state", metavar="STATE")
    with_as_of(p)
    with_format(p)

    p = sub.add_parser("explain", help="why a state has its status: events, clauses, sources")
    p.add_argument("state", metavar="STATE")
    p.add_argument("subject", metavar="TREATY|ALLIANCE")
    with_as_of(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def _plain_value(value) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _print_rows(rows: list[dict], columns: list[str], fmt: str, title: str) -> None:
    clean = [{c: _plain_value(r.get(c)) for c in columns} for r in rows]
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

    cells = [[cell(r[c]) for c in columns] for r in clean]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    print(f"({len(cells)} state{'s' if len(cells) != 1 else ''})" if "state" in columns
          else f"({len(cells)} rows)")


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
    except (queries.QueryError, UsageError) as error:
        print(f"treatykg: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, project) -> int:
    if args.command == "build":
        manifest = build.build(project)
        print(f"built {manifest['triples']} triples: {manifest['events']} events, "
              f"{manifest['intervals']} status intervals -> {project.build}")
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
    if args.command == "members":
        rows = answers.members(args.subject, as_of=args.as_of, in_=args.in_,
                               status=args.status, project=project)
        day = args.as_of or date.today().isoformat()
        what = f"with status {args.status} in" if args.status else "bound by"
        scope = f"members of {args.in_} " if args.in_ else "states "
        _print_rows(rows, ["state", "name", "status", "since", "until"], args.format,
                    f"{scope}{what} {args.subject} as of {day}:")
        return 0
    if args.command == "status":
        rows = answers.status(args.state, as_of=args.as_of, project=project)
        day = args.as_of or date.today().isoformat()
        _print_rows(rows, ["subject", "kind", "status", "bound", "since", "until"], args.format,
                    f"{args.state.upper()} as of {day}:")
        return 0
    if args.command == "explain":
        report = answers.explain(args.state, args.subject, as_of=args.as_of, project=project)
        if args.format == "json":
            print(json.dumps(report, indent=2, default=_plain_value, ensure_ascii=False))
        else:
            print(_explain_text(report))
        return 0
    raise UsageError(f"unknown command {args.command}")


if __name__ == "__main__":
    raise SystemExit(main())
