"""The canonical form of data/ tables: fixed columns, rows sorted by key, UTF-8, "\\n" endings.

`treatykg format` rewrites files into it; a test fails, naming that command, when one is not.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from treatykg.load import (
    CONFLICT_COLUMNS,
    EVENT_COLUMNS,
    STATE_COLUMNS,
    STATUS_PAGE_COLUMNS,
    SUCCESSION_COLUMNS,
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
}


def _rules(data: Path) -> list[tuple[Path, tuple[str, ...], object]]:
    out = [(data / name, columns, key) for name, (columns, key) in TABLES.items()]
    for folder in ("events", "memberships"):
        out += [(p, EVENT_COLUMNS, _event_key) for p in sorted((data / folder).glob("*.csv"))]
    return out


def canonical_text(path: Path, columns: tuple[str, ...], key) -> str | None:
    """The file's canonical text, or None when its header is not `columns` (validate says so)."""
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


def not_canonical(data: Path) -> list[Path]:
    """The tables under `data` that differ from their canonical form."""
    stale = []
    for path, columns, key in _rules(data):
        text = canonical_text(path, columns, key)
        if text is not None and path.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale


def format_tables(data: Path) -> list[Path]:
    """Rewrite every table that is not canonical; return those rewritten."""
    changed = not_canonical(data)
    for path in changed:
        columns, key = next((c, k) for p, c, k in _rules(data) if p == path)
        path.write_text(canonical_text(path, columns, key), encoding="utf-8")
    return changed
