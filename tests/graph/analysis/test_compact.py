"""The compact projection answers as the networkx graph it replaced: same nodes, relations
and neighbours in the same order, the same simple undirected graph, the same measures on a
large graph (igraph's path) — in this process, in the measures' child and after pickling."""

from __future__ import annotations

import io
import pickle
import random
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis.centrality import degree_centrality
from graph.analysis.compact import CompactGraph
from graph.analysis.large import LARGE_GRAPH_NODES
from graph.analysis.measures import cached_measures, whole_graph_measures
from graph.analysis.paths import explain_paths, shortest_connections
from graph.analysis.projection import simple_undirected
from graph.analysis.undirected import Undirected
from serving.analytics import measure_in_child
from serving.warm_cache import DataUnpickler

_TYPES = ("Country", "Minilateral", "Person", "Proposal")
_PREDICATES = ("memberOf", "partOf", "involves", "affiliatedWith")


def _random_graph(nodes: int, edges: int, seed: int) -> tuple[list, list]:
    """Nodes in slug order with their attributes, and relations in no order, with
    duplicates, self-loops, parallel relations and relations both ways."""
    rng = random.Random(seed)
    slugs = sorted(f"n{i:05d}" for i in range(nodes))
    attributes = [
        (s, {"type": rng.choice(_TYPES), "label": s.upper(), "label_ja": "", "member_list": ""})
        for s in slugs
    ]
    # A few hubs, as in the corpus: most relations touch one of them.
    hubs = slugs[:30]
    relations = [
        (rng.choice(slugs), rng.choice(_PREDICATES), rng.choice(hubs + slugs[: nodes // 2]))
        for _ in range(edges)
    ]
    relations += [(s, "partOf", s) for s in slugs[:5]] + relations[:50]
    relations += [(o, p, s) for s, p, o in relations[50:100]]
    return attributes, relations


def _as_networkx(nodes: list, relations: list) -> nx.MultiDiGraph:
    """The graph as the projection built it before it was compact."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    for s, p, o in sorted(set(relations)):
        graph.add_edge(s, o, key=p, predicate=p)
    return graph


@pytest.fixture(scope="module")
def large() -> tuple[CompactGraph, nx.MultiDiGraph]:
    nodes, relations = _random_graph(LARGE_GRAPH_NODES + 500, 9_000, seed=7)
    return CompactGraph.build(nodes, relations), _as_networkx(nodes, relations)


def test_nodes_relations_and_neighbours_come_in_networkx_order(
    large: tuple[CompactGraph, nx.MultiDiGraph],
) -> None:
    compact, reference = large
    assert list(compact.nodes(data=True)) == list(reference.nodes(data=True))
    assert list(compact.edges(keys=True, data=True)) == list(reference.edges(keys=True, data=True))
    assert compact.number_of_edges() == reference.number_of_edges()
    for node in reference:
        assert list(compact.succ[node].items()) == list(reference.succ[node].items())
        assert list(compact.pred[node].items()) == list(reference.pred[node].items())


def test_views_and_algorithms_read_it_as_networkx() -> None:
    nodes, relations = _random_graph(300, 900, seed=3)
    compact, reference = CompactGraph.build(nodes, relations), _as_networkx(nodes, relations)
    keep = ["n00001", "n00002", "n00010", "n00100", "n00200"]
    assert list(compact.subgraph(keep).edges(keys=True)) == list(
        reference.subgraph(keep).edges(keys=True)
    )
    assert nx.single_source_shortest_path_length(
        compact.to_undirected(as_view=True), "n00001", cutoff=2
    ) == nx.single_source_shortest_path_length(
        reference.to_undirected(as_view=True), "n00001", cutoff=2
    )
    assert "nowhere" not in compact and ["a"] not in compact
    with pytest.raises(nx.NetworkXError, match="Frozen"):
        compact.add_edge("n00001", "n00002")


def test_the_undirected_arrays_are_simple_undirected_in_its_order(
    large: tuple[CompactGraph, nx.MultiDiGraph],
) -> None:
    compact, reference = large
    simple = simple_undirected(reference)
    undirected = Undirected.of(compact)
    slugs = compact.columns.slugs
    assert [(slugs[a], slugs[b]) for a, b in undirected.edges()] == list(simple.edges())
    for i, node in enumerate(simple):
        assert [slugs[j] for j in undirected.neighbours(i)] == list(simple[node])


def test_large_measures_are_the_networkx_graphs(
    large: tuple[CompactGraph, nx.MultiDiGraph],
) -> None:
    compact, reference = large
    found = whole_graph_measures(compact)
    assert found == whole_graph_measures(reference)
    assert found.betweenness_pivots is not None and found.brokers and found.communities


@pytest.mark.slow  # a child process that imports igraph
def test_the_child_computes_them_from_the_edges_alone(
    large: tuple[CompactGraph, nx.MultiDiGraph], tmp_path: Path
) -> None:
    compact, _ = large
    from_child = measure_in_child(tmp_path, compact)
    assert from_child == whole_graph_measures(compact)
    assert cached_measures(tmp_path) == from_child  # kept beside the generation


def test_it_survives_the_warm_caches_unpickler(large: tuple[CompactGraph, nx.MultiDiGraph]) -> None:
    compact, _ = large
    again = DataUnpickler(io.BytesIO(pickle.dumps(compact))).load()
    assert isinstance(again, CompactGraph) and nx.is_frozen(again)
    assert list(again.edges(keys=True, data=True)) == list(compact.edges(keys=True, data=True))
    assert list(again.nodes(data=True)) == list(compact.nodes(data=True))


def test_degree_centrality_from_the_arrays_is_networkxs(
    large: tuple[CompactGraph, nx.MultiDiGraph],
) -> None:
    compact, reference = large
    found = degree_centrality(compact)
    assert list(found.items()) == list(degree_centrality(reference).items())
    assert max(found.values()) > 0


def test_paths_are_found_in_the_part_that_can_hold_them(
    large: tuple[CompactGraph, nx.MultiDiGraph],
) -> None:
    compact, reference = large
    rng = random.Random(5)
    pairs = [("n00001", "n00002"), ("n00040", "n02400"), ("n00007", "n00007")]
    pairs += [tuple(rng.sample(list(reference), 2)) for _ in range(6)]
    for source, target in pairs:
        for length in (2, 4):
            assert explain_paths(compact, source, target, max_length=length) == explain_paths(
                reference, source, target, max_length=length
            )
        found = shortest_connections(compact, source, target)
        expected = shortest_connections(reference, source, target)
        assert list(found.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))
        assert list(found.nodes(data=True)) == list(expected.nodes(data=True))
    assert any(explain_paths(compact, s, t, max_length=4) for s, t in pairs)
