"""Reading never builds: the Python API and doctests only read, a rebuild never pulls a build
from under a reader, and the CLI says when it builds."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

from projects import LTU_NOTICE, edit_cmc_events, move_lithuanias_withdrawal
from treatykg import answers, build, builds, cli, views


def _mtimes(folder: Path) -> dict[str, int]:
    """Every path under `folder` (links not followed) with its modification time."""
    out = {".": folder.lstat().st_mtime_ns}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            out[path.relative_to(folder).as_posix()] = path.lstat().st_mtime_ns
    return out


def _cmc_bound(db) -> list[str]:
    return [r["state"] for r in answers.members("cmc", as_of="2025-06-01", in_="nato", db=db)]


@pytest.fixture
def fresh(scratch, monkeypatch):
    build.build(scratch)
    monkeypatch.setenv("TREATYKG_ROOT", str(scratch.root))
    return scratch


def test_library_calls_and_doctests_leave_build_untouched(fresh):
    before = _mtimes(fresh.build)
    answers.members("cmc", in_="nato", project=fresh)
    answers.status("LTU", as_of="2025-01-01", project=fresh)
    answers.explain("LTU", "cmc", project=fresh)
    answers.query("bound-counts", project=fresh)
    views.membership("2026-11-22", "nato", snapshot=views.load(fresh))
    for module in (answers, views):
        assert doctest.testmod(module).failed == 0
    assert _mtimes(fresh.build) == before


def test_a_reader_never_builds_and_names_the_command_when_data_changed(fresh):
    before = _mtimes(fresh.build)
    move_lithuanias_withdrawal(fresh)
    with pytest.raises(builds.NotBuilt, match=r"data/events/cmc\.csv changed.*`treatykg build`"):
        answers.members("cmc", project=fresh)
    assert _mtimes(fresh.build) == before


def test_a_reader_of_an_unbuilt_project_is_told_to_build(scratch):
    with pytest.raises(builds.NotBuilt, match="run `treatykg build` first"):
        answers.members("cmc", project=scratch)
    assert not scratch.build.exists()


def test_a_reader_opened_before_a_rebuild_keeps_answering_from_its_build(fresh):
    held = builds.open_current(fresh)
    assert "LTU" not in _cmc_bound(held.store)
    move_lithuanias_withdrawal(fresh)
    build.build(fresh)
    assert "LTU" in _cmc_bound(builds.open_current(fresh).store)
    assert "LTU" not in _cmc_bound(held.store)  # the old build, still answering
    again = builds.open_path(held.path)  # and a worker can reopen that exact build
    assert "LTU" not in _cmc_bound(again.store)
    again.close()
    held.close()
    build.build(fresh)  # nobody holds the first build any more: it goes
    assert not held.path.exists()


def test_a_failed_build_leaves_the_current_build_and_no_staging_behind(fresh):
    current = builds.current_path(fresh)
    edit_cmc_events(fresh, LTU_NOTICE, "LTU,withdrawal-notification,2031-13-45,")
    with pytest.raises(build.DataError):
        build.build(fresh)
    assert builds.current_path(fresh) == current
    assert [p.name for p in (fresh.build / "builds").iterdir()] == [current.name]


def test_the_cli_says_when_it_builds_and_refuses_with_no_build(fresh, capsys):
    move_lithuanias_withdrawal(fresh)
    assert cli.main(["members", "cmc", "--no-build"]) == 2
    err = capsys.readouterr().err
    assert "data/events/cmc.csv changed" in err and "`treatykg build`" in err
    assert cli.main(["members", "cmc", "--in", "nato", "--as-of", "2025-06-01"]) == 0
    out, err = capsys.readouterr()
    assert "building it first" in err and "LTU" in out
    assert cli.main(["members", "cmc", "--as-of", "2025-06-01", "--no-build"]) == 0
    assert "building" not in capsys.readouterr().err


def test_build_files_keep_their_names_through_the_current_link(fresh):
    for name in ("treatykg.ttl", "treatykg.nt", "store"):
        assert (fresh.build / name).resolve().parent == builds.current_path(fresh)
