"""Write and read views: GraphML, GEXF, node-link JSON, CSV (nodes.csv + edges.csv + graph.csv).

Symmetric `write`/`read`, so a test can check that every attribute survives a round trip, and
that a directed view (withdrawals) comes back directed: CSV says so in graph.csv, with the
graph's attributes (view, as_of, alliance), as the other formats do in their own way.

>>> import networkx as nx, tempfile, pathlib
>>> g = nx.Graph(view="demo")
>>> g.add_edge("state:LTU", "treaty:cmc", bound=False, status="withdrawn")
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write(g, "csv", folder)
>>> read("csv", folder).edges["state:LTU", "treaty:cmc"]
{'bound': False, 'status': 'withdrawn'}
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx

FORMATS = ("graphml", "gexf", "json", "csv")


def write(g: nx.Graph, fmt: str, path: Path) -> None:
    """Write `g`; for csv, `path` is a folder that receives nodes.csv, edges.csv and graph.csv."""
    path = Path(path)
    if fmt == "graphml":
        nx.write_graphml(g, path)
    elif fmt == "gexf":
        nx.write_gexf(g, path, version="1.2draft")
        # networkx stamps today's date; stamp the view's as-of date so exports are reproducible
        stamp = g.graph.get("as_of") or g.graph.get("data_version", "")
        text = re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{stamp}"',
                      path.read_text(encoding="utf-8"), count=1)
        path.write_text(text, encoding="utf-8")
    elif fmt == "json":
        data = nx.node_link_data(g, edges="edges")
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    elif fmt == "csv":
        _write_csv(g, path)
    else:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def read(fmt: str, path: Path) -> nx.Graph:
    path = Path(path)
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path, version="1.2draft")
    if fmt == "json":
        return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    if fmt == "csv":
        return _read_csv(path)
    raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _value(text: str):
    """CSV has no types: 'true'/'false' are booleans, whole numbers are ints, the rest text."""
    if text in ("true", "false"):
        return text == "true"
    if text.lstrip("-").isdigit():
        return int(text)
    return text


def _write_csv(g: nx.Graph, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    node_keys = sorted({k for _, d in g.nodes(data=True) for k in d})
    edge_keys = sorted({k for _, _, d in g.edges(data=True) for k in d})
    with (folder / "nodes.csv").open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["id", *node_keys])
        for node, d in g.nodes(data=True):
            w.writerow([node, *(_cell(d[k]) if k in d else "" for k in node_keys)])
    with (folder / "edges.csv").open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["source", "target", *edge_keys])
        for u, v, d in g.edges(data=True):
            w.writerow([u, v, *(_cell(d[k]) if k in d else "" for k in edge_keys)])
    with (folder / "graph.csv").open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["key", "value"])
        w.writerow(["directed", _cell(g.is_directed())])
        w.writerows([k, _cell(v)] for k, v in sorted(g.graph.items()))


def _read_csv(folder: Path) -> nx.Graph:
    attributes: dict[str, object] = {}
    if (folder / "graph.csv").is_file():  # an older export has none: undirected, no attributes
        with (folder / "graph.csv").open(encoding="utf-8", newline="") as handle:
            attributes = {row["key"]: _value(row["value"]) for row in csv.DictReader(handle)}
    g = nx.DiGraph() if attributes.pop("directed", False) else nx.Graph()
    g.graph.update(attributes)
    with (folder / "nodes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            node = row.pop("id")
            g.add_node(node, **{k: _value(v) for k, v in row.items() if v != ""})
    with (folder / "edges.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            u, v = row.pop("source"), row.pop("target")
            g.add_edge(u, v, **{k: _value(x) for k, x in row.items() if x != ""})
    return g
