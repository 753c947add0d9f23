"""The analyst's surface, as the issue's acceptance criteria state it."""

from __future__ import annotations

import json

import pytest

from treatykg import cli


@pytest.fixture
def run(built, monkeypatch, capsys):
    monkeypatch.setenv("TREATYKG_ROOT", str(built.root))

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def states(run, *argv: str) -> list[str]:
    code, out, _ = run(*argv, "--format", "json")
    assert code == 0
    return [row["state"] for row in json.loads(out)]


def test_23_nato_members_are_bound_by_the_cmc_on_2026_11_22(run):
    bound = states(run, "members", "cmc", "--in", "nato", "--as-of", "2026-11-22")
    assert len(bound) == 23
    assert "LTU" not in bound and "USA" not in bound


def test_lithuania_is_bound_by_the_cmc_until_its_withdrawal_takes_effect(run):
    bound = states(run, "members", "cmc", "--in", "nato", "--as-of", "2024-12-31")
    assert len(bound) == 24 and "LTU" in bound
    assert "LTU" not in states(run, "members", "cmc", "--in", "nato", "--as-of", "2025-03-06")
    assert "LTU" in states(run, "members", "cmc", "--in", "nato", "--as-of", "2025-03-05")


def test_nato_had_30_members_before_finland_and_32_after_sweden(run):
    assert len(states(run, "members", "nato", "--as-of", "2023-04-03")) == 30
    assert len(states(run, "members", "nato", "--as-of", "2024-03-07")) == 32


def test_members_json_has_state_name_status_since(run):
    _code, out, _ = run("members", "cmc", "--in", "nato", "--as-of", "2026-11-22",
                       "--format", "json")
    first = json.loads(out)[0]
    assert first == {"state": "ALB", "name": "Albania", "status": "party",
                     "since": "2010-08-01", "until": None}


def test_members_with_a_status_lists_that_status_instead(run):
    assert states(run, "members", "apmbc", "--status", "withdrawn",
                  "--as-of", "2026-11-22") == ["EST", "FIN", "LTU", "LVA", "POL"]
    assert states(run, "members", "apmbc", "--status", "suspended",
                  "--as-of", "2026-11-22") == ["UKR"]


def test_ukraine_stays_bound_by_the_apmbc_despite_its_contested_suspension(run):
    _code, out, _ = run("status", "UKR", "--as-of", "2026-11-22", "--format", "json")
    apmbc = next(r for r in json.loads(out) if r["subject"] == "apmbc")
    assert apmbc == {"subject": "apmbc", "kind": "treaty", "status": "suspended",
                     "bound": True, "since": "2025-07-18", "until": None}


def test_status_json_has_subject_status_since(run):
    _code, out, _ = run("status", "USA", "--as-of", "2019-03-01", "--format", "json")
    rows = {r["subject"]: r["status"] for r in json.loads(out)}
    assert {k: rows[k] for k in ("cfe", "inf", "nato", "open-skies", "att")} == {
        "cfe": "party", "inf": "withdrawal-pending", "nato": "member", "open-skies": "party",
        "att": "signatory"}


def test_explain_shows_lithuanias_cmc_history_with_clauses_and_sources(run):
    code, out, _ = run("explain", "LTU", "cmc", "--as-of", "2026-11-22")
    assert code == 0
    for line in ("2011-03-24  Ratification",
                 "2024-09-06  Withdrawal notification",
                 "2025-03-06  Withdrawal takes effect",
                 "CMC Art. 17: first day of month 6 after deposit (2011-03-24 -> 2011-09-01)",
                 "2025-03-06 .. open        withdrawn [Art. 20]",
                 "source: https://genevapm.dfa.gov.ph/"):
        assert line in out, line


