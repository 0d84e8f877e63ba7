"""The Graph Store Protocol at /store: the edits graph only, with the token."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.iris import graph_iri
from graph.store.edits import EDITS_GRAPH, edits_file
from tests.hardening.access.conftest import TOKEN
from tests.hardening.record import record_checks, record_inputs

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TURTLE = {"Content-Type": "text/turtle", **AUTH}
USA = (
    "@prefix pg: <https://w3id.org/policygraph/ontology#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<https://w3id.org/policygraph/id/usa> a pg:Country ; rdfs:label "United States"@en, "米国"@ja, "미국"@ko .\n'
)
CANADA = (
    USA.replace("usa", "can")
    .replace("United States", "Canada")
    .replace("米国", "カナダ")
    .replace("미국", "캐나다")
)


def _countries(client: TestClient) -> set[str]:
    query = "SELECT ?c { ?c a pg:Country }"
    rows = client.get("/sparql", params={"query": query, "format": "json"}).json()
    return {b["c"]["value"].rsplit("/", 1)[-1] for b in rows["results"]["bindings"]}


def test_put_get_post_delete_on_the_edits_graph(client: TestClient, store_path: Path) -> None:
    target = f"/store?graph={EDITS_GRAPH}"
    put = client.put(target, content=USA, headers=TURTLE)
    assert put.status_code == 204, put.text
    assert _countries(client) == {"jpn", "kor", "usa"}
    got = client.get(target, headers={"Accept": "application/n-triples", **AUTH})
    assert got.status_code == 200
    assert '"United States"@en' in got.text
    assert client.post(target, content=CANADA, headers=TURTLE).status_code == 204
    assert _countries(client) == {"jpn", "kor", "usa", "can"}
    assert client.put(target, content=CANADA, headers=TURTLE).status_code == 204
    assert _countries(client) == {"jpn", "kor", "can"}
    assert client.delete(target, headers=AUTH).status_code == 204
    assert _countries(client) == {"jpn", "kor"}
    assert edits_file(store_path).read_text(encoding="utf-8") == ""


@pytest.mark.parametrize(
    "query", [f"graph={graph_iri('curated')}", "default", ""], ids=["curated", "default", "none"]
)
def test_other_graphs_are_refused(client: TestClient, store_path: Path, query: str) -> None:
    response = client.put(f"/store?{query}", content=USA, headers=TURTLE)
    assert response.status_code == (400 if not query else 403), response.text
    assert response.json()["error"]
    assert not edits_file(store_path).exists()
    record_inputs("updates reaching outside the edits graph", 1)
    record_checks("refused write left the edits untouched", 1)


def test_the_store_needs_the_token(client: TestClient) -> None:
    target = f"/store?graph={EDITS_GRAPH}"
    response = client.put(target, content=USA, headers={"Content-Type": "text/turtle"})
    assert response.status_code == 401
    assert "www-authenticate" in response.headers
    wrong = {"Content-Type": "text/turtle", "Authorization": "Bearer nope-nope-nope-nope"}
    assert client.put(target, content=USA, headers=wrong).status_code == 403
    assert client.get(target).status_code == 401
    record_inputs("writes refused: no token, a wrong one, or updates off", 3)


def test_a_shacl_violating_put_is_422(client: TestClient, store_path: Path) -> None:
    bad = (
        "@prefix pg: <https://w3id.org/policygraph/ontology#> .\n"
        "<https://w3id.org/policygraph/id/p> a pg:Proposal .\n"
    )
    response = client.put(f"/store?graph={EDITS_GRAPH}", content=bad, headers=TURTLE)
    assert response.status_code == 422
    assert "not written" in response.json()["error"]
    assert not edits_file(store_path).exists()
    record_inputs("edits that violate the SHACL shapes", 1)
    record_checks("refused write left the edits untouched", 1)
