"""Choose the embedded engine by measurement: the question library on rdflib vs pyoxigraph.

Runs every library query on the built graph (build/treatykg.nt) in rdflib's in-memory SPARQL,
in pyoxigraph in memory and in the on-disk store `treatykg build` writes, in one run, and
prints median latencies and ratios. Answers are compared between engines (row counts), so a
fast wrong engine cannot win. Usage: python bench/engines.py [--repeat N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time

import pyoxigraph
import rdflib

from treatykg import build, builds, queries, store
from treatykg.paths import find_project

CASES = {
    "alliance-members-bound": {"alliance": "nato", "treaty": "cmc", "asOf": "2026-11-22"},
    "alliance-members-not-bound": {"alliance": "nato", "treaty": "apmbc", "asOf": "2026-11-22"},
    "ban-divergence-pairs": {"alliance": "nato", "asOf": "2026-11-22"},
    "bound-counts": {"asOf": "2026-11-22"},
    "parties-per-year": {"treaty": "apmbc", "asOf": "2026-11-22"},
    "state-status": {"state": "LTU", "asOf": "2025-01-01"},
    "status-on-date": {"subject": "apmbc", "asOf": "2026-11-22"},
    "withdrawals": {"treaty": "apmbc"},
}


def timed(run, repeat: int) -> tuple[float, float, int]:
    """p50 and p99 in ms over `repeat` runs of `run`, and the row count of the last."""
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = run()
        times.append((time.perf_counter() - start) * 1000)
    ordered = sorted(times)
    return statistics.median(ordered), ordered[round(0.99 * (len(ordered) - 1))], rows


def in_child(run, repeat: int, timeout: float) -> tuple[float | None, int | None]:
    """Median of `run` in a forked child, or (None, None) past `timeout` seconds."""
    context = multiprocessing.get_context("fork")
    channel = context.Queue()
    child = context.Process(target=lambda: channel.put(timed(run, repeat)[::2]))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None, None
    return channel.get()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=20.0,
                        help="seconds one rdflib query may take before it is reported as '>'")
    args = parser.parse_args()
    project = find_project()
    if not builds.is_current(project):
        build.build(project)
    nt = project.build / "treatykg.nt"

    start = time.perf_counter()
    graph = rdflib.Graph().parse(nt, format="nt")
    rdflib_load = time.perf_counter() - start
    start = time.perf_counter()
    memory = pyoxigraph.Store()
    memory.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
    oxi_load = time.perf_counter() - start
    disk = store.open_read_only(project.store)

    print(f"graph: {len(graph)} triples; load rdflib {rdflib_load:.2f} s, "
          f"pyoxigraph {oxi_load:.3f} s ({rdflib_load / oxi_load:.0f}x)")
    print(f"{'query':<28} {'rdflib ms':>10} {'oxi mem ms':>10} {'oxi disk ms':>11} {'speed-up':>9}")
    ratios = []
    for name, values in CASES.items():
        q = queries.find(project.queries, name)
        text = queries.bound_text(disk, q, values)
        r_ms, r_rows = in_child(lambda t=text: len(list(graph.query(t))), args.repeat,
                                args.timeout)
        m_ms, _, m_rows = timed(lambda q=q, v=values: len(queries.run(memory, q, v).rows),
                                  args.repeat)
        d_ms, _, d_rows = timed(lambda q=q, v=values: len(queries.run(disk, q, v).rows),
                                  args.repeat)
        if r_ms is None:  # a lower bound: rdflib did not finish within the timeout
            r_ms, r_rows, shown = args.timeout * 1000, m_rows, f">{args.timeout * 1000:.0f}"
        else:
            shown = f"{r_ms:.1f}"
        agree = "" if r_rows == m_rows == d_rows else f"  ROWS DIFFER {r_rows}/{m_rows}/{d_rows}"
        ratios.append(r_ms / d_ms)
        print(f"{name:<28} {shown:>10} {m_ms:>10.1f} {d_ms:>11.1f} {r_ms / d_ms:>8.0f}x{agree}",
              flush=True)
    print(f"median speed-up of the on-disk pyoxigraph store over rdflib: "
          f"{statistics.median(ratios):.0f}x")


if __name__ == "__main__":
    main()
