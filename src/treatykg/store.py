"""The embedded SPARQL store: pyoxigraph on disk, chosen by measurement (bench/RESULTS.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyoxigraph

T = TypeVar("T")
_read: dict[tuple[int, str], tuple[pyoxigraph.Store, object]] = {}  # (id(store), what) -> ...


def create(ntriples: Path, location: Path) -> int:
    """Bulk-load an N-Triples file into a new on-disk store, then compact it; return its number
    of triples. The bulk loader leaves many overlapping files that every scan must merge: at 100x
    compacting took 5 s and made the wide questions 1.5-5x faster (bench/RESULTS.md)."""
    store = pyoxigraph.Store(str(location))
    store.bulk_load(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.optimize()
    store.flush()
    size = len(store)
    del store
    return size


def copy(location: Path, target: Path) -> None:
    """A copy of a store to update, made of hard links where RocksDB allows (a checkpoint)."""
    open_read_only(location).backup(str(target))


def open_read_only(location: Path) -> pyoxigraph.Store:
    return pyoxigraph.Store.read_only(str(location))


def read_once(db: pyoxigraph.Store, what: str, read: Callable[[pyoxigraph.Store], T]) -> T:
    """`read(db)`, read once per store and kept while the process lives: a store never changes
    once built (or derived in memory). Keyed by the store's identity, held with it so that a
    new store never takes an old one's place (a store cannot be weakly referenced)."""
    held = _read.get((id(db), what))
    if held is None or held[0] is not db:
        held = _read[(id(db), what)] = (db, read(db))
    return held[1]  # type: ignore[return-value]
