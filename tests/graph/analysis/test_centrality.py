from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis import (
    betweenness_centrality,
    centrality_table,
    eigenvector_centrality,
    simple_undirected,
)
from graph.errors import UsageError
from tests.graph.analysis.conftest import typed


def star() -> nx.MultiDiGraph:
    return typed(
        [("hub", leaf, "memberOf") for leaf in ("a", "b", "c", "d")],
        {"hub": "Minilateral", "a": "Country", "b": "Country", "c": "Country", "d": "Person"},
    )


def test_star_centre_has_betweenness_one_and_leaves_zero() -> None:
    scores = betweenness_centrality(star())
    assert scores["hub"] == 1.0
    assert {scores[leaf] for leaf in "abcd"} == {0.0}


def test_parallel_and_reverse_edges_count_once() -> None:
    g = typed(
        [("a", "b", "memberOf"), ("a", "b", "partOf"), ("b", "a", "involves"), ("b", "c", "x")],
        {"a": "Country", "b": "Country", "c": "Country"},
    )
    simple = simple_undirected(g)
    assert sorted(map(sorted, simple.edges)) == [["a", "b"], ["b", "c"]]
    rows = {r.slug: r for r in centrality_table(g)}
    assert rows["b"].degree == 1.0 and rows["a"].degree == 0.5
    assert rows["b"].betweenness == 1.0


def test_eigenvector_of_a_path_peaks_in_the_middle_and_is_scaled_to_one() -> None:
    scores = eigenvector_centrality(nx.MultiDiGraph([("a", "b"), ("b", "c")]))
    assert scores["b"] == pytest.approx(1.0)
    assert scores["a"] == pytest.approx(scores["c"]) == pytest.approx(2**-0.5)


def test_eigenvector_of_a_graph_without_edges_is_zero() -> None:
    g = nx.MultiDiGraph()
    g.add_nodes_from(["a", "b"])
    assert eigenvector_centrality(g) == {"a": 0.0, "b": 0.0}


def test_table_ranks_filters_by_class_with_subclasses_and_cuts() -> None:
    g = star()
    assert [r.slug for r in centrality_table(g, top=2)] == ["hub", "a"]
    assert [r.slug for r in centrality_table(g, types=["Country"])] == ["a", "b", "c"]
    assert [r.slug for r in centrality_table(g, types=["framework"])] == ["hub"]
    # Person and Country are both actors; the measures are those of the whole graph.
    actors = centrality_table(g, types=["Actor"])
    assert [r.slug for r in actors] == ["a", "b", "c", "d"]
    assert actors[0].degree == 0.25


def test_table_rejects_unknown_class_measure_and_top() -> None:
    with pytest.raises(UsageError, match="unknown class"):
        centrality_table(star(), types=["Planet"])
    with pytest.raises(UsageError, match="measure"):
        centrality_table(star(), by="pagerank")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="top"):
        centrality_table(star(), top=0)


def test_betweenness_of_a_large_graph_is_a_seeded_estimate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above the exact limit ⌈√n⌉ sampled sources are used: the same estimate every time,
    networkx's own estimate from those sources, and the measures say it is one."""
    from graph.analysis import centrality
    from graph.analysis.measures import whole_graph_measures

    graph = nx.MultiDiGraph(nx.path_graph([f"n{i:02}" for i in range(40)]))
    exact = centrality.betweenness_centrality(graph)
    assert whole_graph_measures(graph).betweenness_pivots is None
    monkeypatch.setattr(centrality, "EXACT_BETWEENNESS_NODES", 10)
    first, second = (centrality.betweenness_centrality(graph) for _ in range(2))
    assert first == second != exact
    assert 10 <= int(max(first, key=first.__getitem__)[1:]) < 30  # the middle half of the path
    assert whole_graph_measures(graph).betweenness_pivots == 7  # ⌈√40⌉
    by_networkx = nx.betweenness_centrality(
        nx.Graph(graph.to_undirected()), k=7, seed=centrality.BETWEENNESS_SEED
    )
    assert first.keys() == by_networkx.keys()
    assert all(first[n] == pytest.approx(by_networkx[n], abs=1e-12) for n in first)


def test_the_pivot_count_grows_as_the_square_root() -> None:
    from graph.analysis.centrality import EXACT_BETWEENNESS_NODES, betweenness_pivots

    assert betweenness_pivots(EXACT_BETWEENNESS_NODES) is None
    small, large = betweenness_pivots(10_000), betweenness_pivots(1_000_000)
    assert small is not None and large is not None
    assert large == 10 * small  # a hundred times the nodes, ten times the sources


def test_eigenvector_of_a_large_graph_by_igraph_is_networkx_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from graph.analysis import centrality

    graph = nx.MultiDiGraph(nx.barbell_graph(5, 3))
    by_networkx = centrality.eigenvector_centrality(graph)
    monkeypatch.setattr(centrality, "LARGE_GRAPH_NODES", 3)
    by_igraph = centrality.eigenvector_centrality(graph)
    assert by_igraph.keys() == by_networkx.keys()
    assert all(by_igraph[n] == pytest.approx(by_networkx[n], abs=1e-5) for n in by_igraph)
    assert max(by_igraph.values()) == pytest.approx(1.0)
