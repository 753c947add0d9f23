"""Rewrite tests/golden/*.csv from the current data, and the small fixture's expected answers
(tests/fixtures/small/expected/); review the diff before committing."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from projects import CASES, GOLDEN, ROOT, answer, copy_project
from test_status import CASES as STATUS_CASES
from test_status import GOLDEN as STATUS_GOLDEN
from test_status import status_csv
from test_unbound import write_expected
from treatykg import answers, build, store


def write_claims(project, db) -> None:
    """The verdicts on the statements of the two texts behind the project, as the graph
    decides them (examples/claims-seeds.csv): id, verdict, found."""
    import csv

    verdicts = answers.check(ROOT / "examples" / "claims-seeds.csv", project=project, db=db)
    with (GOLDEN / "claims-seeds.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id", "verdict", "found"])
        writer.writerows([v["id"], v["verdict"], v["found"]] for v in verdicts)

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder))
        build.build(project)
        db = store.open_read_only(project.store)
        GOLDEN.mkdir(exist_ok=True)
        for name in sorted(CASES):
            (GOLDEN / f"{name}.csv").write_bytes(answer(db, name))
            print("wrote", name)
        STATUS_GOLDEN.mkdir(exist_ok=True)
        for state, day in STATUS_CASES:
            (STATUS_GOLDEN / f"{state}-{day}.csv").write_bytes(status_csv(db, state, day))
        write_claims(project, db)
        write_expected()
