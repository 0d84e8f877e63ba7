"""``/sparql`` through the app: the protocol's three ways in, formats, safety, limits."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
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


# -- the protocol's dataset, base IRI, methods and answers (issue 14, item 6) ---------------

GRAPHS_SEEN = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
IN_DEFAULT = "ASK { pg:Country a owl:Class }"


def _graphs(response: object) -> list[str]:
    rows = response.json()["results"]["bindings"]  # type: ignore[attr-defined]
    return sorted(row["g"]["value"] for row in rows)


@pytest.mark.parametrize(
    ("params", "query"),
    [
        ({"default-graph-uri": graph_iri("ontology")}, GRAPHS_SEEN),
        ({}, f"SELECT DISTINCT ?g FROM <{graph_iri('ontology')}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"),
    ],
    ids=["default-graph-uri", "FROM"],
)  # fmt: skip
def test_naming_only_default_graphs_leaves_graph_no_named_graph(
    client: TestClient, params: dict[str, str], query: str
) -> None:
    """SPARQL §13.2 and the protocol §2.1.4: the dataset is exactly what is named."""
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200
    assert _graphs(response) == []


@pytest.mark.parametrize(
    ("params", "query"),
    [
        ({"named-graph-uri": graph_iri("ontology")}, IN_DEFAULT),
        ({}, f"ASK FROM NAMED <{graph_iri('ontology')}> {{ pg:Country a owl:Class }}"),
    ],
    ids=["named-graph-uri", "FROM NAMED"],
)
def test_naming_only_named_graphs_leaves_the_default_graph_empty(
    client: TestClient, params: dict[str, str], query: str
) -> None:
    assert client.get("/sparql", params={"query": IN_DEFAULT}).json()["boolean"] is True
    response = client.get("/sparql", params={"query": query, **params})
    assert response.json()["boolean"] is False


def test_a_full_dataset_names_both(client: TestClient) -> None:
    params = {
        "query": GRAPHS_SEEN,
        "default-graph-uri": graph_iri("curated"),
        "named-graph-uri": [graph_iri("ontology"), graph_iri("curated")],
    }
    response = client.get("/sparql", params=params)  # type: ignore[arg-type]
    assert _graphs(response) == sorted([graph_iri("ontology"), graph_iri("curated")])


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_relative_iris_resolve_against_the_endpoint(client: TestClient, method: str) -> None:
    """Like Fuseki and Oxigraph's server: the base IRI is the endpoint's own URL (from the
    settings, not the request's Host)."""
    query = "SELECT ?x WHERE { BIND(<relative/thing> AS ?x) }"
    headers = {"host": "evil.example"}
    if method == "GET":
        response = client.get("/sparql", params={"query": query}, headers=headers)
    else:
        response = client.post("/sparql", data={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    [row] = response.json()["results"]["bindings"]
    assert row["x"] == {"type": "uri", "value": "http://127.0.0.1:8000/relative/thing"}


def test_a_query_base_still_wins(client: TestClient) -> None:
    query = "BASE <http://example.org/mine/> SELECT ?x WHERE { BIND(<thing> AS ?x) }"
    [row] = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    assert row["x"]["value"] == "http://example.org/mine/thing"


@pytest.mark.parametrize(
    "path", ["/sparql", "/sparql?query=ASK%7B%7D", "/id/kor", "/ontology", "/healthz", "/"]
)
def test_head_answers_every_get_route_without_a_body(client: TestClient, path: str) -> None:
    get = client.get(path)
    head = client.head(path)
    assert get.status_code == 200
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == get.headers["content-type"]
    if "content-length" in get.headers:
        assert head.headers["content-length"] == get.headers["content-length"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/sparql", "GET, HEAD, POST"),
        ("DELETE", "/sparql", "GET, HEAD, POST"),
        ("POST", "/ontology", "GET, HEAD"),
        ("PATCH", "/id/kor", "GET, HEAD"),
    ],
)
def test_405_lists_every_allowed_method(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json()["error"] == f"{method} is not allowed at {path}; use {allow}"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("csv", "_askResult\r\ntrue\r\n"), ("tsv", "?_askResult\ntrue\n")],
)
def test_ask_in_csv_and_tsv_is_a_one_column_table(
    client: TestClient, fmt: str, expected: str
) -> None:
    """The CSV/TSV results spec has no boolean: Jena's and Fuseki's ``_askResult`` table,
    which a CSV reader sees as one column and one row, not a header ``true``."""
    response = client.get("/sparql", params={"query": "ASK { id:jpn ?p ?o }", "format": fmt})
    assert response.status_code == 200
    assert response.text == expected
    rows = list(csv.reader(io.StringIO(response.text), delimiter="," if fmt == "csv" else "\t"))
    assert rows == [[rows[0][0]], ["true"]]


def test_a_truncated_construct_holds_max_rows_distinct_triples(
    fixture_store: OxigraphStore,
) -> None:
    """A CONSTRUCT that repeats one triple for every solution: the client's graph (a set)
    must still hold exactly ``max_rows`` triples when more exist."""
    query = (
        "CONSTRUCT { id:jpn rdfs:comment 'repeated' . ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }"
    )
    max_rows = 4
    with TestClient(make_app(fixture_store, max_rows=max_rows)) as capped:
        for fmt, parse_as in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")):
            response = capped.get("/sparql", params={"query": query, "format": fmt})
            assert response.status_code == 200
            assert response.headers["policygraph-truncated"] == "true"
            assert len(rdflib.Graph().parse(data=response.text, format=parse_as)) == max_rows


@pytest.mark.parametrize(
    ("path", "params", "accept", "media_type"),
    [
        ("/ontology", {}, "application/json", "application/ld+json"),
        ("/ontology", {}, "text/plain", "application/n-triples"),
        ("/ontology", {}, "application/x-turtle", "text/turtle"),
        ("/ontology", {"format": "ttl"}, None, "text/turtle"),
        ("/ontology", {"format": "trig"}, None, "application/trig"),
        ("/id/kor", {"format": "ttl"}, None, "text/turtle"),
        ("/id/kor", {}, "application/json", "application/ld+json"),
        ("/sparql", {"format": "ttl"}, None, "text/turtle"),
        ("/sparql", {}, "application/x-turtle", "text/turtle"),
    ],
)
def test_every_route_negotiates_with_the_same_table(
    client: TestClient, path: str, params: dict[str, str], accept: str | None, media_type: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert len(response.content) > 0


@pytest.mark.parametrize("path", ["/ontology", "/id/kor", "/sparql"])
def test_every_route_refuses_an_unknown_format_alike(client: TestClient, path: str) -> None:
    response = client.get(path, params={"format": "yaml"})
    assert response.status_code == 406
    assert "'yaml'" in response.json()["error"]


def test_the_service_description_lists_update_when_updates_are_on(
    fixture_store: OxigraphStore,
) -> None:
    token = "a-long-enough-update-token-for-tests"
    with TestClient(make_app(fixture_store, update_token=token)) as updating:
        response = updating.get("/sparql", headers={"accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    languages = set(graph.objects(None, SD.supportedLanguage))
    assert languages == {SD.SPARQL11Query, SD.SPARQL11Update}


def test_an_unknown_function_says_so(client: TestClient) -> None:
    query = "SELECT ?x WHERE { BIND(<urn:no:such:function>(1) AS ?x) }"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    message = response.json()["error"]
    assert "urn:no:such:function" in message and "not supported" in message
    assert "bind" not in message


def test_a_dead_worker_is_described_by_how_it_stopped() -> None:
    """Not a guess ("out of memory?"): the signal or the exit status."""
    import subprocess
    import sys
    from types import SimpleNamespace

    from serving.query_pool import _worker_died

    crash = "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"
    crashed = SimpleNamespace(process=subprocess.Popen([sys.executable, "-c", crash]))
    exited = SimpleNamespace(process=subprocess.Popen([sys.executable, "-c", "exit(3)"]))
    assert "stopped by signal SIGSEGV" in str(_worker_died(crashed))  # type: ignore[arg-type]
    assert "exited with status 3" in str(_worker_died(exited))  # type: ignore[arg-type]


def test_relative_iris_in_an_update_resolve_against_the_endpoint(minimal_store_path: Path) -> None:
    """Updates get the same base IRI as queries (the protocol's update_base_uri test)."""
    from api.main import create_app
    from graph.store.edits import EDITS_GRAPH
    from serving.settings import Settings
    from tests.api.conftest import QUERIES

    token = "a-long-enough-update-token-for-tests"
    settings = Settings(store=str(minimal_store_path), queries=QUERIES, update_token=token)  # type: ignore[arg-type]
    update = f"INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ id:jpn rdfs:seeAlso <pages/japan> }} }}"
    with TestClient(create_app(settings)) as writable:
        written = writable.post(
            "/sparql",
            content=update,
            headers={
                "content-type": "application/sparql-update",
                "authorization": f"Bearer {token}",
            },
        )
        assert written.status_code == 204, written.text
        answer = writable.get("/sparql", params={"query": "SELECT ?o { id:jpn rdfs:seeAlso ?o }"})
    [row] = answer.json()["results"]["bindings"]
    assert row["o"] == {"type": "uri", "value": "http://127.0.0.1:8000/pages/japan"}


def test_the_public_url_is_the_endpoint_and_the_base(fixture_store: OxigraphStore) -> None:
    with TestClient(make_app(fixture_store, public_url="https://graph.example.org/pg/")) as app:
        description = app.get("/sparql", headers={"accept": "text/turtle"})
        query = "SELECT ?x WHERE { BIND(<thing> AS ?x) }"
        answer = app.get("/sparql", params={"query": query})
    graph = rdflib.Graph().parse(data=description.content, format="turtle")
    assert set(graph.objects(None, SD.endpoint)) == {
        rdflib.URIRef("https://graph.example.org/pg/sparql")
    }
    [row] = answer.json()["results"]["bindings"]
    assert row["x"]["value"] == "https://graph.example.org/pg/thing"


@pytest.mark.parametrize("tag", ["load", "service", "LOAD", "Service", "service-CH"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_language_tag_that_spells_a_keyword_is_not_refused(
    client: TestClient, tag: str, method: str
) -> None:
    """``"x"@load`` is a literal with a language tag, not ``LOAD`` (issue 14, item 6)."""
    query = f'SELECT ?x WHERE {{ BIND("x"@{tag} AS ?x) }}'
    if method == "GET":
        response = client.get("/sparql", params={"query": query})
    else:
        response = client.post("/sparql", data={"query": query})
    assert response.status_code == 200, response.text
    [row] = response.json()["results"]["bindings"]
    assert row["x"]["value"] == "x"
    assert row["x"]["xml:lang"].lower() == tag.lower()
