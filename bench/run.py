"""The scale benchmark: treatykg against its floor and against rdflib, at 1x, 10x and 100x.

For each scale it synthesises the data (bench/synth.py), then measures in one run:
- `treatykg build`: wall time and peak memory, in a fresh process (interpreter start-up and
  imports excluded), against the floor: pyoxigraph merely parsing the N-Triples the build wrote;
- a one-row change: the incremental build after editing one row of one treaty's events;
- every library question (queries/examples.json) on the embedded store, against the same query
  in rdflib's in-memory SPARQL over the same graph (p50 and p99 of repeated runs; an rdflib
  query past the time limit counts as the limit, so its speed-up is a lower bound);
- one networkx view (co-obligation among NATO allies) and its GraphML export.
It prints a table per scale and, last, one JSON line for the largest scale.

    python bench/run.py --quick        # 1x and 10x, within a minute on 2 cores
    python bench/run.py                # 1x, 10x and 100x (see bench/RESULTS.md)
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import rdflib

import engines
import synth
from treatykg import export, queries, store, views
from treatykg.paths import Project

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = json.loads((ROOT / "queries" / "examples.json").read_text(encoding="utf-8"))

# Run in a fresh interpreter, so each build is measured from the same cold start; the child
# reports its own time after its imports, and its peak resident memory.
_BUILD = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from treatykg import build
    from treatykg.paths import Project
    plan = build.Plan()
    start = time.perf_counter()
    manifest = build.build(Project(Path(sys.argv[1])), plan)
    print(json.dumps({"seconds": time.perf_counter() - start, "triples": manifest["triples"],
                      "events": manifest["events"], "intervals": manifest["intervals"],
                      "derived": len(plan.derived), "store": plan.store,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")
_PARSE = textwrap.dedent("""
    import json, sys, time
    import pyoxigraph
    start = time.perf_counter()
    n = sum(1 for _ in pyoxigraph.parse(path=sys.argv[1], format=pyoxigraph.RdfFormat.N_TRIPLES))
    print(json.dumps({"seconds": time.perf_counter() - start, "triples": n}))
