"""Load on `treatykg serve`, side by side with the raw `oxigraph` server on the same store.

Bounded concurrent clients on loopback (default 8 clients x 500 library questions each, every
client a process with one kept-alive connection) ask the library questions of
queries/examples.json: of `treatykg serve` through its API (`GET /api/NAME?...`), of the raw
`oxigraph serve-read-only` on the same build's store with the same SPARQL text (bound as the
API binds it). The servers take turns, in one run, so a loaded machine weighs on both alike.
The questions are the library's analyst questions (the `*-violation` checks belong to
`treatykg validate`). It reports throughput, p50/p99 latency, errors and each server's peak
memory (resident, the server and its worker processes together), then a run where one client
sends the cartesian COUNT while the others ask library questions: the time from its start to
its refusal and the other clients' p99 beside the quiet figure. Everything stops by itself.

    python bench/load.py                 # treatykg serve against oxigraph (about 2 minutes)
    python bench/load.py --stacks        # and the oxigraph server behind our guard
    python bench/load.py --json          # and a JSON line at the end
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import guarded_oxigraph
from treatykg import api, build, builds, queries
from treatykg.paths import Project

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = json.loads((ROOT / "queries" / "examples.json").read_text(encoding="utf-8"))
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ACCEPT = "application/sparql-results+json"


@dataclass
class Target:
    """A running server and how a client asks it a question."""

    name: str
    process: subprocess.Popen
    port: int
    paths: list[str]  # one GET path per library question
    runaway_path: str
    memory_peak: int = 0  # bytes
    _sampling: bool = field(default=False, repr=False)

    def tree(self) -> list[int]:
        """The server's pid and its children's (treatykg's workers, guarded oxigraphs)."""
        pids = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if parent == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def resident(self) -> int:
        total = 0
        for pid in self.tree():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
        return total

    def sample_memory(self) -> threading.Thread:
        self._sampling = True

        def sample() -> None:
            while self._sampling:
                self.memory_peak = max(self.memory_peak, self.resident())
                time.sleep(0.05)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        return thread

    def stop_sampling(self) -> None:
        self._sampling = False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _ask(connection: http.client.HTTPConnection, path: str) -> int:
    """GET `path` over `connection`, read the whole answer; its status."""
    connection.request("GET", path, headers={"Accept": ACCEPT})
    response = connection.getresponse()
    response.read()
    return response.status


def _client(port: int, paths: list[str], count: int, offset: int, start_at: float,
            timeout: float) -> tuple[list[tuple[float, int]], float, float]:
    """One client process: `count` questions in turn over one kept-alive connection; the
    latencies and statuses, and when it began and ended."""
    while time.time() < start_at:
        time.sleep(0.001)
    began = time.time()
    out = []
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    for i in range(count):
        path = paths[(offset + i) % len(paths)]
        started = time.perf_counter()
        try:
            status = _ask(connection, path)
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        out.append((time.perf_counter() - started, status))
    connection.close()
    return out, began, time.time()


def _runaway(port: int, path: str, start_at: float, timeout: float) -> tuple[float, int]:
    while time.time() < start_at:
        time.sleep(0.001)
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        status = _ask(connection, path)
    except (OSError, http.client.HTTPException):
        status = 0  # the client gave up: the server did not stop it
    finally:
        connection.close()
    return time.perf_counter() - started, status


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_load(target: Target, clients: int, requests: int, runaway: bool = False,
             runaway_timeout: float = 60) -> dict:
    """One run: `clients` processes x `requests` questions; with `runaway`, one client sends
    the cartesian COUNT instead."""
    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 3.0  # every client process is up by then
    target.memory_peak = 0
    sampler = target.sample_memory()
    with context.Pool(clients) as pool:
        quiet = clients - 1 if runaway else clients
        jobs = [pool.apply_async(_client, (target.port, target.paths, requests, i * 7, start_at,
                                           120)) for i in range(quiet)]
        stray = (pool.apply_async(_runaway, (target.port, target.runaway_path, start_at,
                                             runaway_timeout)) if runaway else None)
        finished = [job.get() for job in jobs]
        results = [r for r, _, _ in finished]
        first_started = min(b for _, b, _ in finished)
        ended = max(e for _, _, e in finished)
        stopped = stray.get() if stray else None
    target.stop_sampling()
    sampler.join()
    latencies = [s for r in results for s, status in r if status == 200]
    errors = sum(1 for r in results for _, status in r if status != 200)
    out = {"server": target.name, "clients": quiet, "requests": quiet * requests,
           "errors": errors, "seconds": ended - first_started,
           "throughput": len(latencies) / (ended - first_started),
           "p50_ms": 1000 * statistics.median(latencies),
           "p99_ms": 1000 * _percentile(latencies, 0.99),
           "peak_mb": target.memory_peak / 2**20}
    if stopped:
        out["runaway_seconds"], out["runaway_status"] = stopped
    return out


def _wait_for(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} stopped: {process.stdout.read() if process.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start")


def _port_from(process: subprocess.Popen, what: str) -> int:
    for line in process.stdout:
        if " at http://" in line:
            return int(line.split(" at http://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
    raise SystemExit(f"{what} did not start")


def start_targets(project: Project, time_limit: float, workers: int, stacks: bool
                  ) -> list[Target]:
    store = builds.open_current(project).store
    library = queries.library(project.queries)
    questions = api.Questions(store, library)
    # the analyst's questions; the *-violation checks are `treatykg validate`'s (one takes 4 s)
    names = [n for n in EXAMPLES if n in library and not library[n].violation]
    api_paths = [f"/api/{n}?{urlencode(EXAMPLES[n])}" for n in names]
    texts = [questions.bound(n, list(EXAMPLES[n].items())) for n in names]
    env = {**os.environ, "TREATYKG_ROOT": str(project.root)}
    limits = ["--time-limit", f"{time_limit:g}", "--workers", str(workers)]
    targets = []
    ours = subprocess.Popen([sys.executable, "-m", "treatykg.cli", "serve", "--port", "0",
                             "--no-build", *limits], stdout=subprocess.PIPE, text=True, env=env)
    targets.append(Target("treatykg serve", ours, _port_from(ours, "treatykg serve"), api_paths,
                          "/sparql?" + urlencode({"query": CARTESIAN})))
    port = guarded_oxigraph.free_port()
    raw = subprocess.Popen([guarded_oxigraph.oxigraph_command(), "serve-read-only", "--location",
                            str(builds.current_path(project) / "store"), "--bind",
                            f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    _wait_for(port, raw, "oxigraph")
    targets.append(Target("oxigraph (raw)", raw, port,
                          [f"/query?{urlencode({'query': t})}" for t in texts],
                          "/query?" + urlencode({"query": CARTESIAN})))
    if stacks:
        guarded = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("guarded_oxigraph.py")),
             str(project.root), *limits], stdout=subprocess.PIPE, text=True, env=env)
        targets.append(Target("oxigraph behind the guard", guarded,
                              _port_from(guarded, "guarded oxigraph"), api_paths,
                              "/sparql?" + urlencode({"query": CARTESIAN})))
    for target in targets:  # warm up: every question once
        for path in target.paths:
            connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=60)
            connection.request("GET", path, headers={"Accept": ACCEPT})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{target.name}: {path} answered {response.status}")
            connection.close()
    return targets


def _machine() -> str:
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.machine()}, {date.today().isoformat()}")


def _table(rows: list[dict]) -> str:
    lines = [f"{'server':<28} {'clients':>7} {'requests':>8} {'errors':>6} {'req/s':>7} "
             f"{'p50 ms':>7} {'p99 ms':>7} {'peak MB':>8}"]
    for r in rows:
        lines.append(f"{r['server']:<28} {r['clients']:>7} {r['requests']:>8} {r['errors']:>6} "
                     f"{r['throughput']:>7.0f} {r['p50_ms']:>7.1f} {r['p99_ms']:>7.1f} "
                     f"{r['peak_mb']:>8.0f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=500, help="per client")
    parser.add_argument("--rounds", type=int, default=3,
                        help="turns each server takes (the figures pool them)")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stacks", action="store_true",
                        help="also measure the oxigraph server behind our guard")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="treatykg-load-"))
    try:
        project = Project(folder)
        for name in ("data", "ontology", "queries"):
            shutil.copytree(ROOT / name, folder / name)
        build.build(project)
        targets = start_targets(project, args.time_limit, args.workers, args.stacks)
        try:
            report = measure(targets, args)
        finally:
            for target in targets:
                target.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n## load: {args.clients} clients x {args.requests} library questions, "
          f"{args.rounds} turns each; time limit {args.time_limit:g} s, {args.workers} workers "
          f"({_machine()})")
    print(_table(report["quiet"]))
    for row in report["quiet"]:
        print(f"  {row['server']} turns: req/s {row['throughput_turns']}, "
              f"p99 ms {row['p99_ms_turns']}")
    ours, raw = report["quiet"][0], report["quiet"][1]
    print(f"treatykg / oxigraph: p99 {ours['p99_ms'] / raw['p99_ms']:.2f}x (target <= 1.5x), "
          f"throughput {ours['throughput'] / raw['throughput']:.2f}x (target >= 0.7x), "
          f"errors {ours['errors']} (target 0)")
    print("\n## one client sends the cartesian COUNT, the others library questions")
    print(_table(report["runaway"]))
    for row in report["runaway"]:
        quiet = next(q for q in report["quiet"] if q["server"] == row["server"])
        status = row["runaway_status"] or "no answer: the client gave up"
        print(f"{row['server']}: the runaway query answered {status} after "
              f"{row['runaway_seconds']:.2f} s (target: limit + 1 s = {args.time_limit + 1:g} s);"
              f" the other clients' p99 {row['p99_ms']:.1f} ms beside {quiet['p99_ms']:.1f} ms "
              f"quiet, {row['errors']} errors")
    if args.json:
        print(json.dumps(report))


