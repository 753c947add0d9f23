"""The analyst's verbs as a Python API: members, status, explain, query, listing. Plain data out.

Each verb runs library queries through the one runner on the embedded store of the current
build. Reading never builds: when build/ is missing or older than data/, a verb raises
`builds.NotBuilt`, whose message names the command to run (`treatykg build`). States,
treaties and alliances are taken by code, name or alias (`treatykg.names`); a name that picks
out no single one raises `queries.QueryError`, saying what it could be.

>>> rows = members("cmc", as_of="2026-11-22", in_="nato")
>>> len(rows), rows[0]["state"], rows[0]["status"]
(23, 'ALB', 'party')
>>> [r["state"] for r in members("Ottawa Convention", as_of="2026-11-22", in_="NATO")][:3]
['ALB', 'BEL', 'BGR']
>>> status("moldova", as_of="2026-11-22")[0]["subject"]
'apmbc'
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from treatykg import builds, names, queries
from treatykg.dates import as_of_day
from treatykg.paths import Project, find_project
from treatykg.statuses import Status
from treatykg.store import read_once

if TYPE_CHECKING:
    from treatykg import remote
    from treatykg.worlds import World

log = logging.getLogger(__name__)
STATUSES = tuple(s.value for s in Status)


def open_store(project: Project | None = None) -> pyoxigraph.Store:
    """The current build's embedded store, read-only; raises builds.NotBuilt when build/ is
    missing or older than data/, ontology/ or queries/."""
    return builds.current(project or find_project()).store


Scenarios = Sequence[str | Path]


def world(project: Project | None = None, *, scenario: Scenarios = (),
          known_at: str | date | None = None) -> World:
    """The graph a question reads (`worlds.World`): the current build's, or with `scenario`
    (scenario files, hypothetical acts derived through the same clauses) or `known_at` (the
    record as it stood on that day) one derived from it in memory. Nothing is written. Pass it
    as `world=` to the verbs, as many times as there are questions: it is derived once."""
    from treatykg import worlds  # the emitter and the rules: only for what-ifs

    day = as_of_day(known_at) if known_at is not None else None
    return worlds.open_world(project or find_project(), scenarios=[Path(s) for s in scenario],
                             known_at=day)


def _store(project: Project, db: pyoxigraph.Store | None, world: World | None
           ) -> pyoxigraph.Store:
    """The store to answer from: the world's, else `db`, else the current build's."""
    return world.store if world is not None else db or open_store(project)


def _graph(project: Project, db: pyoxigraph.Store | None, world: World | None
           ) -> tuple[pyoxigraph.Store, pyoxigraph.Store | None]:
    """The store to answer from, and, in a world with scenarios, the record without them (as
    known on the world's `known_at` day, if it has one), for marking the rows they change."""
    if world is None or not world.scenarios:
        return _store(project, db, world), None
    if world.known_at is None:
        return world.store, world.build.store
    from treatykg import worlds

    return world.store, worlds.open_world(project, known_at=world.known_at).store


def _marked(rows: list[dict], base: list[dict] | None) -> list[dict]:
    """`rows`, each one a what-if changed (absent from the record's own answer, `base`) with
    `hypothetical: True`; the others untouched."""
    if base is None:
        return rows
    return [r if r in base else {**r, "hypothetical": True} for r in rows]


def _as_of(as_of: str | date | None) -> str:
    return as_of_day(as_of).isoformat()


SUBJECTS = ("treaty", "alliance")


def find(text: str, kinds: tuple[str, ...] = names.KINDS, *, project: Project | None = None,
         db: pyoxigraph.Store | None = None) -> names.Entry:
    """The state, treaty or alliance (of `kinds`) that `text` names: a code, a name or an alias.

    >>> find("cluster munitions", SUBJECTS).code, find("ottawa").code, find("UK").code
    ('cmc', 'apmbc', 'GBR')
    """
    try:
        return names.resolve(db or open_store(project or find_project()), text, kinds)
    except names.NotFound as error:
        raise queries.QueryError(str(error)) from None


LISTS = {"states": ("state",), "treaties": ("treaty",), "alliances": ("alliance",)}


def listing(what: str, *, project: Project | None = None,
            db: pyoxigraph.Store | None = None) -> list[dict]:
    """What exists: every state, treaty or alliance (`what`) with its code, names, aliases and
    Wikidata item, from the built graph.

    >>> next(r for r in listing("states") if r["code"] == "MDA")
    {'code': 'MDA', 'name': 'Republic of Moldova', 'aliases': ['Moldova'], 'wikidata': 'Q217'}
    """
    if what not in LISTS:
        raise queries.QueryError(f"cannot list {what!r} (one of {', '.join(LISTS)})")
    catalog = names.catalog(db or open_store(project or find_project()))
    rows = []
    for e in catalog.of(*LISTS[what]):
        row: dict[str, object] = {"code": e.code, "name": e.name}
        if what != "states":
            row["short"] = e.short
        if what == "alliances":
            row["kind"] = e.what
        row |= {"aliases": list(e.aliases), "wikidata": e.wikidata}
        if what == "treaties":
            row |= {"in_force": e.in_force, "terminated": e.terminated}
        rows.append(row)
    return rows


def execute(name: str, params: dict[str, str] | None = None, *, as_of: str | date | None = None,
            project: Project | None = None, db: pyoxigraph.Store | None = None,
            endpoint: str | remote.Endpoint | None = None) -> queries.Answer:
    """Run a library query (or a .rq file) of any form, SELECT, ASK, CONSTRUCT or DESCRIBE, with
    its parameters bound as RDF terms; the answer is for `results.write` or `.result()`.

    With `endpoint` (a SPARQL 1.1 endpoint's URL, or a `remote.Endpoint` naming a graph and
    credentials) the question is asked of that server, its values checked against it, and no
    local build is read; a server's failure raises `remote.RemoteError`."""
    project = project or find_project()
    q = queries.find(project.queries, name)
    values = dict(params or {})
    if as_of is not None:  # else the query's own default: asOf is today
        if not any(p.name == "asOf" for p in q.parameters):
            raise queries.QueryError(f"query {q.name!r} takes no date: drop --as-of")
        values.setdefault("asOf", _as_of(as_of))
    if endpoint is not None:
        from treatykg import remote  # HTTP: only for a question asked of a server

        if not isinstance(endpoint, remote.Endpoint):
            endpoint = remote.Endpoint(endpoint)
        return remote.execute(endpoint, q, values)
    return queries.execute(db or open_store(project), q, values)


def query(name: str, params: dict[str, str] | None = None, *, as_of: str | date | None = None,
          project: Project | None = None, db: pyoxigraph.Store | None = None,
          endpoint: str | remote.Endpoint | None = None) -> queries.Result:
    """Run a library SELECT (or a .rq file) with its parameters bound as RDF terms (of the
    embedded store, or of `endpoint`: see `execute`)."""
    return execute(name, params, as_of=as_of, project=project, db=db,
                   endpoint=endpoint).result()


def _status_rows(subject: str, as_of: str, project: Project, db) -> list[dict]:
    return query("status-on-date", {"subject": subject, "asOf": as_of},
                 project=project, db=db).records()


def members(subject: str, *, as_of: str | date | None = None, in_: str | None = None,
            status: str | None = None, project: Project | None = None,
            db: pyoxigraph.Store | None = None, world: World | None = None) -> list[dict]:
    """States bound by a treaty or alliance on a date (or with `status`), optionally in an alliance.

    Each row: state (ISO3), name, status, since, until (None while open), bound; in a world
    with scenarios (`world()`), `hypothetical: True` on each row they changed.
    """
    project = project or find_project()
    db, base = _graph(project, db, world)
    rows = _members(subject, as_of, in_, status, project, db)
    return _marked(rows, base and _members(subject, as_of, in_, status, project, base))


def _members(subject: str, as_of: str | date | None, in_: str | None, status: str | None,
             project: Project, db: pyoxigraph.Store) -> list[dict]:
    day = _as_of(as_of)
    if status is not None and status not in STATUSES:
        raise queries.QueryError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
    subject = find(subject, SUBJECTS, db=db).code
    rows = _status_rows(subject, day, project, db)
    wanted = [r for r in rows if (r["status"] == status if status else r["bound"])]
    if in_ is not None:
        alliance = find(in_, ("alliance",), db=db).code
        allies = {r["state"] for r in _status_rows(alliance, day, project, db) if r["bound"]}
        wanted = [r for r in wanted if r["state"] in allies]
    return sorted(wanted, key=lambda r: r["state"])


def status(state: str, *, as_of: str | date | None = None, project: Project | None = None,
           db: pyoxigraph.Store | None = None, world: World | None = None) -> list[dict]:
    """One state's status in every treaty and alliance it has a record in, on a date.

    Each row: subject (slug), kind (treaty or alliance), name, status, since, until, bound;
    in a world with scenarios (`world()`), `hypothetical: True` on each row they changed.
    """
    project = project or find_project()
    db, base = _graph(project, db, world)
    code = find(state, ("state",), db=db).code

    def rows(store: pyoxigraph.Store) -> list[dict]:
        return query("state-status", {"state": code}, as_of=as_of, project=project,
                     db=store).records()

    return _marked(rows(db), base and rows(base))


def explain(state: str, subject: str, *, as_of: str | date | None = None,
            project: Project | None = None, db: pyoxigraph.Store | None = None,
            world: World | None = None) -> dict:
    """Why a state has its status: the events, the clauses applied with the arithmetic of every
    computed date, sources. In a world with scenarios, the intervals and events they changed
    carry `hypothetical: True`."""
    project = project or find_project()
    db, base = _graph(project, db, world)
    report = _explain(state, subject, as_of, project, db)
    if base is not None:
        record = _explain(state, subject, as_of, project, base)
        report["intervals"] = _marked(report["intervals"], record["intervals"])
        report["events"] = _marked(report["events"], record["events"])
    return report


def _explain(state: str, subject: str, as_of: str | date | None, project: Project,
             db: pyoxigraph.Store) -> dict:
    day = _as_of(as_of)
    named = find(subject, SUBJECTS, db=db)
    state, subject = find(state, ("state",), db=db).code, named.code
    params = {"state": state, "subject": subject}
    events = query("state-events", params, project=project, db=db).records()
    intervals = query("state-history", params, project=project, db=db).records()
    # the status on the day as the question library answers it (no second date test here)
    now = next((r for r in status(state, as_of=day, project=project, db=db)
                if r["subject"] == subject), None)
    current = next((i for i in intervals if now and i["since"] == now["since"]), None)
    said = [{k: v for k, v in d.items() if k not in ("state", "name", "body", "treaty")}
            for d in declarations(subject, state=state, project=project, db=db)
            ] if named.kind == "treaty" else []
    return {"state": state, "subject": subject, "as_of": day, "status": current,
            "intervals": intervals, "events": events, "declarations": said}


def changes(start: str | date, end: str | date | None = None, *, in_: str | None = None,
            subject: str | None = None, state: str | None = None,
            project: Project | None = None, db: pyoxigraph.Store | None = None,
            world: World | None = None) -> list[dict]:
    """Every status change dated after `start` up to and including `end` (default today),
    ordered by date: rows {state, name, subject, date, before, after, bound_before,
    bound_after, clause, sources}; `in_` keeps the members of an alliance at any time in the
    window, `subject` and `state` one treaty or alliance and one state."""
    from treatykg import changes as found
    from treatykg import snapshot

    project = project or find_project()
    db, base = _graph(project, db, world)
    codes = {"in_": in_ and find(in_, ("alliance",), db=db).code,
             "subject": subject and find(subject, SUBJECTS, db=db).code,
             "state": state and find(state, ("state",), db=db).code}

    def rows(store: pyoxigraph.Store) -> list[dict]:
        return [c.record() for c in found.between(snapshot.read(store), as_of_day(start),
                                                   as_of_day(end), **codes)]

    return _marked(rows(db), base and rows(base))


def check(claims: str | Path | list, *, as_of: str | date | None = None,
          project: Project | None = None, db: pyoxigraph.Store | None = None,
          world: World | None = None) -> list[dict]:
    """Decide claims: a claims file (CSV: id,state,relation,subject,as_of,in,value,text), a
    sentence in plain English ("Moldova is a NATO member", asked `as_of`), or a list of
    `claims.Claim`. Rows {id, verdict, found, evidence, sources}. Raises claims.ClaimError on a
    claim that cannot be asked."""
    from treatykg import claims as deciding
    from treatykg import snapshot

    project = project or find_project()
    db = _store(project, db, world)
    if isinstance(claims, list):
        asked = claims
    elif Path(claims).suffix == ".csv" or Path(claims).is_file():
        asked = deciding.read_claims(Path(claims))
    else:
        asked = [deciding.parse_sentence(str(claims), as_of_day(as_of),
                                         lambda text, kind: _code(text, kind, db))]
    snap = snapshot.read(db, events=True)
    resolved = [_resolved(c, db) for c in asked]
    return [v.record() for v in deciding.decide_all(resolved, snap)]


def _code(text: str, kind: str, db: pyoxigraph.Store) -> str:
    from treatykg.claims import ClaimError

    try:
        return names.resolve(db, text, (kind,)).code
    except names.NotFound as error:
        raise ClaimError(str(error)) from None


def _resolved(claim, db: pyoxigraph.Store):
    """A claim with its state, subject and alliance as codes (a file may name them)."""
    from dataclasses import replace

    return replace(claim, state=claim.state and _code(claim.state, "state", db),
                   subject=claim.subject and _subject_code(claim.subject, db),
                   in_=claim.in_ and _code(claim.in_, "alliance", db))


def _subject_code(text: str, db: pyoxigraph.Store) -> str:
    """The treaty or alliance `text` names; when it names both or neither, it is taken for a
    treaty (and the error says what it could be)."""
    try:
        return names.resolve(db, text, SUBJECTS).code
    except names.NotFound:
        return _code(text, "treaty", db)


KINDS_OF_DECLARATION = ("reservation", "interpretive-declaration", "declaration",
                        "territorial-declaration", "provisional-application", "objection",
                        "communication", "statement", "decision")
TOPICS = ("joint-operations", "territorial-scope", "definitions", "dispute-settlement",
          "provisional-application", "statehood", "suspension", "withdrawal", "other")


def declarations(treaty: str | None = None, *, state: str | None = None, in_: str | None = None,
                 kind: str | None = None, topic: str | None = None,
                 as_of: str | date | None = None, project: Project | None = None,
                 db: pyoxigraph.Store | None = None) -> list[dict]:
    """Declarations, reservations, objections and statements, as the depositaries and treaty
    bodies record them: rows {state, name, body, treaty, kind, made_at, date, articles, topic,
    responds_to, summary, verified, sources}. `as_of` keeps those made by that day (by their
    date, else their instrument's; undated ones are left out), `in_` those of the states that
    were members of the alliance that day (today by default)."""
    project = project or find_project()
    db = db or open_store(project)
    for value, allowed, what in ((kind, KINDS_OF_DECLARATION, "kind"),
                                 (topic, TOPICS, "topic")):
        if value is not None and value not in allowed:
            raise queries.QueryError(f"unknown {what} {value!r} (one of {', '.join(allowed)})")
    wanted = {"treaty": treaty and find(treaty, ("treaty",), db=db).code,
              "state": state and find(state, ("state",), db=db).code,
              "kind": kind, "topic": topic}
    allies = None
    if in_ is not None:
        allies = {r["state"] for r in members(in_, as_of=as_of, project=project, db=db)}
    out = []
    for row in _declared(project, db):
        if any(value is not None and row[key] != value for key, value in wanted.items()):
            continue
        if allies is not None and row["state"] not in allies:
            continue
        if as_of is not None and not _made_by(_made_on(row, project, db), as_of_day(as_of)):
            continue
        out.append({"state": row["state"], "name": row["name"] or row["body"],
                    "body": row["body"], "treaty": row["treaty"], "kind": row["kind"],
                    "made_at": row["madeAt"], "date": row["date"],
                    "articles": row["articles"].split() if row["articles"] else [],
                    "topic": row["topic"], "responds_to": row["respondsTo"],
                    "summary": row["summary"], "verified": row["verified"],
                    "sources": row["sources"].split(), "id": row["id"]})
    return out


def _declared(project: Project, db: pyoxigraph.Store) -> list[dict]:
    """The declarations question's rows, read once per store."""
    return read_once(db, "declarations",
                     lambda store: query("declarations", project=project, db=store).records())


_INSTRUMENTS = {"signature": "Signature", "ratification": "Ratification",
                "acceptance": "Acceptance", "approval": "Approval", "accession": "Accession",
                "succession": "Succession"}


def _made_on(row: dict, project: Project, db: pyoxigraph.Store):
    """When a declaration was made: its own date, else the recorded date of the instrument it
    was made with (a declaration on ratification: the day of deposit); None when neither is
    known."""
    if row["date"] is not None or row["madeAt"] not in _INSTRUMENTS or not row["state"]:
        return row["date"]
    events = query("state-events", {"state": row["state"], "subject": row["treaty"]},
                   project=project, db=db).records()
    days = [e["date"] for e in events if e["kind"] == _INSTRUMENTS[row["madeAt"]]]
    return min(days, default=None)


def _made_by(made_on, day: date) -> bool:
    """Whether a declaration made on `made_on` (a date, or a month or year as text) was made by
    `day`: for a month or a year, by its last day."""
    from treatykg.dates import parse_date

    if made_on is None:
        return False
    if isinstance(made_on, date):
        return made_on <= day
    return parse_date(str(made_on)).last <= day
