"""The real server (``policygraph serve`` on a loopback port) with real clients:
SPARQLWrapper in every result format by GET and POST, rdflib's SPARQLStore, httpx, and
schemathesis over the REST routes of ``/openapi.json``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import rdflib
import schemathesis
from hypothesis import HealthCheck, given, settings
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from graph.iris import ENTITY_BASE, PREFIXES
from tests.api.conftest import Server, running_server

pytestmark = pytest.mark.slow

PROLOGUE = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
SELECT = PROLOGUE + "SELECT ?label WHERE { id:kor rdfs:label ?label } ORDER BY ?label"
LABELS = ["Republic of Korea", "韓国", "한국"]
CONSTRUCT = PROLOGUE + "CONSTRUCT { id:kor rdfs:label ?l } WHERE { id:kor rdfs:label ?l }"
KOR = rdflib.URIRef(ENTITY_BASE + "kor")


@pytest.fixture(scope="module")
def server(fixture_store_path: Path) -> Iterator[Server]:
    with running_server(fixture_store_path) as running:
        yield running


def _wrapper(server: Server, query: str, method: str, fmt: str) -> Any:
    sparql = SPARQLWrapper(f"{server.url}/sparql")
    sparql.setQuery(query)
    sparql.setMethod(method)
    sparql.setReturnFormat(fmt)
    return sparql.query().convert()


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_json(server: Server, method: str) -> None:
    result = _wrapper(server, SELECT, method, JSON)
    assert sorted(b["label"]["value"] for b in result["results"]["bindings"]) == LABELS


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_xml(server: Server, method: str) -> None:
    document = _wrapper(server, SELECT, method, XML)
    literals = document.getElementsByTagName("literal")
    assert sorted(node.firstChild.data for node in literals) == LABELS


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize(("fmt", "delimiter"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_csv_tsv(server: Server, method: str, fmt: str, delimiter: str) -> None:
    data = _wrapper(server, SELECT, method, fmt)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter))
    assert len(rows) == 1 + len(LABELS)
    assert sorted(row[0].split("@")[0].strip('"') for row in rows[1:]) == LABELS


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_ask(server: Server, method: str) -> None:
    assert _wrapper(server, PROLOGUE + "ASK { id:kor a pg:Country }", method, JSON)["boolean"]


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_sparqlwrapper_construct(server: Server, method: str, fmt: str) -> None:
    graph = _wrapper(server, CONSTRUCT, method, fmt)
    if not isinstance(graph, rdflib.Graph):  # SPARQLWrapper hands Turtle and N3 back as bytes
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert {str(o) for o in graph.objects(KOR, rdflib.RDFS.label)} == set(LABELS)


def test_rdflib_sparqlstore(server: Server) -> None:
    graph = rdflib.Graph(SPARQLStore(f"{server.url}/sparql"))
    labels = {str(row[0]) for row in graph.query(SELECT)}  # type: ignore[index]
    assert labels == set(LABELS)
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and len(constructed) == len(LABELS)
    assert (KOR, rdflib.RDF.type, rdflib.URIRef(PREFIXES["pg"] + "Country")) in graph


def test_httpx_rest_and_linked_data(server: Server) -> None:
    with httpx.Client(base_url=server.url) as client:
        assert (
            client.get("/api/entities", params={"q": "korea"}).json()["results"][0]["slug"] == "kor"
        )
        assert client.get("/api/entities/kor").json()["label"] == "Republic of Korea"
        page = client.get("/id/kor", headers={"accept": "text/html"})
        assert "<h1>Republic of Korea</h1>" in page.text
        turtle = client.get("/id/kor", headers={"accept": "text/turtle"})
        assert (KOR, rdflib.RDFS.label, rdflib.Literal("한국", lang="ko")) in rdflib.Graph().parse(
            data=turtle.content, format="turtle"
        )
        assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 403
        assert client.get("/docs").status_code == 200


def test_rest_routes_never_answer_5xx(server: Server) -> None:
    """Schemathesis draws requests for every REST operation of /openapi.json (bounded)."""
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json").include(
        path_regex="^/api/"
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: Any) -> None:
            response = case.call(base_url=server.url, timeout=30)
            assert response.status_code < 500, (case.path, case.query, response.text)

        no_server_error()
