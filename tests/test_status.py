"""Four states across every treaty and organization, today and on 1 January 2019, pinned.

The golden files in tests/golden/status/ were reviewed against the depositaries' records (see
data/); regenerate them with `python tests/regenerate_golden.py` after a reviewed data change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from treatykg import queries, results

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "status"
CASES = [(state, day) for state in ("USA", "RUS", "UKR", "FIN")
         for day in ("2019-01-01", "2026-11-22")]


def status_csv(db, state: str, day: str) -> str:
    query = queries.find(ROOT / "queries", "state-status")
    return results.to_csv(queries.run(db, query, {"state": state, "asOf": day}))


@pytest.mark.parametrize(("state", "day"), CASES, ids=[f"{s}-{d}" for s, d in CASES])
def test_a_states_status_across_treaties(db, state, day):
    expected = (GOLDEN / f"{state}-{day}.csv").read_text(encoding="utf-8")
    assert status_csv(db, state, day) == expected
