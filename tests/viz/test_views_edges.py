"""The framework view finds its chosen frameworks' relations from their predecessors
(viz.views._edges_into): the same relations, in the same order, as walking every relation,
and so the same view, on the report's graph."""

from __future__ import annotations

import pytest

from graph.memo import Memo
from graph.store import OxigraphStore
from viz import memberships, views
from viz.data import graph_data

FRAMEWORK_SETS = [("quad",), ("ipef", "cptpp"), ("aukus", "aukus-pillar-2", "quad", "nato")]


@pytest.mark.parametrize("key", ["memberOf", "partOf"])
def test_the_relations_into_frameworks_are_those_of_every_relation(
    report_store: OxigraphStore, key: str
) -> None:
    graph = graph_data(report_store).graph
    for chosen in FRAMEWORK_SETS:
        targets = set(chosen)
        walked = [(u, v) for u, v, k in graph.edges(keys=True) if k == key and v in targets]
        assert views._edges_into(graph, targets, key) == walked, chosen
    every = [(u, v) for u, v, k in graph.edges(keys=True) if k == "memberOf"]
    assert len({v for _, v in every}) > 20  # the sets above are a few of many


@pytest.mark.slow
def test_the_framework_view_is_the_one_every_relation_gives(
    report_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for chosen in FRAMEWORK_SETS:
        fast = views.frameworks(report_store, chosen)
        monkeypatch.setattr(views, "_FEW_TARGETS", 0)  # walk every relation
        walked = views.frameworks(report_store, chosen)
        monkeypatch.undo()
        assert fast.nodes and fast.edges
        assert (fast.nodes, fast.edges) == (walked.nodes, walked.edges), chosen


def test_a_framework_is_known_without_reading_the_membership_facts(
    report_store: OxigraphStore,
) -> None:
    """Every entity of the graph is a framework by the quick test exactly when it is one of
    the membership facts' frameworks (OECD, the UN, NATO: organisations too)."""
    data = graph_data(report_store)
    facts = memberships._facts(report_store, data, None).frameworks
    memo = Memo()
    quick = {slug for slug in data.graph if memberships.is_framework(report_store, slug, memo)}
    assert "membership_facts" not in memo
    assert quick == facts & set(data.graph)
    assert {"nato", "oecd", "quad"} <= quick and "kor" not in quick
