"""A server restarted on the same store generation reads the measures the first one kept.

Computations are counted, not timed: the first warm-up computes the measures once (in its
child process) and keeps them beside the generation; the second starts no child and
computes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.analysis import measures
from graph.analysis.measures import CACHE_FILE
from graph.store import OxigraphStore, open_store
from serving import analytics
from serving.context import StoreContext
from serving.settings import Settings

pytestmark = pytest.mark.slow  # two warm-ups, one child process


def test_a_restart_on_the_same_generation_reads_the_kept_measures(
    minimal_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    children: list[Path] = []
    in_process: list[object] = []
    child = analytics.measure_in_child
    compute = measures.whole_graph_measures

    def counted_child(directory: Path, graph: object = None, *, kept: bool) -> measures.Measures:
        children.append(directory)
        assert kept  # a built generation's measures are kept beside it
        return child(directory, graph, kept=kept)  # type: ignore[arg-type]

    def counted_compute(graph: object) -> measures.Measures:
        in_process.append(graph)
        return compute(graph)  # type: ignore[arg-type]

    monkeypatch.setattr(analytics, "IN_THREAD_NODES", 0)  # as for a graph that needs a child
    monkeypatch.setattr(analytics, "measure_in_child", counted_child)
    monkeypatch.setattr(measures, "whole_graph_measures", counted_compute)
    served = []
    for _ in range(2):  # a server, then another on the same generation
        store = open_store(minimal_store_path)
        assert isinstance(store, OxigraphStore)
        context = StoreContext(store, Settings(), generation=store.location, release=store.close)
        try:
            context.warm_up().join(timeout=120)
            assert context.warm.is_set()
            served.append(context.analytics.centrality(by="betweenness"))
        finally:
            context.close()
    assert len(children) == 1 and not in_process
    assert served[0] == served[1] and served[0]
    assert (minimal_store_path.resolve() / CACHE_FILE).is_file()
