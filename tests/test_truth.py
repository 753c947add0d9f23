"""The truth report: derived counts match the depositaries' stated totals, to the day."""

from __future__ import annotations

from treatykg import build, cli, truth


def test_every_stated_total_agrees_with_the_graph(built):
    derived = build.derive(built)
    pages = truth.read_pages(built.data / "status_pages.csv", built.root)
    found = truth.checks(derived.dataset, derived.derivation, pages)
    assert len(found) >= 13
    assert [c for c in found if not c.agrees] == []


def test_a_disagreement_is_reported_and_fails_validate(scratch, monkeypatch, capsys):
    pages = scratch.data / "status_pages.csv"
    pages.write_text(pages.read_text(encoding="utf-8").replace(
        "apmbc,2025-03-12,165,", "apmbc,2025-03-12,164,"), encoding="utf-8")
    monkeypatch.setenv("TREATYKG_ROOT", str(scratch.root))
    assert cli.main(["validate", "--report"]) == 1
    out = capsys.readouterr().out
    assert ("apmbc                    2025-03-12 parties (consented)           164     165  "
            "DISAGREES by +1") in out
    assert "data/status_pages.csv:3: apmbc parties (consented) on 2025-03-12: the source says " \
           "164, the graph derives 165" in out


def test_the_report_lists_every_unverified_fact(built):
    facts = truth.unverified(build.derive(built).dataset)
    assert any("TON" in f and "accession" in f for f in facts)
    assert any("GBR" in f and "cfe" in f for f in facts)
