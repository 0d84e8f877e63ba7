"""SPARQL updates: off without a token, 401/403 without the right one, only into the
edits graph, validated with SHACL before anything is written, kept through rebuilds."""

from __future__ import annotations

import hmac
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from graph.build import build_store
from graph.store import open_store
from graph.store.edits import EDITS_GRAPH, edits_file
from serving.settings import Settings
from tests.conftest import MINIMAL_DATA, run_cli
from tests.hardening.access.conftest import TOKEN, client_over
from tests.hardening.record import record_checks, record_inputs

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {"Content-Type": "application/sparql-update"}
INSERT_USA = f'INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ id:usa a pg:Country ; rdfs:label "United States"@en, "米国"@ja, "미국"@ko }} }}'
LABEL_OF_USA = 'SELECT ?l WHERE { id:usa rdfs:label ?l FILTER (lang(?l) = "en") }'


def _labels_of_usa(client: TestClient) -> list[str]:
    response = client.get("/sparql", params={"query": LABEL_OF_USA, "format": "json"})
    assert response.status_code == 200
    return [b["l"]["value"] for b in response.json()["results"]["bindings"]]


@pytest.mark.parametrize("token", ["", "   ", "short-token"])
def test_an_empty_or_short_token_is_refused_at_start(token: str) -> None:
    with pytest.raises(ValidationError, match="POLICYGRAPH_UPDATE_TOKEN"):
        Settings(update_token=token)  # type: ignore[arg-type]
    record_inputs("update tokens too weak to start with", 1)


def test_serve_refuses_a_short_token_with_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess
    import sys

    from graph import REPO_ROOT

    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "serve", "--store", "memory:"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
        env={"PATH": "/usr/bin:/bin", "POLICYGRAPH_UPDATE_TOKEN": "abc"},
    )  # fmt: skip
    assert result.returncode == 2
    assert "POLICYGRAPH_UPDATE_TOKEN has 3 characters" in result.stderr
    assert run_cli("--help").returncode == 0
    record_inputs("update tokens too weak to start with", 1)


def test_without_a_configured_token_every_update_is_403(store_path: Path) -> None:
    with client_over(store_path, token=None) as client:
        response = client.post("/sparql", content=INSERT_USA, headers={**UPDATE, **AUTH})
        assert response.status_code == 403
        assert "POLICYGRAPH_UPDATE_TOKEN" in response.json()["error"]
        assert client.put(f"/store?graph={EDITS_GRAPH}", headers=AUTH).status_code == 403
    assert not edits_file(store_path).exists()
    record_inputs("writes refused: no token, a wrong one, or updates off", 2)
    record_checks("refused write left the edits untouched", 1)


