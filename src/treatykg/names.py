"""Finding states, treaties and alliances by code, name or common alias, in the built store.

Every command and the Python API take a thing the way an analyst writes it: a code (`MDA`,
`cmc`), a name (`Convention on Cluster Munitions`), a short name (`NATO`) or an alias from the
data (`Moldova`, `Ottawa Convention`), in any case and with or without accents. Failing an
exact match, a run of whole words of one of those names will do (`ottawa`, `cluster
munitions`) when it picks out one thing; when it picks out several, the error lists them.
Names are read from the built graph (tkg:code, rdfs:label, skos:altLabel for the short name,
skos:hiddenLabel for aliases), never from data/, once per store.

>>> fold("Türkiye"), fold("Côte d'Ivoire"), fold("the Gambia")
('turkiye', 'cote d ivoire', 'gambia')
>>> words_within(["ottawa"], "Ottawa Convention"), words_within(["awa"], "Ottawa Convention")
(True, False)
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass
from datetime import date

import pyoxigraph

from treatykg.dates import parse_date
from treatykg.store import read_once

BASE = "https://w3id.org/treatykg/"
ID = BASE + "id/"
_TKG = BASE + "ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_CODE = pyoxigraph.NamedNode(_TKG + "code")
_DATE = pyoxigraph.NamedNode(_TKG + "date")
_WIKIDATA = pyoxigraph.NamedNode(_TKG + "wikidata")
LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SHORT = pyoxigraph.NamedNode(_SKOS + "altLabel")
ALIAS = pyoxigraph.NamedNode(_SKOS + "hiddenLabel")
KINDS = ("state", "treaty", "alliance")  # as in the resources' IRIs: .../id/<kind>/<code>
# What a catalog is read from: each node's code and its names (`remote` copies these)
PREDICATES = (_CODE, LABEL, SHORT, ALIAS, _WIKIDATA)
_NOT_WORD = re.compile(r"[\W_]+")
_SHOWN = 8  # candidates listed in an error


def key_of(iri: str) -> str:
    """A resource's key, as a user gives it: the IRI after its kind (`state/LTU` -> `LTU`,
    `event/apmbc/UKR/suspension/1` -> `apmbc/UKR/suspension/1`); another IRI as it is."""
    if not iri.startswith(ID):
        return iri
    kind, _, key = iri[len(ID):].partition("/")
    return key or kind


def fold(name: str) -> str:
    """A name as compared: case, accents, punctuation and a leading "the" do not count."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name)
                    if not unicodedata.combining(c))
    folded = _NOT_WORD.sub(" ", plain.casefold()).strip()
    return folded[4:] if folded.startswith("the ") else folded


def words_within(words: list[str], name: str) -> bool:
    """Whether `words` (folded) occur as a run of whole words in `name`."""
    have = fold(name).split()
    n = len(words)
    return n > 0 and any(have[i:i + n] == words for i in range(len(have) - n + 1))


@dataclass(frozen=True)
class Entry:
    """One state, treaty or alliance as the graph names it."""

    code: str  # ISO 3166 alpha-3 for a state, a slug for a treaty or alliance
    kind: str  # state, treaty or alliance (an organization such as the EU counts as one here)
    name: str
    short: str  # a treaty's or alliance's short name ("" for a state)
    aliases: tuple[str, ...]
    wikidata: str | None  # the Q-id
    organization: bool = False  # an international organization rather than an alliance
    in_force: date | None = None  # a treaty's entry into force, if it has entered into force
    terminated: date | None = None  # a treaty's termination, if it has terminated

    @property
    def iri(self) -> str:
        return f"{ID}{self.what}/{self.code}"  # an organization has its own kind of IRI

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.code, self.name, *((self.short,) if self.short else ()), *self.aliases)

    @property
    def what(self) -> str:
        """The kind as an analyst says it: state, treaty, alliance or organization."""
        return "organization" if self.organization else self.kind

    def described(self) -> str:
        return f"{self.code} ({self.name})"


