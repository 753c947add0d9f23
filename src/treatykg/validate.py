"""Reject what cannot be true, across records; the rules engine adds the clause checks.

`check(dataset)` returns Problems; nothing is built unless it returns none.
"""

from __future__ import annotations

from collections import defaultdict

from treatykg.names import fold
from treatykg.records import (
    CONSENT_KINDS,
    Dataset,
    Declaration,
    DeclarationKind,
    Event,
    EventKind,
    Problem,
    SuccessionKind,
    Where,
)


def check(dataset: Dataset) -> list[Problem]:
    """Every cross-record fault in `dataset`, sorted by file and line."""
    problems: list[Problem] = []
    problems += _identifiers(dataset)
    problems += _subjects(dataset)
    ceased = dataset.ceased()
    for event in dataset.events:
        problems += _event_refs(dataset, event, ceased)
    problems += _duplicates(dataset.events)
    problems += _sequences(dataset)
    problems += [Problem(page.where, "subject",
                         f"{page.subject!r} is not a treaty in data/treaties/")
                 for page in dataset.status_pages if page.subject not in dataset.treaties]
    problems += _names(dataset)
    problems += _sources(dataset)
    problems += _declarations(dataset)
    return sorted(problems)


def _declarations(dataset: Dataset) -> list[Problem]:
    """Each declaration names a known treaty, state or body and what it responds to; a
    reservation to a treaty that allows none is an error unless the depositary records it as
    one."""
    problems = []
    events = {e.key for e in dataset.events}
    ids: dict[str, Declaration] = {}
    for d in dataset.declarations:
        if d.id in ids:
            problems.append(Problem(d.where, "id", f"{d.id} is listed twice (first at "
                                                   f"{ids[d.id].where})"))
        ids.setdefault(d.id, d)
    for body in dataset.bodies.values():
        if body.treaty not in dataset.treaties:
            problems.append(Problem(body.where, "treaty", f"{body.treaty!r} is not a treaty in "
                                                          "data/treaties/"))
    for d in dataset.declarations:
        treaty = dataset.treaties.get(d.treaty)
        if treaty is None:
            problems.append(Problem(d.where, "treaty", f"{d.treaty!r} is not a treaty in "
                                                       "data/treaties/"))
        if d.state and d.state not in dataset.states:
            problems.append(Problem(d.where, "state", f"{d.state} is not in data/states.csv"))
        if d.body and d.body not in dataset.bodies:
            problems.append(Problem(d.where, "body", f"{d.body!r} is not in data/bodies.csv"))
        kind, _, key = d.responds_to.partition(":")
        if (kind == "event" and key not in events) or (kind == "declaration"
                                                       and key not in ids):
            problems.append(Problem(d.where, "responds_to", f"{d.responds_to} names no "
                                    f"{'event' if kind == 'event' else 'declaration'} in data/"))
        rule = treaty.reservations_clause if treaty else None
        if (d.kind is DeclarationKind.RESERVATION and rule is not None and not rule.allowed
                and d.depositary_kind != "reservation"):
            problems.append(Problem(d.where, "kind", (
                f"{treaty.short_name} Art. {rule.article} allows no reservations: record it as "
                "the declaration it is, or set depositary_kind to reservation if the depositary "
                "recorded it as one")))
    return problems


