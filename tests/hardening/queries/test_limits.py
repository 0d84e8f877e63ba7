"""The row cap is stated in the response; a URL past the limit is 414."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import STATIC_DIR
from graph.store import OxigraphStore
from tests.api.conftest import make_app
from tests.hardening.record import record_inputs

LABELS = "SELECT ?s ?l WHERE { ?s rdfs:label ?l }"


@pytest.fixture()
def capped(fixture_store: OxigraphStore) -> Iterator[TestClient]:
    with TestClient(make_app(fixture_store, max_rows=3, max_url=2048)) as client:
        yield client


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_a_result_past_the_row_cap_is_cut_and_says_so(capped: TestClient, fmt: str) -> None:
    response = capped.get("/sparql", params={"query": LABELS, "format": fmt})
    assert response.status_code == 200
    assert response.headers["policygraph-truncated"] == "true"
    assert response.headers["policygraph-row-limit"] == "3"
    if fmt == "json":
        assert len(response.json()["results"]["bindings"]) == 3
    if fmt in ("csv", "tsv"):
        assert len(response.text.strip().splitlines()) == 1 + 3
    record_inputs("results past the row cap", 1)


def test_a_graph_past_the_row_cap_is_cut_and_says_so(capped: TestClient) -> None:
    query = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }"
    response = capped.get("/sparql", params={"query": query, "format": "ntriples"})
    assert response.headers["policygraph-truncated"] == "true"
    assert len(response.text.strip().splitlines()) == 3
    record_inputs("results past the row cap", 1)


def test_a_result_within_the_cap_is_whole_and_unmarked(capped: TestClient) -> None:
    query = 'SELECT ?l WHERE { id:kor rdfs:label ?l FILTER (lang(?l) = "en") }'
    response = capped.get("/sparql", params={"query": query, "format": "json"})
    assert "policygraph-truncated" not in response.headers
    assert [b["l"]["value"] for b in response.json()["results"]["bindings"]] == [
        "Republic of Korea"
    ]


def test_the_workbench_shows_the_truncation() -> None:
    script = (STATIC_DIR / "js" / "workbench.js").read_text(encoding="utf-8")
    assert 'response.headers.get("Policygraph-Truncated")' in script
    assert "Truncated: only the first" in script


def test_a_url_past_the_limit_is_414(capped: TestClient) -> None:
    response = capped.get("/sparql", params={"query": LABELS + " #" + "x" * 3000})
    assert response.status_code == 414
    assert "POST" in response.json()["error"]
    posted = capped.post(
        "/sparql",
        content=LABELS + " #" + "x" * 3000,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert posted.status_code == 200
    record_inputs("URLs past the length limit", 1)


@pytest.mark.slow
def test_a_huge_url_is_414_from_the_server(minimal_store_path: object) -> None:
    import httpx

    from tests.api.conftest import running_server

    with running_server(minimal_store_path, "--max-url", "16384") as server:  # type: ignore[arg-type]
        response = httpx.get(
            f"{server.url}/sparql", params={"query": LABELS + " #" + "x" * 20_000}, timeout=30
        )
        assert response.status_code == 414
        assert response.json()["error"].startswith("the request URL is longer than 16,384")
    record_inputs("URLs past the length limit", 1)
