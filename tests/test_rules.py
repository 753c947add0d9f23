"""The rules engine, clause by clause, on small real-shaped records."""

from __future__ import annotations

from datetime import date

import pytest

from treatykg.dates import parse_date, parse_duration
from treatykg.records import (
    ArmedConflict,
    Dataset,
    EifRule,
    EntryIntoForceClause,
    Event,
    EventKind,
    Milestone,
    NoticeKind,
    State,
    StateKind,
    Succession,
    SuccessionKind,
    Treaty,
    Where,
    WithdrawalClause,
)
from treatykg.rules import derive

SRC = ("https://example.org/source",)
HERE = Where("test", 1)


def treaty(slug="cmc", *, eif="2010-08-01", notice="P6M", kind=NoticeKind.EXACT,
           deferral=True, rule=EifRule.FIRST_DAY_OF_MONTH_AFTER_DEPOSIT, months=6,
           termination=None, suspension=None) -> Treaty:
    return Treaty(
        slug=slug, name=slug.upper(), short_name=slug.upper(), wikidata=None, depositary="UN",
        text="https://example.org/text", categories=("weapon-ban",),
        opened_for_signature=Milestone(parse_date("2008-12-03"), SRC),
        entry_into_force=Milestone(parse_date(eif), SRC) if eif else None,
        termination=Milestone(parse_date(termination), SRC) if termination else None,
        eif_clause=EntryIntoForceClause("17", rule, months=months, sources=SRC),
        withdrawal_clause=WithdrawalClause("20", parse_duration(notice), kind, deferral,
                                           sources=SRC),
        suspension_clause=suspension, checked="2026-11-23", where=HERE)


def event(state, kind, day, subject="cmc", line=1) -> Event:
    return Event(subject, state, EventKind(kind), parse_date(day), True, "", SRC, "2026-11-23",
                 "", Where(f"data/events/{subject}.csv", line))


def dataset(*events, treaties=None, conflicts=(), successions=()) -> Dataset:
    states = {code: State(code, code, StateKind.UN_MEMBER, None, SRC, HERE)
              for code in ("LTU", "UKR", "DEU", "CZE", "RUS", "USA", "MNE")}
    states.update({code: State(code, code, StateKind.HISTORIC, None, SRC, HERE)
                   for code in ("CSK", "SUN", "SCG")})
    return Dataset(states=states, treaties={t.slug: t for t in (treaties or [treaty()])},
                   events=list(events), conflicts=list(conflicts),
                   successions=list(successions))


def history(result, state, subject="cmc"):
    return [(i.status.value, str(i.since), str(i.until) if i.until else None, i.bound)
            for i in result.intervals if i.state == state and i.subject == subject]


def test_entry_into_force_is_the_first_day_of_the_sixth_month_after_deposit():
    result = derive(dataset(event("LTU", "signature", "2008-12-03"),
                            event("LTU", "ratification", "2011-03-24")))
    assert history(result, "LTU") == [
        ("signatory", "2008-12-03", "2011-03-24", False),
        ("consented", "2011-03-24", "2011-09-01", False),
        ("party", "2011-09-01", None, True),
    ]


def test_the_sixth_month_rule_crosses_a_year_end():
    result = derive(dataset(event("DEU", "accession", "2024-09-06")))
    assert history(result, "DEU")[-1] == ("party", "2025-03-01", None, True)


def test_a_deposit_before_the_treaty_is_in_force_takes_effect_with_the_treaty():
    result = derive(dataset(event("DEU", "ratification", "2009-07-08")))
    assert history(result, "DEU") == [("consented", "2009-07-08", "2010-08-01", False),
                                      ("party", "2010-08-01", None, True)]


def test_a_treaty_not_in_force_leaves_its_ratifiers_consented():
    result = derive(dataset(event("DEU", "ratification", "2009-07-08"),
                            treaties=[treaty(eif=None)]))
    assert history(result, "DEU") == [("consented", "2009-07-08", None, False)]


def test_a_withdrawal_takes_effect_six_months_after_deposit_and_binds_until_then():
    result = derive(dataset(event("LTU", "ratification", "2011-03-24"),
                            event("LTU", "withdrawal-notification", "2024-09-06"),
                            event("LTU", "withdrawal-effective", "2025-03-06")))
    assert history(result, "LTU")[-2:] == [
        ("withdrawal-pending", "2024-09-06", "2025-03-06", True),
        ("withdrawn", "2025-03-06", None, False),
    ]
    assert result.problems == []