def test_an_update_without_authorization_is_401(
    refusing_client: TestClient, refusing_store_path: Path
) -> None:
    response = refusing_client.post("/sparql", content=INSERT_USA, headers=UPDATE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["error"]
    assert not edits_file(refusing_store_path).exists()
    record_inputs("writes refused: no token, a wrong one, or updates off", 1)
    record_checks("refused write left the edits untouched", 1)


def test_a_wrong_token_is_403_compared_in_constant_time(
    refusing_client: TestClient, refusing_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr("serving.edits.hmac.compare_digest", spy)
    wrong = {"Authorization": f"Bearer {TOKEN[:-1]}x"}
    response = refusing_client.post("/sparql", content=INSERT_USA, headers={**UPDATE, **wrong})
    assert response.status_code == 403
    assert "not this server's update token" in response.json()["error"]
    assert compared == [(f"{TOKEN[:-1]}x".encode(), TOKEN.encode())]
    assert not edits_file(refusing_store_path).exists()
    record_inputs("writes refused: no token, a wrong one, or updates off", 1)
    record_checks("refused write left the edits untouched", 1)


def test_a_valid_insert_into_edits_is_written_and_queryable(
    client: TestClient, store_path: Path
) -> None:
    assert _labels_of_usa(client) == []
    response = client.post("/sparql", content=INSERT_USA, headers={**UPDATE, **AUTH})
    assert response.status_code == 204, response.text
    assert _labels_of_usa(client) == ["United States"]
    assert "United States" in edits_file(store_path).read_text(encoding="utf-8")
    in_edits = f"ASK {{ GRAPH <{EDITS_GRAPH}> {{ id:usa a pg:Country }} }}"
    assert client.get("/sparql", params={"query": in_edits, "format": "json"}).json()["boolean"]


def test_a_form_encoded_update_works(client: TestClient) -> None:
    response = client.post("/sparql", data={"update": INSERT_USA}, headers=AUTH)
    assert response.status_code == 204, response.text
    assert _labels_of_usa(client) == ["United States"]


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { GRAPH <https://w3id.org/policygraph/graph/curated> { id:usa a pg:Country } }",
        'INSERT DATA { id:usa a pg:Country ; rdfs:label "United States"@en }',
        "DELETE WHERE { GRAPH <https://w3id.org/policygraph/graph/curated> { id:kor ?p ?o } }",
        "DROP ALL",
        "WITH <https://w3id.org/policygraph/graph/curated> DELETE { ?s rdfs:label ?l } "
        'INSERT { ?s rdfs:label "x"@en } WHERE { ?s rdfs:label ?l }',
    ],
    ids=["insert-curated", "insert-default", "delete-curated", "drop-all", "with-curated"],
)
def test_an_update_outside_edits_is_403_and_writes_nothing(
    refusing_client: TestClient, refusing_store_path: Path, update: str
) -> None:
    response = refusing_client.post("/sparql", content=update, headers={**UPDATE, **AUTH})
    assert response.status_code == 403, response.text
    assert "may only change the graph" in response.json()["error"]
    assert not edits_file(refusing_store_path).exists()
    korea = refusing_client.get(
        "/sparql", params={"query": "SELECT ?l { id:kor rdfs:label ?l }", "format": "json"}
    )
    assert len(korea.json()["results"]["bindings"]) == 3
    record_inputs("updates reaching outside the edits graph", 1)
    record_checks("refused write left the edits untouched", 1)


def test_a_shacl_violating_insert_is_422_and_writes_nothing(
    refusing_client: TestClient, refusing_store_path: Path
) -> None:
    bad = (
        f"INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ "
        'id:lonely-proposal a pg:Proposal ; rdfs:label "A proposal without evidence"@en } }'
    )
    response = refusing_client.post("/sparql", content=bad, headers={**UPDATE, **AUTH})
    assert response.status_code == 422, response.text
    report = response.json()["error"]
    assert "was not written" in report and "lonely-proposal" in report
    assert not edits_file(refusing_store_path).exists()
    ask = "ASK { id:lonely-proposal ?p ?o }"
    assert (
        refusing_client.get("/sparql", params={"query": ask, "format": "json"}).json()["boolean"]
        is False
    )
    record_inputs("edits that violate the SHACL shapes", 1)
    record_checks("refused write left the edits untouched", 1)


def test_a_malformed_update_is_400(refusing_client: TestClient) -> None:
    response = refusing_client.post("/sparql", content="INSERT DATA {", headers={**UPDATE, **AUTH})
    assert response.status_code == 400
    assert "malformed SPARQL update" in response.json()["error"]
    record_inputs("malformed updates", 1)


def test_edits_survive_a_rebuild_and_a_restart(store_path: Path) -> None:
    with client_over(store_path) as client:
        response = client.post("/sparql", content=INSERT_USA, headers={**UPDATE, **AUTH})
        assert response.status_code == 204
    with client_over(store_path) as client:  # a restart serves the edits file
        assert _labels_of_usa(client) == ["United States"]
    build_store([MINIMAL_DATA], store_path)
    rebuilt = open_store(store_path)
    try:
        assert EDITS_GRAPH in rebuilt.graph_names()
        labels = [str(r["l"].value) for r in rebuilt.query(LABEL_OF_USA)]  # type: ignore[index, union-attr]
        assert labels == ["United States"]
    finally:
        rebuilt.close()
    with client_over(store_path, token=None) as client:  # and reads need no token
        assert _labels_of_usa(client) == ["United States"]
    record_checks("accepted edit kept through a restart and a rebuild", 1)
