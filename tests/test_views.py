"""Graph views: correct for NATO today, intact through every export, equal to SPARQL."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

import networkx as nx
import pytest

from projects import ROOT
from treatykg import export, queries, snapshot, views


@pytest.fixture(scope="module")
def snap(db) -> snapshot.Snapshot:
    return snapshot.read(db)


NATO_PROFILES_2026_11_22 = {
    "apmbc+bwc+cmc+cwc": ["ALB", "BEL", "BGR", "CAN", "CZE", "DEU", "DNK", "ESP", "FRA", "GBR",
                          "HRV", "HUN", "ISL", "ITA", "LUX", "MKD", "MNE", "NLD", "NOR", "PRT",
                          "SVK", "SVN", "SWE"],
    "bwc+cwc": ["EST", "FIN", "LTU", "LVA", "POL", "USA"],
    "apmbc+bwc+cwc": ["GRC", "ROU", "TUR"],
}


def test_nato_falls_into_three_weapon_ban_profiles_today(snap):
    assert views.profiles("2026-11-22", "nato", snapshot=snap) == NATO_PROFILES_2026_11_22


def test_before_the_2025_withdrawals_nato_had_three_other_profiles(snap):
    before = views.profiles("2024-12-31", "nato", snapshot=snap)
    assert before["apmbc+bwc+cmc+cwc"][-1] == "SWE" and "LTU" in before["apmbc+bwc+cmc+cwc"]
    assert before["bwc+cwc"] == ["USA"]
    assert before["apmbc+bwc+cwc"] == ["EST", "FIN", "GRC", "LVA", "POL", "ROU", "TUR"]


def test_divergence_joins_allies_whose_bans_differ(snap):
    g = views.divergence("2026-11-22", "nato", snapshot=snap)
    assert g.number_of_nodes() == 32
    assert g.number_of_edges() == 23 * 6 + 23 * 3 + 6 * 3
    assert g.edges["state:DEU", "state:USA"] == {"weight": 2, "treaties": "apmbc cmc"}
    assert g.edges["state:DEU", "state:GRC"] == {"weight": 1, "treaties": "cmc"}
    assert not g.has_edge("state:DEU", "state:FRA")
    assert g.graph["profiles"] == "apmbc+bwc+cmc+cwc: 23; bwc+cwc: 6; apmbc+bwc+cwc: 3"


def test_co_obligation_counts_the_bans_two_states_share(snap):
    g = views.co_obligation("2026-11-22", "nato", snapshot=snap)
    assert g.edges["state:DEU", "state:FRA"] == {"weight": 4, "treaties": "apmbc bwc cmc cwc"}
    assert g.edges["state:DEU", "state:GRC"] == {"weight": 3, "treaties": "apmbc bwc cwc"}
    assert g.edges["state:USA", "state:FIN"] == {"weight": 2, "treaties": "bwc cwc"}


def _co_obligation_by_definition(snap, day: str, alliance: str | None) -> nx.Graph:
    """States joined by the weapon bans both are bound by, pair by pair."""
    g = views.membership(day, alliance, snapshot=snap)
    bans = {c for c, s in snap.subjects.items() if views.WEAPON_BAN in s.categories}
    held = {n: {g.nodes[t]["code"] for t in g[n] if g.nodes[t]["code"] in bans
                and g.edges[n, t]["bound"]}
            for n, d in g.nodes(data=True) if d["kind"] == "state"}
    out = nx.Graph(view="co_obligation", as_of=day, alliance=alliance or "")
    for n in held:
        if held[n] or alliance:
            out.add_node(n, **{k: v for k, v in g.nodes[n].items()},
                         profile="+".join(sorted(held[n])) or "none")
    for a, b in combinations(held, 2):
        if held[a] & held[b]:
            out.add_edge(a, b, weight=len(held[a] & held[b]),
                         treaties=" ".join(sorted(held[a] & held[b])))
    return out


@pytest.mark.parametrize(("day", "alliance"), [("2026-11-22", "nato"), ("2024-12-31", "nato"),
                                               ("2026-11-22", None), ("2010-08-01", "eu")])
def test_co_obligation_is_the_bipartite_projection_and_the_pairwise_definition_alike(
        snap, day, alliance):
    g = views.co_obligation(day, alliance, snapshot=snap)
    assert nx.utils.graphs_equal(g, _co_obligation_by_definition(snap, day, alliance))
    assert g.number_of_edges() > 0


def test_withdrawals_follow_each_other_in_the_order_deposited(snap):
    g = views.withdrawals("apmbc", snapshot=snap)
    assert list(nx.topological_sort(g)) == ["state:EST", "state:LTU", "state:LVA", "state:FIN",
                                            "state:POL"]
    assert [d["days"] for _, _, d in g.edges(data=True)] == [0, 0, 13, 41]
    assert g.nodes["state:POL"] | {} == {
        "kind": "state", "code": "POL", "label": "Poland", "bipartite": 0,
        "deposited": "2025-08-20", "effective": "2026-02-20"}


VIEWS = {
    "membership": lambda s: views.membership("2026-11-22", "nato", snapshot=s),
    "co_obligation": lambda s: views.co_obligation("2026-11-22", "nato", snapshot=s),
    "divergence": lambda s: views.divergence("2026-11-22", "nato", snapshot=s),
    "withdrawals": lambda s: views.withdrawals("apmbc", snapshot=s),  # directed
}


@pytest.mark.parametrize("fmt", export.FORMATS)
@pytest.mark.parametrize("view", sorted(VIEWS))
def test_every_attribute_survives_an_export_round_trip(snap, tmp_path, view, fmt):
    g = VIEWS[view](snap)
    target = tmp_path / f"view.{fmt}"
    export.write(g, fmt, target)
    back = export.read(fmt, target)
    assert back.is_directed() == g.is_directed()
    assert set(back.nodes) == set(g.nodes)
    for node, data in g.nodes(data=True):
        got = {k: v for k, v in back.nodes[node].items() if k not in ("id", "label")}
        assert got == {k: v for k, v in data.items() if k != "label"}, node
        if fmt != "csv":  # GEXF and the others keep labels as such; CSV as a column
            assert back.nodes[node].get("label", node) in (data.get("label"), node)
    assert back.number_of_edges() == g.number_of_edges()
    for u, v, data in g.edges(data=True):
        got = {k: x for k, x in back.edges[u, v].items() if k != "id"}
        assert got == data, (u, v)


def test_the_dynamic_gexf_carries_time_spells(snap, tmp_path):
    g = views.dynamic_membership("nato", snapshot=snap)
    export.write(g, "gexf", tmp_path / "history.gexf")
    text = (tmp_path / "history.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    back = export.read("gexf", tmp_path / "history.gexf")
    ltu = back.edges["state:LTU", "treaty:cmc"]
    # bound from entry into force to the day before the withdrawal took effect (inclusive)
    assert ltu["spells"] == [("2011-09-01", "2024-09-05"), ("2024-09-06", "2025-03-05")]
    assert ltu["status"][-1] == ("withdrawn", "2025-03-06", "None")


def _sparql_bound(db, alliance: str, treaty: str, day: date) -> list[str]:
    query = queries.find(ROOT / "queries", "alliance-members-bound")
    result = queries.run(db, query, {"alliance": alliance, "treaty": treaty,
                                     "asOf": day.isoformat()})
    return sorted(r["state"] for r in result.records())


def test_networkx_and_sparql_agree_on_every_alliance_treaty_and_change_date(db, snap):
    # the answer can change only where the alliance's membership or one of its members' (past or
    # present) status under the treaty does: each such day, and the day before, is asked of both
    alliances = [c for c, s in snap.subjects.items() if s.kind == "alliance"]
    checked = 0
    for alliance in alliances:
        members = {i.state for i in snap.intervals if i.subject == alliance}
        for treaty in sorted(c for c, s in snap.subjects.items() if s.kind == "treaty"):
            days = set(snap.change_dates(alliance)) | {
                d for i in snap.intervals if i.subject == treaty and i.state in members
                for d in (i.since, i.until) if d}
            for day in sorted(days | {d - timedelta(days=1) for d in days}):
                assert views.bound(treaty, day, alliance, snapshot=snap) == _sparql_bound(
                    db, alliance, treaty, day), (alliance, treaty, day)
                checked += 1
    assert checked > 1500  # 1790 (alliance, treaty, day) triples on the data of 2026-12-02
