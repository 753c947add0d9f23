"""data/ itself: canonical form, names matching keys, and counts set from a known good build."""

from __future__ import annotations

from pathlib import Path

from treatykg.load import load

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def test_data_tables_are_in_canonical_form():
    from treatykg.canonical import not_canonical

    stale = [p.relative_to(ROOT).as_posix() for p in not_canonical(DATA)]
    assert stale == [], f"run `treatykg format` to rewrite {stale} in canonical form"


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


# The NATO and EU members (past and present) that never signed nor joined the weapon bans: the
# depositary's tables (UNTC XXVI-5, XXVI-6) as cited in data/ list no act by them.
NEVER_SIGNED = {
    "apmbc": {"USA"},
    "cmc": {"EST", "FIN", "GRC", "LVA", "POL", "ROU", "TUR", "USA"},
}


def test_every_nato_and_eu_member_has_an_apmbc_and_cmc_history_or_never_signed():
    """Each ally's and EU member's APMBC and CMC rows are recorded: a member without any is one
    of the known non-signatories, and a known non-signatory has no row."""
    dataset = load(DATA)

    def states(subject: str) -> set[str]:
        return {e.state for e in dataset.events if e.subject == subject}

    for alliance in ("nato", "eu"):
        members = states(alliance)
        for treaty, never in NEVER_SIGNED.items():
            assert members - states(treaty) == never & members, (alliance, treaty)
            assert not never & states(treaty), treaty
    assert len(states("nato")) == 32 and len(states("eu")) == 28  # the UK left the EU
