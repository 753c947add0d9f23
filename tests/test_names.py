"""Finding states, treaties and alliances by code, name and common alias, in the built graph;
and the data rule that makes it possible: a name names one thing."""

from __future__ import annotations

import dataclasses
import re

import pyoxigraph
import pytest

from projects import ROOT
from treatykg import names, validate, vocab
from treatykg.load import DataError, load
from treatykg.records import Alias

STATE, SUBJECT, ALLIANCE = ("state",), ("treaty", "alliance"), ("alliance",)


@pytest.mark.parametrize(("text", "kinds", "code"), [
    ("MDA", STATE, "MDA"), ("mda", STATE, "MDA"),
    ("Republic of Moldova", STATE, "MDA"), ("Moldova", STATE, "MDA"), ("moldova", STATE, "MDA"),
    ("Russia", STATE, "RUS"), ("UK", STATE, "GBR"), ("United Kingdom", STATE, "GBR"),
    ("Britain", STATE, "GBR"),  # a run of words of the UN name
    ("United States", STATE, "USA"), ("US", STATE, "USA"), ("usa", STATE, "USA"),
    ("Turkey", STATE, "TUR"), ("Türkiye", STATE, "TUR"), ("turkiye", STATE, "TUR"),
    ("Czech Republic", STATE, "CZE"), ("Macedonia", STATE, "MKD"), ("Vatican", STATE, "VAT"),
    ("Ivory Coast", STATE, "CIV"), ("cote d'ivoire", STATE, "CIV"), ("USSR", STATE, "SUN"),
    ("the Gambia", STATE, "GMB"),
    ("ottawa", SUBJECT, "apmbc"), ("Ottawa Convention", SUBJECT, "apmbc"),
    ("Mine Ban Treaty", SUBJECT, "apmbc"), ("cluster munitions", SUBJECT, "cmc"),
    ("CCM", SUBJECT, "cmc"), ("Convention on Cluster Munitions", SUBJECT, "cmc"),
    ("NATO", SUBJECT, "nato"), ("nato", ALLIANCE, "nato"), ("European Union", ALLIANCE, "eu"),
    ("test ban", SUBJECT, "ctbt"), ("north-atlantic-treaty", SUBJECT, "north-atlantic-treaty"),
])
def test_a_thing_is_found_by_code_name_or_alias_in_any_case(db, text, kinds, code):
    assert names.resolve(db, text, kinds).code == code


@pytest.mark.parametrize(("text", "kinds", "candidates"), [
    ("Korea", STATE, ["KOR (Republic of Korea)", "PRK (Democratic People's Republic of Korea)"]),
    ("north atlantic", SUBJECT, ["north-atlantic-treaty (The North Atlantic Treaty)",
                                 "nato (North Atlantic Treaty Organization)"]),
    ("nuclear", SUBJECT, ["ctbt", "npt", "tpnw"]),
])
def test_an_ambiguous_name_lists_the_candidates(db, text, kinds, candidates):
    with pytest.raises(names.NotFound, match=f"{text!r} could name any of {len(candidates)}") as e:
        names.resolve(db, text, kinds)
    for candidate in candidates:
        assert candidate in str(e.value)


def test_a_state_asked_for_as_a_treaty_is_named_with_the_command_that_answers(db):
    with pytest.raises(names.NotFound) as e:
        names.resolve(db, "Moldova", SUBJECT)
    assert str(e.value) == ("unknown treaty or alliance 'Moldova': MDA (Republic of Moldova) is "
                            "a state; for that ask `treatykg status Moldova`")
    with pytest.raises(names.NotFound, match=r"cmc .* is a treaty; .*`treatykg members cmc`"):
        names.resolve(db, "cmc", STATE)
    with pytest.raises(names.NotFound, match=r"unknown alliance 'cmc': .* is a treaty"):
        names.resolve(db, "cmc", ALLIANCE)


