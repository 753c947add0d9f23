"""The ontology as a release: versioned with the package, licensed, credited, documented."""

from __future__ import annotations

import tomllib

from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from projects import ROOT
from treatykg import cli, ontology_docs
from treatykg.vocab import ONTOLOGY, TKG

TTL = ROOT / "ontology" / "treatykg.ttl"
PAGE = ROOT / "docs" / "ontology.html"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _ontology() -> Graph:
    return Graph().parse(TTL)


def test_the_ontology_version_is_the_package_version():
    g, version = _ontology(), PROJECT["version"]
    assert g.value(ONTOLOGY, OWL.versionInfo) == Literal(version)
    assert g.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY}/{version}")


def test_the_ontology_carries_the_projects_licence_and_creators():
    g = _ontology()
    assert PROJECT["license"] == {"text": "MIT"}
    assert set(g.objects(ONTOLOGY, DCTERMS.license)) == {URIRef("https://spdx.org/licenses/MIT")}
    assert {str(c) for c in g.objects(ONTOLOGY, DCTERMS.creator)} == {
        a["name"] for a in PROJECT["authors"]}


def _terms(g: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {s for kind in kinds for s in g.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(str(TKG._NS))}


def test_the_docs_command_documents_every_class_and_property(tmp_path, monkeypatch):
    monkeypatch.setenv("TREATYKG_ROOT", str(ROOT))
    page = tmp_path / "ontology.html"
    assert cli.main(["docs", "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    terms = _terms(_ontology())
    assert len(terms) >= 70  # 75 in 0.1.0: the enumerations' members are individuals
    missing = sorted(str(t) for t in terms if f"<code>{t}</code>" not in html)
    assert missing == []
    assert f"{ONTOLOGY}/{PROJECT['version']}" in html


def test_the_committed_ontology_page_is_current(tmp_path):
    page = ontology_docs.write(TTL, tmp_path / "ontology.html")
    assert page.read_bytes() == PAGE.read_bytes(), (
        "docs/ontology.html is stale: run `treatykg docs`")