def test_query_json_is_sparql_results_json(run):
    _code, out, _ = run("query", "bound-counts", "--as-of", "2026-11-22", "--format", "json")
    data = json.loads(out)
    assert data["head"]["vars"] == ["subject", "bound", "parties", "inMotion", "_asOf_xsd_date"]
    cmc = next(b for b in data["results"]["bindings"] if b["subject"]["value"] == "cmc")
    assert cmc["bound"] == {"type": "literal", "value": "112",
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


def test_every_treaty_is_counted_and_parties_are_the_vienna_conventions(run):
    """VCLT Art. 2(1)(g): a party has consented and the treaty is in force for it (a state that
    has deposited but for which the treaty is not in force is a contracting state, no party)."""
    _code, out, _ = run("query", "bound-counts", "--as-of", "2026-11-22", "--format", "json")
    rows = {b["subject"]["value"]: {k: int(v["value"]) for k, v in b.items()
                                    if k in ("bound", "parties", "inMotion")}
            for b in json.loads(out)["results"]["bindings"]}
    assert rows["ctbt"] == {"bound": 0, "parties": 0, "inMotion": 0}  # 178 ratified, not in force
    assert rows["inf"] == {"bound": 0, "parties": 0, "inMotion": 0}
    # Ukraine's contested suspension: bound and a party; the five 2025-26 leavers: neither
    assert rows["apmbc"] == {"bound": 161, "parties": 161, "inMotion": 1}
    # Uzbekistan's CSTO membership suspended by the organization: a party, not bound
    assert rows["csto"] == {"bound": 6, "parties": 7, "inMotion": 1}


@pytest.mark.parametrize(("argv", "message"), [
    (("members", "xyz"), "unknown treaty, alliance or organization 'xyz'"),
    (("status", "XYZ"), "unknown state 'XYZ'"),
    (("members", "cmc", "--in", "warsaw-pact"),
     "unknown treaty, alliance or organization 'warsaw-pact'"),
    (("query", "no-such-query"), "no query named 'no-such-query'"),
    (("query", "withdrawals", "--param", "state=LTU"), "has no parameter 'state'"),
])
def test_unknown_input_is_a_clear_error_with_exit_code_2(run, argv, message):
    code, out, err = run(*argv)
    assert code == 2 and message in err and out == ""


def test_a_malformed_date_is_a_usage_error(run):
    with pytest.raises(SystemExit) as exit_info:
        run("members", "cmc", "--as-of", "2031-13-45")
    assert exit_info.value.code == 2


def test_validate_passes_on_the_real_data(run):
    code, out, _ = run("validate")
    assert code == 0 and out.startswith("conforms: 202 states")


def test_eu_members_bound_by_the_weapon_bans(run):
    assert len(states(run, "members", "eu", "--as-of", "2026-11-22")) == 27
    apmbc = states(run, "members", "apmbc", "--in", "eu", "--as-of", "2026-11-22")
    assert len(apmbc) == 22 and not {"EST", "FIN", "LTU", "LVA", "POL"} & set(apmbc)
    cmc = states(run, "members", "cmc", "--in", "eu", "--as-of", "2026-11-22")
    assert len(cmc) == 19 and not {"CYP", "GRC", "ROU", "LTU"} & set(cmc)


def test_the_united_kingdom_left_the_eu_when_the_withdrawal_agreement_took_effect(run):
    assert "GBR" in states(run, "members", "eu", "--as-of", "2020-01-31")
    assert "GBR" not in states(run, "members", "eu", "--as-of", "2020-02-01")


def test_csto_has_six_members_with_armenias_freeze_and_uzbekistans_suspension(run):
    today = states(run, "members", "csto", "--as-of", "2026-11-22")
    assert today == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
    assert states(run, "members", "csto", "--status", "suspended",
                  "--as-of", "2026-11-22") == ["ARM"]  # a freeze it declared: still a member
    assert states(run, "members", "csto", "--status", "membership-suspended",
                  "--as-of", "2026-11-22") == ["UZB"]  # suspended by the Council: not counted
    assert {"AZE", "GEO", "UZB"} <= set(states(run, "members", "csto", "--as-of", "1995-01-01"))
    assert not {"AZE", "GEO", "UZB"} & set(states(run, "members", "csto",
                                                   "--as-of", "2000-01-01"))
