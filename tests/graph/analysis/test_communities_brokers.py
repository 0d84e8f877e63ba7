from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis import brokers, communities, community_of, participation
from graph.errors import UsageError


def test_two_cliques_joined_by_a_bridge_are_two_communities(two_cliques: nx.MultiDiGraph) -> None:
    found = communities(two_cliques)
    assert len(found) == 2
    groups = [set(c.members) - {"x"} for c in found]
    assert sorted(map(sorted, groups)) == [["a1", "a2", "a3", "a4"], ["b1", "b2", "b3", "b4"]]
    # Labelled by the most central member: the clique node that touches the bridge.
    assert {c.label for c in found} == {"a1", "b1"}
    assert [c.number for c in found] == [1, 2]
    assert found[0].size == 5 and found[1].size == 4


def test_communities_are_reproducible(two_cliques: nx.MultiDiGraph) -> None:
    assert communities(two_cliques) == communities(two_cliques.copy())


def test_type_filter_keeps_numbers_and_drops_empty_communities(
    two_cliques: nx.MultiDiGraph,
) -> None:
    found = communities(two_cliques, types=["Grouping"])
    assert len(found) == 1 and found[0].members == ("x",)
    assert found[0].number in (1, 2) and found[0].size in (4, 5)
    assert communities(two_cliques, top=1) == communities(two_cliques)[:1]


def test_isolated_entity_is_its_own_community() -> None:
    g = nx.MultiDiGraph([("a", "b")])
    g.add_node("lonely")
    assert sorted(c.members for c in communities(g)) == [("a", "b"), ("lonely",)]


def test_community_of_maps_members_to_numbers(two_cliques: nx.MultiDiGraph) -> None:
    mapping = community_of(communities(two_cliques))
    assert mapping["a2"] == mapping["a3"] != mapping["b2"]
    assert len(mapping) == 9


def test_participation_coefficient() -> None:
    assert participation([1, 2]) == 0.5
    assert participation([1, 2, 3]) == pytest.approx(2 / 3)
    assert participation([7, 7]) == 0.0


def test_the_bridge_node_is_the_top_broker(two_cliques: nx.MultiDiGraph) -> None:
    found = brokers(two_cliques)
    assert found[0].slug == "x"
    assert found[0].communities == 2
    assert found[0].participation == 0.5
    assert found[0].score == pytest.approx(0.5 * found[0].betweenness)
    # Only entities with neighbours in two communities are brokers.
    assert {b.slug for b in found} <= {"x", "a1", "b1"}


def test_brokers_filter_by_class(two_cliques: nx.MultiDiGraph) -> None:
    assert [b.slug for b in brokers(two_cliques, types=["Grouping"])] == ["x"]
    assert [b.slug for b in brokers(two_cliques, types=["Minilateral"])] == []
    with pytest.raises(UsageError):
        brokers(two_cliques, top=0)