""")


def _child(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def one_row_change(project: Project) -> str:
    """Edit one row of one treaty's events (a copy's CMC file: its note), as a curator would."""
    path = sorted((project.data / "events").glob("cmc*.csv"))[-1]
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("note")] = "benchmark edit"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path.relative_to(project.root).as_posix()


def _rdflib_side(nt: Path, asked: list[tuple[str, str]], repeat: int, timeout: float,
                 channel) -> None:
    """In a child process: parse the N-Triples into rdflib, then time each question there."""
    start = time.perf_counter()
    graph = rdflib.Graph().parse(nt, format="nt")
    out = [time.perf_counter() - start]
    for _, text in asked:
        out.append(engines.in_child(
            lambda t=text: len(list(graph.query(t))), repeat, timeout))
    channel.put(out)


def questions(project: Project, repeat: int, rdflib_repeat: int, timeout: float) -> list[dict]:
    """Every library question on the embedded store and on rdflib over the same N-Triples.

    rdflib runs in a child process (its graph is freed with it), after the store is done: with
    an rdflib query running on the other core, the store's small answers took twice as long.
    """
    db = store.open_read_only(project.store)
    library = [queries.find(project.queries, name) for name in EXAMPLES]
    library = [q for q in library if not q.violation]
    asked = [(q.name, queries.bound_text(db, q, EXAMPLES[q.name])) for q in library]
    mine = [engines.timed(lambda q=q: len(queries.run(db, q, EXAMPLES[q.name]).rows), repeat)
            for q in library]
    context = multiprocessing.get_context("fork")
    channel = context.Queue()
    child = context.Process(target=_rdflib_side, args=(
        project.build / "treatykg.nt", asked, rdflib_repeat, timeout, channel))
    child.start()
    rdflib_load, *theirs = channel.get()
    child.join()
    rows = []
    for query, (p50, p99, count), (r_ms, r_rows) in zip(library, mine, theirs, strict=True):
        if r_ms is not None and r_rows != count:
            raise SystemExit(f"{query.name}: rdflib gave {r_rows} rows, the store {count}")
        rows.append({"query": query.name, "rows": count, "p50_ms": p50, "p99_ms": p99,
                     "rdflib_ms": r_ms if r_ms is not None else timeout * 1000,
                     "rdflib_timed_out": r_ms is None})
    rows.append({"rdflib_load_s": rdflib_load})
    return rows


def graph_view(project: Project, folder: Path) -> tuple[float, float, int]:
    """Seconds to build the NATO co-obligation view from the store, and to write it as GraphML."""
    db = store.open_read_only(project.store)
    start = time.perf_counter()
    g = views.co_obligation("2026-11-22", "nato", snapshot=views.load(db=db))
    view = time.perf_counter() - start
    start = time.perf_counter()
    export.write(g, "graphml", folder / "co-obligation.graphml")
    return view, time.perf_counter() - start, g.number_of_edges()


def measure(scale: int, folder: Path, repeat: int, rdflib_repeat: int, timeout: float) -> dict:
    project = Project(synth.synthesize(scale, folder / f"{scale}x"))
    built = _child(_BUILD, str(project.root))
    floor = _child(_PARSE, str(project.build / "treatykg.nt"))
    edited = one_row_change(project)
    incremental = _child(_BUILD, str(project.root))
    asked = questions(project, repeat, rdflib_repeat, timeout)
    load = asked.pop()["rdflib_load_s"]
    view_s, graphml_s, edges = graph_view(project, folder)
    speedups = [q["rdflib_ms"] / q["p50_ms"] for q in asked]
    return {
        "scale": scale, "triples": built["triples"], "events": built["events"],
        "intervals": built["intervals"], "build_s": built["seconds"],
        "build_peak_mb": built["peak_mb"], "parse_floor_s": floor["seconds"],
        "build_over_parse_floor": built["seconds"] / floor["seconds"],
        "one_row_change": edited, "incremental_s": incremental["seconds"],
        "incremental_store": incremental["store"], "incremental_derived": incremental["derived"],
        "rdflib_load_s": load, "queries": asked,
        "library_speedup_vs_rdflib": statistics.median(speedups),
        "slowest_query_ms": max(q["p99_ms"] for q in asked),
        "view_s": view_s, "graphml_s": graphml_s, "view_edges": edges,
    }


def table(result: dict) -> str:
    r = result
    lines = [
        f"## {r['scale']}x: {r['triples']:,} triples, {r['events']:,} events, "
        f"{r['intervals']:,} intervals",
        f"build {r['build_s']:.2f} s (peak {r['build_peak_mb']:.0f} MB); parse floor "
        f"{r['parse_floor_s']:.2f} s; build/floor {r['build_over_parse_floor']:.1f}x",
        f"one-row change ({r['one_row_change']}): {r['incremental_s']:.2f} s "
        f"({r['incremental_derived']} family re-derived, store {r['incremental_store']})",
        f"networkx co-obligation view {r['view_s']:.2f} s ({r['view_edges']:,} edges); "
        f"GraphML {r['graphml_s']:.2f} s; rdflib parse {r['rdflib_load_s']:.1f} s",
        f"{'query':<28} {'rows':>6} {'p50 ms':>9} {'p99 ms':>9} {'rdflib ms':>10} {'speed-up':>9}",
    ]
    for q in r["queries"]:
        mark = ">" if q["rdflib_timed_out"] else ""
        lines.append(f"{q['query']:<28} {q['rows']:>6} {q['p50_ms']:>9.1f} {q['p99_ms']:>9.1f} "
                     f"{mark + format(q['rdflib_ms'], '.0f'):>10} "
                     f"{mark + format(q['rdflib_ms'] / q['p50_ms'], '.0f') + 'x':>9}")
    lines.append(f"median speed-up {r['library_speedup_vs_rdflib']:.0f}x; slowest question "
                 f"(p99) {r['slowest_query_ms']:.1f} ms")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1x and 10x only, fewer repeats")
    parser.add_argument("--scales", type=int, nargs="+", help="scales to run (default 1 10 100)")
    parser.add_argument("--timeout", type=float, help="seconds an rdflib query may take")
    args = parser.parse_args(argv)
    scales = args.scales or ([1, 10] if args.quick else [1, 10, 100])
    repeat, rdflib_repeat = (5, 1) if args.quick else (21, 3)
    timeout = args.timeout or (1.0 if args.quick else 30.0)
    results = []
    with tempfile.TemporaryDirectory(prefix="treatykg-bench-") as tmp:
        for scale in scales:
            results.append(measure(scale, Path(tmp), repeat, rdflib_repeat, timeout))
            print(table(results[-1]), flush=True)
    last = results[-1]
    summary = {k: last[k] for k in ("scale", "build_over_parse_floor",
                                     "library_speedup_vs_rdflib", "slowest_query_ms")}
    summary.update({k: last[k] for k in ("triples", "build_s", "parse_floor_s", "incremental_s")})
    summary["build_growth"] = {f"{r['scale']}x": round(r["build_s"], 3) for r in results}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