def test_a_recorded_date_that_disagrees_with_the_clause_is_an_error_naming_the_row():
    result = derive(dataset(event("LTU", "ratification", "2011-03-24"),
                            event("LTU", "withdrawal-notification", "2024-09-06"),
                            event("LTU", "withdrawal-effective", "2025-03-07", line=9)))
    assert [str(p) for p in result.problems] == [
        "data/events/cmc.csv:9: date: withdrawal takes effect recorded as 2025-03-07 but "
        "CMC Art. 20: takes effect P6M after the instrument is received (2024-09-06 + P6M = "
        "2025-03-06); not engaged in armed conflict when the notice period ends gives "
        "2025-03-06"]


def test_a_recorded_entry_into_force_that_disagrees_is_an_error():
    result = derive(dataset(event("LTU", "ratification", "2011-03-24"),
                            event("LTU", "entry-into-force", "2011-10-01", line=4)))
    assert len(result.problems) == 1
    assert str(result.problems[0]).startswith(
        "data/events/cmc.csv:4: date: entry into force for the state recorded as 2011-10-01")


UKRAINE_AT_WAR = ArmedConflict("UKR", "International armed conflict", parse_date("2022-02-24"),
                               None, True, SRC, "2026-11-23", "", HERE)


def test_a_withdrawal_during_armed_conflict_does_not_take_effect():
    result = derive(dataset(event("UKR", "ratification", "2005-12-27", subject="apmbc"),
                            event("UKR", "withdrawal-notification", "2025-07-18",
                                  subject="apmbc"),
                            treaties=[treaty("apmbc", eif="1999-03-01")],
                            conflicts=[UKRAINE_AT_WAR]))
    assert history(result, "UKR", "apmbc")[-2:] == [
        ("withdrawal-pending", "2025-07-18", "2026-01-18", True),
        ("withdrawal-deferred", "2026-01-18", None, True),
    ]


def test_a_deferred_withdrawal_takes_effect_when_the_conflict_ends():
    ended = ArmedConflict("UKR", "conflict", parse_date("2022-02-24"), parse_date("2027-05-01"),
                          True, SRC, "2026-11-23", "", HERE)
    result = derive(dataset(event("UKR", "ratification", "2005-12-27", subject="apmbc"),
                            event("UKR", "withdrawal-notification", "2025-07-18",
                                  subject="apmbc"),
                            treaties=[treaty("apmbc", eif="1999-03-01")], conflicts=[ended]))
    assert history(result, "UKR", "apmbc")[-1] == ("withdrawn", "2027-05-01", None, False)


def test_no_deferral_where_the_clause_has_none():
    result = derive(dataset(event("UKR", "ratification", "2005-12-27", subject="apmbc"),
                            event("UKR", "withdrawal-notification", "2025-07-18",
                                  subject="apmbc"),
                            treaties=[treaty("apmbc", eif="1999-03-01", deferral=False)],
                            conflicts=[UKRAINE_AT_WAR]))
    assert history(result, "UKR", "apmbc")[-1] == ("withdrawn", "2026-01-18", None, False)


def test_a_suspension_without_a_suspension_clause_still_binds():
    result = derive(dataset(event("UKR", "ratification", "2005-12-27", subject="apmbc"),
                            event("UKR", "suspension", "2025-07-18", subject="apmbc"),
                            treaties=[treaty("apmbc", eif="1999-03-01")]))
    assert history(result, "UKR", "apmbc")[-1] == ("suspended", "2025-07-18", None, True)


def test_a_suspension_the_treaty_provides_for_does_not_bind():
    result = derive(dataset(event("UKR", "ratification", "2005-12-27", subject="apmbc"),
                            event("UKR", "suspension", "2025-07-18", subject="apmbc"),
                            treaties=[treaty("apmbc", eif="1999-03-01", suspension="12")]))
    assert history(result, "UKR", "apmbc")[-1] == ("suspended", "2025-07-18", None, False)


