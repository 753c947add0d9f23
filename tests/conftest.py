"""Shared fixtures: the real data/ built once per session, in a copy outside the checkout."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph
from rdflib.compare import graph_diff, isomorphic

sys.path.insert(0, str(Path(__file__).parent))

import servers
import stores
from projects import built_once, copy_project
from treatykg import cli, store
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


@pytest.fixture(scope="module")
def server(built):
    """`treatykg serve` on the built copy, started once for the module (tests/servers.py)."""
    running = servers.start(built.root)
    yield running
    running.stop()


@pytest.fixture
def fake():
    """A stand-in SPARQL server whose answers a test sets (tests/stores.py)."""
    server = stores.Fake()
    yield server
    server.stop()


# credentials a developer's shell may hold, which would reach a test's server (README: "Real
# triple stores")
CREDENTIALS = ("TREATYKG_STORE_USER", "TREATYKG_STORE_PASSWORD", "TREATYKG_ENDPOINT_USER",
               "TREATYKG_ENDPOINT_PASSWORD")


def _in_process(built: Project, monkeypatch) -> None:
    monkeypatch.setenv("TREATYKG_ROOT", str(built.root))
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def run(built, monkeypatch, capsys):
    """`treatykg ARGS...` in this process on the built copy: (exit code, stdout, stderr)."""
    _in_process(built, monkeypatch)

    def invoke(*argv: object) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def run_bytes(built, monkeypatch, capsysbinary):
    """As `run`, with stdout as the bytes written (a format's exact output)."""
    _in_process(built, monkeypatch)

    def invoke(*argv: object) -> tuple[int, bytes, str]:
        code = cli.main([str(a) for a in argv])
        out, err = capsysbinary.readouterr()
        return code, out, err.decode()

    return invoke


def _split(g: Graph | pyoxigraph.Store) -> tuple[set[str], Graph]:
    """The triples without a blank node, as N-Triples lines, and the graph of those with one."""
    ground, blank = set(), []
    if isinstance(g, pyoxigraph.Store):
        for quad in g:
            line = f"{quad.subject} {quad.predicate} {quad.object} ."
            if isinstance(quad.subject, pyoxigraph.BlankNode) or isinstance(
                    quad.object, pyoxigraph.BlankNode):
                blank.append(line)
            else:
                ground.add(line)
        return ground, Graph().parse(data="\n".join(blank), format="nt")
    blank_graph = Graph()
    for triple in g:
        if any(isinstance(term, BNode) for term in triple):
            blank_graph.add(triple)
        else:
            ground.add(" ".join(term.n3() for term in triple) + " .")
    return ground, blank_graph


def graph_difference(first: Graph | pyoxigraph.Store, second: Graph | pyoxigraph.Store,
                     shown: int = 20) -> str:
    """'' when the two are the same RDF graph, else the triples only one of them holds.

    Isomorphism, in two parts: triples without blank nodes must be equal as sets, those with
    blank nodes isomorphic (rdflib.compare), which keeps the canonical labelling to the few
    blank nodes of the ontology rather than the whole graph. An embedded store is compared
    without copying it into rdflib (its default graph: the build writes no other).
    """
    ground_a, blank_a = _split(first)
    ground_b, blank_b = _split(second)
    only_a, only_b = ground_a - ground_b, ground_b - ground_a
    if not isomorphic(blank_a, blank_b):
        _, in_a, in_b = graph_diff(blank_a, blank_b)
        only_a |= {" ".join(t.n3() for t in triple) + " ." for triple in in_a}
        only_b |= {" ".join(t.n3() for t in triple) + " ." for triple in in_b}
    out = []
    for name, lines in (("first", sorted(only_a)), ("second", sorted(only_b))):
        if lines:
            out += [f"only in the {name} ({len(lines)}):", *lines[:shown]]
    return "\n".join(out)


@pytest.fixture(scope="session")
def same_graph():
    """Assert that two graphs (rdflib graphs or embedded stores) are the same RDF graph,
    printing the difference if not."""

    def check(first: Graph | pyoxigraph.Store, second: Graph | pyoxigraph.Store) -> None:
        difference = graph_difference(first, second)
        assert not difference, "the graphs differ:\n" + difference

    return check


def pytest_terminal_summary(terminalreporter) -> None:
    """The servers' differences from the embedded store (tests/test_stores.py), known or not."""
    if stores.REPORT:
        terminalreporter.section("how the SPARQL servers differed from the embedded store")
        for line in stores.REPORT:
            terminalreporter.write_line(line)
