"""What changed, what if, is this claim true, and what did the record say then: the commands as
an analyst runs them, on the real data."""

from __future__ import annotations

import csv
import json

import pytest

from projects import GOLDEN, ROOT, SCENARIOS, rows

OTTAWA_LEAVERS = ("EST", "FIN", "LTU", "LVA", "POL")


# ------------------------------------------------------------------ diff

def test_what_changed_for_nato_since_2024_with_dates_and_sources(run):
    changes = rows(run, "diff", "--from", "2024-01-01", "--to", "2026-11-22", "--in", "nato")
    seen = {(c["date"], c["state"], c["subject"], c["before"], c["after"]) for c in changes}
    assert ("2024-03-07", "SWE", "nato", None, "member") in seen
    assert ("2024-09-06", "LTU", "cmc", "party", "withdrawal-pending") in seen
    assert ("2025-03-06", "LTU", "cmc", "withdrawal-pending", "withdrawn") in seen
    for state in OTTAWA_LEAVERS:
        assert {c["after"] for c in changes if (c["state"], c["subject"]) == (state, "apmbc")} \
            == {"withdrawal-pending", "withdrawn"}
    assert all(c["sources"] and c["clause"] for c in changes)
    assert all(c["before"] != c["after"] for c in changes)  # nothing that is not a change
    assert [c["date"] for c in changes] == sorted(c["date"] for c in changes)
    assert not [c for c in changes if c["subject"] == "north-atlantic-treaty"]


def test_diff_keeps_one_treaty_and_one_state(run):
    changes = rows(run, "diff", "--from", "2024-01-01", "--to", "2026-11-22", "--treaty",
                   "Ottawa Convention", "--state", "Finland")
    assert [(c["date"], c["after"]) for c in changes] == [
        ("2025-07-10", "withdrawal-pending"), ("2026-01-10", "withdrawn")]


def test_diff_needs_a_window_or_a_revision(run):
    code, _out, err = run("diff", "--to", "2026-11-22")
    assert code == 2 and "diff needs --from" in err


# ------------------------------------------------------------------ scenarios

GERMANY = SCENARIOS / "germany-leaves-the-apmbc.yaml"
GERMANY_AT_WAR = SCENARIOS / "germany-leaves-the-apmbc-at-war.yaml"


def _apmbc(rows_: list[dict]) -> dict:
    return next(r for r in rows_ if r["subject"] == "apmbc")


def test_a_german_withdrawal_binds_until_2027_05_31_and_is_withdrawn_on_2027_06_01(run):
    before = _apmbc(rows(run, "status", "DEU", "--as-of", "2027-05-31", "--scenario", GERMANY))
    after = _apmbc(rows(run, "status", "DEU", "--as-of", "2027-06-01", "--scenario", GERMANY))
    assert (before["status"], before["bound"], before["hypothetical"]) == (
        "withdrawal-pending", True, True)
    assert (after["status"], after["bound"]) == ("withdrawn", False)
    at_war = _apmbc(rows(run, "status", "DEU", "--as-of", "2027-06-01", "--scenario",
                         GERMANY_AT_WAR))
    assert (at_war["status"], at_war["bound"]) == ("withdrawal-deferred", True)
    plain = _apmbc(rows(run, "status", "DEU", "--as-of", "2027-06-01"))
    assert plain["status"] == "party" and "hypothetical" not in plain


def test_every_answer_from_a_scenario_says_it_is_hypothetical(run):
    code, out, _err = run("members", "apmbc", "--in", "nato", "--as-of", "2027-06-01",
                          "--scenario", GERMANY)
    assert code == 0 and out.splitlines()[0] == "(hypothetical: Germany leaves the APMBC)"
    assert "DEU" not in out
    code, out, err = run("members", "apmbc", "--in", "nato", "--as-of", "2027-06-01",
                         "--scenario", GERMANY, "--format", "json")
    assert "treatykg: hypothetical: Germany leaves the APMBC" in err
    assert all("hypothetical" not in r for r in json.loads(out))  # the others did not change
    code, out, err = run("query", "withdrawals-pending", "--as-of", "2027-01-01", "--scenario",
                         GERMANY, "--format", "json")
    bindings = json.loads(out)["results"]["bindings"]
    assert "hypothetical" in err and any(b["state"]["value"] == "DEU" for b in bindings)


