"""Read data/ into typed records. Every fault names file, line and field; nothing is guessed.

Tables are CSV with a fixed header; treaties and alliances are one YAML file each, named by
their slug. YAML dates are read as text (the timestamp resolver is removed) so that the one
date parser in `treatykg.dates` sees them, and an unquoted date cannot change type.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Collection, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from treatykg.dates import PartialDate, parse_date, parse_day, parse_duration
from treatykg.records import (
    ALLIANCE_EVENT_KINDS,
    TREATY_EVENT_KINDS,
    Alias,
    Alliance,
    ArmedConflict,
    Dataset,
    Declaration,
    DeclarationKind,
    EifRule,
    EntryIntoForceClause,
    Event,
    EventKind,
    Milestone,
    NoticeKind,
    Occasion,
    PartiesCounted,
    Problem,
    ReservationsClause,
    Scenario,
    SignatoriesCounted,
    State,
    StateKind,
    StatusPage,
    Succession,
    SuccessionKind,
    Topic,
    Treaty,
    TreatyBody,
    Where,
    WithdrawalClause,
    numbered,
)
from treatykg.sources import RANKS, Copy, Policy, Rank, Refusal

STATE_COLUMNS = ("iso3", "name", "aliases", "kind", "wikidata", "sources")
SUCCESSION_COLUMNS = ("predecessor", "successor", "kind", "date", "sources", "note")
CONFLICT_COLUMNS = (
    "state", "conflict", "start", "end", "verified", "sources", "checked", "note",
)
EVENT_COLUMNS = (
    "state", "event", "date", "verified", "depositary_ref", "public_date", "public_basis",
    "sources", "checked", "note",
)
PUBLIC_BASES = ("depositary-notification", "source-published")
BODY_COLUMNS = ("slug", "name", "treaty", "sources")
DECLARATION_COLUMNS = (
    "id", "treaty", "state", "body", "kind", "made_at", "date", "articles", "topic",
    "responds_to", "summary", "language", "depositary_kind", "depositary_ref", "sources",
    "verified", "checked", "note",
)
STATUS_PAGE_COLUMNS = (
    "subject", "as_of", "parties", "parties_are", "signatories", "signatories_are", "sources",
    "checked", "note", "explained_difference", "declarants",
)
# The keys of each YAML mapping, in their canonical order (`treatykg format` writes them so).
TREATY_KEYS = (
    "slug", "name", "short_name", "aliases", "wikidata", "depositary", "text", "categories",
    "opened_for_signature", "entry_into_force", "termination", "clauses", "note", "checked",
)
MILESTONE_KEYS = ("date", "sources", "note")
ALIAS_KEYS = ("name", "sources")
CLAUSES_KEYS = ("entry_into_force", "withdrawal", "suspension", "reservations")
RESERVATIONS_KEYS = ("article", "allowed", "sources", "note")
EIF_KEYS = ("article", "rule", "months", "days", "after_entry_into_force", "sources", "note")
WITHDRAWAL_KEYS = (
    "article", "notice", "notice_kind", "armed_conflict_deferral", "min_years_in_force",
    "sources", "note",
)
ALLIANCE_KEYS = (
    "slug", "name", "short_name", "aliases", "wikidata", "founded_by", "kind", "sources", "note",
    "checked",
)

_ISO3 = re.compile(r"^[A-Z]{3}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_WHOLE = re.compile(r"^-?[0-9]+$")


class DataError(Exception):
    """data/ holds faults; `problems` lists every one, each with file, line and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _Row:
    """One table row or YAML mapping being read: it turns field faults into Problems."""

    def __init__(self, values: dict[str, Any], where: Where, lines: dict[str, int], sink: list):
        self.values, self.where, self.lines, self.sink = values, where, lines, sink

    def fault(self, name: str, message: str) -> None:
        line = self.lines.get(name, self.where.line)
        self.sink.append(Problem(Where(self.where.file, line), name, message))

    def text(self, name: str, *, required: bool = True, pattern: re.Pattern | None = None) -> str:
        raw = self.values.get(name)
        value = "" if raw is None else str(raw).strip()
        if not value:
            if required:
                self.fault(name, "is empty")
            return ""
        if pattern is not None and not pattern.match(value):
            self.fault(name, f"{value!r} is not a valid {name}")
        return value

    def date(self, name: str, *, required: bool = True) -> PartialDate | None:
        value = self.text(name, required=required)
        if not value:
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            self.fault(name, str(error))
            return None

    def day(self, name: str, why: str, *, required: bool = True) -> PartialDate | None:
        """A date that must name its day: any other is a fault, `f"{date} {why}"`, and is
        returned still, so that the caller decides what follows."""
        value = self.date(name, required=required)
        if value is not None and not value.is_day:
            self.fault(name, f"{value} {why}")
        return value

    def choice(self, name: str, enum: type, *, allowed: frozenset | None = None):
        value = self.text(name)
        if not value:
            return None
        try:
            member = enum(value)
        except ValueError:
            member = None
        if member is None or (allowed is not None and member not in allowed):
            options = sorted(m.value for m in (allowed or enum))
            self.fault(name, f"{value!r} is not one of {', '.join(options)}")
            return None
        return member

    def flag(self, name: str) -> bool:
        value = self.text(name)
        if value not in ("yes", "no", ""):
            self.fault(name, f"{value!r} is not yes or no")
        return value == "yes"

    def sources(self, name: str = "sources") -> tuple[str, ...]:
        raw = self.values.get(name)
        urls = raw if isinstance(raw, list) else str(raw or "").split()
        urls = [str(u).strip() for u in urls if str(u).strip()]
        if not urls:
            self.fault(name, "no source: every fact needs the URL it was read from")
        for url in urls:
            if not _URL.match(url):
                self.fault(name, f"{url!r} is not an http(s) URL")
        return tuple(urls)

    def count(self, name: str, *, signed: bool = False) -> int | None:
        """A whole number (of zero or more unless `signed`), or None when the cell is empty."""
        value = self.text(name, required=False)
        if not value:
            return None
        if not _WHOLE.match(value) or (value.startswith("-") and not signed):
            self.fault(name, f"{value!r} is not a whole number" + ("" if signed else
                                                                    " of zero or more"))
            return None
        return int(value)

    def names(self, name: str) -> tuple[str, ...]:
        """A `;`-separated list of names (a table's `aliases`), each given once."""
        raw = str(self.values.get(name) or "")
        names = [n.strip() for n in raw.split(";")] if raw.strip() else []
        for n in names:
            if not n:
                self.fault(name, f"{raw!r} has an empty name between semicolons")
            elif names.count(n) > 1:
                self.fault(name, f"{n!r} is listed twice")
        return tuple(dict.fromkeys(n for n in names if n))

    def day_text(self, name: str) -> str:
        """A YYYY-MM-DD text such as `checked`, kept as text once validated."""
        value = self.text(name)
        if value:
            try:
                parse_day(value)
            except ValueError as error:
                self.fault(name, str(error))
        return value


