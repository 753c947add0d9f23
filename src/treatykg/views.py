"""Graph views of the built graph as networkx graphs, for scripts, exports and pictures.

Every view takes `as_of` (default today) and an optional alliance `in_` that restricts the
states to its members on that day; treaties and alliances are taken by code, name or alias
(`treatykg.names`). Node ids are a kind and a key, as in the graph's IRIs: `state:LTU`,
`treaty:cmc`, `alliance:nato`, `organization:eu`; attributes are plain str/int/bool so that
GraphML and GEXF keep them.

>>> from treatykg import views
>>> g = views.membership(as_of="2026-11-22", in_="nato")
>>> g.nodes["state:LTU"]["label"], g.edges["state:LTU", "treaty:cmc"]["status"]
('Lithuania', 'withdrawn')
>>> views.bound("cmc", as_of="2024-12-31", in_="nato")[:3]
['ALB', 'BEL', 'BGR']
>>> views.bound("Ottawa Convention", as_of="2026-11-22", in_="NATO") == views.bound(
...     "apmbc", as_of="2026-11-22", in_="nato")
True
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from itertools import combinations, pairwise

import networkx as nx
import pyoxigraph

from treatykg import names
from treatykg import snapshot as snapshots
from treatykg.dates import as_of_day
from treatykg.paths import Project, find_project

WEAPON_BAN = "weapon-ban"
SUBJECTS, ALLIANCES, TREATIES = ("treaty", "alliance"), ("alliance",), ("treaty",)


def _code(snap: snapshots.Snapshot, text: str | None, kinds: tuple[str, ...]) -> str | None:
    """The code of what `text` names, a code, name or alias as every command takes them
    (`treatykg.names`); KeyError says why when it names no single thing."""
    if text is None or text in snap.subjects or snap.catalog is None:
        return text
    try:
        return snap.catalog.resolve(text, kinds).code
    except names.NotFound as error:
        raise KeyError(str(error)) from None


def load(project: Project | None = None, db: pyoxigraph.Store | None = None) -> snapshots.Snapshot:
    """The current build's graph as a Snapshot (never builds: see answers.open_store)."""
    if db is None:
        from treatykg.answers import open_store

        db = open_store(project or find_project())
    return snapshots.read(db)


def _node(snap: snapshots.Snapshot, code: str) -> str:
    subject = snap.subjects.get(code)
    if subject is None:
        return f"state:{code}"
    return f"{subject.kind}:{code}"


def _members(snap: snapshots.Snapshot, alliance: str | None, day: date) -> set[str] | None:
    if alliance is None:
        return None
    if alliance not in snap.subjects or snap.subjects[alliance].kind == "treaty":
        raise KeyError(f"unknown alliance or organization {alliance!r}")
    return snap.bound(day, alliance)


def alliance_matrix(snap: snapshots.Snapshot, alliance: str,
                    day: date) -> tuple[list[str], list[str]]:
    """An alliance's members on the day (by name) and the treaties to show beside them (all but
    founding treaties): the rows and columns of the status matrix and of the report."""
    members = sorted(_members(snap, alliance, day), key=lambda m: snap.states.get(m, m))
    treaties = sorted(c for c, s in snap.subjects.items()
                      if s.kind == "treaty" and "alliance-founding" not in s.categories)
    return members, treaties


def _state_node(g: nx.Graph, snap: snapshots.Snapshot, code: str) -> None:
    g.add_node(f"state:{code}", kind="state", code=code, label=snap.states.get(code, code),
               bipartite=0)


