"""Over ``policygraph serve`` on loopback: no spelling of ``SERVICE``, ``FROM`` or ``LOAD``
makes the server reach a listener on 127.0.0.1, on any channel — the ``GET`` fast path, a
``GET`` through the full stack, a form ``POST``, a direct ``POST``, the workbench permalink
``/query?query=`` (and ``/sparql`` asked for HTML), and updates by a token holder. A
refusal is a 4xx with a one-line reason; deep nesting is a 400 and the server lives on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.build import build_store
from graph.errors import QueryRefusedError
from graph.iris import graph_iri
from graph.query.guard import guard_query
from tests.api.conftest import Server, running_server
from tests.api.test_query_guard import (
    WALK_AROUNDS,
    from_spellings,
    load_spellings,
    service_spellings,
)
from tests.conftest import MINIMAL_DATA
from tests.hardening.outside.listener import Listener
from tests.hardening.record import record_inputs

pytestmark = pytest.mark.slow

TOKEN = "outside-probe-token-0123456789"
OURS = {graph_iri("curated"), graph_iri("ontology"), graph_iri("edits")}

Send = Callable[[httpx.Client, str], httpx.Response]


def _fast_get(client: httpx.Client, query: str) -> httpx.Response:
    return client.get("/sparql", params={"query": query})


def _stack_get(client: httpx.Client, query: str) -> httpx.Response:
    # An Origin header sends the GET down the full middleware stack, not the fast path.
    return client.get("/sparql", params={"query": query}, headers={"Origin": "http://a.test"})


def _form_post(client: httpx.Client, query: str) -> httpx.Response:
    return client.post("/sparql", data={"query": query})


def _direct_post(client: httpx.Client, query: str) -> httpx.Response:
    headers = {"Content-Type": "application/sparql-query"}
    return client.post("/sparql", content=query.encode(), headers=headers)


CHANNELS: dict[str, Send] = {
    "GET fast path": _fast_get,
    "GET full stack": _stack_get,
    "POST form": _form_post,
    "POST direct": _direct_post,
}


def _update_direct(client: httpx.Client, update: str) -> httpx.Response:
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    return client.post("/sparql", content=update.encode(), headers=headers)


def _update_form(client: httpx.Client, update: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    return client.post("/sparql", data={"update": update}, headers=headers)


UPDATE_CHANNELS: dict[str, Send] = {"POST direct": _update_direct, "POST form": _update_form}


@pytest.fixture(scope="module")
def outside() -> Iterator[Listener]:
    with Listener() as listener:
        yield listener


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = tmp_path_factory.mktemp("outside") / "store"
    build_store([MINIMAL_DATA], store)
    with running_server(store, token=TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def _aimed(text: str, outside: Listener) -> str:
    """``text`` with its ``127.0.0.1:9`` pointed at the listener."""
    return text.replace("127.0.0.1:9/", f"127.0.0.1:{outside.port}/")


def _assert_refused(response: httpx.Response, status: int, text: str) -> None:
    assert response.status_code == status, (text, response.status_code, response.text[:300])
    message = response.json()["error"]
    assert "\n" not in message and "Traceback" not in message, message


def _guard_refuses(query: str) -> bool:
    try:
        guard_query(query, OURS)
    except QueryRefusedError:
        return True
    return False


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_the_walk_arounds_of_the_issue_are_400_on_every_channel(
    channel: str, client: httpx.Client, outside: Listener, server: Server
) -> None:
    for text in WALK_AROUNDS:
        query = _aimed(text, outside)
        response = CHANNELS[channel](client, query)
        _assert_refused(response, 400, query)
    assert outside.hits == 0
    assert "Traceback" not in server.output()
    record_inputs("SERVICE walk-arounds of issue 14 sent to the real server", len(WALK_AROUNDS))


def test_generated_spellings_never_reach_the_listener(
    client: httpx.Client, outside: Listener, server: Server
) -> None:
    sent: list[str] = []
    refused: list[str] = []

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.one_of(service_spellings(), from_spellings()),
        st.sampled_from(sorted(CHANNELS)),
    )
    def check(text: str, channel: str) -> None:
        query = _aimed(text, outside)
        response = CHANNELS[channel](client, query)
        sent.append(query)
        assert outside.hits == 0, f"reached the listener on {channel}: {query!r}"
        if _guard_refuses(query):
            refused.append(query)
            _assert_refused(response, 400, query)
        else:
            assert response.status_code in (200, 400), (query, response.text[:300])

    check()
    assert len(refused) > len(sent) // 2
    assert "Traceback" not in server.output()
    record_inputs(
        "SERVICE/FROM spellings sent to the real server on every channel (hypothesis)", len(sent)
    )


@pytest.mark.parametrize("path", ["/query", "/sparql"])
def test_the_permalink_renders_the_query_and_never_runs_it(
    path: str, client: httpx.Client, outside: Listener
) -> None:
    for text in WALK_AROUNDS:
        query = _aimed(text, outside)
        response = client.get(path, params={"query": query}, headers={"Accept": "text/html"})
        assert response.status_code in (200, 400), (query, response.status_code)
        if response.status_code == 200:
            assert response.headers["content-type"].startswith("text/html")
    assert outside.hits == 0
    record_inputs("SERVICE walk-arounds opened as workbench permalinks", len(WALK_AROUNDS))


def test_generated_load_spellings_by_a_token_holder_never_reach_the_listener(
    client: httpx.Client, outside: Listener, server: Server
) -> None:
    sent: list[str] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(load_spellings(), st.sampled_from(sorted(UPDATE_CHANNELS)))
    def check(text: str, channel: str) -> None:
        update = _aimed(text, outside)
        response = UPDATE_CHANNELS[channel](client, update)
        sent.append(update)
        assert outside.hits == 0, f"reached the listener on {channel}: {update!r}"
        _assert_refused(response, 403, update)
        assert "LOAD" in response.json()["error"]

    check()
    assert "Traceback" not in server.output()
    record_inputs(
        "LOAD spellings sent by a token holder to the real server (hypothesis)", len(sent)
    )


def test_deep_nesting_is_400_and_the_server_lives_on(client: httpx.Client, server: Server) -> None:
    def nested(depth: int) -> str:
        return "SELECT * { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"

    update = (
        "INSERT { GRAPH <urn:e> { <urn:a> <urn:b> <urn:c> } } WHERE " + "{" * 6_000 + "}" * 6_000
    )
    for name, channel in CHANNELS.items():
        depth = 1_000 if name.startswith("GET") else 6_000  # a GET URL holds at most 16 KB
        _assert_refused(channel(client, nested(depth)), 400, f"{depth} parentheses")
    for channel in UPDATE_CHANNELS.values():
        response = channel(client, update)
        _assert_refused(response, 400, "6,000 braces")
        assert "deeper than 64" in response.json()["error"]  # refused before any parser
    binds = " ".join(f"BIND({i} AS ?x{i})" for i in range(3_000))  # crashed the engine
    _assert_refused(_direct_post(client, f"SELECT * {{ {binds} }}"), 400, "3,000 BINDs")
    chain = f"INSERT {{ GRAPH <urn:e> {{ ?x0 ?x1 ?x2 }} }} WHERE {{ {binds} }}"
    response = _update_direct(client, chain)
    _assert_refused(response, 400, "3,000 BINDs in an update")
    assert "more than 1000 operators" in response.json()["error"]
    assert client.get("/healthz").status_code == 200
    assert server.process.poll() is None
    record_inputs("deeply nested queries and updates sent to the real server", 8)


def test_the_store_is_untouched(server: Server, client: httpx.Client) -> None:
    """Nothing any probe sent was loaded into the edits graph."""
    response = client.get(
        "/sparql",
        params={"query": f"ASK {{ GRAPH <{graph_iri('edits')}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    assert response.json()["boolean"] is False
