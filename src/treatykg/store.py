"""The embedded SPARQL store: pyoxigraph on disk, chosen by measurement (bench/RESULTS.md)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph


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
