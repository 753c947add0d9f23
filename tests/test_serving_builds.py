"""Serving one build: the server and every worker it starts read the build it was started on;
a rebuild never breaks it or mixes two builds; `--reload` switches to the new build."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

import servers
from projects import cli_env, move_lithuanias_withdrawal
from treatykg import build, builds

# Lithuania is bound by the CMC on 2025-06-01 only once its withdrawal is moved a year later
QUESTION = "/api/alliance-members-bound?alliance=nato&treaty=cmc&asOf=2025-06-01"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _bound(server) -> tuple[str, list[str]]:
    status, headers, body = server.request("GET", QUESTION)
    assert status == 200, body
    states = [b["state"]["value"] for b in json.loads(body)["results"]["bindings"]]
    return headers["x-treatykg-build"], states


@pytest.fixture
def fresh(scratch):
    build.build(scratch)
    return scratch


def test_a_rebuild_does_not_reach_a_running_server_nor_its_restarted_workers(fresh):
    first = builds.current_path(fresh)
    server = servers.start(fresh.root, "--time-limit", "1", "--workers", "2")
    try:
        name, states = _bound(server)
        assert name == first.name and "LTU" not in states
        move_lithuanias_withdrawal(fresh)
        build.build(fresh)
        assert builds.current_path(fresh) != first
        for _ in range(2):  # kill both workers in turn: their replacements open the old build
            status, _, _ = server.request("POST", "/sparql", CARTESIAN.encode(),
                                          {"Content-Type": "application/sparql-query"})
            assert status == 504
        for _ in range(6):
            name, states = _bound(server)
            assert name == first.name and "LTU" not in states
        assert first.is_dir(), "the server's build is kept while it serves"
    finally:
        server.stop()
    builds.prune(fresh)
    assert not first.exists(), "and removed once nobody reads it"


def test_reload_switches_to_the_new_build_between_requests(fresh):
    first = builds.current_path(fresh)
    server = servers.start(fresh.root, "--reload")
    try:
        assert _bound(server)[0] == first.name
        move_lithuanias_withdrawal(fresh)
        build.build(fresh)
        second = builds.current_path(fresh)
        deadline = time.monotonic() + 30
        while _bound(server)[0] != second.name and time.monotonic() < deadline:
            time.sleep(0.2)
        name, states = _bound(server)
        assert name == second.name and "LTU" in states
        deadline = time.monotonic() + 30  # the old build's workers finish, then let go of it
        while first.name not in builds.prune(fresh) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not first.exists()
    finally:
        server.stop()


def test_serve_refuses_a_stale_build_with_no_build(fresh):
    move_lithuanias_withdrawal(fresh)
    result = subprocess.run([sys.executable, "-m", "treatykg.cli", "serve", "--port", "0",
                             "--no-build"], capture_output=True, text=True, timeout=120,
                            env=cli_env(fresh.root))
    assert result.returncode == 2
    assert "data/events/cmc.csv changed" in result.stderr and "treatykg build" in result.stderr
