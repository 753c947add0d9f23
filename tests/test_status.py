"""Four states across every treaty and organization, today and on 1 January 2019, pinned.

The golden files in tests/golden/status/ were reviewed against the depositaries' records (see
data/); regenerate them with `python tests/regenerate_golden.py` after a reviewed data change.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from projects import ROOT
from treatykg import queries, results

GOLDEN = Path(__file__).parent / "golden" / "status"
CASES = [(state, day) for state in ("USA", "RUS", "UKR", "FIN")
         for day in ("2019-01-01", "2026-11-22")]


def status_csv(db, state: str, day: str) -> bytes:
    """The answer as `treatykg query state-status --format csv` writes it (SPARQL 1.1 CSV)."""
    query = queries.find(ROOT / "queries", "state-status")
    out = io.BytesIO()
    results.write(queries.execute(db, query, {"state": state, "asOf": day}).outcome, "csv", out)
    return out.getvalue()


@pytest.mark.parametrize(("state", "day"), CASES, ids=[f"{s}-{d}" for s, d in CASES])
def test_a_states_status_across_treaties(db, state, day):
    expected = (GOLDEN / f"{state}-{day}.csv").read_bytes()
    assert status_csv(db, state, day) == expected
