"""data/ itself: canonical form, names matching keys, and counts set from a known good build."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from enum import Enum
from pathlib import Path

import yaml

from projects import ROOT
from treatykg import cli
from treatykg import load as loader
from treatykg.canonical import not_canonical
from treatykg.load import load, read_yaml
from treatykg.records import (
    ALLIANCE_EVENT_KINDS,
    TREATY_EVENT_KINDS,
    PartiesCounted,
    SignatoriesCounted,
    StateKind,
    SuccessionKind,
)

DATA = ROOT / "data"
PACKAGE = DATA / "datapackage.json"


def test_data_files_are_in_canonical_form():
    stale = [p.relative_to(ROOT).as_posix() for p in not_canonical(DATA)]
    assert stale == [], f"run `treatykg format` to rewrite {stale} in canonical form"


def _messy(text: str) -> str:
    """The same record written carelessly: keys in reverse order, flow lists and mappings,
    four-space indentation, single quotes, an unquoted date, an empty key, no final newline."""
    def reverse(value):
        if isinstance(value, dict):
            return {key: reverse(value[key]) for key in reversed(list(value))}
        if isinstance(value, list):
            return [reverse(item) for item in value]
        return value

    record = reverse(read_yaml(text))
    record["wikidata"] = None
    messy = yaml.safe_dump(record, default_flow_style=None, indent=4, sort_keys=False, width=70)
    messy = re.sub(r"^checked: '(\d{4}-\d{2}-\d{2})'$", r"checked: \1", messy, flags=re.M)
    assert "checked: 20" in messy and "[" in messy and "'" in messy
    return messy.rstrip("\n")


def test_format_rewrites_a_yaml_record_in_canonical_form_and_keeps_its_meaning(
        scratch, monkeypatch):
    path = scratch.data / "treaties" / "cmc.yaml"
    canonical = path.read_text(encoding="utf-8")
    before = load(scratch.data).treaties["cmc"]
    path.write_text(_messy(canonical), encoding="utf-8")
    assert load(scratch.data).treaties["cmc"] == before  # the same record, not canonical
    assert not_canonical(scratch.data) == [path]
    monkeypatch.setenv("TREATYKG_ROOT", str(scratch.root))
    assert cli.main(["format"]) == 0
    assert path.read_text(encoding="utf-8") == canonical
    assert not_canonical(scratch.data) == []


def test_format_keeps_a_yaml_comment_for_the_curator_to_move_into_a_note(
        scratch, monkeypatch, capsys):
    path = scratch.data / "treaties" / "cmc.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "clauses:\n", "# Art. 21 of the CMC was not read.\nclauses:\n", 1)
    path.write_text(text, encoding="utf-8")
    assert not_canonical(scratch.data) == [path]
    monkeypatch.setenv("TREATYKG_ROOT", str(scratch.root))
    assert cli.main(["format"]) == 1
    assert "data/treaties/cmc.yaml holds a # comment" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == text


def test_every_folder_has_a_readme():
    folders = [DATA, *(p for p in DATA.rglob("*") if p.is_dir()), ROOT / "ontology",
               ROOT / "queries"]
    assert len(folders) >= 8
    for folder in folders:
        assert (folder / "README.md").is_file(), folder


# Set from a known good build (2026-11-23); change only with a reason in the commit.
def test_count_assertions():
    dataset = load(DATA)
    kinds = [s.kind.value for s in dataset.states.values()]
    assert kinds.count("un-member") == 193
    assert kinds.count("un-observer") == 2
    assert {"SUN", "CSK", "SCG"} <= set(dataset.states)
    nato = {e.state for e in dataset.events if e.subject == "nato"}
    assert len(nato) == 32
    apmbc_consents = {e.state for e in dataset.events if e.subject == "apmbc"
                      and e.kind.value in ("ratification", "accession", "acceptance",
                                           "approval", "succession")}
    assert len(apmbc_consents) >= 166
    cmc_consents = {e.state for e in dataset.events if e.subject == "cmc"
                    and e.kind.value in ("ratification", "accession", "acceptance",
                                         "approval", "succession")}
    assert len(cmc_consents) >= 113


# The NATO and EU members (past and present) that never signed nor joined the weapon bans: the
# depositary's tables (UNTC XXVI-5, XXVI-6) as cited in data/ list no act by them.
NEVER_SIGNED = {
    "apmbc": {"USA"},
    "cmc": {"EST", "FIN", "GRC", "LVA", "POL", "ROU", "TUR", "USA"},
}


def test_every_nato_and_eu_member_has_an_apmbc_and_cmc_history_or_never_signed():
    """Each ally's and EU member's APMBC and CMC rows are recorded: a member without any is one
    of the known non-signatories, and a known non-signatory has no row."""
    dataset = load(DATA)

    def states(subject: str) -> set[str]:
        return {e.state for e in dataset.events if e.subject == subject}

    for alliance in ("nato", "eu"):
        members = states(alliance)
        for treaty, never in NEVER_SIGNED.items():
            assert members - states(treaty) == never & members, (alliance, treaty)
            assert not never & states(treaty), treaty
    assert len(states("nato")) == 32 and len(states("eu")) == 28  # the UK left the EU


# ------------------------------------------------------------- the Frictionless data package

def _schemas() -> dict[str, dict]:
    """Each resource's Table Schema by its path under data/, a shared schema file resolved."""
    out = {}
    for resource in json.loads(PACKAGE.read_text(encoding="utf-8"))["resources"]:
        schema = resource["schema"]
        if isinstance(schema, str):
            schema = json.loads((DATA / schema).read_text(encoding="utf-8"))
        out[resource["path"]] = schema
    return out