def test_explain_shows_the_computed_date_and_the_clause_of_a_hypothetical_act(run):
    code, out, _err = run("explain", "DEU", "apmbc", "--as-of", "2027-06-01", "--scenario",
                          GERMANY_AT_WAR)
    assert code == 0
    assert "2026-12-01 + P6M = 2027-06-01" in out
    assert "engaged in armed conflict (hypothetical, from 2027-05-01)" in out


def test_a_bad_scenario_names_its_file_line_and_field_and_exits_2(run, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nevents:\n  - {state: DEU, treaty: apmbc, event: withdrawn, "
                   "date: 2026-12-01}\n", encoding="utf-8")
    code, out, err = run("status", "DEU", "--scenario", bad)
    assert code == 2 and out == ""
    assert "bad.yaml:3: event: 'withdrawn' is not one of" in err


# ------------------------------------------------------------------ known-at

def test_finland_as_the_record_stood_before_its_withdrawal_was_notified(run):
    known = _apmbc(rows(run, "status", "FIN", "--as-of", "2026-02-01", "--known-at",
                        "2025-06-01"))
    assert (known["status"], known["bound"]) == ("party", True)
    later = _apmbc(rows(run, "status", "FIN", "--as-of", "2026-02-01", "--known-at",
                        "2025-07-11"))  # the depositary notified it on 11 July 2025
    assert later["status"] == "withdrawn"


@pytest.mark.parametrize("argv", [
    ("members", "apmbc", "--in", "nato", "--as-of", "2026-03-01"),
    ("explain", "POL", "apmbc", "--as-of", "2026-03-01"),
    ("query", "alliance-members-bound", "--param", "treaty=apmbc", "--as-of", "2026-03-01"),
    ("diff", "--from", "2025-01-01", "--to", "2026-03-01", "--in", "nato"),
    ("check", "Poland is bound by the Ottawa Convention", "--as-of", "2026-03-01"),
], ids=lambda argv: argv[0])
def test_known_at_works_on_every_read_command(run, argv):
    """Before the 2025 Ottawa notices were on record, the five leavers were still bound."""
    _code, now, _ = run(*argv)
    code, then, err = run(*argv, "--known-at", "2025-06-01")
    assert code == 0, err
    assert "the record as known on 2025-06-01" in then + err
    assert then != now
    if argv[0] == "members":
        assert all(state in then for state in OTTAWA_LEAVERS)
        assert not any(state in now for state in OTTAWA_LEAVERS)


@pytest.mark.parametrize("argv", [
    ("export", "membership", "--in", "nato", "--as-of", "2026-03-01", "--format", "json",
     "-o", "{out}/m.json"),
    ("plot", "matrix", "--in", "nato", "--as-of", "2026-03-01", "-o", "{out}/m.svg"),
    ("report", "--in", "nato", "--as-of", "2026-03-01", "-o", "{out}/r.html"),
], ids=lambda argv: argv[0])
def test_known_at_and_scenarios_reach_the_pictures_and_exports(run, tmp_path, argv):
    argv = [a.format(out=tmp_path) for a in argv]
    code, _out, err = run(*argv, "--known-at", "2025-06-01")
    assert code == 0 and "the record as known on 2025-06-01" in err
    written = next(tmp_path.iterdir()).read_text(encoding="utf-8")
    if argv[0] == "export":
        edges = json.loads(written)["edges"]
        fin = next(e for e in edges if {e["source"], e["target"]} == {"state:FIN",
                                                                        "treaty:apmbc"})
        assert fin["status"] == "party"
    code, _out, err = run(*argv, "--scenario", GERMANY)
    assert code == 0 and "hypothetical: Germany leaves the APMBC" in err


# ------------------------------------------------------------------ claims

def test_every_claim_of_the_two_texts_is_decided_with_evidence(run):
    verdicts = rows(run, "check", ROOT / "examples" / "claims-seeds.csv")
    assert all(v["verdict"] in ("true", "false") and v["evidence"] for v in verdicts)
    golden = {r["id"]: (r["verdict"], r["found"])
              for r in csv.DictReader((GOLDEN / "claims-seeds.csv").open(encoding="utf-8"))}
    assert {v["id"]: (v["verdict"], v["found"]) for v in verdicts} == golden


def test_moldova_is_no_nato_member_and_the_membership_record_says_so(run):
    verdict = next(v for v in rows(run, "check", ROOT / "examples" / "claims-seeds.csv")
                   if v["id"] == "6b")
    assert verdict["verdict"] == "false"
    assert verdict["evidence"][0] == "Republic of Moldova has no record in NATO on 2024-08-15"
    assert verdict["evidence"][1].startswith("NATO on 2024-08-15: 32 members: ALB, BEL")
    assert any("nato.int" in url for url in verdict["sources"])


@pytest.mark.parametrize(("sentence", "as_of", "verdict", "found"), [
    ("Moldova is a NATO member", "2024-06-01", "false", "no status"),
    ("Lithuania is no longer bound by the Convention on Cluster Munitions", "2025-03-06",
     "true", "withdrawn (not bound)"),
    ("Ukraine is a party to the Ottawa Convention", "2026-11-22", "true", "suspended (bound)"),
    ("NATO has 32 members", "2024-08-15", "true", "32"),
    ("23 NATO members are bound by the CMC", "2026-11-22", "true", "23"),
    ("the CTBT has 178 parties", "2026-11-22", "false", "0"),
])
def test_a_claim_in_plain_english(run, sentence, as_of, verdict, found):
    [answer] = rows(run, "check", sentence, "--as-of", as_of)
    assert (answer["verdict"], answer["found"]) == (verdict, found)


def test_a_sentence_not_understood_says_which_shapes_are(run):
    code, out, err = run("check", "Moldova likes NATO")
    assert code == 2 and out == "" and "not understood: 'Moldova likes NATO'" in err
    assert "'STATE is a ALLIANCE member'" in err


def test_a_claim_the_graph_lacks_a_fact_for_is_unknown_and_exits_1(run, tmp_path):
    claims = tmp_path / "claims.csv"
    claims.write_text("id,state,relation,subject,as_of,in,value,text\n"
                      "u,UKR,bound,inf,1995-01-01,,,Ukraine was bound by the INF Treaty\n",
                      encoding="utf-8")
    code, out, _err = run("check", claims, "--format", "json")
    [answer] = json.loads(out)
    assert code == 1 and answer["verdict"] == "unknown"
    assert "the graph lacks a date: succession of UKR (inf), undated" in answer["evidence"]


def test_the_scenario_aware_question_lists_what_a_scenario_changes(run):
    code, out, _err = run("query", "scenario-effects", "--scenario",
                          SCENARIOS / "uk-leaves-apmbc-and-cmc.yaml", "--format", "csv")
    rows_ = list(csv.DictReader(out.splitlines()))
    assert code == 0
    assert [(r["subject"], r["status"], r["since"]) for r in rows_] == [
        ("apmbc", "withdrawal-pending", "2027-01-15"),
        ("cmc", "withdrawal-pending", "2027-01-15"),
        ("apmbc", "withdrawal-deferred", "2027-07-15"),
        ("cmc", "withdrawal-deferred", "2027-07-15")]
    code, out, _err = run("query", "scenario-effects", "--format", "csv")
    assert out.splitlines()[1:] == []  # the record alone holds nothing hypothetical