class NotFound(LookupError):
    """No single thing of the kinds asked for goes by that name; the message says what does."""


@dataclass(frozen=True)
class Catalog:
    """Every state, treaty and alliance in a build, with its names."""

    entries: tuple[Entry, ...]

    def of(self, *kinds: str) -> list[Entry]:
        return [e for e in self.entries if e.kind in kinds]

    def get(self, kind: str, code: str) -> Entry | None:
        return next((e for e in self.entries if e.kind == kind and e.code == code), None)

    def matches(self, text: str, kinds: tuple[str, ...]) -> list[Entry]:
        """The things of `kinds` that `text` names exactly, else those it names by a run of
        whole words."""
        key = fold(text)
        pool = self.of(*kinds)
        exact = [e for e in pool if any(fold(label) == key for label in e.labels)]
        if exact or not key:
            return exact
        words = key.split()
        return [e for e in pool if any(words_within(words, label) for label in e.labels)]

    def resolve(self, text: str, kinds: tuple[str, ...] = KINDS) -> Entry:
        """The one thing of `kinds` that `text` names; NotFound says why not (no such name,
        several candidates, or a thing of another kind) and what to try."""
        found = self.matches(text, kinds)
        if len(found) == 1:
            return found[0]
        wanted = " or ".join(kinds)
        if found:
            listed = ", ".join(e.described() for e in found[:_SHOWN])
            more = f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
            raise NotFound(f"{text!r} could name any of {len(found)} {_plural(found)}: "
                           f"{listed}{more}; give one of their codes")
        others = tuple(k for k in KINDS if k not in kinds)
        elsewhere = self.matches(text, others) if others else []
        if elsewhere:
            hits = "; ".join(f"{e.described()} is {_article(e.what)} {e.what}"
                             for e in elsewhere[:_SHOWN])
            verb = "status" if elsewhere[0].kind == "state" else "members"
            ask = shlex.quote(text) if len(elsewhere) == 1 else "CODE"
            raise NotFound(f"unknown {wanted} {text!r}: {hits}; for that ask "
                           f"`treatykg {verb} {ask}`")
        close = self._close(text, kinds)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        raise NotFound(f"unknown {wanted} {text!r}{hint}; `treatykg list "
                       f"{_list_noun(kinds)}` shows every one")

    def _close(self, text: str, kinds: tuple[str, ...]) -> list[str]:
        """Names within a typo of `text`, as `code (name)`."""
        import difflib  # only for a name not found

        by_label = {fold(label): e for e in self.of(*kinds) for label in e.labels}
        close = difflib.get_close_matches(fold(text), list(by_label), n=3, cutoff=0.8)
        return list(dict.fromkeys(by_label[c].described() for c in close))


def _article(word: str) -> str:
    return "an" if word[0] in "aeio" else "a"


_PLURAL = {"state": "states", "treaty": "treaties", "alliance": "alliances",
           "organization": "organizations"}


def _plural(found: list[Entry]) -> str:
    whats = sorted({_PLURAL[e.what] for e in found})
    return " and ".join(whats)


def _list_noun(kinds: tuple[str, ...]) -> str:
    return "states" if kinds == ("state",) else "treaties" if kinds == ("treaty",) else (
        "alliances" if kinds == ("alliance",) else "treaties|alliances" if "state" not in kinds
        else "states|treaties|alliances")


def _values(db: pyoxigraph.Store, predicate: pyoxigraph.NamedNode,
            node: pyoxigraph.NamedNode | None = None) -> dict[str, list[str]]:
    """Each subject's values for a predicate (of one node, or of all from one scan), sorted."""
    out: dict[str, list[str]] = {}
    for quad in db.quads_for_pattern(node, predicate, None):
        out.setdefault(quad.subject.value, []).append(quad.object.value)
    return {k: sorted(v) for k, v in out.items()}


