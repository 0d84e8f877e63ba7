"""SPARQL updates run in a sandboxed child process with a time limit and a limit on the
triples they change: with the guard bypassed, ``LOAD`` and ``SERVICE`` reach no listener; a
nesting that segfaults the engine costs only the child; an update past the time limit is
503 and frees the edit lock; one changing too many triples is refused; nothing is written
by any of them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import serving.edits
from api.main import create_app
from graph.store.edits import EDITS_GRAPH, edits_file, read_edits
from serving.settings import Settings
from tests.api.conftest import QUERIES
from tests.hardening.access.conftest import TOKEN
from tests.hardening.record import record_checks, record_faults, record_inputs
from tests.hardening.sandbox.conftest import Listener

AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
#: Four triples into the edits graph.
INSERT_USA = (
    f"INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ id:usa a pg:Country ; "
    'rdfs:label "United States"@en, "米国"@ja, "미국"@ko } }'
)
#: One triple per subject of the store: far more than the limit set below.
COMMENT_EVERYTHING = f'INSERT {{ GRAPH <{EDITS_GRAPH}> {{ ?s rdfs:comment "x" }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}'
#: Every triple with every triple, four times over, none kept: runs for minutes in little memory.
ENDLESS = (
    f"INSERT {{ GRAPH <{EDITS_GRAPH}> {{ ?a <urn:x:p> ?i }} }} "
    "WHERE { GRAPH ?g { ?a ?b ?c . ?d ?e ?f . ?x ?h ?i . ?j ?k ?l } "
    'FILTER (STR(?i) = CONCAT(STR(?l), "never")) }'
)
#: A new literal for every three triples of the store: memory grows by hundreds of MB a second.
HUNGRY = (
    f"INSERT {{ GRAPH <{EDITS_GRAPH}> {{ ?a <urn:x:p> ?n }} }} WHERE {{ GRAPH ?g {{ ?a ?b ?c }} "
    "GRAPH ?h { ?d ?e ?f } GRAPH ?i { ?x ?y ?z } BIND (CONCAT(STR(?c), STR(?f), STR(?z)) AS ?n) }"
)
#: The time limit of the test that is about it; the other tests get :data:`ROOMY`, so a
#: slow start of the child on a busy machine never decides what they see.
TIMEOUT = 2.0
ROOMY = 60.0
MAX_TRIPLES = 4
MEMORY_MB = 256


def _client(store_path: Path, timeout: float) -> TestClient:
    settings = Settings(
        store=str(store_path), queries=QUERIES, update_token=TOKEN,  # type: ignore[arg-type]
        update_timeout=timeout, max_update_triples=MAX_TRIPLES, update_memory_mb=MEMORY_MB,
    )  # fmt: skip
    return TestClient(create_app(settings))


@pytest.fixture()
def client(store_path: Path) -> Iterator[TestClient]:
    with _client(store_path, ROOMY) as test_client:
        yield test_client


@pytest.fixture()
def strict_client(store_path: Path) -> Iterator[TestClient]:
    """A client of a server whose updates may take :data:`TIMEOUT` seconds."""
    with _client(store_path, TIMEOUT) as test_client:
        yield test_client


@pytest.fixture()
def unguarded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The update guard switched off: only the sandbox and the limits are left."""
    monkeypatch.setattr(serving.edits, "guard_update", lambda sparql: None)


def _edits(store_path: Path) -> set[str]:
    return {str(q) for q in read_edits(edits_file(store_path))}


def _one_line_error(response: object, status: int, *fragments: str) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    message: str = response.json()["error"]  # type: ignore[attr-defined]
    assert "\n" not in message and "Traceback" not in message
    for fragment in fragments:
        assert fragment in message
    return message


