"""The cards and the framework table are held compact (rows, shared models) and read back
from the warm caches as they were made: what a page shows of them is what the store says."""

from __future__ import annotations

import io
import pickle

import pytest

from graph.query.cards import EntityCards, entity_cards
from graph.query.entity import describe_entity
from graph.query.frameworks import FrameworkMember, list_frameworks
from graph.store import OxigraphStore
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