def test_a_minimum_notice_takes_effect_on_the_recorded_intended_date():
    cfe = treaty("cfe", eif="1992-11-09", notice="P150D", kind=NoticeKind.MINIMUM,
                 deferral=False, rule=EifRule.ON_DEPOSIT)
    result = derive(dataset(event("RUS", "ratification", "1992-09-03", subject="cfe"),
                            event("RUS", "withdrawal-notification", "2023-06-09", subject="cfe"),
                            event("RUS", "withdrawal-effective", "2023-11-07", subject="cfe"),
                            treaties=[cfe]))
    assert result.problems == []
    assert history(result, "RUS", "cfe")[-1] == ("withdrawn", "2023-11-07", None, False)


def test_a_minimum_notice_shorter_than_the_clause_is_an_error():
    cfe = treaty("cfe", eif="1992-11-09", notice="P150D", kind=NoticeKind.MINIMUM,
                 deferral=False, rule=EifRule.ON_DEPOSIT)
    result = derive(dataset(event("RUS", "ratification", "1992-09-03", subject="cfe"),
                            event("RUS", "withdrawal-notification", "2023-06-09", subject="cfe"),
                            event("RUS", "withdrawal-effective", "2023-10-01", subject="cfe",
                                  line=7),
                            treaties=[cfe]))
    assert [p.where.line for p in result.problems] == [7]


def test_termination_ends_every_status_but_a_withdrawal_effective_that_day():
    inf = treaty("inf", eif="1988-06-01", rule=EifRule.ON_DEPOSIT, deferral=False,
                 termination="2019-08-02")
    result = derive(dataset(event("USA", "ratification", "1988-06-01", subject="inf"),
                            event("RUS", "ratification", "1992-01-01", subject="inf"),
                            event("USA", "withdrawal-notification", "2019-02-02", subject="inf"),
                            treaties=[inf]))
    assert history(result, "USA", "inf")[-1] == ("withdrawn", "2019-08-02", None, False)
    assert history(result, "RUS", "inf")[-1] == ("terminated", "2019-08-02", None, False)


def test_a_successor_is_bound_from_the_date_of_succession():
    cfe = treaty("cfe", eif="1992-11-09", rule=EifRule.ON_DEPOSIT, deferral=False)
    split = [Succession("CSK", "CZE", SuccessionKind.SUCCESSION, parse_date("1993-01-01"), SRC,
                        "", HERE)]
    result = derive(dataset(event("CSK", "ratification", "1991-08-05", subject="cfe"),
                            event("CZE", "succession", "1996-12-11", subject="cfe"),
                            treaties=[cfe], successions=split))
    assert history(result, "CZE", "cfe") == [("party", "1993-01-01", None, True)]
    # a historic state's statuses end on the day it ceased to exist
    assert history(result, "CSK", "cfe")[-1] == ("party", "1992-11-09", "1993-01-01", True)


def test_a_continuing_state_carries_on_its_predecessors_status():
    inf = treaty("inf", eif="1988-06-01", rule=EifRule.ON_DEPOSIT, deferral=False)
    continuation = [Succession("SUN", "RUS", SuccessionKind.CONTINUATION,
                               parse_date("1991-12-24"), SRC, "", HERE)]
    result = derive(dataset(event("SUN", "ratification", "1988-06-01", subject="inf"),
                            treaties=[inf], successions=continuation))
    assert history(result, "SUN", "inf") == [("party", "1988-06-01", "1991-12-24", True)]
    assert history(result, "RUS", "inf") == [("party", "1991-12-24", None, True)]


@pytest.mark.parametrize(("deposit", "expected"), [
    ("2025-06-27", date(2025, 12, 27)),  # Estonia, APMBC
    ("2025-08-20", date(2026, 2, 20)),  # Poland, APMBC
    ("2024-08-31", date(2025, 2, 28)),  # a day the sixth month lacks: its last day
])
def test_six_months_after_receipt(deposit, expected):
    from treatykg.rules import withdrawal_effect

    clause = treaty().withdrawal_clause
    assert withdrawal_effect(clause, "EST", parse_date(deposit).value, []).takes_effect == expected


