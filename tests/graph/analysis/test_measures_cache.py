"""The whole-graph measures of a store generation are computed once and kept beside it.

Computations are counted (not timed): a second server on the same generation reads the
kept measures; another pivot rule, a damaged file or a served copy with edits computes
them again.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis import centrality, large, measures
from graph.analysis.measures import CACHE_FILE, cached_measures, load_or_compute
from tests.graph.analysis.conftest import typed

communities = importlib.import_module("graph.analysis.communities")


@pytest.fixture()
def graph(two_cliques: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return two_cliques


@pytest.fixture()
def computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per computation of the measures."""
    counted: list[int] = []
    real = measures.whole_graph_measures

    def counting(graph: nx.MultiDiGraph) -> measures.Measures:
        counted.append(1)
        return real(graph)

    monkeypatch.setattr(measures, "whole_graph_measures", counting)
    return counted


def test_a_generation_is_measured_once_and_read_afterwards(
    tmp_path: Path, graph: nx.MultiDiGraph, computations: list[int]
) -> None:
    first = load_or_compute(tmp_path, graph)
    again = load_or_compute(tmp_path, graph)  # a restarted server, same generation
    assert len(computations) == 1
    assert again == first == measures.whole_graph_measures(graph)
    assert (tmp_path / CACHE_FILE).is_file()
    assert [p.name for p in tmp_path.iterdir()] == [CACHE_FILE]  # no temporary file left


def test_a_store_without_a_directory_is_measured_each_time(
    tmp_path: Path, graph: nx.MultiDiGraph, computations: list[int]
) -> None:
    load_or_compute(None, graph)
    load_or_compute(None, graph)
    assert len(computations) == 2


def test_another_pivot_rule_or_a_damaged_file_is_measured_again(
    tmp_path: Path,
    graph: nx.MultiDiGraph,
    computations: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_or_compute(tmp_path, graph)
    monkeypatch.setattr(centrality, "PIVOTS_PER_ROOT", 3.0)
    assert cached_measures(tmp_path) is None
    load_or_compute(tmp_path, graph)
    assert len(computations) == 2
    (tmp_path / CACHE_FILE).write_text('{"rule": {"format": 1', encoding="utf-8")
    assert cached_measures(tmp_path) is None
    load_or_compute(tmp_path, graph)
    assert len(computations) == 3
    assert cached_measures(tmp_path) is not None


def test_an_unwritable_generation_is_measured_all_the_same(
    tmp_path: Path, graph: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(measures, "write_atomically", full_disk)
    found = load_or_compute(tmp_path, graph)
    assert found.centrality and not (tmp_path / CACHE_FILE).exists()


def test_a_store_on_disk_keeps_its_measures_and_a_served_copy_does_not_inherit_them(
    minimal_store_path: Path,
) -> None:
    import pyoxigraph as ox

    from graph.iris import ENTITY_BASE as ID
    from graph.store.edits import EDITS_GRAPH, discard_served_copy, make_served_copy

    RDF, EDITS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", ox.NamedNode(EDITS_GRAPH)

    generation = minimal_store_path.resolve()
    kept = measures.measures_of_store(generation)
    assert cached_measures(generation) == kept
    pg, can = "https://w3id.org/policygraph/ontology#", ox.NamedNode(f"{ID}can")
    edits = [
        ox.Quad(can, ox.NamedNode(f"{RDF}type"), ox.NamedNode(f"{pg}Country"), EDITS),
        ox.Quad(can, ox.NamedNode(f"{pg}memberOf"), ox.NamedNode(f"{ID}aukus"), EDITS),
    ]
    copy = make_served_copy(generation, edits)
    try:
        assert not (copy / CACHE_FILE).exists()
        edited = measures.measures_of_store(copy)
        assert {r.slug for r in edited.centrality} - {r.slug for r in kept.centrality} == {"can"}
    finally:
        discard_served_copy(copy)


def test_large_graphs_find_the_same_communities_with_igraph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = ["a1", "a2", "a3", "a4", "a5"], ["b1", "b2", "b3", "b4", "b5"]
    edges = [(u, v, "partOf") for group in (a, b) for u, v in nx.complete_graph(group).edges]
    graph = typed([*edges, ("a1", "b1", "memberOf")], dict.fromkeys(a + b, "Country"))
    by_networkx = communities.communities(graph)
    monkeypatch.setattr(communities, "LARGE_GRAPH_NODES", 3)
    by_igraph = communities.communities(graph)
    assert by_igraph == by_networkx
    assert [c.members for c in by_igraph] == [tuple(a), tuple(b)]
    assert large.LARGE_GRAPH_NODES == centrality.EXACT_BETWEENNESS_NODES
