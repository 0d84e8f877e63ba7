"""``/api/analysis/{measure}`` and ``/api/paths`` over the tiny fixture store."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_centrality_ranks_and_filters(client: TestClient) -> None:
    rows = client.get("/api/analysis/centrality").json()
    assert set(rows[0]) == {"slug", "label", "type", "degree", "betweenness", "eigenvector"}
    assert all(0 <= r["degree"] <= 1 for r in rows)
    degrees = [r["degree"] for r in rows]
    assert degrees == sorted(degrees, reverse=True)
    countries = client.get("/api/analysis/centrality", params={"type": "Country"}).json()
    assert {r["slug"] for r in countries} == {"kor", "jpn"}
    top = client.get("/api/analysis/centrality", params={"top": 1, "by": "betweenness"}).json()
    assert len(top) == 1 and top[0]["betweenness"] == max(r["betweenness"] for r in rows)


def test_analysis_refuses_bad_parameters(client: TestClient) -> None:
    response = client.get("/api/analysis/centrality", params={"type": "NoSuchClass"})
    assert response.status_code == 400 and "NoSuchClass" in response.json()["error"]
    assert client.get("/api/analysis/centrality", params={"top": 0}).status_code == 422
    assert client.get("/api/analysis/centrality", params={"by": "pagerank"}).status_code == 422
    assert client.get("/api/analysis/nothing").status_code == 404


def test_communities_cover_every_entity_once(client: TestClient) -> None:
    found = client.get("/api/analysis/communities").json()
    members = [m for c in found for m in c["members"]]
    assert len(members) == len(set(members))
    assert {"kor", "jpn"} <= set(members)
    assert [c["number"] for c in found] == sorted(c["number"] for c in found)
    assert found[0]["label_text"]


def test_brokers_and_overlap(client: TestClient) -> None:
    brokers = client.get("/api/analysis/brokers").json()
    assert all(b["communities"] >= 2 for b in brokers)
    overlap = client.get("/api/analysis/overlap").json()
    n = len(overlap["frameworks"])
    assert len(overlap["values"]) == n and all(len(row) == n for row in overlap["values"])
    assert all(overlap["values"][i][i] == 1.0 for i in range(n))
    assert all(
        overlap["values"][i][j] == overlap["values"][j][i] for i in range(n) for j in range(n)
    )


def test_paths_are_explained_with_evidence(client: TestClient) -> None:
    body = client.get(
        "/api/paths", params={"source": "kor", "target": "aukus-pillar-2", "max": 2}
    ).json()
    assert body["source"] == "kor" and 1 <= len(body["paths"]) <= 2
    first = body["paths"][0]
    assert first["nodes"][0] == "kor" and first["nodes"][-1] == "aukus-pillar-2"
    assert len(first["steps"]) == len(first["nodes"]) - 1
    relations = [r for step in first["steps"] for r in step["relations"]]
    assert all(r["predicate"] for r in relations)
    quotes = [e["quote"] for r in relations for e in r["evidence"]]
    assert quotes  # the proposal or the membership carries a passage


def test_paths_refuse_unknown_and_malformed_slugs(client: TestClient) -> None:
    assert client.get("/api/paths", params={"source": "kor", "target": "nobody"}).status_code == 404
    bad = client.get("/api/paths", params={"source": "<script>", "target": "kor"})
    assert bad.status_code == 422
    assert (
        client.get("/api/paths", params={"source": "kor", "target": "jpn", "max": 0}).status_code
        == 422
    )
