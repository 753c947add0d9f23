"""Throwaway copies of the project for tests and doctests: built once per session, outside the
checkout, so that no test or doctest ever writes into the checkout's build/."""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from treatykg import build, queries, results
from treatykg.paths import Project

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"  # each library query's answer, tests/test_queries.py
SCENARIOS = Path(__file__).parent / "fixtures" / "scenarios"  # what-if worlds (--scenario)

# The parameters each query's golden answer is taken with (and the date it is asked for); the
# benchmark asks the same questions.
CASES: dict[str, dict[str, str]] = json.loads(
    (ROOT / "queries" / "examples.json").read_text(encoding="utf-8"))
_built: dict[str, Project] = {}


def copy_project(target: Path) -> Project:
    """A throwaway copy of data/, ontology/ and queries/ that tests may build or break."""
    for folder in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / folder, target / folder)
    return Project(target)


def cli_env(root: Path) -> dict[str, str]:
    """The environment of a `treatykg` child process on the project at `root`: this one's, with
    TREATYKG_ROOT set."""
    return {**os.environ, "TREATYKG_ROOT": str(root)}


def edit_cmc_events(project: Project, find: str, replace: str) -> None:
    """Replace the first `find` (which must be there) in the project's data/events/cmc.csv."""
    path = project.data / "events" / "cmc.csv"
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")


# Lithuania's CMC withdrawal, moved a year later in a copy: bound on 2025-06-01 only then
LTU_NOTICE = "LTU,withdrawal-notification,2024-09-06,"
LTU_EFFECT = "LTU,withdrawal-effective,2025-03-06,"


def move_lithuanias_withdrawal(project: Project) -> None:
    edit_cmc_events(project, LTU_NOTICE, "LTU,withdrawal-notification,2025-09-06,")
    edit_cmc_events(project, LTU_EFFECT, "LTU,withdrawal-effective,2026-03-06,")


def rows(run, *argv) -> list[dict]:
    """`treatykg ARGV... --format json` through the `run` fixture, which must succeed: its rows."""
    code, out, err = run(*argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def answer(db, name: str) -> bytes:
    """The library query `name`'s answer to its CASES parameters, as SPARQL 1.1 CSV bytes (as
    `treatykg query NAME --format csv` writes it)."""
    query = queries.find(ROOT / "queries", name)
    out = io.BytesIO()
    results.write(queries.execute(db, query, CASES[name]).outcome, "csv", out)
    return out.getvalue()


def built_once(factory: pytest.TempPathFactory) -> Project:
    """The real data, built once per test session into a temporary folder, shared by the tests
    and the doctests."""
    if "real" not in _built:
        project = copy_project(factory.mktemp("treatykg"))
        build.build(project)
        _built["real"] = project
    return _built["real"]
