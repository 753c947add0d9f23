"""Where a project's folders are: data/, ontology/, queries/ and build/ under one root."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def store(self) -> Path:
        """The current build's store (build/store links to build/current/store)."""
        return self.build / "store"


def find_project(start: Path | None = None) -> Project:
    """$TREATYKG_ROOT, else the nearest folder holding data/ and ontology/, else this checkout."""
    if env := os.environ.get("TREATYKG_ROOT"):
        return Project(Path(env).resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data").is_dir() and (folder / "ontology" / "treatykg.ttl").is_file():
            return Project(folder)
    return Project(Path(__file__).resolve().parents[2])