def _names(dataset: Dataset) -> list[Problem]:
    """A code, name, short name or alias names one thing among the states, and one among the
    treaties and alliances (the two are never asked for in one place), as `names.fold` compares
    names; otherwise `treatykg members NAME` could not tell which is meant. A clash is reported
    at the alias that makes it (at both, when both are aliases), else at every name."""
    problems = []
    states = [(f"state {s.iso3}", [(s.where, "iso3", s.iso3), (s.where, "name", s.name),
                                   *((s.where, "aliases", a) for a in s.aliases)])
              for s in dataset.states.values()]
    subjects = [(f"{kind} {r.slug}", [(dataset.at(r, "slug"), "slug", r.slug),
                                      (dataset.at(r, "name"), "name", r.name),
                                      (dataset.at(r, "short_name"), "short_name", r.short_name),
                                      *((dataset.at(r, "aliases"), "aliases", a.name)
                                        for a in r.aliases)])
                for kind, records in (("treaty", dataset.treaties),
                                      ("alliance", dataset.alliances))
                for r in records.values()]
    for space in (states, subjects):
        holders: dict[str, list[tuple[str, Where, str, str]]] = defaultdict(list)
        for thing, labels in space:
            for where, field, label in labels:
                holders[fold(label)].append((thing, where, field, label))
        for found in holders.values():
            things = list(dict.fromkeys(thing for thing, *_ in found))
            if len(things) < 2:
                continue
            aliases = [f for f in found if f[2] == "aliases"]
            for thing, where, field, label in aliases or found:
                others = ", ".join(f"the {t}" for t in things if t != thing)
                problems.append(Problem(where, field, f"{label!r} also names {others}: a name "
                                        "must pick out one thing"))
    return problems


def _sources(dataset: Dataset) -> list[Problem]:
    """Every source against data/source_policy.yaml: no mirror, proxy or content farm, and an
    archived copy only beside the original it copies."""
    policy = dataset.policy
    if policy is None:
        return []
    problems = []
    for where, urls in dataset.sourced():  # Policy answers each address once
        for url in urls:
            reason, original = policy.refused(url), policy.original_of(url)
            if reason is not None:
                problems.append(Problem(where, "sources", f"{url} is {reason}: cite the original "
                                        "publisher (data/source_policy.yaml refuses it)"))
            if original is not None and not any(u.startswith(original) for u in urls
                                                if u != url):
                problems.append(Problem(where, "sources", f"{url} is an archived copy of "
                                        f"{original}: cite the original beside it"))
    return problems


def _identifiers(dataset: Dataset) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    for state in dataset.states.values():
        if state.wikidata and state.wikidata in seen:
            problems.append(Problem(state.where, "wikidata",
                                    f"{state.wikidata} is also the item of {seen[state.wikidata]}"))
        elif state.wikidata:
            seen[state.wikidata] = state.iso3
    clash = set(dataset.treaties) & set(dataset.alliances)
    for slug in sorted(clash):
        problems.append(Problem(dataset.alliances[slug].where, "slug",
                                f"{slug!r} names both a treaty and an alliance"))
    for s in dataset.successions:
        for field, code in (("predecessor", s.predecessor), ("successor", s.successor)):
            if code not in dataset.states:
                problems.append(Problem(s.where, field, f"{code} is not in data/states.csv"))
    for c in dataset.conflicts:
        if c.state not in dataset.states:
            problems.append(Problem(c.where, "state", f"{c.state} is not in data/states.csv"))
        if c.end is not None and c.end < c.start:
            problems.append(Problem(c.where, "end", f"{c.end} is before the start {c.start}"))
    return problems


def _subjects(dataset: Dataset) -> list[Problem]:
    problems = []
    founding = {}
    for alliance in dataset.alliances.values():
        founding[alliance.founded_by] = alliance.slug
        if alliance.founded_by not in dataset.treaties:
            problems.append(Problem(dataset.at(alliance, "founded_by"), "founded_by",
                                    f"{alliance.founded_by!r} is not a treaty in data/treaties/"))
    for treaty in dataset.treaties.values():
        opened, eif = treaty.opened_for_signature, treaty.entry_into_force
        if opened and eif and eif.date < opened.date:
            problems.append(Problem(dataset.at(treaty, "entry_into_force"), "entry_into_force",
                                    f"{eif.date} is before the treaty opened ({opened.date})"))
        end = treaty.termination
        if end and eif and end.date < eif.date:
            problems.append(Problem(dataset.at(treaty, "termination"), "termination",
                                    f"{end.date} is before entry into force ({eif.date})"))
    files = {e.where.file for e in dataset.events if not e.hypothetical}
    for file in sorted(files):
        folder, _, name = file.rpartition("/")
        slug = name.removesuffix(".csv")
        known = dataset.treaties if folder.endswith("events") else dataset.alliances
        if slug not in known:
            kind = "treaty in data/treaties/" if folder.endswith("events") else (
                "alliance in data/alliances/")
            problems.append(Problem(Where(file, 1), "file", f"{slug!r} is not a {kind}"))
        elif folder.endswith("events") and slug in founding:
            problems.append(Problem(Where(file, 1), "file", (
                f"{slug!r} founded {founding[slug]!r}: record its parties once, in "
                f"data/memberships/{founding[slug]}.csv")))
    return problems


