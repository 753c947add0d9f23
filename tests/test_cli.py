"""The analyst's surface, as the issue's acceptance criteria state it."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from datetime import date

import pytest

from projects import cli_env
from treatykg import cli


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
    data = json.loads(out)
    assert all(list(r) == ["subject", "kind", "status", "bound", "since", "until"] for r in data)
    rows = {r["subject"]: (r["status"], r["since"]) for r in data}
    assert {k: rows[k] for k in ("cfe", "inf", "nato", "open-skies", "att")} == {
        "cfe": ("party", "1992-11-09"), "inf": ("withdrawal-pending", "2019-02-02"),
        "nato": ("member", "1949-08-24"), "open-skies": ("party", "2002-01-01"),
        "att": ("signatory", "2013-09-25")}


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
    (("members", "xyz"), "unknown treaty or alliance 'xyz'"),
    (("status", "XYZ"), "unknown state 'XYZ'"),
    (("members", "cmc", "--in", "warsaw-pact"), "unknown alliance 'warsaw-pact'"),
    (("query", "no-such-query"), "no query named 'no-such-query'"),
    (("query", "withdrawals", "--param", "state=LTU"), "has no parameter 'state'"),
])
def test_unknown_input_is_a_clear_error_with_exit_code_2(run, argv, message):
    code, out, err = run(*argv)
    assert code == 2 and message in err and out == ""


@pytest.mark.parametrize(("day", "message"), [
    ("2031-13-45", "'2031-13-45' is not a date (no such day)"),
    ("2024-03", "'2024-03' is a month, not a day (expected YYYY-MM-DD)"),
    ("2024", "'2024' is a year, not a day (expected YYYY-MM-DD)"),
    ("31/12/2024", "'31/12/2024' is not a date (expected YYYY-MM-DD)"),
])
def test_a_malformed_day_has_one_wording_for_as_of_and_as_of_parameters(run, capsys, day,
                                                                         message):
    with pytest.raises(SystemExit) as exit_info:
        run("members", "cmc", "--as-of", day)
    assert exit_info.value.code == 2 and f"--as-of: {message}" in capsys.readouterr().err
    code, out, err = run("query", "withdrawals-pending", "--param", f"asOf={day}")
    assert code == 2 and out == "" and f"asOf: {message}" in err
    assert "YYYY-MM or YYYY" not in err  # a question is asked of a day: nothing else is offered


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


# --------------------------------------------------------------- finding things by name

def test_members_of_a_state_says_it_is_a_state_and_suggests_status(run):
    code, out, err = run("members", "Moldova")
    assert code == 2 and out == ""
    assert "Moldova" in err and "MDA (Republic of Moldova) is a state" in err
    assert "`treatykg status Moldova`" in err


def test_status_and_members_take_common_names_in_any_case(run):
    assert states(run, "members", "ottawa", "--in", "NATO", "--as-of", "2026-11-22") == states(
        run, "members", "apmbc", "--in", "nato", "--as-of", "2026-11-22")
    assert states(run, "members", "cluster munitions", "--in", "nato",
                  "--as-of", "2026-11-22") == states(run, "members", "cmc", "--in", "nato",
                                                     "--as-of", "2026-11-22")
    code, out, _ = run("status", "moldova", "--as-of", "2026-11-22", "--format", "json")
    assert code == 0
    assert {r["subject"]: r["status"] for r in json.loads(out)}["apmbc"] == "party"
    code, out, _ = run("status", "moldova", "--as-of", "2026-11-22")
    assert out.startswith("MDA ('moldova') as of 2026-11-22:\n")


def test_an_ambiguous_name_lists_the_candidates_and_exits_2(run):
    code, out, err = run("status", "Korea")
    assert code == 2 and out == ""
    assert "KOR (Republic of Korea)" in err and "PRK (Democratic People's Republic of Korea)" in err


def test_a_query_key_parameter_takes_a_name_too(run):
    _code, by_name, _ = run("query", "withdrawals", "--param", "treaty=Ottawa Convention")
    _code, by_code, _ = run("query", "withdrawals", "--param", "treaty=apmbc")
    assert by_name == by_code and "FIN" in by_code


def test_explain_takes_names(run):
    code, out, _ = run("explain", "lithuania", "cluster munitions", "--as-of", "2026-11-22")
    assert code == 0
    assert out.startswith("LTU ('lithuania') in cmc ('cluster munitions') as of 2026-11-22:")
    assert "2025-03-06 .. open        withdrawn [Art. 20]" in out


# ------------------------------------------------------------------ what exists: list

def test_list_shows_codes_names_aliases_and_wikidata_items(run):
    code, out, _ = run("list", "states", "--format", "json")
    rows = {r["code"]: r for r in json.loads(out)}
    assert code == 0 and len(rows) == 202
    assert rows["MDA"] == {"code": "MDA", "name": "Republic of Moldova", "aliases": ["Moldova"],
                           "wikidata": "Q217"}
    _code, out, _ = run("list", "treaties", "--format", "json")
    apmbc = next(r for r in json.loads(out) if r["code"] == "apmbc")
    assert apmbc["short"] == "APMBC" and apmbc["in_force"] == "1999-03-01"
    assert apmbc["aliases"] == ["Mine Ban Treaty", "Ottawa Convention"]
    _code, out, _ = run("list", "alliances")
    assert out.splitlines()[0] == "alliances:"
    assert "eu    European Union" in out and "organization" in out and out.endswith(
        "(3 alliances)\n")
    _code, out, _ = run("list", "treaties", "--format", "csv")
    assert 'apmbc,"Convention on the Prohibition of the Use, Stockpiling' in out
    assert ",APMBC,Mine Ban Treaty; Ottawa Convention,,1999-03-01," in out


# ------------------------------------------------------------- a treaty not in force

def test_a_treaty_not_in_force_says_so_instead_of_an_empty_list(run):
    consented = states(run, "members", "ctbt", "--status", "consented", "--as-of", "2026-11-22")
    code, out, _ = run("members", "ctbt", "--as-of", "2026-11-22")
    assert code == 0 and "(0 states)" not in out
    assert out == (f"ctbt is not in force as of 2026-11-22: no state is bound by it; "
                   f"{len(consented)} states have consented to be bound "
                   "(`treatykg members ctbt --status consented`)\n")
    assert len(consented) == 178  # on the data of 2026-11-23


def test_a_treaty_not_in_force_keeps_json_a_bare_list_and_says_so_on_stderr(run):
    code, out, err = run("members", "ctbt", "--as-of", "2026-11-22", "--format", "json")
    assert code == 0 and json.loads(out) == []
    assert "ctbt is not in force as of 2026-11-22" in err


def test_a_treaty_before_its_entry_into_force_says_when_it_entered_into_force(run):
    _code, out, _ = run("members", "cmc", "--in", "nato", "--as-of", "2010-07-31")
    assert out.startswith("cmc is not in force as of 2010-07-31 (it entered into force on "
                          "2010-08-01): no state is bound by it; ")
    assert "members of nato have consented to be bound" in out


# ------------------------------------------------------- every answer says its parameters

def test_a_default_day_is_said_in_the_title_or_on_stderr(run):
    today = date.today().isoformat()
    _code, out, err = run("members", "cmc", "--in", "nato")
    assert out.startswith(f"members of nato bound by cmc as of {today} (today):\n") and err == ""
    _code, out, err = run("members", "cmc", "--in", "nato", "--format", "json")
    assert err == f"treatykg: members of nato bound by cmc as of {today} (today)\n"
    assert isinstance(json.loads(out), list)
    _code, out, err = run("members", "cmc", "--in", "nato", "--as-of", today, "--format", "json")
    assert err == ""  # everything was said on the command line
    _code, out, _ = run("status", "FIN")
    assert out.startswith(f"FIN as of {today} (today):\n")


def test_export_and_plot_say_the_defaults_they_chose(run, tmp_path):
    code, _out, err = run("export", "withdrawals", "--format", "json", "-o",
                         str(tmp_path / "w.json"))
    assert code == 0 and "--treaty apmbc (default)" in err
    code, _out, err = run("export", "divergence", "--format", "json", "-o",
                         str(tmp_path / "d.json"), "--as-of", "2026-11-22")
    assert code == 0 and err == "treatykg: export: as of 2026-11-22, --in nato (default)\n"


# ------------------------------------------------------------------ reading through a pipe

def _cli(built, *argv: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "treatykg.cli", *argv],
                            env=cli_env(built.root), **kwargs)


def test_a_reader_that_closes_the_pipe_first_gets_no_traceback_and_exit_0(built):
    process = _cli(built, "members", "cmc", "--no-build", "--format", "json",
                   "--as-of", "2026-11-22", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the command has written anything
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0 and err == ""


@pytest.mark.parametrize(("command", "first"), [
    ("members cmc --as-of 2026-11-22", "states bound by cmc as of 2026-11-22:"),
    ("list states --format csv", "code,name,aliases,wikidata"),  # 200 lines: more than head reads
])
def test_a_command_piped_into_head_prints_one_line_and_exits_0(built, command, first):
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {shlex.quote(sys.executable)} -m "
                           f"treatykg.cli {command} --no-build | head -1"],
                          env=cli_env(built.root), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == first + "\n" and done.stderr == ""


# ------------------------------------------------------------------ start-up

def test_members_imports_no_rdf_graph_plotting_or_reasoning_library(built):
    script = ("import sys\nfrom treatykg import cli\n"
              "assert cli.main(['members', 'cmc', '--in', 'nato', '--no-build']) == 0\n"
              "print(sorted({m.split('.')[0] for m in sys.modules} & "
              "{'rdflib', 'networkx', 'matplotlib', 'owlready2'}), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], env=cli_env(built.root),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr.splitlines()[-1] == "[]", done.stderr


def test_the_cli_offers_every_export_format():
    from treatykg import export

    assert cli.EXPORT_FORMATS == export.FORMATS
