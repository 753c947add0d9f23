"""`validate` rejects what cannot be true, with file, line, field and reason.

Each folder under tests/fixtures/broken/ is one fault: `target` names a data file, `append`
holds rows added to it (or `replace` a whole new content), and `expected` the exact message,
where `{appended}` is the first appended line and `{match:REGEX}` the first line of the original
file matching REGEX, so the corpus survives data files growing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from treatykg import build, cli

BROKEN = Path(__file__).parent / "fixtures" / "broken"


def cases() -> list[Path]:
    return sorted(p for p in BROKEN.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_a_broken_row_is_reported_precisely(scratch, case):
    target = scratch.root / (case / "target").read_text().strip()
    original = target.read_text(encoding="utf-8").splitlines() if target.exists() else []
    expected = (case / "expected").read_text(encoding="utf-8").strip()
    expected = expected.replace("{appended}", str(len(original) + 1))
    expected = re.sub(r"\{match:(.+?)\}", lambda m: str(next(
        i for i, line in enumerate(original, 1) if re.search(m.group(1), line))), expected)
    if (case / "replace").exists():
        target.write_text((case / "replace").read_text(encoding="utf-8"), encoding="utf-8")
    else:
        with target.open("a", encoding="utf-8") as handle:
            handle.write((case / "append").read_text(encoding="utf-8"))
    report = build.check_all(scratch)
    assert not report.conforms
    assert expected in report.problems, "\n".join(report.problems)


def test_every_broken_case_fails_validate_with_exit_code_1(scratch, monkeypatch, capsys):
    (scratch.data / "events" / "cmc.csv").open("a").write(
        "LTU,ratification,2031-13-45,yes,,,,https://example.org/x,2026-11-23,\n")
    monkeypatch.setenv("TREATYKG_ROOT", str(scratch.root))
    assert cli.main(["validate"]) == 1
    assert "data/events/cmc.csv:" in capsys.readouterr().out


def test_a_failed_build_leaves_the_previous_build_untouched(scratch):
    build.build(scratch)
    before = (scratch.build / "treatykg.nt").read_bytes()
    (scratch.data / "events" / "cmc.csv").open("a").write(
        "LTU,signature,2031-13-45,yes,,,,https://example.org/x,2026-11-23,\n")
    with pytest.raises(build.DataError):
        build.build(scratch)
    assert (scratch.build / "treatykg.nt").read_bytes() == before


def test_validate_exits_2_when_it_cannot_run(scratch, monkeypatch, capsys):
    (scratch.ontology / "shapes.ttl").unlink()
    monkeypatch.setenv("TREATYKG_ROOT", str(scratch.root))
    assert cli.main(["validate"]) == 2
    assert "validate could not run" in capsys.readouterr().err


def test_a_date_known_only_to_the_month_is_kept_and_not_taken_as_too_early(scratch):
    (scratch.data / "events" / "cmc.csv").open("a").write(
        "USA,signature,2008-12,no,,,,https://example.org/x,2026-11-23,known to the month\n")
    report = build.check_all(scratch)
    assert report.conforms, report.problems
