"""Scenarios and other worlds: hypothetical acts go through the real clauses, in a graph held
in memory, and never touch data/ or build/."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import SCENARIOS
from treatykg import answers, changes, snapshot, worlds
from treatykg.load import DataError, load, load_scenario


def _apmbc(world, project, day: str) -> tuple[str, bool]:
    row = next(r for r in answers.status("DEU", as_of=day, project=project, db=world.store)
               if r["subject"] == "apmbc")
    return row["status"], row["bound"]


def _mtimes(folder: Path) -> dict[str, int]:
    return {str(p): p.lstat().st_mtime_ns for p in [folder, *folder.rglob("*")]}


def test_a_german_withdrawal_binds_for_six_months_then_takes_effect(built):
    world = worlds.open_world(built, scenarios=[SCENARIOS / "germany-leaves-the-apmbc.yaml"])
    assert world.hypothetical
    assert _apmbc(world, built, "2027-05-31") == ("withdrawal-pending", True)
    assert _apmbc(world, built, "2027-06-01") == ("withdrawn", False)


def test_an_armed_conflict_from_2027_05_01_defers_the_german_withdrawal(built):
    world = worlds.open_world(built,
                              scenarios=[SCENARIOS / "germany-leaves-the-apmbc-at-war.yaml"])
    assert _apmbc(world, built, "2027-06-01") == ("withdrawal-deferred", True)
    explained = answers.explain("DEU", "apmbc", as_of="2027-06-01", project=built,
                                db=world.store)
    assert explained["status"]["rule"].startswith(
        "APMBC Art. 20: takes effect P6M after the instrument is received (2026-12-01 + P6M = "
        "2027-06-01); engaged in armed conflict (hypothetical, from 2027-05-01) when the notice "
        "period ends, so not before the end of that conflict; it has no recorded end")
    assert explained["events"][-1]["date"].isoformat() == "2026-12-01"


def test_without_a_scenario_nothing_changes_and_nothing_is_written(built):
    before = _mtimes(built.build), _mtimes(built.data)
    worlds.open_world(built, scenarios=[SCENARIOS / "uk-leaves-apmbc-and-cmc.yaml"])
    assert (_mtimes(built.build), _mtimes(built.data)) == before
    plain = worlds.open_world(built)
    assert not plain.hypothetical
    assert _apmbc(plain, built, "2027-06-01") == ("party", True)


def test_the_uk_example_defers_both_withdrawals_by_its_conflict(built):
    world = worlds.open_world(built, scenarios=[SCENARIOS / "uk-leaves-apmbc-and-cmc.yaml"])
    rows = {r["subject"]: r["status"] for r in answers.status(
        "GBR", as_of="2027-07-15", project=built, db=world.store)}
    assert rows["apmbc"] == rows["cmc"] == "withdrawal-deferred"


def test_a_bad_hypothetical_act_names_its_file_line_and_field(built, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nevents:\n"
                   "  - {state: DEU, treaty: apmbc, event: withdrawal-notification, "
                   "date: 2026-12-01}\n"
                   "  - {state: DEU, treaty: ottawa, event: withdrawal-notification, "
                   "date: 2026-13-01}\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_scenario(bad, load(built.data))
    assert [str(p) for p in error.value.problems] == [
        "bad.yaml:4: date: '2026-13-01' is not a date (no such day)",
        "bad.yaml:4: treaty: 'ottawa' is not a treaty in data/treaties/"]


def test_a_hypothetical_act_is_checked_like_a_recorded_one(built, tmp_path):
    odd = tmp_path / "odd.yaml"
    odd.write_text("name: odd\nevents:\n"
                   "  - {state: USA, treaty: cmc, event: withdrawal-notification, "
                   "date: 2027-01-01}\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"odd\.yaml:3: event: withdrawal by USA, which had "
                                        r"not consented to be bound by cmc"):
        worlds.open_world(built, scenarios=[odd])


def test_hypothetical_acts_follow_the_records_own_identities(built):
    dataset = load(built.data)
    scenario = load_scenario(SCENARIOS / "germany-leaves-the-apmbc.yaml", dataset)
    assert [e.key for e in scenario.events] == ["apmbc/DEU/withdrawal-notification/1"]
    assert all(e.hypothetical and not e.verified for e in scenario.events)


def test_every_event_has_an_identity_that_survives_a_corrected_date(built):
    dataset = load(built.data)
    keys = [e.key for e in dataset.events]
    assert len(keys) == len(set(keys))
    ukraine = [e.key for e in dataset.events if (e.state, e.subject) == ("UKR", "apmbc")]
    assert ukraine == ["apmbc/UKR/signature/1", "apmbc/UKR/ratification/1",
                       "apmbc/UKR/suspension/1"]


def test_diff_lists_the_changes_for_nato_since_2024_and_nothing_else(built, db):
    found = [(c.date.isoformat(), c.state, c.subject, c.before, c.after)
             for c in changes.between(snapshot.read(db), *map(_day, ("2024-01-01",
                                                                      "2026-11-22")),
                                      in_="nato")]
    for expected in [("2024-03-07", "SWE", "nato", None, "member"),
                     ("2024-09-06", "LTU", "cmc", "party", "withdrawal-pending"),
                     ("2025-03-06", "LTU", "cmc", "withdrawal-pending", "withdrawn"),
                     ("2025-06-27", "EST", "apmbc", "party", "withdrawal-pending"),
                     ("2025-12-27", "LVA", "apmbc", "withdrawal-pending", "withdrawn"),
                     ("2026-01-10", "FIN", "apmbc", "withdrawal-pending", "withdrawn"),
                     ("2026-02-20", "POL", "apmbc", "withdrawal-pending", "withdrawn")]:
        assert expected in found, expected
    assert all(before != after for *_, before, after in found)
    assert not [f for f in found if f[2] == "north-atlantic-treaty"]  # it mirrors nato
    assert len(found) == 20


def _day(text: str):
    from datetime import date

    return date.fromisoformat(text)