def _read_table(path: Path, root: Path, columns: tuple[str, ...], sink: list) -> Iterator[_Row]:
    """Yield the rows of a CSV whose header must be exactly `columns`."""
    rel = path.relative_to(root).as_posix()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            sink.append(Problem(Where(rel, 1), "header", "the file is empty"))
            return
        if tuple(header) != columns:
            sink.append(
                Problem(
                    Where(rel, 1),
                    "header",
                    f"columns are {','.join(header)}; expected {','.join(columns)}",
                )
            )
            return
        line = reader.line_num + 1
        for cells in reader:
            where = Where(rel, line)
            line = reader.line_num + 1
            if len(cells) != len(columns):
                sink.append(
                    Problem(where, "row", f"has {len(cells)} cells; expected {len(columns)}")
                )
                continue
            yield _Row(dict(zip(columns, cells, strict=True)), where, {}, sink)


class _TextLoader(yaml.CSafeLoader):
    """SafeLoader that keeps dates as text and records each mapping key's line. libyaml's parser
    (in PyYAML's wheels): ten times the pure-Python one, which took half of loading at 100x."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


class _Mapping(dict):
    lines: dict[str, int]


def _construct_mapping(loader: yaml.CSafeLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


_TextLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(text: str) -> Any:
    """A YAML document with dates kept as text (raises yaml.YAMLError)."""
    return yaml.load(text, Loader=_TextLoader)


def _read_yaml(path: Path, shown: str, keys: Collection[str], sink: list, *,
               unknown: str = "is not a known field") -> _Row | None:
    """A YAML file that must hold a mapping of `keys`, its faults placed in `shown` (the path
    as messages name it); None when it does not parse or is not a mapping. Raises OSError."""
    try:
        document = read_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        sink.append(Problem(Where(shown, line), "yaml", str(error).splitlines()[0]))
        return None
    if not isinstance(document, _Mapping):
        sink.append(Problem(Where(shown, 1), "yaml", "the file is not a mapping"))
        return None
    row = _Row(document, Where(shown, 1), document.lines, sink)
    _unknown(row, keys, unknown)
    return row


def _unknown(row: _Row, keys: Collection[str], message: str = "is not a known field") -> None:
    """Fault each key of a YAML mapping that is not one of `keys`."""
    for unknown in sorted(set(row.values) - set(keys)):
        row.fault(unknown, message)


def _sub(row: _Row, name: str, keys: Collection[str], *, required: bool = True) -> _Row | None:
    """A nested mapping of a YAML row, itself checked for unknown keys."""
    value = row.values.get(name)
    if value is None:
        if required:
            row.fault(name, "is missing")
        return None
    if not isinstance(value, _Mapping):
        row.fault(name, "is not a mapping")
        return None
    sub = _Row(value, Where(row.where.file, row.lines.get(name, 1)), value.lines, row.sink)
    _unknown(sub, keys)
    return sub


def _milestone(row: _Row, name: str) -> Milestone | None:
    sub = _sub(row, name, MILESTONE_KEYS, required=False)
    if sub is None:
        return None
    day = sub.date("date")
    return Milestone(day, sub.sources(), sub.text("note", required=False)) if day else None


def _int(row: _Row, name: str) -> int:
    value = row.values.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        row.fault(name, f"{value!r} is not a whole number of zero or more")
        return 0
    return value


def _flag(row: _Row, name: str) -> bool:
    value = row.values.get(name, False)
    if not isinstance(value, bool):
        row.fault(name, f"{value!r} is not true or false")
        return False
    return value


def _categories(row: _Row) -> tuple[str, ...]:
    value = row.values.get("categories") or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        row.fault("categories", "is not a list of words")
        return ()
    return tuple(sorted(value))


def _aliases(row: _Row) -> tuple[Alias, ...]:
    """A treaty's or alliance's `aliases`: each a name and the sources that use it."""
    out: list[Alias] = []
    for sub in _items(row, "aliases", ALIAS_KEYS,
                      not_list="is not a list of names with their sources",
                      not_mapping="{item!r} is not a mapping of name and sources"):
        name = sub.text("name")
        if name and any(a.name == name for a in out):
            sub.fault("name", f"{name!r} is listed twice")
        elif name:
            out.append(Alias(name, sub.sources()))
    return tuple(out)


def _slug(row: _Row, path: Path) -> str:
    """The record's key, which must be its file's name (one file per key)."""
    slug = row.text("slug", pattern=_SLUG)
    if slug and slug != path.stem:
        row.fault("slug", f"{slug!r} does not match the file name {path.name}")
    return slug


def _treaty(path: Path, root: Path, sink: list) -> Treaty | None:
    row = _read_yaml(path, path.relative_to(root).as_posix(), TREATY_KEYS, sink)
    if row is None:
        return None
    slug = _slug(row, path)
    clauses = _sub(row, "clauses", CLAUSES_KEYS)
    eif = withdrawal = reservations = None
    suspension: str | None = None
    if clauses is not None:
        eif_row = _sub(clauses, "entry_into_force", EIF_KEYS)
        if eif_row is not None:
            eif = EntryIntoForceClause(
                article=eif_row.text("article"),
                rule=eif_row.choice("rule", EifRule) or EifRule.ON_DEPOSIT,
                months=_int(eif_row, "months"),
                days=_int(eif_row, "days"),
                sources=eif_row.sources(),
                after_entry_into_force=_flag(eif_row, "after_entry_into_force"),
                note=eif_row.text("note", required=False),
            )
            if eif.rule in (EifRule.FIRST_DAY_OF_MONTH_AFTER_DEPOSIT,
                            EifRule.MONTHS_AFTER_DEPOSIT) and eif.months < 1:
                eif_row.fault("months", f"the {eif.rule.value} rule needs months of 1 or more")
            if eif.rule is EifRule.DAYS_AFTER_DEPOSIT and eif.days < 1:
                eif_row.fault("days", "the days-after-deposit rule needs days of 1 or more")
        w_row = _sub(clauses, "withdrawal", WITHDRAWAL_KEYS, required=False)
        if w_row is not None:
            try:
                notice = parse_duration(w_row.text("notice") or "P0D")
            except ValueError as error:
                w_row.fault("notice", str(error))
                notice = parse_duration("P0D")
            deferral = w_row.values.get("armed_conflict_deferral", False)
            if not isinstance(deferral, bool):
                w_row.fault("armed_conflict_deferral", "is not true or false")
            withdrawal = WithdrawalClause(
                article=w_row.text("article"),
                notice=notice,
                notice_kind=w_row.choice("notice_kind", NoticeKind) or NoticeKind.EXACT,
                armed_conflict_deferral=deferral is True,
                min_years_in_force=_int(w_row, "min_years_in_force"),
                sources=w_row.sources(),
                note=w_row.text("note", required=False),
            )
        r_row = _sub(clauses, "reservations", RESERVATIONS_KEYS, required=False)
        if r_row is not None:
            reservations = ReservationsClause(
                article=r_row.text("article"), allowed=_flag(r_row, "allowed"),
                sources=r_row.sources(), note=r_row.text("note", required=False))
        raw = clauses.values.get("suspension")
        if not isinstance(raw, str) or not raw.strip():
            # YAML reads `no` or `false` as a boolean: only an article or `none` is clear
            clauses.fault("suspension", f"{raw!r} is neither `none` nor the article that "
                                        "provides for suspension")
            suspension = None
        else:
            suspension = None if raw.strip().lower() == "none" else raw.strip()
    if eif is None:
        return None
    return Treaty(
        slug=slug,
        name=row.text("name"),
        short_name=row.text("short_name"),
        wikidata=row.text("wikidata", required=False, pattern=_QID) or None,
        depositary=row.text("depositary"),
        text=row.text("text", pattern=_URL),
        categories=_categories(row),
        opened_for_signature=_milestone(row, "opened_for_signature"),
        entry_into_force=_milestone(row, "entry_into_force"),
        termination=_milestone(row, "termination"),
        eif_clause=eif,
        withdrawal_clause=withdrawal,
        reservations_clause=reservations,
        suspension_clause=suspension,
        checked=row.day_text("checked"),
        where=row.where,
        note=row.text("note", required=False),
        lines=dict(row.lines),
        aliases=_aliases(row),
    )


def _alliance(path: Path, root: Path, sink: list) -> Alliance | None:
    row = _read_yaml(path, path.relative_to(root).as_posix(), ALLIANCE_KEYS, sink)
    if row is None:
        return None
    slug = _slug(row, path)
    return Alliance(
        slug=slug,
        name=row.text("name"),
        short_name=row.text("short_name"),
        wikidata=row.text("wikidata", required=False, pattern=_QID) or None,
        founded_by=row.text("founded_by", pattern=_SLUG),
        kind=_organization_kind(row),
        sources=row.sources(),
        checked=row.day_text("checked"),
        where=row.where,
        note=row.text("note", required=False),
        lines=dict(row.lines),
        aliases=_aliases(row),
    )


def _organization_kind(row: _Row) -> str:
    value = row.text("kind")
    if value and value not in ("alliance", "organization"):
        row.fault("kind", f"{value!r} is not alliance or organization")
    return value or "alliance"


def _event(row: _Row, subject: str, kinds: frozenset[EventKind]) -> Event | None:
    verified = row.flag("verified")
    kind = row.choice("event", EventKind, allowed=kinds)
    # An unverified event may lack a date (no source gives one); a verified one may not.
    day = row.date("date", required=verified)
    state = row.text("state", pattern=_ISO3)
    sources = row.sources()
    public, basis = _public(row)
    if kind is None:
        return None
    return Event(
        subject=subject,
        state=state,
        kind=kind,
        date=day,
        verified=verified,
        depositary_ref=row.text("depositary_ref", required=False),
        sources=sources,
        checked=row.day_text("checked"),
        note=row.text("note", required=False),
        where=row.where,
        public_date=public,
        public_basis=basis,
    )


def _public(row: _Row) -> tuple[PartialDate | None, str]:
    """When the act became public record, and by what: a depositary's notification or its
    source's publication (both empty: on its own date)."""
    public = row.day("public_date", "is not a day: the record's date is known to the day",
                     required=False)
    basis = row.text("public_basis", required=False)
    if bool(public) != bool(basis):
        row.fault("public_basis" if public else "public_date",
                  "public_date and public_basis go together")
    elif basis and basis not in PUBLIC_BASES:
        row.fault("public_basis", f"{basis!r} is not one of {', '.join(PUBLIC_BASES)}")
    return public, basis


