"""`diff --base REV`: what two revisions of data/ say differently, in a git repository the test
builds itself (never the clone's own history)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from projects import ROOT
from treatykg import revisions


def _git(folder: Path, *argv: str) -> None:
    subprocess.run(["git", "-C", str(folder), *argv], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
                        "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """Two revisions: the real data, then Lithuania's CMC withdrawal corrected a year later and
    a hypothetical Tongan CMC accession added."""
    folder = tmp_path_factory.mktemp("repo")
    shutil.copytree(ROOT / "data", folder / "data")
    _git(folder, "init", "-q")
    _git(folder, "add", "data")
    _git(folder, "commit", "-q", "-m", "base")
    events = folder / "data" / "events" / "cmc.csv"
    text = events.read_text(encoding="utf-8")
    for old, new in (("LTU,withdrawal-notification,2024-09-06,", "LTU,withdrawal-notification,"
                      "2025-09-06,"), ("LTU,withdrawal-effective,2025-03-06,",
                                       "LTU,withdrawal-effective,2026-03-06,")):
        assert old in text
        text = text.replace(old, new)
    text += "TON,accession,2026-01-05,no,,,,https://example.org/x,2026-12-02,a test row\n"
    events.write_text(text, encoding="utf-8")
    _git(folder, "commit", "-q", "-am", "head")
    return folder


def test_a_corrected_date_is_the_same_event_changed_field_by_field(repository):
    found = revisions.compare(revisions.dataset_at(repository, "HEAD~1"),
                              revisions.dataset_at(repository, "HEAD"))
    facts = [(d.what, d.key, d.change, d.field, d.before, d.after) for d in found
             if d.what == "event"]
    assert facts == [
        ("event", "cmc/LTU/withdrawal-effective/1", "changed", "date", "2025-03-06",
         "2026-03-06"),
        ("event", "cmc/LTU/withdrawal-notification/1", "changed", "date", "2024-09-06",
         "2025-09-06"),
        ("event", "cmc/TON/accession/1", "added", "", "", "accession 2026-01-05")]


def test_the_derived_statuses_that_move_are_listed(repository):
    found = {d.key: d for d in revisions.compare(revisions.dataset_at(repository, "HEAD~1"),
                                                 revisions.dataset_at(repository, "HEAD"))
             if d.what == "status"}
    assert found["cmc/LTU"].before == ("party 2011-09-01..2024-09-06; withdrawal-pending "
                                       "2024-09-06..2025-03-06; withdrawn 2025-03-06..open")
    assert found["cmc/LTU"].after == ("party 2011-09-01..2025-09-06; withdrawal-pending "
                                      "2025-09-06..2026-03-06; withdrawn 2026-03-06..open")
    assert found["cmc/TON"].change == "added"
    assert set(found) == {"cmc/LTU", "cmc/TON"}


def test_the_working_tree_is_the_head_by_default(repository):
    head = revisions.dataset_at(repository, None)
    assert any(e.key == "cmc/TON/accession/1" for e in head.events)


def test_an_unknown_revision_is_a_clear_error(repository):
    with pytest.raises(revisions.RevisionError, match="git cannot give data/ at 'no-such-rev'"):
        revisions.dataset_at(repository, "no-such-rev")
