"""``/sparql`` through the app: the protocol's three ways in, formats, safety, limits."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from graph.iris import ENTITY_BASE, graph_iri
from graph.store import OxigraphStore
from tests.api.conftest import make_app

LABELS = "SELECT ?label WHERE { id:jpn rdfs:label ?label } ORDER BY ?label"
JAPAN_LABELS = ["Japan", "日本", "일본"]
CONSTRUCT = "CONSTRUCT { id:jpn rdfs:label ?l } WHERE { id:jpn rdfs:label ?l }"


def _labels(response_json: dict[str, object]) -> list[str]:
    bindings = response_json["results"]["bindings"]  # type: ignore[index]
    return sorted(row["label"]["value"] for row in bindings)  # type: ignore[index]


def _expected_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    japan = rdflib.URIRef(ENTITY_BASE + "jpn")
    for text, lang in (("Japan", "en"), ("日本", "ja"), ("일본", "ko")):
        graph.add((japan, rdflib.RDFS.label, rdflib.Literal(text, lang=lang)))
    return graph


def test_get_select_answers_sparql_json_by_default(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LABELS})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert _labels(response.json()) == JAPAN_LABELS


def test_post_form_encoded(client: TestClient) -> None:
    response = client.post("/sparql", data={"query": LABELS})
    assert response.status_code == 200
    assert _labels(response.json()) == JAPAN_LABELS


def test_post_sparql_query_body(client: TestClient) -> None:
    response = client.post(
        "/sparql", content=LABELS.encode(), headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 200
    assert _labels(response.json()) == JAPAN_LABELS


def test_select_as_xml(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": LABELS}, headers={"accept": "application/sparql-results+xml"}
    )
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literals = ElementTree.fromstring(response.content).findall(".//r:literal", ns)
    assert sorted(el.text or "" for el in literals) == JAPAN_LABELS


@pytest.mark.parametrize(
    ("accept", "delimiter", "header"),
    [("text/csv", ",", "label"), ("text/tab-separated-values", "\t", "?label")],
)
def test_select_as_csv_and_tsv(
    client: TestClient, accept: str, delimiter: str, header: str
) -> None:
    response = client.get("/sparql", params={"query": LABELS}, headers={"accept": accept})
    assert response.headers["content-type"].startswith(accept)
    rows = list(csv.reader(io.StringIO(response.text), delimiter=delimiter))
    assert rows[0] == [header]
    assert len(rows) == 4


def test_ask(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK { id:jpn a pg:Country }"})
    assert response.json()["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        (None, "turtle"),
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/trig", "trig"),
    ],
)
def test_construct_in_each_rdf_format(
    client: TestClient, accept: str | None, rdflib_format: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept or "text/turtle")
    graph = rdflib.Graph()
    if rdflib_format == "trig":
        dataset = rdflib.Dataset()
        dataset.parse(data=response.content, format="trig")
        graph += dataset.default_graph  # type: ignore[attr-defined]
    else:
        graph.parse(data=response.content, format=rdflib_format)
    assert isomorphic(graph, _expected_graph())


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("csv", "text/csv"), ("tsv", "text/tab-separated-values"), ("xml", "application/sparql-results+xml"),
     ("json", "application/sparql-results+json")],
)  # fmt: skip
def test_format_parameter_overrides_accept(client: TestClient, fmt: str, media_type: str) -> None:
    response = client.get(
        "/sparql", params={"query": LABELS, "format": fmt}, headers={"accept": "text/html"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)


def test_describe(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": "DESCRIBE id:jpn"}, headers={"accept": "application/n-triples"}
    )
    graph = rdflib.Graph().parse(data=response.content, format="nt")
    assert (
        rdflib.URIRef(ENTITY_BASE + "jpn"),
        rdflib.RDFS.label,
        rdflib.Literal("Japan", lang="en"),
    ) in graph


def test_406_when_nothing_fits(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": LABELS}, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.json()["error"]


def test_a_format_of_the_other_kind_leaves_the_choice_to_accept(client: TestClient) -> None:
    """``?format=`` that cannot hold the query form's results does not turn ``*/*`` into a
    406: the client accepts anything, so it gets the default of the form."""
    for accept in ("*/*", None):
        headers = {"accept": accept} if accept else {}
        select = client.get(
            "/sparql", params={"query": LABELS, "format": "turtle"}, headers=headers
        )
        assert select.status_code == 200
        assert _labels(select.json()) == JAPAN_LABELS
        construct = client.get(
            "/sparql", params={"query": CONSTRUCT, "format": "csv"}, headers=headers
        )
        assert construct.status_code == 200
        assert construct.headers["content-type"].startswith("text/turtle")
        assert isomorphic(
            rdflib.Graph().parse(data=construct.text, format="turtle"), _expected_graph()
        )


def test_406_for_a_format_of_the_other_kind_when_accept_wants_it_too(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": LABELS, "format": "turtle"}, headers={"accept": "text/turtle"}
    )
    assert response.status_code == 406
    message = response.json()["error"]
    assert "turtle" in message and "application/sparql-results+json" in message


def test_default_graph_is_the_union(client: TestClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    total = int(
        client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]["n"][
            "value"
        ]
    )
    by_graph = client.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}
    ).json()["results"]["bindings"][0]["n"]["value"]
    assert 0 < total <= int(by_graph)


def test_default_graph_uri_narrows_the_dataset(client: TestClient) -> None:
    query = "ASK { pg:Country a owl:Class }"
    curated = client.get(
        "/sparql", params={"query": query, "default-graph-uri": graph_iri("curated")}
    )
    ontology = client.post(
        "/sparql",
        data={"query": query, "default-graph-uri": graph_iri("ontology")},
    )
    assert curated.json()["boolean"] is False
    assert ontology.json()["boolean"] is True


def test_named_graph_uri_limits_graph(client: TestClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post(
        f"/sparql?named-graph-uri={graph_iri('ontology')}",
        content=query.encode(),
        headers={"content-type": "application/sparql-query"},
    )
    graphs = [row["g"]["value"] for row in response.json()["results"]["bindings"]]
    assert graphs == [graph_iri("ontology")]


def test_from_selects_the_default_graph(client: TestClient) -> None:
    query = f"ASK FROM <{graph_iri('curated')}> {{ pg:Country a owl:Class }}"
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is False


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("post", {"content": b"INSERT DATA { <a:a> <a:b> <a:c> }", "headers": {"content-type": "application/sparql-update"}}),
        ("post", {"data": {"update": "INSERT DATA { <a:a> <a:b> <a:c> }"}}),
        ("get", {"params": {"update": "CLEAR ALL"}}),
        ("get", {"params": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
    ],
)  # fmt: skip
def test_updates_are_403(client: TestClient, method: str, kwargs: dict[str, object]) -> None:
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:9/data.ttl> WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
    ],
)
def test_remote_fetches_are_400(client: TestClient, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "not allowed" in response.json()["error"]


def test_service_inside_a_literal_runs(client: TestClient) -> None:
    query = 'SELECT ?x WHERE { BIND ("SERVICE <http://127.0.0.1:9/> LOAD" AS ?x) }'
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["x"]["value"].startswith("SERVICE")


def test_malformed_query_is_400_with_the_parsers_message(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert "error at 1:" in response.json()["error"]


def test_unsupported_body_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content=b"{}", headers={"content-type": "application/json"})
    assert response.status_code == 415


def test_body_over_the_limit_is_413(fixture_store: OxigraphStore) -> None:
    with TestClient(make_app(fixture_store, max_body=100)) as small:
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200
        declared = small.post(
            "/sparql", content=big.encode(), headers={"content-type": "application/sparql-query"}
        )

        def chunks() -> object:
            yield big[:60].encode()
            yield big[60:].encode()

        streamed = small.post(
            "/sparql",
            content=chunks(),
            headers={"content-type": "application/sparql-query"},  # type: ignore[arg-type]
        )
        fits = small.post(
            "/sparql", content=b"ASK {}", headers={"content-type": "application/sparql-query"}
        )
    assert declared.status_code == 413
    assert streamed.status_code == 413
    assert "100" in streamed.json()["error"]
    assert fits.status_code == 200


SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def test_bare_get_is_a_service_description(client: TestClient) -> None:
    response = client.get("/sparql", headers={"host": "evil.example"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    sd = SD
    # The endpoint is the server's own address, never the request's Host.
    assert (None, sd.endpoint, rdflib.URIRef("http://127.0.0.1:8000/sparql")) in graph
    assert b"evil.example" not in response.content
    assert (None, sd.supportedLanguage, sd.SPARQL11Update) not in graph
    formats = set(graph.objects(None, sd.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert rdflib.URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    assert rdflib.URIRef(graph_iri("curated")) in set(graph.objects(None, sd.name))


def test_service_description_per_accept(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert json.loads(response.content)


def test_browser_gets_the_query_form(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/html,*/*;q=0.8"})
    assert response.headers["content-type"].startswith("text/html")
    assert '<textarea name="query"' in response.text
    assert "://" not in response.text.split("<h2>Named graphs</h2>")[0]


def test_cors_allows_any_origin_without_credentials(client: TestClient) -> None:
    response = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"origin": "http://elsewhere.test"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    preflight = client.options(
        "/sparql",
        headers={
            "origin": "http://elsewhere.test",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_cors_origins_are_configurable(fixture_store: OxigraphStore) -> None:
    with TestClient(make_app(fixture_store, cors_origins="http://app.test")) as limited:
        allowed = limited.get("/healthz", headers={"origin": "http://app.test"})
        other = limited.get("/healthz", headers={"origin": "http://evil.test"})
    assert allowed.headers["access-control-allow-origin"] == "http://app.test"
    assert "access-control-allow-origin" not in other.headers