def membership(as_of: str | date | None = None, in_: str | None = None, *,
               snapshot: snapshots.Snapshot | None = None,
               subjects: set[str] | None = None) -> nx.Graph:
    """Bipartite: states and treaties/alliances, an edge for each state's status on the day.

    Edge attributes: status, bound, since, until (absent while open), sources (URLs,
    space-separated). `subjects` limits the treaties and alliances drawn.
    """
    snap = snapshot or load()
    day = as_of_day(as_of)
    in_ = _code(snap, in_, ALLIANCES)
    allies = _members(snap, in_, day)
    g = nx.Graph(view="membership", as_of=day.isoformat(), alliance=in_ or "")
    for subject in snap.subjects.values():
        if subjects is None or subject.code in subjects:
            g.add_node(_node(snap, subject.code), kind=subject.kind, code=subject.code,
                       label=subject.short, bipartite=1)
    for i in snap.on(day, subjects):
        if (allies is not None and i.state not in allies) or (
                subjects is not None and i.subject not in subjects):
            continue
        _state_node(g, snap, i.state)
        g.add_edge(f"state:{i.state}", _node(snap, i.subject), status=i.status, bound=i.bound,
                   since=i.since.isoformat(), sources=" ".join(i.sources))
        if i.until:
            g.edges[f"state:{i.state}", _node(snap, i.subject)]["until"] = i.until.isoformat()
    return g


def bound(treaty: str, as_of: str | date | None = None, in_: str | None = None, *,
          snapshot: snapshots.Snapshot | None = None) -> list[str]:
    """States bound by a treaty (or alliance) on a day, by traversing the membership graph."""
    snap = snapshot or load()
    treaty, in_ = _code(snap, treaty, SUBJECTS), _code(snap, in_, ALLIANCES)
    if treaty not in snap.subjects:
        raise KeyError(f"unknown treaty or alliance {treaty!r}")
    g = membership(as_of, in_, snapshot=snap, subjects={treaty} | ({in_} if in_ else set()))
    node = _node(snap, treaty)
    return sorted(g.nodes[s]["code"] for s in g.neighbors(node) if g.edges[s, node]["bound"])


def _bans(snap: snapshots.Snapshot, day: date, allies: set[str] | None) -> dict[str, set[str]]:
    """Each state's set of weapon-ban treaties binding it on the day."""
    bans = {c for c, s in snap.subjects.items() if WEAPON_BAN in s.categories}
    held: dict[str, set[str]] = defaultdict(set)
    for state in allies if allies is not None else snap.states:
        held[state]
    for i in snap.on(day):
        if i.subject in bans and i.bound and (allies is None or i.state in allies):
            held[i.state].add(i.subject)
    return held


def co_obligation(as_of: str | date | None = None, in_: str | None = None, *,
                  snapshot: snapshots.Snapshot | None = None) -> nx.Graph:
    """States joined by the weapon bans both are bound by: weight = how many, treaties = which.

    Each node carries `profile`, the set of bans binding it ('none' for no ban).
    """
    snap = snapshot or load()
    day = as_of_day(as_of)
    in_ = _code(snap, in_, ALLIANCES)
    held = _bans(snap, day, _members(snap, in_, day))
    # The projection onto states of the bipartite states-bans graph (networkx's own), each
    # edge weighted by the bans its two states share; tests/test_views.py holds it equal to
    # the pairwise definition.
    bipartite = nx.Graph()
    for state in sorted(held):
        if held[state] or in_:
            _state_node(bipartite, snap, state)
            bipartite.nodes[f"state:{state}"]["profile"] = (
                "+".join(sorted(held[state])) or "none")
            bipartite.add_edges_from((f"state:{state}", f"treaty:{t}") for t in held[state])
    states = [n for n in bipartite if n.startswith("state:")]
    g = nx.bipartite.generic_weighted_projected_graph(
        bipartite, states, weight_function=lambda b, u, v: len(set(b[u]) & set(b[v])))
    g.graph.update(view="co_obligation", as_of=day.isoformat(), alliance=in_ or "")
    for u, v, data in g.edges(data=True):
        data["treaties"] = " ".join(sorted(t[len("treaty:"):]
                                           for t in set(bipartite[u]) & set(bipartite[v])))
    return g


