"""Start-up cost of the command line: `treatykg members cmc --in nato --no-build` against the
store's own time for the same question.

Each run is a fresh process timed from outside, interpreter start included, in two kinds:
- the CLI: `python -m treatykg.cli members cmc --in nato --no-build --as-of D`;
- the floor: a script that imports pyoxigraph, opens the same build's store read-only and runs
  the same two bound queries the CLI runs (status-on-date for cmc and for nato), reading every
  row; the query texts are bound here, beforehand, so the floor pays for nothing else.
The difference of the medians is what the CLI costs beyond the store: imports, argument
parsing, the check that build/ is current, name resolution and printing. The target is
<= 0.15 s. It also lists the heavy libraries the CLI process imported (none is the goal).

Both are measured twice: as this environment runs Python (here PYTHONDONTWRITEBYTECODE=1, so
an editable install compiles the package's own modules at every start; installed libraries
keep their bytecode), and with bytecode cached, Python's default (in a temporary
PYTHONPYCACHEPREFIX, so the checkout is left as it is). `--src` runs the CLI from another
source tree, e.g. an earlier commit's `git archive`, to measure a before.

    python bench/startup.py            # 9 runs of each, against the checkout's current build
    python bench/startup.py --runs 21 --src /tmp/before/src
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from treatykg import builds, queries
from treatykg.paths import find_project

AS_OF = "2026-11-22"
HEAVY = ("rdflib", "networkx", "matplotlib", "owlready2", "pyshacl")
TARGET = 0.15

_FLOOR = textwrap.dedent("""
    import json, sys
    import pyoxigraph
    store = pyoxigraph.Store.read_only(sys.argv[1])
    rows = 0
    for text in json.loads(open(sys.argv[2], encoding="utf-8").read()):
        rows += sum(1 for _ in store.query(text))
    print(rows)
""")
_MODULES = textwrap.dedent("""
    import sys
    from treatykg import cli
    code = cli.main(sys.argv[1:])
    heavy = sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))
    print("HEAVY:" + ",".join(heavy), file=sys.stderr)
""")


def _time(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _texts(store_path: Path, project) -> list[str]:
    """The query texts the CLI runs for the question, bound as the CLI binds them."""
    import pyoxigraph

    db = pyoxigraph.Store.read_only(str(store_path))
    query = queries.find(project.queries, "status-on-date")
    return [queries.bound_text(db, query, {"subject": s, "asOf": AS_OF}) for s in ("cmc", "nato")]


def heavy_imports(env: dict[str, str]) -> list[str]:
    """The heavy libraries a `members cmc --in nato --no-build` process imports."""
    script = f"HEAVY = {HEAVY!r}\n{_MODULES}"
    done = subprocess.run([sys.executable, "-c", script, "members", "cmc", "--in", "nato",
                           "--no-build", "--as-of", AS_OF],
                          env=env, capture_output=True, text=True, check=True)
    line = next(x for x in done.stderr.splitlines() if x.startswith("HEAVY:"))
    return [m for m in line[len("HEAVY:"):].split(",") if m]


def _modes(folder: Path) -> dict[str, dict[str, str]]:
    here = dict(os.environ)
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return {"as run here": here, "bytecode cached": cached}


def measure(runs: int, argv_cli: list[str], argv_floor: list[str],
            env: dict[str, str]) -> dict[str, float]:
    """Medians of `runs` fresh processes of each, interleaved so a busy moment hits both."""
    _time(argv_cli, env), _time(argv_floor, env)  # warm the page cache (and write bytecode)
    cli, floor = [], []
    for _ in range(runs):
        cli.append(_time(argv_cli, env))
        floor.append(_time(argv_floor, env))
    return {"cli_s": round(statistics.median(cli), 3),
            "store_s": round(statistics.median(floor), 3),
            "beyond_store_s": round(statistics.median(cli) - statistics.median(floor), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--src", type=Path, help="run the CLI from this source tree")
    args = parser.parse_args()
    project = find_project()
    if not builds.is_current(project):
        print(f"{project.build} is missing or stale: run `treatykg build` first", file=sys.stderr)
        return 2
    build = builds.current_path(project)
    results = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        texts = folder / "queries.json"
        texts.write_text(json.dumps(_texts(build / builds.STORE, project)), encoding="utf-8")
        script = folder / "floor.py"
        script.write_text(_FLOOR, encoding="utf-8")
        cli_argv = [sys.executable, "-m", "treatykg.cli", "members", "cmc", "--in", "nato",
                    "--no-build", "--as-of", AS_OF]
        floor_argv = [sys.executable, str(script), str(build / builds.STORE), str(texts)]
        for mode, env in _modes(folder).items():
            env["TREATYKG_ROOT"] = str(project.root)
            if args.src:
                env["PYTHONPATH"] = str(args.src.resolve())
            results[mode] = measure(args.runs, cli_argv, floor_argv, env)
        env = dict(os.environ, TREATYKG_ROOT=str(project.root))
        if args.src:
            env["PYTHONPATH"] = str(args.src.resolve())
        heavy = heavy_imports(env)
    print(f"members cmc --in nato --no-build, median of {args.runs} fresh processes"
          + (f", CLI from {args.src}" if args.src else ""))
    for mode, r in results.items():
        met = "met" if r["beyond_store_s"] <= TARGET else "NOT met"
        print(f"  {mode:<16} CLI {r['cli_s']:.3f} s, store alone {r['store_s']:.3f} s: "
              f"beyond the store {r['beyond_store_s']:.3f} s (target <= {TARGET} s: {met})")
    print(f"  heavy imports    {', '.join(heavy) or 'none'}")
    print(json.dumps({"runs": args.runs, "src": str(args.src or ""), **results,
                      "target_s": TARGET, "heavy_imports": heavy}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
