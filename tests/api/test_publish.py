"""Every publication of a store goes one way (serving/publish.py): the new context warmed,
then current, then the old one retired — at start, and after an accepted edit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import graph.analysis.measures
from api.main import create_app
from graph.store.edits import EDITS_GRAPH
from graph.store.oxigraph import OxigraphStore
from graph.store.port import GraphStore
from serving.context import StoreContext
from serving.settings import Settings
from tests.api.conftest import QUERIES
from tests.contexts import serve_store

TOKEN = "publish-test-token-0123456789"
INSERT_USA = (
    f"INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ id:usa a pg:Country ; "
    'rdfs:label "United States"@en, "米国"@ja, "미국"@ko ; pg:memberOf id:aukus } }'
)


@pytest.fixture()
def in_process(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads that computed the whole-graph measures in the server's process."""
    threads: list[str] = []
    compute = graph.analysis.measures.whole_graph_measures

    def spy(graph):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread().name)
        return compute(graph)

    monkeypatch.setattr(graph.analysis.measures, "whole_graph_measures", spy)
    return threads


@pytest.mark.slow
def test_an_accepted_edit_is_served_warm(minimal_store_path: Path, in_process: list[str]) -> None:
    settings = Settings(
        store=str(minimal_store_path), queries=QUERIES, update_token=TOKEN, warm_seconds=300
    )  # type: ignore[arg-type]
    app = create_app(settings)
    with TestClient(app) as client:
        before: StoreContext = app.state.context
        assert before.warm.wait(300)
        assert "proposal_facets" in before.memo  # the pages' steps, made by the warm-up
        assert "usa" not in before.analytics.graph
        in_process.clear()  # the measures of the store served at start
        response = client.post(
            "/sparql",
            content=INSERT_USA,
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
        )
        assert response.status_code == 204, response.text
        after: StoreContext = app.state.context
        assert after is not before
        assert client.get("/healthz").json()["warm"] is True
        assert "proposal_facets" in after.memo  # the first visit after the edit finds them
        ranked = client.get("/api/analysis/centrality", params={"by": "betweenness"})
        assert ranked.status_code == 200
        assert "usa" in {row["slug"] for row in ranked.json()}  # the edit is in the measures
        # Computed before the swap, by the warm-up (a store this small needs no child
        # process), never in the thread of a request.
        assert in_process == ["policygraph-warm-up"]
        assert "label_index" not in before.memo  # the old context was retired and closed


class CountingStore:
    """A store that counts how often its size is asked (on a remote store: a COUNT(*))."""

    def __init__(self, store: OxigraphStore) -> None:
        self._store = store
        self.sizes = 0

    def __len__(self) -> int:
        self.sizes += 1
        return len(self._store)

    def __getattr__(self, name: str) -> object:
        return getattr(self._store, name)


@pytest.fixture()
def counted(fixture_store: OxigraphStore) -> Iterator[tuple[TestClient, CountingStore]]:
    store = CountingStore(fixture_store)
    app = create_app(Settings(store="memory:", queries=QUERIES))
    serve_store(app, store)  # type: ignore[arg-type]
    with TestClient(app) as client:
        yield client, store


def test_pages_never_ask_the_stores_size_again(
    counted: tuple[TestClient, CountingStore],
) -> None:
    client, store = counted
    for path in ("/", "/", "/healthz", "/healthz", "/search?q=Japan", "/proposals", "/id/jpn"):
        assert client.get(path).status_code == 200, path
    assert store.sizes == 1  # once, for the whole context


def test_a_context_reads_each_table_once(fixture_store: OxigraphStore) -> None:
    reads: list[str] = []

    class Logged(CountingStore):
        def query(self, sparql: str, *args: object, **kwargs: object) -> object:
            reads.append(sparql)
            return self._store.query(sparql, *args, **kwargs)  # type: ignore[arg-type]

    store: GraphStore = Logged(fixture_store)  # type: ignore[assignment]
    context = StoreContext(store, Settings(store="memory:"))
    first = (context.catalogue, context.cards, context.frameworks, context.labels)
    asked = len(reads)
    assert asked > 0
    again = (context.catalogue, context.cards, context.frameworks, context.labels)
    assert all(a is b for a, b in zip(first, again, strict=True))
    assert len(reads) == asked
