"""The fast path of plain ``/sparql`` queries — ``GET``, ``POST`` form and ``POST``
``application/sparql-query`` — answers as the full stack does.

The app serves the fixture store from disk (as ``policygraph serve`` does), so the fast
path is live; a request with an ``Origin`` header goes down the full stack instead, which
gives each case a reference answer from the route itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.sparql_fast_path import SparqlFastPath
from graph.iris import graph_iri
from graph.store import OxigraphStore
from serving.settings import Settings
from tests.api.conftest import QUERIES
from tests.contexts import serve_store

ORIGIN = {"Origin": "https://analyst.example"}
LABELS = "SELECT ?label WHERE { id:jpn rdfs:label ?label } ORDER BY ?label"
EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT { id:jpn rdfs:label ?l } WHERE { id:jpn rdfs:label ?l }"
#: A row cap small enough for EVERYTHING to be cut.
MAX_ROWS = 5


@pytest.fixture()
def taken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries the fast path answered (it still answers them)."""
    answered: list[str] = []
    original = SparqlFastPath._answer

    async def spy(self: SparqlFastPath, scope: dict[str, object], query: str, *args: object):  # type: ignore[no-untyped-def]
        answered.append(query)
        return await original(self, scope, query, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(SparqlFastPath, "_answer", spy)
    return answered


@pytest.fixture(scope="module")
def disk_client(fixture_store_path: Path) -> Iterator[TestClient]:
    """A client of the app serving the fixture store from disk, as ``serve`` does: one for
    the module (its requests only read), as a server answers one request after another."""
    settings = Settings(store=str(fixture_store_path), queries=QUERIES, max_rows=MAX_ROWS)
    with TestClient(create_app(settings)) as client:
        yield client


CASES = {
    "json by default": ({"query": LABELS}, {}),
    "xml by Accept": ({"query": LABELS}, {"Accept": "application/sparql-results+xml"}),
    "csv by format": ({"query": LABELS, "format": "csv"}, {}),
    "tsv by Accept with q-values": (
        {"query": LABELS},
        {"Accept": "text/csv;q=0.5, text/tab-separated-values"},
    ),
    "ask": ({"query": "ASK { id:jpn ?p ?o }", "format": "xml"}, {}),
    "construct as turtle": ({"query": CONSTRUCT}, {"Accept": "text/turtle"}),
    "construct as n-triples": ({"query": CONSTRUCT, "format": "ntriples"}, {}),
    "row cap": ({"query": EVERYTHING}, {}),
    "dataset by default-graph-uri": (
        {"query": EVERYTHING, "default-graph-uri": graph_iri("ontology")},
        {"Accept": "text/csv"},
    ),
    "malformed query": ({"query": "SELECT ?s WHERE { ?s"}, {}),
    "service refused": ({"query": "SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }"}, {}),
    "foreign FROM refused": ({"query": "SELECT * FROM <http://x/g> { ?s ?p ?o }"}, {}),
    "graph IRI not absolute": ({"query": LABELS, "named-graph-uri": "not an iri"}, {}),
    "unknown format": ({"query": LABELS, "format": "yaml"}, {}),
    "nothing acceptable": ({"query": LABELS}, {"Accept": "image/png"}),
}
COMPARED_HEADERS = (
    "content-type", "x-content-type-options", "referrer-policy",
    "policygraph-truncated", "policygraph-row-limit",
)  # fmt: skip


def send(
    client: TestClient, method: str, params: dict[str, str], headers: dict[str, str]
) -> httpx.Response:
    """``params`` sent by ``method``: ``GET`` (all in the URL), ``POST form`` (all in the
    body), ``POST direct`` (the query as the body, the rest in the URL)."""
    if method == "GET":
        return client.get("/sparql", params=params, headers=headers)
    if method == "POST form":
        return client.post("/sparql", data=params, headers=headers)
    rest = {name: value for name, value in params.items() if name != "query"}
    direct = {**headers, "Content-Type": "application/sparql-query"}
    return client.post("/sparql", params=rest, content=params["query"], headers=direct)


METHODS = ("GET", "POST form", "POST direct")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("case", list(CASES))
def test_fast_path_answers_as_the_full_stack(
    disk_client: TestClient, taken: list[str], case: str, method: str
) -> None:
    params, headers = CASES[case]
    fast = send(disk_client, method, params, headers)
    assert taken == [params["query"]], f"the plain {method} should take the fast path"
    full = send(disk_client, method, params, {**headers, **ORIGIN})
    assert taken == [params["query"]], "a request with Origin should take the full stack"
    assert full.headers["access-control-allow-origin"] == "*"
    assert (fast.status_code, fast.content) == (full.status_code, full.content)
    for name in COMPARED_HEADERS:
        assert fast.headers.get(name) == full.headers.get(name), name
    # CORS adds Origin to Vary, and only for a request with Origin.
    full_vary = [v for v in full.headers.get("vary", "").split(", ") if v]
    assert full_vary[-1] == "Origin"
    assert fast.headers.get("vary") == (", ".join(full_vary[:-1]) or None)


def test_the_cases_cover_answers_errors_and_the_row_cap(disk_client: TestClient) -> None:
    statuses = {
        case: disk_client.get("/sparql", params=params, headers=headers).status_code
        for case, (params, headers) in CASES.items()
    }
    assert statuses["json by default"] == statuses["construct as turtle"] == 200
    assert statuses["malformed query"] == statuses["service refused"] == 400
    assert statuses["unknown format"] == statuses["nothing acceptable"] == 406
    capped = disk_client.get("/sparql", params={"query": EVERYTHING, "format": "csv"})
    assert capped.headers["policygraph-truncated"] == "true"
    assert len(capped.text.strip().splitlines()) == MAX_ROWS + 1  # the header line too


@pytest.mark.parametrize(
    ("method", "params", "headers"),
    [
        ("GET", {}, {"Accept": "text/turtle"}),  # the service description
        ("GET", {"query": LABELS, "update": "CLEAR ALL"}, {}),  # the route's 403
        ("GET", {"query": [LABELS, LABELS]}, {}),  # two queries: the route's 400
        ("GET", {"query": LABELS, "callback": "x"}, {}),  # a parameter it does not know
        ("GET", {"query": LABELS}, ORIGIN),  # CORS
        ("POST form", {"query": LABELS}, ORIGIN),
        ("POST direct", {"query": LABELS}, ORIGIN),
    ],
)
def test_other_requests_take_the_full_stack(
    disk_client: TestClient,
    taken: list[str],
    method: str,
    params: dict[str, object],
    headers: dict[str, str],
) -> None:
    if method == "GET":
        disk_client.get("/sparql", params=params, headers=headers)  # type: ignore[arg-type]
    else:
        send(disk_client, method, params, headers)  # type: ignore[arg-type]
    assert taken == []


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("update=CLEAR ALL", "application/x-www-form-urlencoded", 403),  # updates are off
        ("CLEAR ALL", "application/sparql-update", 403),
        (f"query={LABELS}&query={LABELS}", "application/x-www-form-urlencoded", 400),
        (f"query={LABELS}&callback=x", "application/x-www-form-urlencoded", 200),
        (LABELS, "text/plain", 415),
        ("SELECT * { ?s ?p ?o } # \xff".encode("latin-1"), "application/sparql-query", 400),
    ],
)
def test_posts_that_are_not_a_plain_query_reach_the_route_with_their_body(
    disk_client: TestClient, taken: list[str], body: str | bytes, content_type: str, status: int
) -> None:
    """A body the fast path read and handed on is the route's to answer, as it came."""
    response = disk_client.post("/sparql", content=body, headers={"Content-Type": content_type})
    assert response.status_code == status, response.text
    assert taken == []