def profiles(as_of: str | date | None = None, in_: str = "nato", *,
             snapshot: snapshots.Snapshot | None = None) -> dict[str, list[str]]:
    """Allies grouped by the exact set of weapon bans binding them ('none' for no ban)."""
    snap = snapshot or load()
    day = as_of_day(as_of)
    in_ = _code(snap, in_, ALLIANCES)
    groups: dict[str, list[str]] = defaultdict(list)
    for state, bans in sorted(_bans(snap, day, _members(snap, in_, day)).items()):
        groups["+".join(sorted(bans)) or "none"].append(state)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def divergence(as_of: str | date | None = None, in_: str = "nato", *,
               snapshot: snapshots.Snapshot | None = None) -> nx.Graph:
    """Allies joined when different weapon bans bind them: treaties = the bans that split them.

    Each node carries `profile`, the set of bans binding it; the graph attribute `profiles`
    counts the groups, e.g. 'apmbc+cmc: 20; apmbc: 4; none: 8'.
    """
    snap = snapshot or load()
    day = as_of_day(as_of)
    in_ = _code(snap, in_, ALLIANCES)
    held = _bans(snap, day, _members(snap, in_, day))
    groups = profiles(day, in_, snapshot=snap)
    g = nx.Graph(view="divergence", as_of=day.isoformat(), alliance=in_,
                 profiles="; ".join(f"{k}: {len(v)}" for k, v in groups.items()))
    for state in sorted(held):
        _state_node(g, snap, state)
        g.nodes[f"state:{state}"]["profile"] = "+".join(sorted(held[state])) or "none"
    for a, b in combinations(sorted(held), 2):
        split = held[a] ^ held[b]
        if split:
            g.add_edge(f"state:{a}", f"state:{b}", weight=len(split),
                       treaties=" ".join(sorted(split)))
    return g


def withdrawals(treaty: str, *, snapshot: snapshots.Snapshot | None = None) -> nx.DiGraph:
    """A treaty's withdrawals in the order deposited: who followed whom, and how many days later.

    Nodes: states, with `deposited` and `effective` (absent while pending). Edges run from each
    withdrawal to the next deposited (same-day deposits follow each other with 0 days).
    """
    snap = snapshot or load()
    treaty = _code(snap, treaty, TREATIES)
    if treaty not in snap.subjects:
        raise KeyError(f"unknown treaty {treaty!r}")
    exits = []
    for i in snap.intervals:
        if i.subject == treaty and i.status == "withdrawal-pending":
            effective = i.until if i.until else None
            exits.append((i.since, i.state, effective))
    exits.sort()
    g = nx.DiGraph(view="withdrawals", treaty=treaty)
    for deposited, state, effective in exits:
        _state_node(g, snap, state)
        g.nodes[f"state:{state}"]["deposited"] = deposited.isoformat()
        if effective:
            g.nodes[f"state:{state}"]["effective"] = effective.isoformat()
    for (d1, s1, _), (d2, s2, _) in pairwise(exits):
        g.add_edge(f"state:{s1}", f"state:{s2}", days=(d2 - d1).days)
    return g


def dynamic_membership(in_: str | None = None, *,
                       snapshot: snapshots.Snapshot | None = None) -> nx.Graph:
    """The whole history as one graph: each state-subject edge carries time spells.

    For GEXF: an edge's `spells` are the days it binds the state (inclusive ends, as GEXF
    reads them), and its `status` attribute changes over time, so Gephi's timeline plays the
    history without re-exporting per date.
    """
    snap = snapshot or load()
    in_ = _code(snap, in_, ALLIANCES)
    members = None
    if in_ is not None:
        members = {i.state for i in snap.intervals if i.subject == in_}
    g = nx.Graph(view="membership", mode="dynamic")
    for subject in snap.subjects.values():
        g.add_node(_node(snap, subject.code), kind=subject.kind, code=subject.code,
                   label=subject.short)
    spans: dict[tuple[str, str], list] = defaultdict(list)
    for i in snap.intervals:
        if members is None or i.state in members:
            spans[(i.state, i.subject)].append(i)
    for (state, subject), items in sorted(spans.items()):
        g.add_node(f"state:{state}", kind="state", code=state, label=snap.states.get(state))
        last = [(i.since.isoformat(), (i.until - timedelta(days=1)).isoformat()
                 if i.until else None) for i in items]
        g.add_edge(f"state:{state}", _node(snap, subject),
                   status=[(i.status, s, e) for i, (s, e) in zip(items, last, strict=True)],
                   spells=[(s, e) for i, (s, e) in zip(items, last, strict=True) if i.bound])
    return g