_RESPONSE = re.compile(r"^(event:[a-z0-9-]+/[A-Z]{3}/[a-z-]+/[1-9][0-9]*|declaration:[a-z0-9-]+)$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_ARTICLE = re.compile(r"^[A-Za-z0-9().-]+$")


def _declaration(row: _Row) -> Declaration | None:
    """A row of declarations.csv: by a state, or (a decision) by a treaty body."""
    kind = row.choice("kind", DeclarationKind)
    made_at = row.choice("made_at", Occasion)
    topic = row.choice("topic", Topic)
    articles = tuple(row.text("articles", required=False).split())
    for article in articles:
        if not _ARTICLE.match(article):
            row.fault("articles", f"{article!r} is not an article reference such as 21 or 1(1)(c)")
    declaration = Declaration(
        id=row.text("id", pattern=_SLUG), treaty=row.text("treaty", pattern=_SLUG),
        state=row.text("state", required=False, pattern=_ISO3),
        body=row.text("body", required=False, pattern=_SLUG), kind=kind, made_at=made_at,
        date=row.date("date", required=False), articles=articles, topic=topic,
        responds_to=row.text("responds_to", required=False, pattern=_RESPONSE),
        summary=row.text("summary"),
        language=row.text("language", required=False, pattern=_LANGUAGE),
        depositary_kind=row.text("depositary_kind", required=False),
        depositary_ref=row.text("depositary_ref", required=False), sources=row.sources(),
        verified=row.flag("verified"), checked=row.day_text("checked"),
        note=row.text("note", required=False), where=row.where)
    if bool(declaration.state) == bool(declaration.body):
        row.fault("state", "give the state that made it, or (for a decision) the body")
    elif declaration.body and kind is not DeclarationKind.DECISION:
        row.fault("kind", f"a treaty body makes a decision, not a {kind.value if kind else kind}")
    elif declaration.state and kind is DeclarationKind.DECISION:
        row.fault("kind", "a decision is a treaty body's: name the body, not a state")
    if kind is None or made_at is None or topic is None:
        return None
    return declaration


def _status_page(row: _Row) -> StatusPage | None:
    """A row of status_pages.csv: each total needs what it counts, and a row states one."""
    as_of = row.day("as_of", "is not a full date: a total is stated on a day")
    stated = False
    for count, kind in (("parties", "parties_are"), ("signatories", "signatories_are")):
        given = bool(row.text(count, required=False))
        if not given and row.text(kind, required=False):
            row.fault(kind, f"is set but {count} is empty")
        stated = stated or given
    declarants = row.count("declarants")
    if not stated and declarants is None:
        row.fault("parties", "none of parties, signatories or declarants is given")
    parties, signatories = row.count("parties"), row.count("signatories")
    page = StatusPage(
        subject=row.text("subject", pattern=_SLUG),
        as_of=as_of.value if as_of is not None else date.min,
        parties=parties,
        parties_are=row.choice("parties_are", PartiesCounted) if parties is not None else None,
        signatories=signatories,
        signatories_are=(row.choice("signatories_are", SignatoriesCounted)
                         if signatories is not None else None),
        sources=row.sources(),
        checked=row.day_text("checked"),
        note=row.text("note", required=False),
        explained_difference=row.count("explained_difference", signed=True) or 0,
        where=row.where,
        declarants=declarants,
    )
    return page if as_of is not None and as_of.is_day else None


def _conflict(row: _Row, *, hypothetical: bool = False) -> ArmedConflict | None:
    """A row of armed_conflicts.csv, or (`hypothetical`) a scenario's conflict, which needs only
    state, conflict and start."""
    why = "must be a full date: a deferral needs the day"  # deferral is counted in days
    start, end = row.day("start", why), row.day("end", why, required=False)
    if start is None:
        return None
    return ArmedConflict(
        state=row.text("state", pattern=_ISO3),
        conflict=row.text("conflict"),
        start=start,
        end=end,
        verified=_optional_flag(row) if hypothetical else row.flag("verified"),
        sources=_optional_sources(row) if hypothetical else row.sources(),
        checked=_optional_day(row) if hypothetical else row.day_text("checked"),
        note=row.text("note", required=False),
        where=row.where,
        hypothetical=hypothetical,
    )


def _keyed(records: list, key: str, sink: list) -> dict:
    """Records by their `key` field; a key listed again is a fault there, and the first stays."""
    out: dict = {}
    for record in records:
        value = getattr(record, key)
        if value in out:
            sink.append(Problem(record.where, key, f"{value} is listed twice "
                                f"(first at {out[value].where})"))
        out.setdefault(value, record)
    return out


def _files(folder: Path, suffix: str) -> list[Path]:
    return sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []


def load(data_dir: Path) -> Dataset:
    """Read every file under `data_dir`; raise DataError listing every fault found."""
    root = data_dir.parent
    sink: list[Problem] = []
    dataset = Dataset()

    def table(name: str, columns: tuple[str, ...], build: Callable[[_Row], Any]) -> list:
        path = data_dir / name
        if not path.exists():
            sink.append(Problem(Where(path.relative_to(root).as_posix(), 1), "file", "is missing"))
            return []
        return [rec for row in _read_table(path, root, columns, sink) if (rec := build(row))]

    dataset.states = _keyed(table("states.csv", STATE_COLUMNS, lambda r: State(
        iso3=r.text("iso3", pattern=_ISO3),
        name=r.text("name"),
        kind=r.choice("kind", StateKind) or StateKind.UN_MEMBER,
        wikidata=r.text("wikidata", required=False, pattern=_QID) or None,
        sources=r.sources(),
        where=r.where,
        aliases=r.names("aliases"),
    )), "iso3", sink)

    def succession(r: _Row) -> Succession | None:
        day = r.date("date")
        return Succession(
            predecessor=r.text("predecessor", pattern=_ISO3),
            successor=r.text("successor", pattern=_ISO3),
            kind=r.choice("kind", SuccessionKind) or SuccessionKind.SUCCESSION,
            date=day,
            sources=r.sources(),
            note=r.text("note", required=False),
            where=r.where,
        ) if day else None

    dataset.successions = table("successions.csv", SUCCESSION_COLUMNS, succession)

    dataset.conflicts = table("armed_conflicts.csv", CONFLICT_COLUMNS, _conflict)
    dataset.status_pages = table("status_pages.csv", STATUS_PAGE_COLUMNS, _status_page)
    dataset.bodies = _keyed(table("bodies.csv", BODY_COLUMNS, lambda r: TreatyBody(
        slug=r.text("slug", pattern=_SLUG), name=r.text("name"),
        treaty=r.text("treaty", pattern=_SLUG), sources=r.sources(), where=r.where)),
        "slug", sink)
    dataset.declarations = table("declarations.csv", DECLARATION_COLUMNS, _declaration)

    for path in _files(data_dir / "treaties", ".yaml"):
        if (treaty := _treaty(path, root, sink)) is not None:
            dataset.treaties[treaty.slug] = treaty
    for path in _files(data_dir / "alliances", ".yaml"):
        if (alliance := _alliance(path, root, sink)) is not None:
            dataset.alliances[alliance.slug] = alliance

    for folder, kinds in (("events", TREATY_EVENT_KINDS), ("memberships", ALLIANCE_EVENT_KINDS)):
        for path in _files(data_dir / folder, ".csv"):
            subject = path.stem
            for row in _read_table(path, root, EVENT_COLUMNS, sink):
                if (event := _event(row, subject, kinds)) is not None:
                    dataset.events.append(event)

    policy = data_dir / "source_policy.yaml"
    if policy.exists():
        dataset.policy = _policy(policy, root, sink)
    else:
        sink.append(Problem(Where(policy.relative_to(root).as_posix(), 1), "file", "is missing"))
    if sink:
        raise DataError(sink)
    dataset.events = numbered(dataset.events)
    return dataset


def _policy(path: Path, root: Path, sink: list) -> Policy | None:
    """data/source_policy.yaml: ranks, refused hosts and archived copies (treatykg.sources)."""
    row = _read_yaml(path, path.relative_to(root).as_posix(), {"ranks", "rejected", "copies"},
                     sink)
    if row is None:
        return None
    ranks, refusals, copies = [], [], []
    for item in _items(row, "ranks", {"rank", "hosts", "suffixes", "pages"}):
        rank = item.text("rank")
        if rank and rank not in RANKS[:-1]:
            item.fault("rank", f"{rank!r} is not one of {', '.join(RANKS[:-1])}")
        ranks.append(Rank(rank, *(tuple(str(v).lower() if key != "pages" else str(v)
                                        for v in item.values.get(key) or ())
                                  for key in ("hosts", "suffixes", "pages"))))
    for item in _items(row, "rejected", {"host", "pattern", "reason"}):
        host, pattern = item.text("host", required=False), item.text("pattern", required=False)
        if bool(host) == bool(pattern):
            item.fault("host", "give either host or pattern")
            continue
        try:
            compiled = re.compile(pattern) if pattern else None
        except re.error as error:
            item.fault("pattern", f"{pattern!r} is not a regular expression: {error}")
            continue
        refusals.append(Refusal(host.lower() or None, compiled, item.text("reason")))
    for item in _items(row, "copies", {"copy", "original"}):
        copies.append(Copy(item.text("copy", pattern=_URL), item.text("original", pattern=_URL)))
    return Policy(tuple(ranks), tuple(refusals), tuple(copies))


_SCENARIO_KEYS = {"name", "events", "conflicts"}
_SCENARIO_EVENT_KEYS = {"state", "treaty", "alliance", "event", "date", "depositary_ref",
                        "sources", "verified", "checked", "note"}
_SCENARIO_CONFLICT_KEYS = set(CONFLICT_COLUMNS)


def load_scenario(path: Path, dataset: Dataset) -> Scenario:
    """Read a scenario file: its hypothetical acts need only state, treaty (or alliance), event
    and date; its armed conflicts state, conflict and start. Raise DataError, each fault as
    `FILE:line: field: reason`; the cross-record checks and the clauses come after (worlds)."""
    sink: list[Problem] = []
    shown = _shown(path)
    try:
        top = _read_yaml(path, shown, _SCENARIO_KEYS, sink,
                         unknown="is not a known field (name, events, conflicts)")
    except OSError as error:
        raise DataError([Problem(Where(shown, 1), "file", error.strerror or str(error))]) from None
    if top is None:
        raise DataError(sink)
    name = top.text("name")
    events, conflicts = [], []
    for item in _items(top, "events", _SCENARIO_EVENT_KEYS):
        if (event := _hypothetical_event(item, dataset)) is not None:
            events.append(event)
    for item in _items(top, "conflicts", _SCENARIO_CONFLICT_KEYS):
        if (conflict := _conflict(item, hypothetical=True)) is not None:
            conflicts.append(conflict)
    if not events and not conflicts:
        top.fault("events", "the scenario holds no event and no conflict")
    if sink:
        raise DataError(sink)
    return Scenario(name, tuple(numbered(events, after=dataset.events)), tuple(conflicts),
                    Where(shown, 1))


def _shown(path: Path) -> str:
    """The path as a message names it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _items(top: _Row, name: str, keys: Collection[str], *, not_list: str = "is not a list",
           not_mapping: str = "item {n} is not a mapping") -> list[_Row]:
    """The mappings of a YAML list, each checked for unknown keys and placed at its first line.
    `not_mapping` is formatted with the item's number `n` (from 1) and the `item` itself."""
    value = top.values.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        top.fault(name, not_list)
        return []
    rows = []
    for n, item in enumerate(value):
        if not isinstance(item, _Mapping):
            top.fault(name, not_mapping.format(n=n + 1, item=item))
            continue
        line = min(item.lines.values(), default=top.lines.get(name, 1))
        row = _Row(item, Where(top.where.file, line), item.lines, top.sink)
        _unknown(row, keys)
        rows.append(row)
    return rows


def _hypothetical_event(row: _Row, dataset: Dataset) -> Event | None:
    treaty, alliance = row.text("treaty", required=False), row.text("alliance", required=False)
    day = row.date("date")
    state = row.text("state", pattern=_ISO3)
    if bool(treaty) == bool(alliance):
        row.fault("treaty", "give either treaty or alliance")
        return None
    subject = treaty or alliance
    if subject not in (dataset.treaties if treaty else dataset.alliances):
        row.fault("treaty" if treaty else "alliance", f"{subject!r} is not a "
                  f"{'treaty in data/treaties/' if treaty else 'alliance in data/alliances/'}")
        return None
    kind = row.choice("event", EventKind,
                      allowed=TREATY_EVENT_KINDS if treaty else ALLIANCE_EVENT_KINDS)
    if kind is None or day is None:
        return None
    return Event(subject=subject, state=state, kind=kind, date=day,
                 verified=_optional_flag(row),
                 depositary_ref=row.text("depositary_ref", required=False),
                 sources=_optional_sources(row), checked=_optional_day(row),
                 note=row.text("note", required=False), where=row.where, hypothetical=True)


def _optional_flag(row: _Row) -> bool:
    value = row.values.get("verified")
    if value is None or isinstance(value, bool):  # YAML reads an unquoted yes as true
        return bool(value)
    return row.flag("verified")


def _optional_sources(row: _Row) -> tuple[str, ...]:
    return row.sources() if row.values.get("sources") else ()


def _optional_day(row: _Row) -> str:
    return row.day_text("checked") if row.values.get("checked") else ""