def _event_refs(dataset: Dataset, event: Event, ceased: dict) -> list[Problem]:
    problems = []
    if event.state not in dataset.states:
        problems.append(Problem(event.where, "state", f"{event.state} is not in data/states.csv"))
    treaty = dataset.governing_treaty(event.subject)
    if treaty is None or event.date is None:
        return problems
    opened = treaty.opened_for_signature
    # a date known only to the month or year is too early only if its last possible day is
    if opened and event.date.last < opened.date.value and event.kind is not EventKind.FOUNDING:
        problems.append(Problem(event.where, "date",
                                f"{event.date} is before {treaty.short_name} opened for "
                                f"signature ({opened.date})"))
    end = treaty.termination
    if end and event.date.value > end.date.last:
        problems.append(Problem(event.where, "date",
                                f"{event.date} is after {treaty.short_name} terminated "
                                f"({end.date})"))
    if event.kind is EventKind.SUCCESSION and event.subject in dataset.treaties and not any(
            s.successor == event.state for s in dataset.successions):
        problems.append(Problem(event.where, "event", (
            f"succession by {event.state}, but no row of data/successions.csv says whom it "
            "succeeded and from when")))
    gone = ceased.get(event.state)
    if gone and event.date.value >= gone:
        problems.append(Problem(event.where, "date", (
            f"{event.date} is on or after the day {event.state} ceased to exist ({gone})")))
    return problems


def _duplicates(events: list[Event]) -> list[Problem]:
    problems = []
    first: dict[tuple, Event] = {}
    for event in events:
        key = (event.subject, event.state, event.kind, event.date)
        if key in first:
            problems.append(Problem(event.where, "event",
                                    f"duplicates {first[key].where} ({event.kind.value} of "
                                    f"{event.state} on {event.date})"))
        else:
            first[key] = event
    return problems


def _sequences(dataset: Dataset) -> list[Problem]:
    """Order within one state's history: consent before withdrawal and suspension, signature
    before consent. (A withdrawal's effect needs its instrument: the rules engine checks it.)"""
    problems = []
    histories: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in dataset.events:
        histories[(event.subject, event.state)].append(event)
    starts = CONSENT_KINDS | {EventKind.ENTRY_INTO_FORCE, EventKind.FOUNDING}
    continued = {s.successor: s for s in dataset.successions
                 if s.kind is SuccessionKind.CONTINUATION}
    for (subject, state), history in histories.items():
        dated = [e for e in history if e.date is not None]
        joined = [e.date for e in dated if e.kind in starts]
        if state in continued:  # a continuing state inherits its predecessor's consent
            s = continued[state]
            inherited = histories.get((subject, s.predecessor), [])
            if any(e.date and e.kind in starts and e.date <= s.date for e in inherited):
                joined.append(s.date)
        for event in dated:
            if event.kind is EventKind.WITHDRAWAL_NOTIFICATION and not any(
                    day <= event.date for day in joined):
                    problems.append(Problem(event.where, "event",
                                            f"withdrawal by {event.state}, which had not consented "
                                            f"to be bound by {event.subject} by {event.date}"))
            if event.kind is EventKind.SUSPENSION and not any(d <= event.date for d in joined):
                problems.append(Problem(event.where, "event",
                                        f"suspension by {event.state}, which was not bound by "
                                        f"{event.subject} on {event.date}"))
        consents = [e for e in dated if e.kind in CONSENT_KINDS]
        signatures = [e for e in dated if e.kind is EventKind.SIGNATURE]
        for sig in signatures:
            for consent in consents[:1]:
                if sig.date > consent.date:
                    problems.append(Problem(sig.where, "date",
                                            f"signature {sig.date} is after the consent to be "
                                            f"bound ({consent.date}, {consent.where})"))
    return problems
