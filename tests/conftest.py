"""Shared fixtures: the real data/ built once per session, in a copy outside the checkout."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from projects import built_once, copy_project
from treatykg import store
from treatykg.paths import Project


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Project:
    return built_once(tmp_path_factory)


@pytest.fixture(scope="session")
def db(built):
    return store.open_read_only(built.store)


@pytest.fixture
def scratch(tmp_path) -> Project:
    return copy_project(tmp_path)
