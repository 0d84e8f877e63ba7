"""``policygraph push`` on each real server: counts, replace, leftovers, an interrupted run."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.errors import StoreError
from graph.iris import GRAPH_BASE
from graph.push import push, temporary_graph
from graph.store import OxigraphStore, RemoteSparqlStore, open_store
from tests.conftest import run_cli
from tests.graph.remote.conftest import SparqlServer

CURATED = GRAPH_BASE + "curated"
#: A triple only the server's live graphs hold: gone once a push has replaced them.
MARKER = f"GRAPH <{CURATED}> {{ <urn:policygraph:test:old> <urn:policygraph:test:p> 1 }}"


def _local_counts(path: Path) -> dict[str, int]:
    local = open_store(path)
    assert isinstance(local, OxigraphStore)
    try:
        return {
            g: sum(1 for _ in local.raw.quads_for_pattern(None, None, None, ox.NamedNode(g)))
            for g in local.graph_names()
        }
    finally:
        local.close()


def _server_counts(server: SparqlServer) -> dict[str, int]:
    remote = server.store()
    try:
        return {g: remote.count_graph(g) for g in remote.graph_names()}
    finally:
        remote.close()


@pytest.mark.slow
def test_cli_push_replace_twice_leaves_one_copy(
    minimal_store_path: Path, server: SparqlServer
) -> None:
    server.clear()
    expected = _local_counts(minimal_store_path)
    for _ in range(2):
        done = server.run_cli("push", "--endpoint", server.query, "--store", minimal_store_path,
                              "--replace")  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"replaced {sum(expected.values()):,} triples on ")
    assert _server_counts(server) == expected


@pytest.mark.slow
def test_replace_clears_leftovers_and_swaps(minimal_store_path: Path, server: SparqlServer) -> None:
    server.clear()
    remote = server.store()
    local = open_store(minimal_store_path)
    assert isinstance(local, OxigraphStore)
    try:
        leftover = temporary_graph(CURATED, "failedrun")
        stale = GRAPH_BASE + "background"
        remote.update(
            f"INSERT DATA {{ GRAPH <{leftover}> {{ <urn:a> <urn:b> <urn:c> }} {MARKER} "
            f"GRAPH <{stale}> {{ <urn:old> <urn:b> <urn:c> }} }}"
        )
        sent: list[int] = []
        report = push(local, remote, replace=True, batch_size=50, progress=sent.append)
        assert report.cleared == [leftover]
        assert sum(sent) == len(local)
        assert remote.graph_names() == local.graph_names()
        assert report.graphs == _local_counts(minimal_store_path)
        assert remote.count_graph(leftover) == 0
    finally:
        local.close()
        remote.close()


class _FailingStore(RemoteSparqlStore):
    """A client whose connection drops after ``after`` uploads."""

    def __init__(self, server: SparqlServer, after: int) -> None:
        base = server.store()
        super().__init__(
            base.query_endpoint,
            union_default_graph=base.union_default_graph,
            graph_prefix=base.graph_prefix,
            result_format=base.result_format,
        )
        base.close()
        self.left = after

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        if self.left == 0:
            raise StoreError("the connection dropped (test)")
        self.left -= 1
        super().extend(quads)


@pytest.mark.slow
def test_an_interrupted_replace_leaves_the_live_graphs_and_the_next_run_finishes(
    minimal_store_path: Path, server: SparqlServer
) -> None:
    server.clear()
    remote = server.store()
    remote.update(f"INSERT DATA {{ {MARKER} }}")
    before = _server_counts(server)
    local = open_store(minimal_store_path)
    assert isinstance(local, OxigraphStore)
    failing = _FailingStore(server, after=3)
    try:
        with pytest.raises(StoreError, match="dropped"):
            push(local, failing, replace=True, batch_size=50)
        # The live graph is as it was; the three uploaded batches wait in temporary graphs.
        assert {g: n for g, n in _server_counts(server).items() if "?tmp=" not in g} == before
        assert any("?tmp=" in g for g in remote.graph_names())
        report = push(local, remote, replace=True, batch_size=50)
        assert report.cleared and all("?tmp=" in g for g in report.cleared)
        assert _server_counts(server) == _local_counts(minimal_store_path)
        marker = "ASK { <urn:policygraph:test:old> ?p ?o }"
        assert bool(remote.query(marker)) is False
    finally:
        local.close()
        failing.close()
        remote.close()


def test_push_to_a_closed_port_is_one_line(minimal_store_path: Path) -> None:
    done = run_cli(
        "push", "--endpoint", "http://127.0.0.1:9/query", "--store", minimal_store_path,
    )  # fmt: skip
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "http://127.0.0.1:9/" in errors[0], done.stderr
