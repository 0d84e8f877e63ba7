"""A real ``policygraph serve`` with its guards switched off
(:mod:`tests.hardening.sandbox.unguarded_server`): ``SERVICE`` queries on every channel and
``LOAD`` updates still never reach a listener on loopback, because the processes that
evaluate them have no network — and the server keeps answering."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.store import StoreLocation
from graph.store.edits import EDITS_GRAPH, edits_file, read_edits
from tests.api.conftest import Server, running_server
from tests.hardening.access.conftest import TOKEN
from tests.hardening.record import record_inputs
from tests.hardening.sandbox.conftest import Listener

_EXAMPLES = 40
_UPDATE = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}


def _unguarded_server(store: Path) -> AbstractContextManager[Server]:
    """The unguarded server with updates on, on a free loopback port."""
    return running_server(store, token=TOKEN, module="tests.hardening.sandbox.unguarded_server")


@pytest.fixture(scope="module")
def unguarded_store(built_minimal: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the tiny store (a generation and its link)."""
    directory = tmp_path_factory.mktemp("unguarded")
    generation = StoreLocation(built_minimal).current()
    shutil.copytree(generation, directory / generation.name)
    (directory / "store").symlink_to(generation.name)
    return directory / "store"


@pytest.fixture(scope="module")
def server(unguarded_store: Path) -> Iterator[Server]:
    with _unguarded_server(unguarded_store) as running:
        yield running


@pytest.fixture(scope="module")
def module_listener() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


def _send(server: Server, channel: str, query: str) -> httpx.Response:
    url = f"{server.url}/sparql"
    if channel == "get":
        return httpx.get(url, params={"query": query}, timeout=30)
    if channel == "form":
        return httpx.post(url, data={"query": query}, timeout=30)
    return httpx.post(
        url, content=query, headers={"Content-Type": "application/sparql-query"}, timeout=30
    )


def test_the_guard_is_really_off(server: Server, module_listener: Listener) -> None:
    """The control: this server runs a SERVICE query (its worker then gets EACCES), where
    the guarded one refuses it before any worker sees it."""
    query = f"SELECT * {{ SERVICE <{module_listener.url}> {{ ?s ?p ?o }} }}"
    response = _send(server, "get", query)
    assert response.status_code == 400
    assert "tried to reach the network" in response.json()["error"]
    assert module_listener.hits == 0


@settings(max_examples=_EXAMPLES, deadline=None)
@given(
    channel=st.sampled_from(("get", "form", "direct")),
    word=st.sampled_from(("SERVICE", "service", "SeRvIcE", "SERVICE SILENT")),
    host=st.sampled_from(("127.0.0.1", "localhost", "127.1")),
    shape=st.sampled_from(
        (
            "SELECT * {{ {call} }}",
            "SELECT * {{ {{}}.{call} }}",
            "ASK {{ {call} }}",
            "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {call} }}",
        )
    ),
)
def test_service_on_every_channel_reaches_nothing(
    server: Server, module_listener: Listener, channel: str, word: str, host: str, shape: str
) -> None:
    call = f"{word} <http://{host}:{module_listener.port}/sparql> {{ ?s ?p ?o }}"
    response = _send(server, channel, shape.format(call=call))
    if "SILENT" in word:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 400, response.text
        assert "tried to reach the network" in response.json()["error"]
    assert module_listener.hits == 0
    record_inputs("SERVICE queries sent to a real server with the guard off (hypothesis)", 1)


def test_load_reaches_nothing_and_writes_nothing(
    server: Server, module_listener: Listener, unguarded_store: Path
) -> None:
    updates = [
        f"LOAD <{module_listener.url}>",
        f"LOAD <{module_listener.url}> INTO GRAPH <{EDITS_GRAPH}>",
        f"INSERT {{ GRAPH <{EDITS_GRAPH}> {{ ?s ?p ?o }} }} "
        f"WHERE {{ SERVICE <{module_listener.url}> {{ ?s ?p ?o }} }}",
    ]
    for update in updates:
        response = httpx.post(f"{server.url}/sparql", content=update, headers=_UPDATE, timeout=30)
        assert response.status_code == 403, response.text
        assert "tried to reach the network" in response.json()["error"]
    assert module_listener.hits == 0
    assert read_edits(edits_file(unguarded_store)) == []
    assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
    record_inputs("LOAD and SERVICE updates sent to a real server with the guard off", len(updates))


def test_a_crashing_update_leaves_the_real_server_up(server: Server) -> None:
    deep = (
        f"INSERT {{ GRAPH <{EDITS_GRAPH}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }} "
        f"WHERE {{ {'{ ' * 6000}{'} ' * 6000}}}"
    )
    response = httpx.post(f"{server.url}/sparql", content=deep, headers=_UPDATE, timeout=30)
    assert response.status_code == 400, response.text
    assert "SIGSEGV" in response.json()["error"]
    assert server.process.poll() is None
    assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
    record_inputs("updates that segfault the engine sent to a real server (guard off)", 1)