def test_a_body_past_the_limit_gets_the_full_stacks_413(
    fixture_store_path: Path, taken: list[str]
) -> None:
    app = create_app(Settings(store=str(fixture_store_path), queries=QUERIES, max_body=64))
    with TestClient(app) as client:
        response = client.post("/sparql", data={"query": LABELS + " " * 100})
    assert response.status_code == 413
    assert taken == []


def test_head_is_answered_as_get_without_the_body(
    disk_client: TestClient, taken: list[str]
) -> None:
    """HEAD goes down as a GET (api/http_methods.py), so the fast path may answer it."""
    get = disk_client.get("/sparql", params={"query": LABELS})
    head = disk_client.head("/sparql", params={"query": LABELS})
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content)) != "0"
    assert taken == [LABELS, LABELS]


def test_an_overridden_store_takes_the_full_stack(
    fixture_store_path: Path, fixture_store: OxigraphStore, taken: list[str]
) -> None:
    app = create_app(Settings(store=str(fixture_store_path), queries=QUERIES))
    serve_store(app, fixture_store)
    with TestClient(app) as client:
        assert client.get("/sparql", params={"query": LABELS}).status_code == 200
    assert taken == []


def test_a_url_past_the_limit_gets_the_full_stacks_414(
    fixture_store_path: Path, taken: list[str]
) -> None:
    app = create_app(Settings(store=str(fixture_store_path), queries=QUERIES, max_url=256))
    with TestClient(app) as client:
        response = client.get("/sparql", params={"query": LABELS + " " * 300})
    assert response.status_code == 414
    assert taken == []