def test_a_withdrawal_before_the_treaty_is_in_force_for_the_state_is_an_error():
    result = derive(dataset(event("LTU", "ratification", "2011-03-24"),
                            event("LTU", "withdrawal-notification", "2011-05-02", line=3)))
    assert [(p.where.line, p.message) for p in result.problems] == [
        (3, "withdrawal-notification by LTU before cmc entered into force for it on 2011-09-01")]


def test_after_a_withdrawal_takes_effect_only_a_new_consent_can_follow():
    result = derive(dataset(event("LTU", "ratification", "2011-03-24"),
                            event("LTU", "withdrawal-notification", "2024-09-06"),
                            event("LTU", "suspension", "2025-06-01", line=5)))
    assert [p.where.line for p in result.problems] == [5]
    assert history(result, "LTU")[-1] == ("withdrawn", "2025-03-06", None, False)


def test_a_state_can_withdraw_and_accede_again():
    result = derive(dataset(event("LTU", "ratification", "2011-03-24"),
                            event("LTU", "withdrawal-notification", "2024-09-06"),
                            event("LTU", "accession", "2026-01-15"),
                            event("LTU", "entry-into-force", "2026-07-01")))
    assert result.problems == []
    assert history(result, "LTU")[-3:] == [
        ("withdrawn", "2025-03-06", "2026-01-15", False),
        ("consented", "2026-01-15", "2026-07-01", False),
        ("party", "2026-07-01", None, True),
    ]


def test_a_second_consent_while_still_bound_is_an_error():
    result = derive(dataset(event("LTU", "ratification", "2011-03-24"),
                            event("LTU", "accession", "2015-01-15", line=7)))
    assert [p.where.line for p in result.problems] == [7]


def test_the_end_of_a_suspension_restores_party_status():
    result = derive(dataset(event("UKR", "ratification", "2005-12-27", subject="apmbc"),
                            event("UKR", "suspension", "2025-07-18", subject="apmbc"),
                            event("UKR", "suspension-ended", "2027-01-01", subject="apmbc"),
                            treaties=[treaty("apmbc", eif="1999-03-01")]))
    assert history(result, "UKR", "apmbc")[-2:] == [
        ("suspended", "2025-07-18", "2027-01-01", True), ("party", "2027-01-01", None, True)]


def test_ending_a_suspension_that_never_began_is_an_error():
    result = derive(dataset(event("UKR", "ratification", "2005-12-27", subject="apmbc"),
                            event("UKR", "suspension-ended", "2027-01-01", subject="apmbc",
                                  line=4),
                            treaties=[treaty("apmbc", eif="1999-03-01")]))
    assert [p.where.line for p in result.problems] == [4]


def test_a_suspension_does_not_hide_a_pending_withdrawal():
    inf = treaty("inf", eif="1988-06-01", rule=EifRule.ON_DEPOSIT, deferral=False)
    result = derive(dataset(event("USA", "ratification", "1988-06-01", subject="inf"),
                            event("USA", "suspension", "2019-02-02", subject="inf"),
                            event("USA", "withdrawal-notification", "2019-02-02", subject="inf"),
                            treaties=[inf]))
    assert history(result, "USA", "inf")[-2] == (
        "withdrawal-pending", "2019-02-02", "2019-08-02", True)


@pytest.mark.parametrize("order", [(0, 1), (1, 0)])
def test_a_withdrawal_waits_for_every_conflict_the_state_is_engaged_in(order):
    ended = ArmedConflict("UKR", "A", parse_date("2022-02-24"), parse_date("2026-05-01"), True,
                          SRC, "2026-11-23", "", HERE)
    conflicts = [ended, UKRAINE_AT_WAR]
    result = derive(dataset(event("UKR", "ratification", "2005-12-27", subject="apmbc"),
                            event("UKR", "withdrawal-notification", "2025-07-18",
                                  subject="apmbc"),
                            treaties=[treaty("apmbc", eif="1999-03-01")],
                            conflicts=[conflicts[i] for i in order]))
    assert history(result, "UKR", "apmbc")[-1] == ("withdrawal-deferred", "2026-01-18", None,
                                                   True)


