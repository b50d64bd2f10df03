"""The size prior: a checked data file of object nouns (most outside the catalog) with typical sizes."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_gym.assets import factories, prior_nouns, size_prior
from scene_gym.assets.resolver import words
from scene_gym.assets.size_prior import (
    CLASSES,
    DATA_FILE,
    MAX_PRIOR_WORDS,
    PLACEMENTS,
    PriorEntry,
    load_entries,
    prior_entries,
)
from scene_gym.errors import AssetError
from scene_gym.scene import ROOM_TYPES

NAMED_IN_THE_BRIEF = ["loom", "anvil", "telescope", "harp", "cello", "canoe", "kayak", "surfboard", "wheelbarrow",
                      "jukebox", "pinball machine", "grandfather clock", "birdcage", "dollhouse", "rocking horse",
                      "punching bag", "lawn mower", "gong", "throne", "bicycle", "pottery wheel", "potter's wheel",
                      "bike stand", "easel", "bean bag chair", "sideboard", "storage cabinet", "kiln", "grand piano",
                      "floor cushion", "motorcycle", "scooter", "drum kit", "rocking chair"]  # fmt: skip


def test_the_file_holds_300_checked_nouns_mostly_outside_the_catalog():
    entries = prior_entries()
    assert len(entries) >= 300 and len(set(prior_nouns())) == len(entries)
    for e in entries:
        assert all(0 < v <= 10 for v in e.size), e
        assert e.cls in CLASSES and e.placement in PLACEMENTS and set(e.rooms) <= set(ROOM_TYPES), e
    catalog = set(factories())
    outside = [e for e in entries if "_".join(words(e.name)) not in catalog]
    assert len(outside) >= 250  # still most of them after the catalog grows by ~150 categories
    assert max(len(words(t)) for e in entries for t in (e.name, *e.synonyms, *e.plurals)) <= MAX_PRIOR_WORDS


@pytest.mark.parametrize("name", NAMED_IN_THE_BRIEF)
def test_the_nouns_the_issue_names_are_there(name):
    assert isinstance(size_prior(name), PriorEntry)


def test_lookup_by_plural_synonym_and_head_final_phrase():
    assert size_prior("Pottery Wheels").name == "pottery wheel"
    assert size_prior("potter's wheel").name == "pottery wheel"
    assert size_prior("cacti").name == "cactus"
    assert size_prior("a large antique grandfather clock").name == "grandfather clock"
    assert size_prior("two motorbikes").name == "motorcycle"
    assert size_prior("xyzzy") is None and size_prior("") is None
    piano = size_prior("grand piano")
    assert piano.cls == "instrument" and piano.placement == "floor" and piano.size == (1.5, 2.1, 1.0)


def _doc():
    return json.loads(DATA_FILE.read_text())


@pytest.mark.parametrize(
    ("edit", "message"),
    [(lambda d: d["nouns"][0].update(size=[1.0, -0.5, 1.0]), r"nouns\[0\] \(sideboard\)\.size"),
     (lambda d: d["nouns"][0].update(size=[1.0, float("nan"), 1.0]), r"\.size"),
     (lambda d: d["nouns"][0].update(size=[1.0, 1.0]), r"\.size"),
     (lambda d: d["nouns"][1].update({"class": "spaceship"}), r"nouns\[1\] \(storage cabinet\)\.class"),
     (lambda d: d["nouns"][2].update(placement="roof"), r"\.placement"),
     (lambda d: d["nouns"][3].update(rooms=["dungeon"]), r"\.rooms"),
     (lambda d: d["nouns"][4].update(synonyms=["sideboard"]), r"nouns\[4\].*synonyms.*'sideboard'"),
     (lambda d: d["nouns"][5].update(colour="red"), r"nouns\[5\]\.colour"),
     (lambda d: d["nouns"][6].update(name=""), r"nouns\[6\]\.name"),
     (lambda d: d.update(schema="other@1"), "schema"),
     (lambda d: d.update(nouns=[]), "nouns")],
)  # fmt: skip
def test_a_bad_file_is_refused_naming_the_entry_and_field(edit, message):
    doc = copy.deepcopy(_doc())
    edit(doc)
    with pytest.raises(AssetError, match=message):
        load_entries(doc)


def test_the_shipped_file_passes_the_same_checks():
    entries, table = load_entries(_doc())
    assert entries == prior_entries() and all(isinstance(k, tuple) for k in table)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gives_an_entry_or_none(text):
    hit = size_prior(text)
    assert hit is None or isinstance(hit, PriorEntry)
    with pytest.raises(AssetError):
        size_prior(3)  # type: ignore[arg-type]
