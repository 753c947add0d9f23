"""data/ itself: canonical form, names matching keys, and counts set from a known good build."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from treatykg.load import EVENT_COLUMNS, load
from treatykg.records import EventKind

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
EVENT_FILES = sorted((DATA / "events").glob("*.csv")) + sorted((DATA / "memberships").glob("*.csv"))
_ORDER = {kind.value: i for i, kind in enumerate((
    EventKind.SIGNATURE, EventKind.RATIFICATION, EventKind.ACCESSION, EventKind.ACCEPTANCE,
    EventKind.APPROVAL, EventKind.SUCCESSION, EventKind.ENTRY_INTO_FORCE,
    EventKind.WITHDRAWAL_NOTIFICATION, EventKind.WITHDRAWAL_EFFECTIVE, EventKind.SUSPENSION,
    EventKind.SUSPENSION_ENDED, EventKind.CONSENT_REVOKED, EventKind.SIGNATURE_RENOUNCED,
    EventKind.FOUNDING))}


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_event_files_are_in_canonical_order(path):
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text
    rows = list(csv.DictReader(text.splitlines()))
    assert tuple(rows[0].keys()) == EVENT_COLUMNS
    keys = [(r["state"], r["date"], _ORDER[r["event"]]) for r in rows]
    assert keys == sorted(keys), f"{path.name}: sort rows by state, then date, then event kind"


def test_states_are_sorted_by_code():
    codes = [r["iso3"] for r in csv.DictReader((DATA / "states.csv").open(encoding="utf-8"))]
    assert codes == sorted(codes)


def test_every_folder_has_a_readme():
    for folder in (DATA, DATA / "events", DATA / "memberships", DATA / "treaties",
                   DATA / "alliances", ROOT / "ontology", ROOT / "queries"):
        assert (folder / "README.md").is_file(), folder


# Set from a known good build (2026-11-23); change only with a reason in the commit.
def test_count_assertions():
    dataset = load(DATA)
    kinds = [s.kind.value for s in dataset.states.values()]
    assert kinds.count("un-member") == 193
    assert kinds.count("un-observer") == 2
    assert {"SUN", "CSK", "SCG"} <= set(dataset.states)
    nato = {e.state for e in dataset.events if e.subject == "nato"}
    assert len(nato) == 32
    apmbc_consents = {e.state for e in dataset.events if e.subject == "apmbc"
                      and e.kind.value in ("ratification", "accession", "acceptance",
                                           "approval", "succession")}
    assert len(apmbc_consents) >= 166
    cmc_consents = {e.state for e in dataset.events if e.subject == "cmc"
                    and e.kind.value in ("ratification", "accession", "acceptance",
                                         "approval", "succession")}
    assert len(cmc_consents) >= 113


def test_every_nato_and_eu_member_has_an_apmbc_and_cmc_history_or_none_exists():
    """The reference tables cover every NATO state; one without a row is a true non-party."""
    dataset = load(DATA)
    nato = {e.state for e in dataset.events if e.subject == "nato"}
    apmbc = {e.state for e in dataset.events if e.subject == "apmbc"}
    assert nato - apmbc == {"USA"}
