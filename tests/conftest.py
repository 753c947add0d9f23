"""Shared fixtures: the real data/ built once per session, in a copy outside the checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from treatykg import build, store
from treatykg.paths import Project

ROOT = Path(__file__).resolve().parents[1]


def copy_project(target: Path) -> Project:
    """A throwaway copy of data/, ontology/ and queries/ that tests may build or break."""
    for folder in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / folder, target / folder)
    return Project(target)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("treatykg"))
    build.build(project)
    return project


@pytest.fixture(scope="session")
def db(built):
    return store.open_read_only(built.store)


@pytest.fixture
def scratch(tmp_path) -> Project:
    return copy_project(tmp_path)
