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

    python bench/startup.py            # 9 runs of each, against the checkout's current build
    python bench/startup.py --runs 21
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    project = find_project()
    if not builds.is_current(project):
        print(f"{project.build} is missing or stale: run `treatykg build` first", file=sys.stderr)
        return 2
    env = dict(os.environ, TREATYKG_ROOT=str(project.root))
    build = builds.current_path(project)
    with tempfile.TemporaryDirectory() as folder:
        texts = Path(folder) / "queries.json"
        texts.write_text(json.dumps(_texts(build / builds.STORE, project)), encoding="utf-8")
        script = Path(folder) / "floor.py"
        script.write_text(_FLOOR, encoding="utf-8")
        cli_argv = [sys.executable, "-m", "treatykg.cli", "members", "cmc", "--in", "nato",
                    "--no-build", "--as-of", AS_OF]
        floor_argv = [sys.executable, str(script), str(build / builds.STORE), str(texts)]
        _time(cli_argv, env), _time(floor_argv, env)  # warm the page cache
        cli, floor = [], []
        for _ in range(args.runs):  # interleaved, so a busy moment hits both alike
            cli.append(_time(cli_argv, env))
            floor.append(_time(floor_argv, env))
    heavy = heavy_imports(env)
    result = {"runs": args.runs, "cli_s": round(statistics.median(cli), 3),
              "store_s": round(statistics.median(floor), 3),
              "beyond_store_s": round(statistics.median(cli) - statistics.median(floor), 3),
              "target_s": TARGET, "heavy_imports": heavy}
    print(f"members cmc --in nato --no-build, median of {args.runs} fresh processes")
    print(f"  CLI                 {result['cli_s']:.3f} s")
    print(f"  store alone         {result['store_s']:.3f} s  (python + pyoxigraph + 2 queries)")
    print(f"  CLI beyond store    {result['beyond_store_s']:.3f} s  (target <= {TARGET} s: "
          f"{'met' if result['beyond_store_s'] <= TARGET else 'NOT met'})")
    print(f"  heavy imports       {', '.join(heavy) or 'none'}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
