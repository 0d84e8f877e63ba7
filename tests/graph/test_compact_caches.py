"""The cards, the framework table and the hubs' descriptions are held compact (rows, shared
models) and read back from the warm caches as they were made: what a page shows of them
is what the store says."""

from __future__ import annotations

import gc
import io
import pickle
import weakref

import pytest

from graph.query.cards import EntityCards, entity_cards
from graph.query.entity import EntityDescription, describe_entity
from graph.query.frameworks import FrameworkMember, list_frameworks
from graph.store import OxigraphStore
from serving.model_rows import KeptModels
from serving.warm_cache import DataUnpickler


def _read_back(value: object) -> object:
    """``value`` kept and read back as a restart reads the warm caches."""
    return DataUnpickler(io.BytesIO(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))).load()


@pytest.fixture(scope="module")
def cards(report_store: OxigraphStore) -> EntityCards:
    return entity_cards(report_store)


def test_a_card_shows_the_entitys_labels_and_first_sentence(
    report_store: OxigraphStore, cards: EntityCards
) -> None:
    korea = describe_entity(report_store, "kor")
    card = cards["kor"]
    assert card.labels["en"] == korea.label
    assert set(card.labels) == {label.lang for label in korea.labels} & {"en", "ja", "ko"}
    # In the order of their texts, as the search page lists them.
    assert list(card.labels.values()) == sorted(card.labels.values())
    english = [c.value for c in korea.description if c.lang == "en"]
    assert card.description is not None and english and english[0].startswith(card.description)
    assert cards.get("no-such-entity") is None and "no-such-entity" not in cards


def test_the_cards_come_back_from_the_warm_caches(cards: EntityCards) -> None:
    back = _read_back(cards)
    assert isinstance(back, EntityCards)
    assert back == cards and list(back) == list(cards)
    assert all(list(back[s].labels.items()) == list(cards[s].labels.items()) for s in cards)


def test_a_hubs_description_is_made_again_from_its_rows(report_store: OxigraphStore) -> None:
    described = describe_entity(report_store, "kor")
    kept = KeptModels([("kor", described)])
    made = kept["kor"]
    assert made == described and made.model_dump_json() == described.model_dump_json()
    assert made.model_dump(exclude_unset=True) == described.model_dump(exclude_unset=True)
    assert made is kept["kor"]  # one model while a page holds it
    back = _read_back(kept)
    assert isinstance(back, KeptModels) and back == kept
    assert len(pickle.dumps(kept)) < len(pickle.dumps({"kor": described}))
    held = weakref.ref(made)
    del made
    gc.collect()
    assert held() is None  # let go once no page holds it
    assert isinstance(kept["kor"], EntityDescription)


def test_equal_members_are_one_model_shared_by_their_frameworks(
    report_store: OxigraphStore,
) -> None:
    table = list_frameworks(report_store)
    members = [m for f in table for m in f.members]
    distinct: dict[FrameworkMember, int] = {}
    for member in members:
        assert distinct.setdefault(member, id(member)) == id(member)
    assert len(distinct) < len(members)  # the report's actors are in several frameworks
    assert _read_back(table) == table
