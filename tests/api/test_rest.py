"""The REST API under ``/api`` through the app, on the fixture store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph.iris import ENTITY_BASE


def test_search_ranks_exact_then_prefix_then_substring(client: TestClient) -> None:
    results = client.get("/api/entities", params={"q": "aukus"}).json()["results"]
    assert [(r["slug"], r["match"]) for r in results][:2] == [
        ("aukus", "exact"),
        ("aukus-pillar-2", "prefix"),
    ]
    substring = client.get("/api/entities", params={"q": "pillar"}).json()["results"]
    assert substring[0]["slug"] == "aukus-pillar-2"
    assert substring[0]["match"] == "substring"


def test_search_tolerates_typos_in_latin_script(client: TestClient) -> None:
    results = client.get("/api/entities", params={"q": "Jpaan"}).json()["results"]
    assert results[0]["slug"] == "jpn"
    assert results[0]["match"] == "fuzzy"
    assert results[0]["label"] == "Japan"


@pytest.mark.parametrize(("q", "lang", "slug"), [("日本", "ja", "jpn"), ("한국", "ko", "kor")])
def test_search_in_japanese_and_korean(client: TestClient, q: str, lang: str, slug: str) -> None:
    results = client.get("/api/entities", params={"q": q, "lang": lang}).json()["results"]
    assert results[0]["slug"] == slug
    assert results[0]["lang"] == lang


def test_search_filters_by_type_and_pages(client: TestClient) -> None:
    countries = client.get("/api/entities", params={"type": "Country"}).json()
    assert countries["total"] == 2
    assert {r["slug"] for r in countries["results"]} == {"jpn", "kor"}
    page = client.get("/api/entities", params={"type": "Country", "limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and len(page["results"]) == 1


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 1000}, {"offset": -1}, {"lang": "fr"}, {"type": "country; DROP"}],
)
def test_search_rejects_invalid_parameters(client: TestClient, params: dict[str, object]) -> None:
    assert client.get("/api/entities", params=params).status_code == 422


def test_entity_description(client: TestClient) -> None:
    body = client.get("/api/entities/kor").json()
    assert body["label"] == "Republic of Korea"
    assert {"value": "한국", "lang": "ko"} in body["labels"]
    assert "Country" in [t["name"] for t in body["types"]]
    incoming = {r["predicate"]["name"]: r for r in body["incoming"]}
    assert [t["slug"] for t in incoming["involves"]["terms"]] == ["proposal-joint-aukus-pillar-2"]
    roles = {
        (m["framework"]["slug"], m["role"]["name"] if m["role"] else None)
        for m in body["memberships"]
    }
    assert roles == {("un-command", "Host"), ("aukus", None)}
    host = next(m for m in body["memberships"] if m["framework"]["slug"] == "un-command")
    assert host["evidence"] == [
        {
            "quote": "韓国のホスト国の役割強化および日本へのオブザーバー地位の付与",
            "line_start": 7,
            "line_end": 9,
            "document": {
                "iri": ENTITY_BASE + "test-report",
                "slug": "test-report",
                "name": None,
                "label": "Test report",
            },
            "as_of": None,
            "language": "ja",  # the report states none: Japanese
        }
    ]


def test_entity_outgoing_relations_are_grouped_with_labels(client: TestClient) -> None:
    body = client.get("/api/entities/proposal-joint-aukus-pillar-2").json()
    outgoing = {r["predicate"]["name"]: r for r in body["outgoing"]}
    assert sorted(t["slug"] for t in outgoing["involves"]["terms"]) == ["jpn", "kor"]
    assert outgoing["concerns"]["terms"][0]["label"] == "AUKUS Pillar II"
    assert body["evidence"][0]["line_start"] == 5


def test_unknown_entity_is_404_json(client: TestClient) -> None:
    response = client.get("/api/entities/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"error": "no entity has the slug 'no-such-thing'"}


@pytest.mark.parametrize("slug", ["KOR", "a--b", "x%20y", "-kor"])
def test_malformed_slug_is_422(client: TestClient, slug: str) -> None:
    assert client.get(f"/api/entities/{slug}").status_code == 422


def test_frameworks_with_members_and_roles(client: TestClient) -> None:
    frameworks = {f["slug"]: f for f in client.get("/api/frameworks").json()}
    assert {"aukus", "aukus-pillar-2", "un-command"} <= set(frameworks)
    aukus = {
        (m["actor"]["slug"], m["role"]["name"] if m["role"] else None)
        for m in frameworks["aukus"]["members"]
    }
    assert aukus == {("jpn", "Partner"), ("kor", None)}
    assert frameworks["aukus-pillar-2"]["part_of"][0]["slug"] == "aukus"
    assert "Minilateral" in frameworks["aukus"]["kinds"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["proposal-joint-aukus-pillar-2"]),
        ({"actor": "jpn"}, ["proposal-joint-aukus-pillar-2"]),
        ({"framework": "aukus-pillar-2", "actor": "kor"}, ["proposal-joint-aukus-pillar-2"]),
        ({"section": "test-part-1"}, ["proposal-joint-aukus-pillar-2"]),
        ({"framework": "aukus"}, []),
    ],
)
def test_proposals_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    response = client.get("/api/proposals", params=params)
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()] == expected


def test_proposal_summary(client: TestClient) -> None:
    (proposal,) = client.get("/api/proposals").json()
    assert proposal["summary_order"] == 1
    assert proposal["section"]["slug"] == "test-section-1-1"
    assert proposal["label_ja"] == "AUKUSピラーⅡへの日韓共同参加"


def test_proposal_filter_is_validated(client: TestClient) -> None:
    injection = "kor> . ?s ?p ?o } #"
    response = client.get("/api/proposals", params={"actor": injection})
    assert response.status_code == 404  # taken as a name, which no actor has
    assert response.json()["error"].startswith("no actor is called 'kor> . ?s ?p ?o } #'")
    assert client.get("/api/proposals", params={"topic": "nothing-here"}).status_code == 404
    assert client.get("/api/proposals", params={"level": "Top"}).status_code == 422
    assert client.get("/api/proposals", params={"actors": "both"}).status_code == 422


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": ["jpn", "kor"]}, ["proposal-joint-aukus-pillar-2"]),
        ({"actor": ["jpn", "un-command"]}, []),  # all of them, by default
        ({"actor": ["jpn", "un-command"], "actors": "any"}, ["proposal-joint-aukus-pillar-2"]),
        ({"framework": ["aukus", "aukus-pillar-2"], "frameworks": "any"},
         ["proposal-joint-aukus-pillar-2"]),
        ({"framework": ["aukus", "aukus-pillar-2"]}, []),
        ({"member_of": "kor"}, []),  # it concerns AUKUS Pillar II, which Korea is not in
        ({"actor": "Republic of Korea"}, ["proposal-joint-aukus-pillar-2"]),  # a name
    ],
)  # fmt: skip
def test_proposal_filters_combine(
    client: TestClient, params: dict[str, object], expected: list[str]
) -> None:
    response = client.get("/api/proposals", params=params)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert [p["slug"] for p in response.json()] == expected


def test_named_queries_are_listed(client: TestClient) -> None:
    queries = {q["name"]: q for q in client.get("/api/queries").json()}
    assert queries["members-of"]["question"].startswith("Which actors are members")
    assert queries["members-of"]["params"] == [
        {"name": "framework", "kind": "slug", "description": "the framework's slug (e.g. aukus)"}
    ]


def test_named_query_binds_its_parameter(client: TestClient) -> None:
    response = client.get("/api/queries/members-of", params={"framework": "aukus"})
    assert response.status_code == 200
    actors = sorted(row["actor"]["value"] for row in response.json()["results"]["bindings"])
    assert actors == [ENTITY_BASE + "jpn", ENTITY_BASE + "kor"]


def test_named_query_in_csv(client: TestClient) -> None:
    response = client.get("/api/queries/proposals", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == "proposal,label"


@pytest.mark.parametrize(
    "params",
    [{}, {"framework": "AUKUS"}, {"framework": "aukus", "extra": "1"}, {"framework": "<urn:x>"}],
)
def test_named_query_parameter_errors(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/api/queries/members-of", params=params)
    assert response.status_code == 400
    assert "error" in response.json()


def test_unknown_named_query_is_404(client: TestClient) -> None:
    assert client.get("/api/queries/no-such-query").status_code == 404


def test_stats(client: TestClient) -> None:
    body = client.get("/api/stats").json()
    assert body["classes"]["Country"] == 2
    assert set(body["graphs"]) >= {"ontology", "curated", "inferred"}
    assert body["quads"] == sum(body["graphs"].values())