def _pooled(runs: list[dict]) -> dict:
    """Turns of one server as one figure: the requests and errors summed, the median turn's
    throughput, p50 and p99 (on a shared machine one turn can fall in another's busy spell),
    the highest peak memory."""
    out = dict(runs[0])
    out["requests"] = sum(r["requests"] for r in runs)
    out["errors"] = sum(r["errors"] for r in runs)
    for key in ("throughput", "p50_ms", "p99_ms"):
        out[key] = statistics.median(r[key] for r in runs)
        out[key + "_turns"] = [round(r[key], 1) for r in runs]
    out["peak_mb"] = max(r["peak_mb"] for r in runs)
    return out


def measure(targets: list[Target], args) -> dict:
    turns: dict[str, list[dict]] = {t.name: [] for t in targets}
    for _ in range(args.rounds):
        for target in targets:
            turns[target.name].append(run_load(target, args.clients, args.requests))
            print(_table([turns[target.name][-1]]).splitlines()[1], flush=True)
    quiet = [_pooled(turns[t.name]) for t in targets]
    runaway = []
    for target in targets if args.clients > 1 else ():
        if target.name.startswith("oxigraph (raw)"):
            continue  # it would run the cartesian count for hours (ENGINES.md)
        runaway.append(run_load(target, args.clients, args.requests, runaway=True,
                                runaway_timeout=args.time_limit + 30))
        print(_table([runaway[-1]]).splitlines()[1], flush=True)
    return {"quiet": quiet, "runaway": runaway, "machine": _machine(),
            "time_limit": args.time_limit, "workers": args.workers}


if __name__ == "__main__":
    main()
