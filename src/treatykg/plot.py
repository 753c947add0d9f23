"""Pictures an analyst can paste into a paper: a treaty's timeline, an alliance's status
matrix, and drawings of views. PNG or SVG by the output file's suffix; every picture carries a
caption line with its as-of date and the data version (the build's input digest).
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from treatykg import snapshot as snapshots
from treatykg import views

# One colour per status, from "bound" greens and ambers to "not bound" greys and reds.
STATUS_COLOURS = {
    "party": "#1b7837",
    "member": "#1b7837",
    "suspended": "#b8860b",
    "withdrawal-pending": "#f4a261",
    "withdrawal-deferred": "#e76f51",
    "consented": "#9ecae1",
    "signatory": "#c6dbef",
    "signature-renounced": "#d9d9d9",
    "withdrawn": "#b2182b",
    "terminated": "#7f7f7f",
    "lapsed": "#9e9e9e",
    "membership-suspended": "#c9a227",
    "none": "#f0f0f0",
}


def _caption(fig, text: str) -> None:
    """The caption line(s) under the picture, wrapped to the figure's width."""
    width = int(fig.get_figwidth() * 16)
    fig.text(0.01, -0.01, textwrap.fill(text, width), fontsize=7, color="#555555",
             ha="left", va="top")


def _save(fig, path: Path) -> None:
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"{path.name}: pictures are .png or .svg")
    # fixed metadata so the same data gives the same file
    metadata = {"Software": "treatykg"} if path.suffix.lower() == ".png" else {"Date": None}
    fig.savefig(path, dpi=150, bbox_inches="tight", metadata=metadata)
    plt.close(fig)


def timeline(treaty: str, path: Path, *, as_of: date, version: str,
             snapshot: snapshots.Snapshot) -> None:
    """States bound by `treaty` over time, with each withdrawal's effect marked and labelled."""
    subject = snapshot.subjects.get(treaty)
    if subject is None:
        raise KeyError(f"unknown treaty or alliance {treaty!r}")
    days = [d for d in snapshot.change_dates(treaty) if d <= as_of] + [as_of]
    counts = [sum(1 for i in snapshot.on(d, {treaty}) if i.bound) for d in days]
    exits: dict[date, list[str]] = defaultdict(list)
    for i in snapshot.intervals:
        if i.subject == treaty and i.status == "withdrawn" and i.since <= as_of:
            exits[i.since].append(i.state)
    fig, ax = plt.subplots(figsize=(10, 5))
    ax.step(days, counts, where="post", color=STATUS_COLOURS["party"], linewidth=2,
            label="states bound")
    top = max(counts) if counts else 1
    for k, (day, states) in enumerate(sorted(exits.items())):
        ax.axvline(day, color=STATUS_COLOURS["withdrawn"], linestyle="--", linewidth=1)
        ax.annotate(f"{', '.join(sorted(states))} withdrew\n{day.isoformat()}",
                    (day, top * (0.35 + 0.12 * (k % 4))), rotation=0, fontsize=7,
                    color=STATUS_COLOURS["withdrawn"], ha="right",
                    xytext=(-4, 0), textcoords="offset points")
    ax.plot([], [], color=STATUS_COLOURS["withdrawn"], linestyle="--",
            label="a withdrawal takes effect")
    ax.set_title(f"{subject.short}: states bound over time")
    ax.set_xlabel("date")
    ax.set_ylabel("number of states bound")
    ax.set_ylim(0, top * 1.1)
    ax.xaxis.set_major_locator(mdates.YearLocator(base=2 if len(days) > 1 and
                                                  (days[-1] - days[0]).days > 3650 else 1))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper left")
    _caption(fig, f"{subject.label}. Bound = party, or withdrawal pending or deferred, or a "
                  f"suspension the treaty does not provide for. As of {as_of.isoformat()}; "
                  f"data version {version}; treatykg.")
    _save(fig, path)


