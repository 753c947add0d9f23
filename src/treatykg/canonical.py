"""The canonical form of data/: what `treatykg format` writes and a test holds every file to.

Tables (CSV): fixed columns, rows sorted by key, UTF-8, "\\n" endings. Treaty and organization
records (YAML): keys in the loader's order (`treatykg.load.TREATY_KEYS`, ...), empty keys left
out, two-space indentation with lists indented under their key, each value on one line, a
string quoted (double quotes) only where YAML would read it as something else, so dates and
numbers-as-text such as article "17" are always quoted; a final newline. The YAML files hold no
comments: what a curator has to say goes in a `note`, which the graph keeps as rdfs:comment.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from treatykg.load import (
    ALIAS_KEYS,
    ALLIANCE_KEYS,
    BODY_COLUMNS,
    CLAUSES_KEYS,
    CONFLICT_COLUMNS,
    DECLARATION_COLUMNS,
    EIF_KEYS,
    EVENT_COLUMNS,
    MILESTONE_KEYS,
    RESERVATIONS_KEYS,
    STATE_COLUMNS,
    STATUS_PAGE_COLUMNS,
    SUCCESSION_COLUMNS,
    TREATY_KEYS,
    WITHDRAWAL_KEYS,
    read_yaml,
)
from treatykg.records import SAME_DAY_ORDER

_ORDER = {kind.value: i for i, kind in enumerate(SAME_DAY_ORDER)}


def _event_key(row: dict) -> tuple:
    return row["state"], row["date"], _ORDER.get(row["event"], len(_ORDER))


TABLES = {
    "states.csv": (STATE_COLUMNS, lambda r: r["iso3"]),
    "successions.csv": (SUCCESSION_COLUMNS, lambda r: (r["predecessor"], r["successor"])),
    "armed_conflicts.csv": (CONFLICT_COLUMNS, lambda r: (r["state"], r["start"])),
    "status_pages.csv": (STATUS_PAGE_COLUMNS, lambda r: (r["subject"], r["as_of"])),
    "bodies.csv": (BODY_COLUMNS, lambda r: r["slug"]),
    # by treaty, then state (a body's decisions after the states'), date and id
    "declarations.csv": (DECLARATION_COLUMNS, lambda r: (r["treaty"], r["state"] or "~",
                                                         r["body"], r["date"], r["id"])),
}

# A mapping's keys in order, and the layout of those keys whose values are mappings (or, in a
# one-item list, lists of mappings).
Layout = tuple[tuple[str, ...], dict[str, "Layout | list[Layout]"]]
_MILESTONE: Layout = (MILESTONE_KEYS, {})
_ALIASES: list[Layout] = [(ALIAS_KEYS, {})]
TREATY: Layout = (TREATY_KEYS, {
    "aliases": _ALIASES,
    "opened_for_signature": _MILESTONE, "entry_into_force": _MILESTONE,
    "termination": _MILESTONE,
    "clauses": (CLAUSES_KEYS, {"entry_into_force": (EIF_KEYS, {}),
                               "withdrawal": (WITHDRAWAL_KEYS, {}),
                               "reservations": (RESERVATIONS_KEYS, {})}),
})
ALLIANCE: Layout = (ALLIANCE_KEYS, {"aliases": _ALIASES})


def table_text(path: Path, columns: tuple[str, ...], key) -> str | None:
    """The table's canonical text, or None when its header is not `columns` (validate says so)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            return None
        rows = list(reader)
    rows.sort(key=key)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key; a string that cannot be plain double-quoted."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


def _ordered(value: dict, layout: Layout) -> dict | None:
    """`value` with its keys in layout order and empty ones left out; None if a key is unknown
    (validate reports it) or a nested value is not a mapping where one is expected."""
    keys, children = layout
    if not isinstance(value, dict) or set(value) - set(keys):
        return None
    out: dict[str, Any] = {}
    for key in keys:
        item = value.get(key)
        if item is None:
            continue
        if isinstance(children.get(key), list):
            if not isinstance(item, list):
                return None
            item = [_ordered(entry, children[key][0]) for entry in item]
            if any(entry is None for entry in item):
                return None
        elif key in children:
            item = _ordered(item, children[key])
            if item is None:
                return None
        out[key] = dict(item) if isinstance(item, dict) else item
    return out


def record_text(path: Path, layout: Layout) -> str | None:
    """The YAML record's canonical text, or None when it cannot be read as a record."""
    try:
        document = read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None
    ordered = _ordered(document, layout)
    if ordered is None:
        return None
    return yaml.dump(ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=math.inf)


def _rules(data: Path) -> list[tuple[Path, Callable[[Path], str | None]]]:
    """Every file of `data` that has a canonical form, with the function that gives it."""
    def table(columns, key) -> Callable[[Path], str | None]:
        return lambda path: table_text(path, columns, key)

    out = [(data / name, table(columns, key)) for name, (columns, key) in TABLES.items()]
    for folder in ("events", "memberships"):
        out += [(p, table(EVENT_COLUMNS, _event_key))
                for p in sorted((data / folder).glob("*.csv"))]
    out += [(p, lambda path: record_text(path, TREATY))
            for p in sorted((data / "treaties").glob("*.yaml"))]
    out += [(p, lambda path: record_text(path, ALLIANCE))
            for p in sorted((data / "alliances").glob("*.yaml"))]
    return [(path, canonical) for path, canonical in out if path.exists()]


def _stale(data: Path) -> list[tuple[Path, str]]:
    """Each file under `data` that differs from its canonical form, with that form."""
    out = []
    for path, canonical in _rules(data):
        text = canonical(path)
        if text is not None and path.read_text(encoding="utf-8") != text:
            out.append((path, text))
    return out


def _loses_comment(path: Path, text: str) -> bool:
    """Whether rewriting a YAML record as `text` would drop a comment (a `#` the parser
    skipped): its information belongs in a `note`."""
    return path.suffix == ".yaml" and path.read_text(encoding="utf-8").count("#") > text.count("#")


def not_canonical(data: Path) -> list[Path]:
    """The files under `data` that differ from their canonical form."""
    return [path for path, _ in _stale(data)]


def format_data(data: Path) -> tuple[list[Path], list[Path]]:
    """Rewrite every file under `data` that is not canonical; return those rewritten, and
    those left as they are because a comment would be lost."""
    changed, kept = [], []
    for path, text in _stale(data):
        if _loses_comment(path, text):
            kept.append(path)
            continue
        path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed, kept
