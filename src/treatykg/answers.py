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
from datetime import date

import pyoxigraph

from treatykg import builds, names, queries
from treatykg.dates import as_of_day
from treatykg.paths import Project, find_project
from treatykg.statuses import Status

log = logging.getLogger(__name__)
STATUSES = tuple(s.value for s in Status)


def open_store(project: Project | None = None) -> pyoxigraph.Store:
    """The current build's embedded store, read-only; raises builds.NotBuilt when build/ is
    missing or older than data/, ontology/ or queries/."""
    return builds.current(project or find_project()).store


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
            project: Project | None = None, db: pyoxigraph.Store | None = None) -> queries.Answer:
    """Run a library query (or a .rq file) of any form, SELECT, ASK, CONSTRUCT or DESCRIBE, with
    its parameters bound as RDF terms; the answer is for `results.write` or `.result()`."""
    project = project or find_project()
    q = queries.find(project.queries, name)
    values = dict(params or {})
    if as_of is not None:  # else the query's own default: asOf is today
        if not any(p.name == "asOf" for p in q.parameters):
            raise queries.QueryError(f"query {q.name!r} takes no date: drop --as-of")
        values.setdefault("asOf", _as_of(as_of))
    return queries.execute(db or open_store(project), q, values)


def query(name: str, params: dict[str, str] | None = None, *, as_of: str | date | None = None,
          project: Project | None = None, db: pyoxigraph.Store | None = None) -> queries.Result:
    """Run a library SELECT (or a .rq file) with its parameters bound as RDF terms."""
    return execute(name, params, as_of=as_of, project=project, db=db).result()


def _status_rows(subject: str, as_of: str, project: Project, db) -> list[dict]:
    return query("status-on-date", {"subject": subject, "asOf": as_of},
                 project=project, db=db).records()


def members(subject: str, *, as_of: str | date | None = None, in_: str | None = None,
            status: str | None = None, project: Project | None = None,
            db: pyoxigraph.Store | None = None) -> list[dict]:
    """States bound by a treaty or alliance on a date (or with `status`), optionally in an alliance.

    Each row: state (ISO3), name, status, since, until (None while open), bound.
    """
    project = project or find_project()
    db = db or open_store(project)
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
           db: pyoxigraph.Store | None = None) -> list[dict]:
    """One state's status in every treaty and alliance it has a record in, on a date.

    Each row: subject (slug), kind (treaty or alliance), name, status, since, until, bound.
    """
    db = db or open_store(project or find_project())
    code = find(state, ("state",), db=db).code
    return query("state-status", {"state": code}, as_of=as_of, project=project,
                 db=db).records()


def explain(state: str, subject: str, *, as_of: str | date | None = None,
            project: Project | None = None, db: pyoxigraph.Store | None = None) -> dict:
    """Why a state has its status: the events, the clauses applied, computed dates, sources."""
    project = project or find_project()
    db = db or open_store(project)
    day = _as_of(as_of)
    state, subject = find(state, ("state",), db=db).code, find(subject, SUBJECTS, db=db).code
    params = {"state": state, "subject": subject}
    events = query("state-events", params, project=project, db=db).records()
    intervals = query("state-history", params, project=project, db=db).records()
    # the status on the day as the question library answers it (no second date test here)
    now = next((r for r in status(state, as_of=day, project=project, db=db)
                if r["subject"] == subject), None)
    current = next((i for i in intervals if now and i["since"] == now["since"]), None)
    return {"state": state, "subject": subject, "as_of": day,
            "status": current, "intervals": intervals, "events": events}
