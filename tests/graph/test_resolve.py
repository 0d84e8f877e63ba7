"""Names to entities on the report's graph: slugs, IRIs, names and aliases in three
languages, ambiguity with ranked choices, unknown names with the closest ones."""

from __future__ import annotations

import pytest

from graph.errors import UnknownEntityError, UsageError
from graph.query.resolve import AmbiguousEntityError, NoSuchEntityError, resolve_entity
from graph.query.search import LabelIndex
from graph.store import OxigraphStore


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("kor", "kor"),
        ("https://w3id.org/policygraph/id/kor", "kor"),
        ("id:kor", "kor"),
        ("Korea", "kor"),
        ("Republic of Korea", "kor"),
        ("韓国", "kor"),
        ("한국", "kor"),
        ("  KOREA ", "kor"),
        ("AUKUS Pillar II", "aukus-pillar-2"),
        ("ＡＵＫＵＳ Ｐｉｌｌａｒ II", "aukus-pillar-2"),  # full-width, as a Japanese IME types it
        ("Japan-Korea Vision Group", "jk-vision-group"),  # a hyphen for the report's en dash
        ("韓日ビジョングループ", "jk-vision-group"),  # the Korean side's alias
        ("Kitaoka Shinichi", "kitaoka-shinichi"),
        ("Shinichi Kitaoka", "kitaoka-shinichi"),  # the other name order
        ("北岡伸一", "kitaoka-shinichi"),
    ],
)
def test_names_slugs_and_iris_resolve(report_store: OxigraphStore, text: str, slug: str) -> None:
    assert resolve_entity(report_store, text) == slug


def test_an_exact_name_wins_over_longer_names_that_contain_it(
    report_store: OxigraphStore,
) -> None:
    # "AUKUS Pillar II" is also the start of an event's and inside a proposal's title.
    titles = [h.slug for h in LabelIndex.from_store(report_store).search("AUKUS Pillar II")]
    assert len(titles) > 1
    assert resolve_entity(report_store, "AUKUS Pillar II") == "aukus-pillar-2"


def test_an_ambiguous_name_lists_ranked_choices(report_store: OxigraphStore) -> None:
    with pytest.raises(AmbiguousEntityError) as caught:
        resolve_entity(report_store, "MOFA")
    assert isinstance(caught.value, UsageError)
    assert {c.slug for c in caught.value.candidates} == {"jpn-mofa", "kor-mofa"}
    assert "Ministry of Foreign Affairs of Japan" in str(caught.value)
    assert all(c.type == "GovernmentAgency" for c in caught.value.candidates)


def test_a_partial_name_offers_the_authoring_group_first(report_store: OxigraphStore) -> None:
    with pytest.raises(AmbiguousEntityError) as caught:
        resolve_entity(report_store, "Vision Group")
    slugs = [c.slug for c in caught.value.candidates]
    assert slugs[:2] == ["jk-vision-group", "eavg"]
    assert str(caught.value).startswith("'Vision Group' names ")


def test_an_unknown_name_suggests_the_closest(report_store: OxigraphStore) -> None:
    with pytest.raises(NoSuchEntityError) as caught:
        resolve_entity(report_store, "Koreaa")
    assert isinstance(caught.value, UnknownEntityError)
    assert caught.value.candidates[0].slug == "kor"
    assert "closest: kor (Republic of Korea, Country)" in str(caught.value)


def test_classes_keep_only_entities_of_that_class(report_store: OxigraphStore) -> None:
    assert resolve_entity(report_store, "Quad", classes=["Framework"]) == "quad"
    with pytest.raises(NoSuchEntityError, match="a Country, not a framework; closest: "):
        resolve_entity(report_store, "Korea", classes=["Framework"])
    # A slug is unambiguous: taken as it is, the caller checks its class.
    assert resolve_entity(report_store, "kor", classes=["Framework"]) == "kor"


def test_an_empty_name_is_a_usage_error(report_store: OxigraphStore) -> None:
    with pytest.raises(UsageError, match="an entity is needed"):
        resolve_entity(report_store, "   ")


def test_search_ranks_the_authoring_group_first(report_store: OxigraphStore) -> None:
    hits = LabelIndex.from_store(report_store).search("Vision Group")
    assert [h.slug for h in hits[:2]] == ["jk-vision-group", "eavg"]