def _day(db: pyoxigraph.Store, iri: str) -> date | None:
    """A treaty milestone's day (the first day it can be, for a date known to the month)."""
    for quad in db.quads_for_pattern(pyoxigraph.NamedNode(iri), _DATE, None):
        return parse_date(quad.object.value).value
    return None


def _entry(db: pyoxigraph.Store, node: pyoxigraph.NamedNode, kind: str, code: str,
           columns: tuple[dict[str, list[str]], ...] | None = None) -> Entry:
    """The entry of one node; `columns` (aliases, short names, Wikidata items of every node)
    spare the lookups when reading them all."""
    aliases, shorts, items = columns or (_values(db, ALIAS, node), _values(db, SHORT, node),
                                         _values(db, _WIKIDATA, node))
    labels = sorted(q.object.value for q in db.quads_for_pattern(node, LABEL, None))
    item = (items.get(node.value) or [None])[0]
    milestone = f"{ID}event/{code}/"
    return Entry(
        code=code, kind=kind, name=labels[0] if labels else code,
        short=(shorts.get(node.value) or [""])[0],
        aliases=tuple(aliases.get(node.value, ())),
        wikidata=item.rsplit("/", 1)[-1] if item else None,
        organization=node.value.startswith(f"{ID}organization/"),
        in_force=_day(db, milestone + "entry-into-force") if kind == "treaty" else None,
        terminated=_day(db, milestone + "termination") if kind == "treaty" else None,
    )


def read(db: pyoxigraph.Store) -> Catalog:
    """Every state, treaty and alliance in the store with its names (about 15 ms)."""
    columns = (_values(db, ALIAS), _values(db, SHORT), _values(db, _WIKIDATA))
    entries = []
    for quad in db.quads_for_pattern(None, _CODE, None):
        value = quad.subject.value
        kind = value[len(ID):].split("/", 1)[0] if value.startswith(ID) else ""
        kind = "alliance" if kind == "organization" else kind
        if kind in KINDS:
            entries.append(_entry(db, quad.subject, kind, quad.object.value, columns))
    entries.sort(key=lambda e: (KINDS.index(e.kind), e.code))
    return Catalog(tuple(entries))


def code_nodes(text: str, kinds: tuple[str, ...] = KINDS) -> list[tuple[str, str,
                                                                      pyoxigraph.NamedNode]]:
    """The nodes `text` would name as a code of `kinds`, as (kind, code, node) in the order
    they are tried; none when `text` cannot be a code.

    >>> [node.value for _, _, node in code_nodes("nato", ("alliance",))]
    ['https://w3id.org/treatykg/id/alliance/nato', 'https://w3id.org/treatykg/id/organization/nato']
    >>> code_nodes("cluster munitions")
    []
    """
    if not _CODE_LIKE.fullmatch(text):
        return []
    found = []
    for kind in kinds:
        code = text.upper() if kind == "state" else text.lower()
        for segment in (kind, "organization") if kind == "alliance" else (kind,):
            found.append((kind, code, pyoxigraph.NamedNode(f"{ID}{segment}/{code}")))
    return found


def by_code(db: pyoxigraph.Store, text: str, kinds: tuple[str, ...] = KINDS) -> Entry | None:
    """The thing of `kinds` whose code `text` is (in any case), from a few lookups: the
    common case, which needs no catalog."""
    for kind, code, node in code_nodes(text, kinds):
        if any(True for _ in db.quads_for_pattern(node, _CODE, None)):
            return _entry(db, node, kind, code)
    return None


_CODE_LIKE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")


def catalog(db: pyoxigraph.Store) -> Catalog:
    """The store's catalog, read once per store."""
    return read_once(db, "names", read)


def resolve(db: pyoxigraph.Store, text: str, kinds: tuple[str, ...] = KINDS) -> Entry:
    """The one thing of `kinds` in the store that `text` names (see `Catalog.resolve`)."""
    return by_code(db, text, kinds) or catalog(db).resolve(text, kinds)