def matrix(alliance: str, path: Path, *, as_of: date, version: str,
           snapshot: snapshots.Snapshot) -> None:
    """Members of `alliance` x treaties: each cell the member's status on the day."""
    members, treaties = views.alliance_matrix(snapshot, alliance, as_of)
    if not members:
        raise KeyError(f"{alliance!r} has no members on {as_of}")
    status = {(i.state, i.subject): i.status for i in snapshot.on(as_of)}
    names = list(STATUS_COLOURS)
    index = {n: k for k, n in enumerate(names)}
    grid = [[index.get(status.get((m, t), "none"), index["none"]) for t in treaties]
            for m in members]
    fig, ax = plt.subplots(figsize=(1.4 * len(treaties) + 4, 0.28 * len(members) + 2))
    ax.imshow(grid, cmap=ListedColormap([STATUS_COLOURS[n] for n in names]),
              vmin=0, vmax=len(names) - 1, aspect="auto")
    ax.set_xticks(range(len(treaties)),
                  [snapshot.subjects[t].short for t in treaties], rotation=35, ha="left",
                  rotation_mode="anchor")
    ax.set_yticks(range(len(members)),
                  [f"{snapshot.states.get(m, m)} ({m})" for m in members], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_xlabel("treaty")
    ax.set_ylabel(f"member of {snapshot.subjects[alliance].short}")
    ax.set_xticks([x - 0.5 for x in range(1, len(treaties))], minor=True)
    ax.set_yticks([y - 0.5 for y in range(1, len(members))], minor=True)
    ax.grid(which="minor", color="white", linewidth=1)
    ax.tick_params(which="minor", length=0)
    used = sorted({status.get((m, t), "none") for m in members for t in treaties},
                  key=index.get)
    ax.legend(handles=[Patch(color=STATUS_COLOURS[n], label=n) for n in used],
              loc="upper left", bbox_to_anchor=(1.01, 1), title="status")
    ax.set_title(f"{snapshot.subjects[alliance].short} members' treaty status on "
                 f"{as_of.isoformat()}", pad=28)
    _caption(fig, "Party, withdrawal pending or deferred, and suspended (where the treaty has "
                  "no suspension clause) all still bind the state; 'none' means no record. "
                  f"As of {as_of.isoformat()}; data version {version}; treatykg.")
    _save(fig, path)


def network(view: str, path: Path, *, as_of: date, version: str,
            snapshot: snapshots.Snapshot, in_: str | None = None,
            treaty: str | None = None) -> None:
    """A readable drawing of a view: divergence, co_obligation, membership or withdrawals."""
    if view == "divergence":
        g = views.divergence(as_of, in_ or "nato", snapshot=snapshot)
        groups = sorted({d["profile"] for _, d in g.nodes(data=True)})
    elif view == "co_obligation":
        g = views.co_obligation(as_of, in_, snapshot=snapshot)
        groups = sorted({d["profile"] for _, d in g.nodes(data=True)})
    elif view == "membership":
        g = views.membership(as_of, in_, snapshot=snapshot)
        groups = []
    elif view == "withdrawals":
        g = views.withdrawals(treaty or "apmbc", snapshot=snapshot)
        groups = []
    else:
        raise KeyError(f"unknown view {view!r}")
    # profiles ordered from the most bans to none, coloured from green (most) to red (none)
    groups.sort(key=lambda p: (-(0 if p == "none" else p.count("+") + 1), p))
    palette = ["#1b7837", "#b8860b", "#e76f51", "#b2182b", "#762a83", "#7f7f7f"]
    wide = view == "withdrawals"
    fig, ax = plt.subplots(figsize=(max(6, 2 * g.number_of_nodes()), 3) if wide else (10, 8))
    if wide:
        pos = {n: (k, 0) for k, n in enumerate(g.nodes)}
        for node, (x, y) in pos.items():
            d = g.nodes[node]
            ax.annotate(f"deposited {d['deposited']}\neffective {d.get('effective', 'pending')}",
                        (x, y), xytext=(0, -22), textcoords="offset points", ha="center",
                        va="top", fontsize=7)
    elif view == "membership":
        states = sorted((n for n, d in g.nodes(data=True) if d["kind"] == "state"), reverse=True)
        subjects = sorted((n for n, d in g.nodes(data=True) if d["kind"] != "state"),
                          reverse=True)
        pos = {n: (0.0, k / max(len(states) - 1, 1)) for k, n in enumerate(states)}
        pos |= {n: (1.0, (k + 0.5) / len(subjects)) for k, n in enumerate(subjects)}
    elif groups:
        pos = _clustered(g, groups)
    else:
        pos = nx.spring_layout(g, seed=7, weight=None)
    colours = [palette[groups.index(d["profile"]) % len(palette)] if groups else "#2166ac"
               for _, d in g.nodes(data=True)]
    if view == "membership":  # edges coloured by status, as in the matrix
        used = sorted({d["status"] for _, _, d in g.edges(data=True)},
                      key=list(STATUS_COLOURS).index)
        nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.5, edge_color=[
            STATUS_COLOURS[d["status"]] for _, _, d in g.edges(data=True)])
        ax.legend(handles=[Patch(color=STATUS_COLOURS[n], label=n) for n in used],
                  loc="upper left", bbox_to_anchor=(1.16, 1.0), title="status")
    else:
        nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.15 if g.number_of_edges() > 60 else 0.6)
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color=colours, node_size=260)
    if view == "membership":  # subjects by their short names, beside their nodes
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=7, font_color="white", labels={
            n: d["code"] for n, d in g.nodes(data=True) if d["kind"] == "state"})
        for n, d in g.nodes(data=True):
            if d["kind"] != "state":
                ax.annotate(d["label"], pos[n], xytext=(12, 0), textcoords="offset points",
                            va="center", fontsize=9)
    else:
        nx.draw_networkx_labels(g, pos, ax=ax, font_size=7, font_color="white",
                                labels={n: d["code"] for n, d in g.nodes(data=True)})
    if view == "withdrawals":
        nx.draw_networkx_edge_labels(g, pos, ax=ax, font_size=7,
                                     edge_labels={(u, v): f"+{d['days']} d"
                                                  for u, v, d in g.edges(data=True)})
    if groups:
        ax.legend(handles=[Patch(color=palette[k % len(palette)],
                                 label=f"bound by: {name}") for k, name in enumerate(groups)],
                  loc="upper left", bbox_to_anchor=(1.0, 1.0), title="obligation profile")
    ax.set_title({"divergence": f"Allies ({in_ or 'nato'}) bound by different weapon bans: an "
                                "edge joins two allies whose bans differ",
                  "co_obligation": "States joined by the weapon bans they share "
                                   "(grouped by the bans binding them)",
                  "membership": "States and the treaties and alliances they are in",
                  "withdrawals": f"Withdrawals from {treaty or 'apmbc'} in the order deposited"}
                 [view])
    ax.set_axis_off()
    _caption(fig, f"View {view}; as of {as_of.isoformat()}; data version {version}; treatykg.")
    _save(fig, path)


def _clustered(g: nx.Graph, groups: list[str]) -> dict:
    """Each obligation profile as its own ring, the rings spaced around a circle."""
    import math

    pos = {}
    for k, group in enumerate(groups):
        members = sorted(n for n, d in g.nodes(data=True) if d["profile"] == group)
        cx, cy = math.cos(2 * math.pi * k / len(groups)), math.sin(2 * math.pi * k / len(groups))
        radius = 0.12 + 0.02 * len(members)
        for j, node in enumerate(members):
            angle = 2 * math.pi * j / max(len(members), 1)
            pos[node] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return pos
