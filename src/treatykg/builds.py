"""Where builds live, and how a reader opens one without ever building.

Each build is a folder of its own under build/builds/ (`0007-3f2a9c1b04de`: a sequence number
and the first digits of its input digest); `build/current` is a symbolic link naming the one
readers open, swapped in one rename when a build is published. `build/treatykg.ttl`,
`build/treatykg.nt` and `build/store` link through `current`, so a tool pointed at them always
sees the current build.

A reader holds a shared lock on the build it opened (`Build`), for as long as it lives: a
rebuild publishes a new folder and removes only old builds nobody holds, so a process keeps
answering from the build it started on, and can reopen that exact build by its path (the
endpoint's workers do). A reader never builds: when build/ is missing or older than data/ it
raises `NotBuilt`, whose message names the command to run.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from treatykg.digests import file_digests
from treatykg.paths import Project

log = logging.getLogger(__name__)
MANIFEST, LOCK, STORE = "manifest.json", "reader.lock", "store"
LINKS = ("treatykg.ttl", "treatykg.nt", MANIFEST, STORE)  # build/<name> -> current/<name>
STAGING, TRASH = ".staging-", ".trash-"


class NotBuilt(Exception):
    """No build, or one older than data/: the message says which and names the command."""


@dataclass
class Build:
    """One published build, opened read-only and locked against removal while this lives."""

    path: Path
    manifest: dict
    _lock: int | None = field(default=None, repr=False)
    _store: pyoxigraph.Store | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def store(self) -> pyoxigraph.Store:
        """The embedded store, opened read-only on first use."""
        if self._store is None:
            self._store = pyoxigraph.Store.read_only(str(self.path / STORE))
        return self._store

    @property
    def version(self) -> str:
        """A short name for the data the build holds: the first 12 hex digits of its inputs."""
        return self.manifest["inputs"][:12]

    def close(self) -> None:
        self._store = None
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def __enter__(self) -> Build:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_path(path: Path) -> Build:
    """Open the build in `path` (a folder under build/builds/) and lock it against removal."""
    try:
        lock = os.open(path / LOCK, os.O_RDONLY)
    except FileNotFoundError:
        raise NotBuilt(f"{path} is not a build (it may have been removed)") from None
    fcntl.flock(lock, fcntl.LOCK_SH)
    manifest = path / MANIFEST
    if not manifest.is_file():  # removed between the open and the lock
        os.close(lock)
        raise NotBuilt(f"{path} is not a build (it was removed)")
    return Build(path, json.loads(manifest.read_text(encoding="utf-8")), lock)


def current_path(project: Project) -> Path | None:
    """The folder `build/current` names, or None before the first build."""
    link = project.build / "current"
    if not link.is_symlink():
        return None
    return (project.build / os.readlink(link)).resolve()


def open_current(project: Project, *, check: bool = True) -> Build:
    """The current build, read-only. With `check`, raise NotBuilt when data/, ontology/ or
    queries/ changed since it was made, naming the files and the command to run."""
    for _attempt in range(3):  # a rebuild may swap `current` between the look and the lock
        path = current_path(project)
        if path is None:
            raise NotBuilt(f"{project.build} holds no build: run `treatykg build` first")
        try:
            opened = open_path(path)
        except NotBuilt:
            continue
        if check and (changed := changed_files(project, opened.manifest)):
            opened.close()
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more"
                                             if len(changed) > 3 else "")
            raise NotBuilt(f"the build is older than the project ({shown} changed): "
                           "run `treatykg build` first")
        return opened
    raise NotBuilt(f"{project.build}: the current build kept changing while being opened")


def changed_files(project: Project, manifest: dict) -> list[str]:
    """The inputs (data/, ontology/, queries/) that differ from those the build was made from."""
    now = file_digests(project)
    then = manifest.get("files", {})
    return sorted(p for p in now.keys() | then.keys() if now.get(p) != then.get(p))


def is_current(project: Project) -> bool:
    """Whether a build exists and was made from the project's files as they are now."""
    path = current_path(project)
    if path is None or not (path / MANIFEST).is_file():
        return False
    return not changed_files(project, json.loads((path / MANIFEST).read_text(encoding="utf-8")))


def staging(project: Project) -> Path:
    """A fresh folder to build into, locked (exclusively) so that no prune removes it."""
    folder = project.build / "builds"
    folder.mkdir(parents=True, exist_ok=True)
    import tempfile  # the write path's own imports: a reader never pays for them

    path = Path(tempfile.mkdtemp(prefix=STAGING, dir=folder))
    lock = os.open(path / LOCK, os.O_RDONLY | os.O_CREAT, 0o644)
    fcntl.flock(lock, fcntl.LOCK_EX)
    _held[path] = lock
    return path


_held: dict[Path, int] = {}  # staging folder -> its lock, until published or discarded


def discard(path: Path) -> None:
    """Remove a staging folder after a failed build: build/ stays as it was."""
    import shutil

    lock = _held.pop(path, None)
    shutil.rmtree(path, ignore_errors=True)
    if lock is not None:
        os.close(lock)


def publish(project: Project, path: Path, inputs: str) -> Path:
    """Name the staged build, make it current in one rename, remove old builds nobody holds."""
    folder = project.build / "builds"
    numbers = [int(p.name.split("-", 1)[0]) for p in folder.iterdir()
               if p.name[:1].isdigit() and "-" in p.name]
    final = folder / f"{max(numbers, default=0) + 1:04d}-{inputs[:12]}"
    path.rename(final)
    _legacy_layout(project)
    temporary = project.build / f".current-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(Path("builds") / final.name)
    os.replace(temporary, project.build / "current")
    for name in LINKS:
        link = project.build / name
        if not link.is_symlink():
            link.symlink_to(Path("current") / name)
    lock = _held.pop(path, None)
    if lock is not None:
        os.close(lock)
    prune(project)
    return final


def prune(project: Project) -> list[str]:
    """Remove every build but the current one that no reader holds; return their names."""
    import shutil

    folder = project.build / "builds"
    keep = current_path(project)
    removed = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        if path == keep or not path.is_dir():
            continue
        try:
            lock = os.open(path / LOCK, os.O_RDONLY)
        except FileNotFoundError:
            lock = None  # a leftover without a lock file: nobody can hold it
        try:
            if lock is not None:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            continue  # a reader (or a build under way) holds it
        trash = folder / f"{TRASH}{path.name.lstrip('.')}"
        path.rename(trash)
        if lock is not None:
            os.close(lock)
        shutil.rmtree(trash, ignore_errors=True)
        removed.append(path.name)
    if removed:
        log.info("removed old builds nobody holds: %s", ", ".join(removed))
    return removed


def _legacy_layout(project: Project) -> None:
    """Remove the files of the layout before builds/ (build/store, build/manifest.json, ...)."""
    import shutil

    for name in (*LINKS, "fragments"):
        path = project.build / name
        if path.is_symlink() or not path.exists():
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


_readers: dict[Path, Build] = {}  # every build this process opened for reading, by folder


def current(project: Project) -> Build:
    """The current build, for this process's reads: each build is opened once and then held
    while the process lives, so a store handed out earlier keeps answering after a rebuild,
    while the next call after a rebuild reads the new one. Raises NotBuilt (see
    `open_current`)."""
    path = current_path(project)
    held = _readers.get(path) if path is not None else None
    if held is not None and not changed_files(project, held.manifest):
        return held
    opened = open_current(project)
    if opened.path in _readers:  # the same build, found current again
        opened.close()
        return _readers[opened.path]
    _readers[opened.path] = opened
    return opened
