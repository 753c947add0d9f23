"""Throwaway copies of the project for tests and doctests: built once per session, outside the
checkout, so that no test or doctest ever writes into the checkout's build/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from treatykg import build
from treatykg.paths import Project

ROOT = Path(__file__).resolve().parents[1]
_built: dict[str, Project] = {}


def copy_project(target: Path) -> Project:
    """A throwaway copy of data/, ontology/ and queries/ that tests may build or break."""
    for folder in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / folder, target / folder)
    return Project(target)


def built_once(factory: pytest.TempPathFactory) -> Project:
    """The real data, built once per test session into a temporary folder, shared by the tests
    and the doctests."""
    if "real" not in _built:
        project = copy_project(factory.mktemp("treatykg"))
        build.build(project)
        _built["real"] = project
    return _built["real"]