def test_a_continuing_state_acts_on_the_status_it_inherited():
    inf = treaty("inf", eif="1988-06-01", rule=EifRule.ON_DEPOSIT, deferral=False)
    continuation = [Succession("SUN", "RUS", SuccessionKind.CONTINUATION,
                               parse_date("1991-12-24"), SRC, "", HERE)]
    result = derive(dataset(event("SUN", "ratification", "1988-06-01", subject="inf"),
                            event("RUS", "suspension", "2019-03-04", subject="inf"),
                            treaties=[inf], successions=continuation))
    assert result.problems == []
    assert history(result, "RUS", "inf")[-1] == ("suspended", "2019-03-04", None, True)


def test_partial_dates_sort_without_error_and_know_their_last_day():
    month, day = parse_date("2008-12"), parse_date("2008-12-01")
    assert sorted([day, month]) == [month, day]
    assert month.last == date(2008, 12, 31) and parse_date("1994").last == date(1994, 12, 31)


def test_a_ratification_revoked_before_entry_into_force_leaves_a_signatory():
    ctbt = treaty("ctbt", eif=None)
    result = derive(dataset(event("RUS", "signature", "1996-09-24", subject="ctbt"),
                            event("RUS", "ratification", "2000-06-30", subject="ctbt"),
                            event("RUS", "consent-revoked", "2023-11-02", subject="ctbt"),
                            treaties=[ctbt]))
    assert result.problems == []
    assert history(result, "RUS", "ctbt") == [
        ("signatory", "1996-09-24", "2000-06-30", False),
        ("consented", "2000-06-30", "2023-11-02", False),
        ("signatory", "2023-11-02", None, False),
    ]


def test_a_signatory_can_renounce_its_signature():
    att = treaty("att", eif="2014-12-24")
    result = derive(dataset(event("USA", "signature", "2013-09-25", subject="att"),
                            event("USA", "signature-renounced", "2019-07-18", subject="att"),
                            treaties=[att]))
    assert history(result, "USA", "att") == [
        ("signatory", "2013-09-25", "2019-07-18", False),
        ("signature-renounced", "2019-07-18", None, False),
    ]


def test_renouncing_a_signature_after_consenting_is_an_error():
    result = derive(dataset(event("DEU", "signature", "2008-12-03"),
                            event("DEU", "ratification", "2009-07-08"),
                            event("DEU", "signature-renounced", "2012-01-01", line=4)))
    assert [p.where.line for p in result.problems] == [4]


# ------------------------------------------------------------------ extra events (scenarios)

REAL = None


def real_dataset():
    global REAL
    if REAL is None:
        from projects import ROOT
        from treatykg.load import load

        REAL = load(ROOT / "data")
    return REAL


def hypothetical(state, kind, day, subject):
    return Event(subject, state, EventKind(kind), parse_date(day), False, "",
                 ("https://example.org/hypothetical",), "2026-12-02", "a hypothetical act",
                 Where("scenario.yaml", 1))


def test_a_ukrainian_withdrawal_would_be_deferred_with_no_date_of_effect():
    """Were Ukraine to deposit an APMBC Art. 20 instrument, the recorded armed conflict would
    defer its effect: pending six months, then deferred with no end in sight."""
    dataset = real_dataset()
    before = len(dataset.events)
    result = derive(dataset, [hypothetical("UKR", "withdrawal-notification", "2025-08-01",
                                           "apmbc")])
    assert result.problems == []
    assert history(result, "UKR", "apmbc")[-2:] == [
        ("withdrawal-pending", "2025-08-01", "2026-02-01", True),
        ("withdrawal-deferred", "2026-02-01", None, True),
    ]
    assert len(dataset.events) == before  # the dataset itself is untouched


def test_an_extra_armed_conflict_defers_a_withdrawal_that_would_otherwise_take_effect():
    dataset = real_dataset()
    notice = hypothetical("DEU", "withdrawal-notification", "2026-12-01", "apmbc")
    plain = derive(dataset, [notice])
    assert history(plain, "DEU", "apmbc")[-1] == ("withdrawn", "2027-06-01", None, False)
    at_war = ArmedConflict("DEU", "hypothetical", parse_date("2027-05-01"), None, False,
                           SRC, "2026-12-02", "", HERE)
    deferred = derive(dataset, [notice], [at_war])
    assert history(deferred, "DEU", "apmbc")[-1] == ("withdrawal-deferred", "2027-06-01", None,
                                                     True)


# ------------------------------------------------------------- the clause kinds, on real records

