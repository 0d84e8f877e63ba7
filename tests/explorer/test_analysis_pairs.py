"""The analytics page's most overlapping frameworks (serving.analytics.top_pairs) are the
first pairs of the full ranking, ties and all, on the report's graph and on a small one."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis import framework_overlap
from graph.store import OxigraphStore
from serving.analytics import top_pairs
from viz.data import graph_data


@pytest.mark.parametrize("include_partial", [False, True])
def test_the_top_pairs_are_the_first_of_every_pair(
    report_store: OxigraphStore, include_partial: bool
) -> None:
    matrix = framework_overlap(graph_data(report_store).graph, include_partial=include_partial)
    every = matrix.pairs()
    assert len(every) > 15
    for count in (1, 7, 15, len(every), len(every) + 10):
        assert top_pairs(matrix, count) == every[:count], count


def test_ties_are_ranked_as_the_full_ranking_ranks_them() -> None:
    """Four frameworks with one shared member each way: equal indexes, ranked by shared
    members, then by slug; a framework sharing nothing is in no pair."""
    graph = nx.MultiDiGraph()
    members = {"f-a": "xyz", "f-b": "xyw", "f-c": "xy", "f-d": "q"}
    for framework, who in members.items():
        for member in who:
            graph.add_edge(member, framework, key="memberOf")
    matrix = framework_overlap(graph)
    every = matrix.pairs()
    assert {p.first for p in every} | {p.second for p in every} == {"f-a", "f-b", "f-c"}
    for count in range(1, 5):
        assert top_pairs(matrix, count) == every[:count]
