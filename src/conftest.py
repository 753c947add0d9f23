"""Doctests read a copy of the project built once per session outside the checkout, never the
checkout's own build/ (tests/projects.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from projects import built_once


@pytest.fixture(scope="session", autouse=True)
def doctests_read_a_built_copy(tmp_path_factory):
    project = built_once(tmp_path_factory)
    before = os.environ.get("TREATYKG_ROOT")
    os.environ["TREATYKG_ROOT"] = str(project.root)
    yield
    if before is None:
        del os.environ["TREATYKG_ROOT"]
    else:
        os.environ["TREATYKG_ROOT"] = before
