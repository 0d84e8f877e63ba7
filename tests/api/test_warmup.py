"""The warm-up of a store context: every cache of the pages filled, betweenness in a child
process."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

import pytest

import serving.analytics
from graph import REPO_ROOT
from graph.analysis import project
from graph.analysis.measures import whole_graph_measures
from graph.errors import StoreError
from graph.store import OxigraphStore, open_store
from serving.analytics import measure_in_child
from serving.context import StoreContext, WarmStep
from serving.settings import Settings


def test_the_child_process_computes_what_the_server_would(fixture_store: OxigraphStore) -> None:
    assert fixture_store.location is not None
    from_child = measure_in_child(fixture_store.location)
    in_process = whole_graph_measures(project(fixture_store))
    assert from_child == in_process
    assert from_child.centrality and from_child.communities and from_child.brokers


def test_warm_up_fills_the_measures_from_the_child(
    minimal_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serving.analytics, "IN_THREAD_NODES", 0)  # as for a large graph
    store = open_store(minimal_store_path)
    assert isinstance(store, OxigraphStore)
    context = StoreContext(store, Settings(), generation=store.location, release=store.close)
    try:
        assert not context.warm.is_set()
        context.warm_up().join(timeout=120)
        assert context.warm.is_set()
        analytics = context.analytics
        pending = analytics._pending
        assert pending is not None and pending.done() and pending.exception() is None
        top = analytics.centrality(top=1, by="betweenness")[0]
        assert top in pending.result().centrality
        for kept in ("catalogue", "cards", "frameworks", "label_index", "graph_data"):
            assert kept in context.memo, kept
    finally:
        context.close()


def test_a_store_in_memory_warms_without_a_child() -> None:
    store = OxigraphStore.memory()
    store.update(
        'INSERT DATA { GRAPH <urn:g> { id:kor a pg:Country ; rdfs:label "Korea"@en ;'
        ' pg:memberOf id:ip4 . id:ip4 a pg:Minilateral ; rdfs:label "IP4"@en } }'
    )
    context = StoreContext(store, Settings())
    context.warm_up().join(timeout=60)
    assert context.warm.is_set()
    analytics = context.analytics
    assert analytics._pending is None
    assert {row.slug for row in analytics.centrality()} == {"kor", "ip4"}


def test_a_closed_context_forgets_what_it_read_and_releases_its_store() -> None:
    store, released = OxigraphStore.memory(), []
    context = StoreContext(store, Settings(), release=lambda: released.append(store))
    assert context.labels is context.labels  # read once, kept
    context.close()
    context.close()
    assert released == [store]  # once
    assert "label_index" not in context.memo


def test_the_child_stops_when_its_parent_closes_its_input() -> None:
    """A server that stops (or dies) must not leave betweenness computing for nobody."""
    code = (
        "import threading, time\n"
        "from graph.analysis.measures import exit_with_parent\n"
        "threading.Thread(target=exit_with_parent, daemon=True).start()\n"
        "time.sleep(120)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, cwd=REPO_ROOT)
    assert child.stdin is not None
    time.sleep(1)
    assert child.poll() is None
    child.stdin.close()
    assert child.wait(timeout=30) == 1


@pytest.mark.parametrize("failing", [0, 1])
def test_a_store_error_in_either_lane_stops_the_warm_up_and_says_so(
    failing: int, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The two lanes run side by side; an error in the other thread's lane is not lost."""

    def closed() -> None:
        raise StoreError("the store was closed")

    context = StoreContext(OxigraphStore.memory(), Settings())
    lanes: list[list[WarmStep]] = [[("read", lambda: None)], [("read", lambda: None)]]
    lanes[failing] = [("closing", closed)]
    monkeypatch.setattr(context, "warm_lanes", lambda: tuple(lanes))
    with caplog.at_level(logging.INFO, logger="serving.context"):
        context.warm_up().join(timeout=60)
    assert context.warm.is_set()  # pages stop waiting, and read the store themselves
    assert "warming the caches stopped: the store was closed" in caplog.text
    assert "caches warm in" not in caplog.text
