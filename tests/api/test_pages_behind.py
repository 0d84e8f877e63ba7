"""The explorer's pages read the last warm store while an edited one warms
(serving/publish.py, api/deps.py): SPARQL, the Graph Store protocol and linked-data RDF
read the edit at once, a page shows the graph as before it and says so, and once the
edited store is warm the pages read it and the old store is closed."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.store.edits import EDITS_GRAPH
from serving.context import StoreContext
from serving.publish import Publication
from serving.settings import Settings
from tests.api.conftest import QUERIES

TOKEN = "pages-behind-token-0123456789"
NOTICE = 'class="behind-notice" role="status"'


class Stub:
    """What the publication reads of a context: its warm event, its warm-up, its close."""

    def __init__(self, name: str, *, warm: bool = False) -> None:
        self.name = name
        self.generation = Path(f"/nonexistent/{name}")
        self.triples = 1_000_000
        self.warm = threading.Event()
        if warm:
            self.warm.set()
        self.closed = threading.Event()

    def warm_up(self, also: object = ()) -> None:
        """Started by :meth:`Publication.publish`; a test sets :attr:`warm` itself."""

    def close(self) -> None:
        self.closed.set()

    def __repr__(self) -> str:
        return self.name


def stub(name: str, *, warm: bool = False) -> Any:
    """A :class:`Stub`, typed as the context it stands for."""
    return Stub(name, warm=warm)


def moved(publication: Publication, limit: float = 30) -> bool:
    """Whether the watcher of the newest context let go of the one the pages read before
    (within ``limit`` seconds): it does so once that context is warm."""
    deadline = time.monotonic() + limit
    while publication.held() and time.monotonic() < deadline:
        time.sleep(0.01)
    return not publication.held()


def published(*contexts: Stub) -> Publication:
    """A publication that published ``contexts`` in order, waiting for none of them."""
    publication = Publication(warm_seconds=0.0)
    for context in contexts:
        publication.publish(context, wait=0.0)  # type: ignore[arg-type]
    return publication


def test_pages_read_the_last_warm_context_until_the_new_one_is_warm() -> None:
    old, new = stub("old", warm=True), stub("new")
    publication = published(old, new)
    assert publication.current is new
    assert publication.pages is old
    assert publication.held() == [old.generation]  # its served copy is not removed
    assert not old.closed.is_set()
    new.warm.set()
    assert publication.pages is new
    assert publication.behind() is None
    assert old.closed.wait(30)  # by the new context's watcher, not by a request
    assert not new.closed.is_set()


def test_the_old_context_is_retired_once_the_new_one_warms_without_any_request() -> None:
    old, new = stub("old", warm=True), stub("new")
    publication = published(old, new)
    new.warm.set()
    assert old.closed.wait(30)  # the watcher retires it; no request asked
    assert publication.pages is new


def test_a_request_on_the_old_pages_keeps_them_open_until_it_ends() -> None:
    old, new = stub("old", warm=True), stub("new")
    publication = published(old, new)
    request = publication.readers.enter()
    assert publication.pages is old
    new.warm.set()
    assert publication.pages is new
    assert moved(publication)  # the watcher has retired the old context…
    assert not old.closed.is_set()  # …which the request still reads
    assert not publication.settled()  # so /healthz does not say warm yet
    publication.readers.leave(request)
    assert old.closed.is_set()
    assert publication.settled()


def test_two_quick_edits_retire_the_unwarmed_one_between() -> None:
    old, first, second = stub("old", warm=True), stub("first"), stub("second")
    publication = published(old, first, second)
    assert first.closed.is_set()  # its warm-up stops: close() makes it return
    assert publication.current is second and publication.pages is old
    first.warm.set()  # a closed context's warm-up ends by setting its event
    assert publication.pages is old
    second.warm.set()
    assert publication.pages is second
    assert old.closed.wait(30) and not second.closed.is_set()


def test_with_nothing_warm_yet_the_pages_read_the_current_context() -> None:
    starting, edited = stub("starting"), stub("edited")
    publication = published(starting, edited)
    assert publication.pages is edited and publication.behind() is None
    assert starting.closed.is_set()


def test_a_warm_new_context_replaces_both_at_once() -> None:
    old, warming, warm = stub("old", warm=True), stub("warming"), stub("warm", warm=True)
    publication = published(old, warming, warm)
    assert publication.pages is warm
    assert old.closed.is_set() and warming.closed.is_set()


def test_a_rebuild_moves_the_pages_at_once() -> None:
    old, rebuilt = stub("old", warm=True), stub("rebuilt")
    publication = published(old)
    publication.publish(rebuilt, wait=0.0, keep_pages=False)
    assert publication.pages is rebuilt and old.closed.is_set()


# A server whose edited store warms only when the test says so -----------------------------


class Gate(threading.Event):
    """Set: the edited stores warm; ``passes``: how many warm before it is set."""

    passes = 0


@pytest.fixture()
def gated(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """The warm-up of every served copy (an edited store) waits for the gate."""
    gate = Gate()
    fill = StoreContext._fill

    def gated_fill(self: StoreContext) -> None:
        if not self.kept:
            if gate.passes > 0:
                gate.passes -= 1
            else:
                gate.wait()
        fill(self)

    monkeypatch.setattr(StoreContext, "_fill", gated_fill)
    yield gate
    gate.set()  # the warm-up threads end


def country(slug: str, name: str) -> str:
    """An update adding a country ``name`` (member of AUKUS) to the edits graph."""
    return (
        f"INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ id:{slug} a pg:Country ; "
        f'rdfs:label "{name}"@en, "{name}国"@ja, "{name}국"@ko ; pg:memberOf id:aukus }} }}'
    )


INSERT = country("usa", "Pagesland")
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def served(store: Path) -> Settings:
    """The server's settings: edits allowed, no wait for an edited store's caches."""
    return Settings(store=str(store), queries=QUERIES, update_token=TOKEN, warm_seconds=0)  # type: ignore[arg-type]


def edit(client: TestClient, update: str) -> httpx.Response:
    """Send ``update`` to ``/sparql`` with the token."""
    headers = {"Content-Type": "application/sparql-update", **AUTH}
    response: httpx.Response = client.post("/sparql", content=update, headers=headers)
    return response


@pytest.mark.slow
def test_pages_show_the_graph_before_the_edit_until_it_is_warm(
    minimal_store_path: Path, gated: Gate
) -> None:
    app = create_app(served(minimal_store_path))
    with TestClient(app) as client:
        before: StoreContext = app.state.context
        assert before.warm.wait(300)
        page = client.get("/search", params={"q": "Pagesland"})
        assert page.status_code == 200 and NOTICE not in page.text
        assert client.get("/healthz").json()["pages"] == "current"

        assert edit(client, INSERT).status_code == 204
        after: StoreContext = app.state.context
        assert after is not before and not after.warm.is_set()

        # What must read its own writes reads the edit at once.
        ask = client.get("/sparql", params={"query": "ASK { id:usa rdfs:label ?l }"})
        assert ask.json()["boolean"] is True
        graph = client.get("/store", params={"graph": EDITS_GRAPH}, headers=AUTH)
        assert graph.status_code == 200 and "Pagesland" in graph.text
        rdf = client.get("/id/usa", headers={"Accept": "text/turtle"})
        assert rdf.status_code == 200 and "Pagesland" in rdf.text
        assert "usa" in {
            e["slug"] for e in client.get("/api/entities?q=Pagesland").json()["results"]
        }

        # The pages show the graph as it was, and say so.
        health = client.get("/healthz").json()
        assert (health["warm"], health["pages"]) == (False, "previous")
        page = client.get("/search", params={"q": "Pagesland"})
        assert NOTICE in page.text and "before the edit at" in page.text
        assert 'href="/id/usa"' not in page.text
        entity = client.get("/id/usa", headers={"Accept": "text/html"})
        assert entity.status_code == 404 and NOTICE in entity.text

        gated.set()
        assert after.warm.wait(300)
        # Warm once the pages read the edited store and the old one is let go of.
        deadline = time.monotonic() + 60
        while not (health := client.get("/healthz").json())["warm"]:
            assert time.monotonic() < deadline, health
            time.sleep(0.02)
        assert health["pages"] == "current"
        page = client.get("/search", params={"q": "Pagesland"})
        assert NOTICE not in page.text and 'href="/id/usa"' in page.text
        assert "label_index" not in before.memo  # the old context was closed


@pytest.mark.slow
def test_the_served_copy_the_pages_read_is_kept_through_later_edits(
    minimal_store_path: Path, gated: Gate
) -> None:
    gated.passes = 1  # the first edit's store warms, the next two wait
    app = create_app(served(minimal_store_path))
    with TestClient(app) as client:
        assert app.state.context.warm.wait(300)
        assert edit(client, country("usa", "Firstland")).status_code == 204
        first: StoreContext = app.state.context
        assert first.warm.wait(300) and first.generation is not None
        assert client.get("/healthz").json()["pages"] == "current"
        for slug, name in (("can", "Secondland"), ("nzl", "Thirdland")):
            assert edit(client, country(slug, name)).status_code == 204
        assert client.get("/healthz").json()["pages"] == "previous"
        assert first.generation.is_dir()  # two newer copies, this one still read
        page = client.get("/search", params={"q": "Firstland"})
        assert NOTICE in page.text and 'href="/id/usa"' in page.text
        assert 'href="/id/nzl"' not in client.get("/search", params={"q": "Thirdland"}).text