def _fetching_updates(url: str) -> list[str]:
    base, name = url.rsplit("/", 1)
    return [
        f"LOAD <{url}>",
        f"load <{url}> into graph <{EDITS_GRAPH}>",
        f"BASE <{base}/> LOAD <{name}>",
        f"PREFIX out: <{base}/> LOAD out:{name}",
        f"INSERT {{ GRAPH <{EDITS_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"DELETE {{ GRAPH <{EDITS_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ {{}}.SERVICE <{url}> {{ ?s ?p ?o }} }}",
    ]


@pytest.mark.usefixtures("unguarded")
def test_load_and_service_in_an_update_reach_nothing(
    client: TestClient, store_path: Path, listener: Listener
) -> None:
    updates = _fetching_updates(listener.url)
    for update in updates:
        response = client.post("/sparql", content=update, headers=AUTH)
        _one_line_error(response, 403, "tried to reach the network", "nothing was written")
    silent = client.post("/sparql", content=f"LOAD SILENT <{listener.url}>", headers=AUTH)
    assert silent.status_code == 204  # SILENT: the failed LOAD loads nothing
    assert listener.hits == 0
    assert _edits(store_path) == set()
    record_inputs(
        "LOAD and SERVICE updates run without the guard (sandboxed child)", len(updates) + 1
    )
    record_checks("refused write left the edits untouched", len(updates) + 1)


@pytest.mark.usefixtures("unguarded")
def test_a_nesting_that_crashes_the_engine_costs_only_the_child(
    client: TestClient, store_path: Path
) -> None:
    deep = f"INSERT {{ GRAPH <{EDITS_GRAPH}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }} WHERE {{ {'{ ' * 6000}{'} ' * 6000}}}"
    response = client.post("/sparql", content=deep, headers=AUTH)
    _one_line_error(response, 400, "stopped with SIGSEGV", "nothing was written")
    assert client.get("/healthz").status_code == 200
    assert client.post("/sparql", content=INSERT_USA, headers=AUTH).status_code == 204
    assert len(_edits(store_path)) == 4
    record_faults("updates that segfault the engine (6,000-deep nesting, guard bypassed)", 1)
    record_checks("server answered the next request after a crashed update", 1)


def test_an_update_past_the_time_limit_is_503_and_frees_the_lock(
    strict_client: TestClient, store_path: Path
) -> None:
    client = strict_client
    started = time.monotonic()
    with ThreadPoolExecutor(1) as background:
        pending = background.submit(client.post, "/sparql", content=ENDLESS, headers=AUTH)
        time.sleep(TIMEOUT / 4)
        assert client.get("/healthz").status_code == 200
        assert not pending.done()  # answered while the update still ran: the loop is free
        response = pending.result()
    _one_line_error(response, 503, f"longer than {TIMEOUT:g} s", "POLICYGRAPH_UPDATE_TIMEOUT")
    assert time.monotonic() - started >= TIMEOUT  # stopped by the limit, not by a failure
    # The child is gone and the edit lock free: the next update is written.
    assert client.post("/sparql", content=INSERT_USA, headers=AUTH).status_code == 204
    assert not any("urn:x:p" in q for q in _edits(store_path))
    record_inputs("updates past the time limit (killed child, 503)", 1)
    record_checks("refused write left the edits untouched", 1)


def test_an_update_changing_too_many_triples_is_refused(
    client: TestClient, store_path: Path
) -> None:
    response = client.post("/sparql", content=COMMENT_EVERYTHING, headers=AUTH)
    _one_line_error(
        response, 400, f"more than this server's limit of {MAX_TRIPLES}", "nothing was written"
    )
    assert not edits_file(store_path).exists()
    assert client.post("/sparql", content=INSERT_USA, headers=AUTH).status_code == 204  # = limit
    clear = client.post("/sparql", content=f"CLEAR GRAPH <{EDITS_GRAPH}>", headers=AUTH)
    assert clear.status_code == 204  # removing four is four changes: within the limit
    assert _edits(store_path) == set()
    record_inputs("updates changing more triples than the limit", 1)
    record_checks("refused write left the edits untouched", 1)


def test_an_update_past_the_memory_limit_is_refused(client: TestClient, store_path: Path) -> None:
    response = client.post("/sparql", content=HUNGRY, headers=AUTH)
    _one_line_error(
        response, 400, f"more than {MEMORY_MB} MB", "POLICYGRAPH_UPDATE_MEMORY_MB", "nothing was"
    )
    assert not edits_file(store_path).exists()
    assert client.post("/sparql", content=INSERT_USA, headers=AUTH).status_code == 204
    record_inputs("updates past the memory limit of their process", 1)
    record_checks("refused write left the edits untouched", 1)