def test_a_misspelt_name_suggests_the_near_ones(db):
    with pytest.raises(names.NotFound, match=r"unknown state 'Moldva' \(did you mean MDA "
                                             r"\(Republic of Moldova\)\?\)"):
        names.resolve(db, "Moldva", STATE)
    with pytest.raises(names.NotFound, match=re.escape(
            "unknown treaty or alliance 'xyz'; `treatykg list treaties|alliances`")):
        names.resolve(db, "xyz", SUBJECT)


def test_the_graph_carries_aliases_as_hidden_labels_and_short_names_as_alt_labels(db):
    def literals(kind: str, code: str, predicate: pyoxigraph.NamedNode) -> set[str]:
        node = pyoxigraph.NamedNode(vocab.resource_name(kind, code))
        return {q.object.value for q in db.quads_for_pattern(node, predicate, None)}

    assert literals("state", "MDA", names.ALIAS) == {"Moldova"}
    assert literals("state", "GBR", names.ALIAS) == {"United Kingdom", "UK"}
    assert literals("treaty", "apmbc", names.ALIAS) == {"Ottawa Convention", "Mine Ban Treaty"}
    assert literals("treaty", "apmbc", names.SHORT) == {"APMBC"}


def test_the_catalog_knows_which_treaties_are_in_force(db):
    catalog = names.catalog(db)
    assert catalog.get("treaty", "ctbt").in_force is None
    assert str(catalog.get("treaty", "cmc").in_force) == "2010-08-01"
    assert str(catalog.get("treaty", "inf").terminated) == "2019-08-02"
    assert catalog.get("alliance", "eu").organization
    assert not catalog.get("alliance", "nato").organization


def test_names_spells_the_ontology_terms_of_the_closed_vocabulary():
    """names.py reads the store without rdflib (a read imports no RDF library), so it spells
    its few IRIs itself: they must be the vocabulary's."""
    assert str(vocab.ID) == names.ID
    assert names._CODE.value == str(vocab.TKG.code)
    assert names._DATE.value == str(vocab.TKG.date)
    assert names._WIKIDATA.value == str(vocab.TKG.wikidata)


# A name must pick out one thing among the states, and one among the treaties and alliances;
# a run of words shared by several (Korea) is no fault: resolution lists them.

def test_an_alias_naming_two_states_is_a_data_error():
    dataset = load(ROOT / "data")
    mda = dataset.states["MDA"]
    dataset.states["MDA"] = dataclasses.replace(mda, aliases=("Moldova", "russia"))
    problems = [str(p) for p in validate.check(dataset)]
    rus = dataset.states["RUS"].where  # Russia is RUS's alias: both rows are told
    assert problems == [
        f"{mda.where}: aliases: 'russia' also names the state RUS: a name must pick out one thing",
        f"{rus}: aliases: 'Russia' also names the state MDA: a name must pick out one thing"]


def test_a_treaty_alias_that_is_an_alliances_short_name_is_a_data_error():
    dataset = load(ROOT / "data")
    cmc = dataset.treaties["cmc"]
    dataset.treaties["cmc"] = dataclasses.replace(
        cmc, aliases=(*cmc.aliases, Alias("Nato", ("https://example.org/",))))
    problems = [str(p) for p in validate.check(dataset)]
    assert problems == [f"{dataset.at(cmc, 'aliases')}: aliases: 'Nato' also names the alliance "
                        "nato: a name must pick out one thing"]


def test_a_treaty_alias_needs_a_source(scratch):
    path = scratch.data / "treaties" / "cmc.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("aliases:\n", "aliases:\n  - name: Oslo Convention\n", 1),
                    encoding="utf-8")
    line = text.splitlines().index("aliases:") + 2  # the new alias's line
    with pytest.raises(DataError) as e:
        load(scratch.data)
    assert [str(p) for p in e.value.problems] == [
        f"data/treaties/cmc.yaml:{line}: sources: no source: every fact needs the URL it was read "
        "from"]
