"""``policygraph push`` against a real Oxigraph server: counts, replace, leftovers, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.iris import GRAPH_BASE
from graph.push import push, temporary_graph
from graph.store import OxigraphStore, RemoteSparqlStore, open_store
from tests.conftest import run_cli
from tests.graph.remote.conftest import OxigraphServer


def _local_counts(path: Path) -> dict[str, int]:
    local = open_store(path)
    assert isinstance(local, OxigraphStore)
    try:
        return {
            g: sum(1 for _ in local.raw.quads_for_pattern(None, None, None, _node(g)))
            for g in local.graph_names()
        }
    finally:
        local.close()


def _node(iri: str) -> object:
    import pyoxigraph as ox

    return ox.NamedNode(iri)


@pytest.mark.slow
def test_cli_push_replace_twice_leaves_one_copy(
    report_store_path: Path, oxigraph_server: OxigraphServer
) -> None:
    expected = _local_counts(report_store_path)
    for _ in range(2):
        done = run_cli(
            "push", "--endpoint", oxigraph_server.query, "--store", report_store_path,
            "--replace", "--batch-size", "2000",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "replaced" in done.stdout
    remote = RemoteSparqlStore(oxigraph_server.query, timeout=30)
    try:
        assert remote.graph_names() == sorted(expected)
        assert {g: remote.count_graph(g) for g in expected} == expected
    finally:
        remote.close()


@pytest.mark.slow
def test_replace_clears_leftovers_and_swaps(
    minimal_store_path: Path, oxigraph_server: OxigraphServer
) -> None:
    remote = RemoteSparqlStore(oxigraph_server.query, timeout=30)
    local = open_store(minimal_store_path)
    assert isinstance(local, OxigraphStore)
    try:
        curated = GRAPH_BASE + "curated"
        leftover = temporary_graph(curated, "failedrun")
        stale = GRAPH_BASE + "background"
        remote.update(
            f"INSERT DATA {{ GRAPH <{leftover}> {{ <urn:a> <urn:b> <urn:c> }} "
            f"GRAPH <{curated}> {{ <urn:old> <urn:b> <urn:c> }} "
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


def test_push_to_a_closed_port_is_one_line(minimal_store_path: Path) -> None:
    done = run_cli(
        "push", "--endpoint", "http://127.0.0.1:9/query", "--store", minimal_store_path,
    )  # fmt: skip
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "http://127.0.0.1:9/" in errors[0], done.stderr
