"""Declarations, reservations and objections as facts: who said what when they joined, and who
objected to what, as the depositaries and treaty bodies record it."""

from __future__ import annotations

import json

import pytest

from projects import rows
from treatykg.load import load

NATO_WITHOUT_ART21_DECLARATION = ("GBR", "CAN", "DEU", "NLD")  # positions in national law only


def test_the_objections_to_ukraines_suspension_and_what_they_respond_to(run):
    objections = rows(run, "declarations", "apmbc", "--kind", "objection")
    assert {o["state"] for o in objections} >= {"CHE", "NZL", "AUT", "BEL", "NOR"}
    assert {o["responds_to"] for o in objections} == {"event:apmbc/UKR/suspension/1"}
    swiss = next(o for o in objections if o["state"] == "CHE")
    assert (swiss["date"], swiss["verified"]) == ("2025-10-17", True)
    assert "FRA" not in {o["state"] for o in objections}  # read only in a content farm: dropped
    assert all(set(o) == {"state", "name", "treaty", "kind", "made_at", "date", "articles",
                          "topic", "responds_to", "summary", "verified", "sources"}
               for o in objections)


def test_the_meeting_of_states_parties_decision_is_recorded_with_the_body(run):
    [decision] = rows(run, "declarations", "apmbc", "--kind", "decision")
    assert decision["state"] is None and decision["name"] == "apmbc-msp"
    assert decision["responds_to"] == "event:apmbc/UKR/suspension/1"
    assert decision["date"] == "2025-12"  # the month of the meeting: no day is known


def test_nato_members_cmc_declarations_hold_no_article_21_declaration_the_depositary_lacks(run):
    declared = rows(run, "declarations", "cmc", "--in", "nato")
    assert {d["state"] for d in declared} >= {"BEL", "DNK", "GBR", "LTU", "NLD", "NOR"}
    assert not [d for d in declared if "21" in d["articles"]]
    assert not [d for d in declared if d["topic"] == "joint-operations"]
    for state in NATO_WITHOUT_ART21_DECLARATION:
        assert all(d["topic"] == "territorial-scope" or d["kind"] == "communication"
                   for d in declared if d["state"] == state), state


def test_as_of_keeps_what_was_made_by_that_day(run):
    by_november = rows(run, "declarations", "apmbc", "--kind", "objection",
                       "--as-of", "2025-10-31")
    assert [o["state"] for o in by_november] == ["CHE"]  # the others are undated


def test_explain_lists_a_states_declarations(run):
    code, out, _err = run("explain", "GBR", "apmbc", "--as-of", "2026-11-22")
    assert code == 0
    declarations = out.split("Declarations (as the depositary or treaty body records them):")[1]
    assert "interpretive-declaration (joint-operations)" in declarations
    assert "2002-04-03  territorial-declaration (territorial-scope)" in declarations


def test_objections_to_is_a_library_question_taking_an_event_identity(run):
    code, out, _err = run("query", "objections-to", "--param",
                          "event=apmbc/UKR/suspension/1", "--format", "json")
    bindings = json.loads(out)["results"]["bindings"]
    assert code == 0 and {b["state"]["value"] for b in bindings if "state" in b} >= {"CHE"}
    code, _out, err = run("query", "objections-to", "--param", "event=apmbc/UKR/suspension/9")
    assert code == 2 and "no event 'apmbc/UKR/suspension/9' in the graph" in err


def test_an_unknown_kind_of_declaration_is_refused(run, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run("declarations", "cmc", "--kind", "understanding")
    assert exit_info.value.code == 2
    assert "invalid choice: 'understanding'" in capsys.readouterr().err


def test_no_reservation_stands_under_a_treaty_that_allows_none_unless_the_depositary_says_so(
        built):
    dataset = load(built.data)
    for d in dataset.declarations:
        rule = dataset.treaties[d.treaty].reservations_clause
        if d.kind.value == "reservation" and rule is not None and not rule.allowed:
            assert d.depositary_kind == "reservation", d.id
    assert dataset.treaties["apmbc"].reservations_clause.article == "19"
    assert dataset.treaties["cmc"].reservations_clause.allowed is False


# Set from a known good build (2026-12-02); change only with a reason in the commit.
def test_count_assertions_for_declarations(built):
    dataset = load(built.data)
    by_treaty: dict[str, int] = {}
    for d in dataset.declarations:
        by_treaty[d.treaty] = by_treaty.get(d.treaty, 0) + 1
    assert by_treaty["apmbc"] >= 33 and by_treaty["cmc"] >= 21
    assert sum(by_treaty.values()) >= 212
    assert sum(d.verified for d in dataset.declarations) >= 169