def test_the_north_atlantic_treaty_allows_notice_only_after_twenty_years_in_force():
    """Art. 13: after twenty years in force (from 24 Aug 1949), one year's notice. France's 1966
    letter left NATO's integrated command, not the treaty: a denunciation then would be early."""
    early = derive(real_dataset(), [hypothetical("FRA", "withdrawal-notification", "1966-03-07",
                                                 "nato")])
    assert [p.message for p in early.problems] == [
        "North Atlantic Treaty Art. 13 allows notice only after 20 years in force (1969-08-24)"]
    later = derive(real_dataset(), [hypothetical("FRA", "withdrawal-notification", "1970-03-07",
                                                 "nato")])
    assert later.problems == []
    assert history(later, "FRA", "nato")[-2:] == [
        ("withdrawal-pending", "1970-03-07", "1971-03-07", True),
        ("withdrawn", "1971-03-07", None, False)]


def test_a_withdrawal_as_agreed_takes_effect_on_the_recorded_date():
    """TEU Art. 50(3): the United Kingdom's notice of 29 Mar 2017 took effect when the
    withdrawal agreement entered into force (the EU's law ceased to apply from 1 Feb 2020)."""
    result = derive(real_dataset())
    assert history(result, "GBR", "eu")[-2:] == [
        ("withdrawal-pending", "2017-03-29", "2020-02-01", True),
        ("withdrawn", "2020-02-01", None, False)]


def test_a_withdrawal_as_agreed_without_a_recorded_date_is_an_error():
    teu = treaty("teu", eif="1993-11-01", notice="P2Y", kind=NoticeKind.AS_AGREED,
                 deferral=False, rule=EifRule.ON_DEPOSIT)
    result = derive(dataset(event("DEU", "ratification", "1992-10-12", subject="teu"),
                            event("DEU", "withdrawal-notification", "2030-01-01", subject="teu",
                                  line=5),
                            treaties=[teu]))
    assert [(p.where.line, p.message) for p in result.problems] == [
        (5, "TEU Art. 20: takes effect on the date agreed (failing agreement, P2Y after notice, "
            "unless extended): record the withdrawal-effective date")]
    assert history(result, "DEU", "teu")[-1] == ("withdrawal-pending", "2030-01-01", None, True)


def test_a_membership_lapses_when_the_founding_treaty_is_not_renewed_for_the_state():
    """Azerbaijan, Georgia and Uzbekistan did not join the 1999 extension of the Collective
    Security Treaty: members until 20 Apr 1999, with no notice."""
    result = derive(real_dataset())
    for state in ("AZE", "GEO"):
        assert history(result, state, "csto")[-1] == ("lapsed", "1999-04-21", None, False)
    assert [s for s, *_ in history(result, "UZB", "csto")] == [
        "member", "lapsed", "member", "membership-suspended"]


def test_after_a_lapse_an_act_other_than_a_new_accession_is_an_error():
    result = derive(real_dataset(), [hypothetical("AZE", "suspension", "2001-01-01", "csto")])
    assert [p.message for p in result.problems] == [
        "suspension by AZE after its withdrawal from csto took effect on 1999-04-21; a new "
        "consent to be bound must come first"]


def test_every_status_a_move_leads_to_has_its_row_in_the_table_of_moves():
    """A lawyer reads the tables status by status: none may be missing."""
    from treatykg.rules import ALLIANCE_MOVES, TREATY_MOVES, Status

    treaty = {Status.SIGNATORY, Status.CONSENTED, Status.PARTY, Status.SUSPENDED,
              Status.WITHDRAWAL_PENDING, Status.WITHDRAWAL_DEFERRED, Status.WITHDRAWN,
              Status.TERMINATED, Status.RENOUNCED}
    alliance = {Status.MEMBER, Status.SUSPENDED, Status.MEMBERSHIP_SUSPENDED, Status.LAPSED,
                Status.WITHDRAWAL_PENDING, Status.WITHDRAWAL_DEFERRED, Status.WITHDRAWN,
                Status.TERMINATED}
    assert set(TREATY_MOVES) == {None, *treaty}
    assert set(ALLIANCE_MOVES) == {None, *alliance}
    assert treaty | alliance == set(Status)
