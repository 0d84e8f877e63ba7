"""``/id/{slug}`` and ``/ontology``: content negotiation, RDF descriptions, HTML pages."""

from __future__ import annotations

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from graph.iris import ENTITY_BASE, ONTOLOGY_NS
from graph.store import OxigraphStore

PG = rdflib.Namespace(ONTOLOGY_NS)
KOR = rdflib.URIRef(ENTITY_BASE + "kor")


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        (None, "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_entity_rdf_per_accept(
    client: TestClient, accept: str | None, media_type: str, rdflib_format: str
) -> None:
    response = client.get("/id/kor", headers={"accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert (KOR, rdflib.RDFS.label, rdflib.Literal("한국", lang="ko")) in graph
    # its membership nodes with their evidence, and the labels of what it links to
    memberships = set(graph.subjects(PG.member, KOR))
    assert len(memberships) == 2
    quotes = {
        str(q)
        for m in memberships
        for p in graph.objects(m, PG.evidence)
        for q in graph.objects(p, PG.quote)
    }
    assert "日韓両国" in quotes
    assert (
        rdflib.URIRef(ENTITY_BASE + "un-command"),
        rdflib.RDFS.label,
        rdflib.Literal("United Nations Command", lang="en"),
    ) in graph
    # who points at it
    assert (rdflib.URIRef(ENTITY_BASE + "proposal-joint-aukus-pillar-2"), PG.involves, KOR) in graph


def test_entity_rdf_formats_are_the_same_graph(client: TestClient) -> None:
    turtle = rdflib.Graph().parse(data=client.get("/id/kor?format=turtle").content, format="turtle")
    jsonld = rdflib.Graph().parse(
        data=client.get("/id/kor?format=jsonld").content, format="json-ld"
    )
    assert isomorphic(turtle, jsonld)


def test_entity_page_for_browsers(client: TestClient) -> None:
    response = client.get(
        "/id/kor", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>Republic of Korea</h1>" in page
    assert '<a href="/id/un-command">United Nations Command</a>' in page
    assert '<a href="/ontology#Host">Host</a>' in page
    assert "lines 7–9" in page
    assert "韓国のホスト国の役割強化" in page


def test_entity_page_escapes_text(fixture_store: OxigraphStore) -> None:
    from tests.api.conftest import make_app

    store = OxigraphStore.memory()
    store.update(
        "INSERT DATA { GRAPH <urn:g> { id:x a pg:Country ; "
        'rdfs:label "<script>alert(1)</script>"@en ; rdfs:comment "a & b"@en } }'
    )
    with TestClient(make_app(store)) as local:
        page = local.get("/id/x", headers={"accept": "text/html"}).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &amp; b" in page


@pytest.mark.parametrize("slug", ["no-such-thing", "Not_A_Slug"])
def test_unknown_entity_is_a_404_page(client: TestClient, slug: str) -> None:
    response = client.get(f"/id/{slug}", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text
    assert client.get(f"/id/{slug}", headers={"accept": "text/turtle"}).status_code == 404


def test_entity_406(client: TestClient) -> None:
    assert client.get("/id/kor", headers={"accept": "image/png"}).status_code == 406


def test_ontology_as_turtle_and_html(client: TestClient) -> None:
    turtle = client.get("/ontology")
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=turtle.content, format="turtle")
    assert (PG.Country, rdflib.RDFS.subClassOf, PG.Actor) in graph
    page = client.get("/ontology", headers={"accept": "text/html"}).text
    assert '<tr id="Country">' in page
    assert '<a href="#Actor">pg:Actor</a>' in page
    assert "<h2>Object properties</h2>" in page


def test_a_description_is_the_same_triples_in_the_same_order(report_store: OxigraphStore) -> None:
    """Korea's description (thousands of triples, blank membership nodes) comes out in one
    order every time, its own triples first: the engine's order of a CONSTRUCT varies from
    one evaluation to the next, and a Turtle download (or a HEAD's length) must not."""
    from graph.query.describe import describe_triples

    first = describe_triples(report_store, "kor")
    assert len(first) > 1000
    assert all(describe_triples(report_store, "kor") == first for _ in range(5))
    own = [t.subject.value == "https://w3id.org/policygraph/id/kor" for t in first]
    assert own == sorted(own, reverse=True) and own[0]