def _frictionless(package: Path) -> dict:
    run = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json",
                          str(package)], capture_output=True, text=True, check=False)
    return json.loads(run.stdout)


def _errors(report: dict) -> list[str]:
    return [f"{task['name']}: row {e.get('rowNumber')}: {e['type']}: {e['note'] or e['message']}"
            for task in report["tasks"] for e in task["errors"]]


def test_every_data_table_is_a_resource_of_the_data_package():
    tables = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*.csv")}
    assert set(_schemas()) == tables, "declare each table of data/ in data/datapackage.json"


def _expected_columns(path: str) -> tuple[str, ...]:
    folder = path.partition("/")[0]
    if folder in ("events", "memberships"):
        return loader.EVENT_COLUMNS
    return {"states.csv": loader.STATE_COLUMNS, "successions.csv": loader.SUCCESSION_COLUMNS,
            "armed_conflicts.csv": loader.CONFLICT_COLUMNS,
            "status_pages.csv": loader.STATUS_PAGE_COLUMNS,
            "bodies.csv": loader.BODY_COLUMNS,
            "declarations.csv": loader.DECLARATION_COLUMNS}[path]


def test_the_loader_reads_the_columns_the_data_package_declares():
    for path, schema in _schemas().items():
        assert tuple(f["name"] for f in schema["fields"]) == _expected_columns(path), path


def _enum(schema: dict, name: str) -> set[str]:
    field = next(f for f in schema["fields"] if f["name"] == name)
    return set(field["constraints"]["enum"])


def _values(kinds) -> set[str]:
    return {k.value for k in kinds}


def test_the_data_package_allows_the_values_the_loader_allows():
    schemas = _schemas()
    enums: list[tuple[str, str, type[Enum] | frozenset]] = [
        ("states.csv", "kind", StateKind), ("successions.csv", "kind", SuccessionKind),
        ("status_pages.csv", "parties_are", PartiesCounted),
        ("status_pages.csv", "signatories_are", SignatoriesCounted),
        ("events/cmc.csv", "event", TREATY_EVENT_KINDS),
        ("memberships/nato.csv", "event", ALLIANCE_EVENT_KINDS)]
    for path, field, kinds in enums:
        assert _enum(schemas[path], field) == _values(kinds), (path, field)


def test_frictionless_finds_every_data_table_valid():
    report = _frictionless(PACKAGE)
    assert report["valid"], "\n".join(_errors(report))


def test_frictionless_reports_a_bad_cell_and_a_bad_header(scratch):
    events = scratch.data / "events" / "cmc.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    state, kind, day, rest = lines[2].split(",", 3)
    lines[2] = ",".join([state, kind, day[:5] + "13" + day[7:], rest])
    events.write_text("".join(lines), encoding="utf-8")
    eu = scratch.data / "memberships" / "eu.csv"
    eu.write_text(eu.read_text(encoding="utf-8").replace("verified", "verify", 1),
                  encoding="utf-8")
    errors = _errors(_frictionless(scratch.data / "datapackage.json"))
    assert len(errors) == 2, errors
    assert errors[0].startswith("events-cmc: row 3: constraint-error")
    assert errors[1].startswith("memberships-eu: row None: incorrect-label")
