"""What a build is made from, as digests: the one place that hashes the project's files.

Kept apart from `treatykg.build` so that a reader checking whether build/ is current imports
no RDF library: the check runs before every CLI read (bench/startup.py).
"""

from __future__ import annotations

import hashlib

from treatykg.paths import Project


def sha(*parts: bytes) -> str:
    """One digest of several byte strings, each hashed first so that no two splits collide."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def file_digests(project: Project) -> dict[str, str]:
    """The digest of every file a build reads, by its path from the project root."""
    out = {}
    for folder in (project.data, project.ontology, project.queries):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            out[path.relative_to(project.root).as_posix()] = sha(path.read_bytes())
    return out


def inputs_digest(digests: dict[str, str]) -> str:
    """One digest of everything a build reads (`file_digests`), to tell whether build/ is
    current."""
    return sha(*(f"{k} {v}".encode() for k, v in sorted(digests.items())))
