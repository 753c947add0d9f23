"""What two revisions of data/ say differently: facts added, changed field by field and removed,
and the derived statuses that move because of them, for reviewing a data change.

Facts are matched by their identity, which a corrected date does not change: a state by its
ISO code, a treaty or alliance by its slug, a succession by its two states, an armed conflict by
its state and name, an event by `Event.key` (subject, state, kind and its ordinal among that
state's acts of that kind: `cmc/LTU/withdrawal-notification/1`).
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from treatykg import rules
from treatykg.dates import Duration, PartialDate
from treatykg.load import load
from treatykg.records import Dataset

_SKIP = {"where", "lines", "ordinal"}  # where a fact is read, not what it says
_VALUES = (PartialDate, Duration)  # compared whole, by their text


class RevisionError(Exception):
    """A revision git cannot give (unknown revision, not a repository, no data/ in it)."""


@dataclass(frozen=True)
class Difference:
    """One fact or one derived status that two revisions give differently."""

    what: str  # state, treaty, alliance, succession, conflict, event, or status (derived)
    key: str
    change: str  # added, changed or removed
    field: str = ""  # for a changed fact: which field
    before: str = ""
    after: str = ""
    where: str = ""  # file:line in the head revision (the base one for a removal)

    def record(self) -> dict[str, str]:
        return dataclasses.asdict(self)


def dataset_at(root: Path, revision: str | None) -> Dataset:
    """data/ as the git revision holds it (None: as the working tree holds it now)."""
    if revision is None:
        return load(root / "data")
    run = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", revision, "data"],
                         capture_output=True, check=False)
    if run.returncode != 0:
        message = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RevisionError(f"git cannot give data/ at {revision!r}: "
                            f"{message[-1] if message else 'unknown error'}")
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=io.BytesIO(run.stdout)) as archive:
            archive.extractall(folder, filter="data")
        return load(Path(folder) / "data")


def compare(base: Dataset, head: Dataset) -> list[Difference]:
    """The facts and the derived statuses `head` gives differently from `base`."""
    out: list[Difference] = []
    for what, before, after in (
            ("state", base.states, head.states),
            ("treaty", base.treaties, head.treaties),
            ("alliance", base.alliances, head.alliances),
            ("succession", {f"{s.predecessor}>{s.successor}": s for s in base.successions},
             {f"{s.predecessor}>{s.successor}": s for s in head.successions}),
            ("conflict", {f"{c.state}/{c.conflict}": c for c in base.conflicts},
             {f"{c.state}/{c.conflict}": c for c in head.conflicts}),
            ("event", {e.key: e for e in base.events}, {e.key: e for e in head.events})):
        out += _facts(what, before, after)
    out += _statuses(rules.derive(base).intervals, rules.derive(head).intervals)
    return out


def _facts(what: str, before: dict, after: dict) -> list[Difference]:
    out = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None:
            out.append(Difference(what, key, "added", after=_summary(new), where=str(new.where)))
        elif new is None:
            out.append(Difference(what, key, "removed", before=_summary(old),
                                  where=str(old.where)))
        else:
            for name, was, now in _fields(old, new):
                out.append(Difference(what, key, "changed", name, was, now, str(new.where)))
    return out


def _fields(old, new) -> list[tuple[str, str, str]]:
    """The fields two versions of a fact hold differently, nested clauses by their dotted
    names (`withdrawal_clause.notice`)."""
    out = []
    for f in dataclasses.fields(old):
        if f.name in _SKIP:
            continue
        was, now = getattr(old, f.name), getattr(new, f.name)
        if was == now:
            continue
        if dataclasses.is_dataclass(was) and type(was) is type(now) and not isinstance(
                was, _VALUES):
            out += [(f"{f.name}.{n}", a, b) for n, a, b in _fields(was, now)]
        else:
            out.append((f.name, _text(was), _text(now)))
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return " ".join(_text(v) for v in value)
    if hasattr(value, "value") and not dataclasses.is_dataclass(value):  # an Enum
        return str(value.value)
    return str(value)


def _summary(fact) -> str:
    """A fact in one line, for an addition or a removal."""
    if hasattr(fact, "kind") and hasattr(fact, "date") and hasattr(fact, "subject"):
        return f"{fact.kind.value} {fact.date or 'undated'}"
    for name in ("name", "conflict", "date"):
        if hasattr(fact, name):
            return _text(getattr(fact, name))
    return ""


def _statuses(before: list[rules.Interval], after: list[rules.Interval]) -> list[Difference]:
    """Each (subject, state) whose derived history differs, interval by interval."""
    def spans(intervals: list[rules.Interval]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for i in intervals:
            until = i.until.isoformat() if i.until else "open"
            out[f"{i.subject}/{i.state}"].append(f"{i.status.value} {i.since}..{until}")
        return out

    old, new = spans(before), spans(after)
    out = []
    for key in sorted(old.keys() | new.keys()):
        gone = [s for s in old.get(key, []) if s not in new.get(key, [])]
        came = [s for s in new.get(key, []) if s not in old.get(key, [])]
        if gone or came:
            change = "changed" if gone and came else ("added" if came else "removed")
            out.append(Difference("status", key, change, "history", "; ".join(gone),
                                  "; ".join(came)))
    return out
