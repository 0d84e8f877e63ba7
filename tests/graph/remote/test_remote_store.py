"""The remote adapter against a real Oxigraph server: same answers as the embedded store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from api.main import create_app
from serving.settings import Settings
from graph import QUERIES_DIR
from graph.errors import QuerySyntaxError, StoreError
from graph.iris import graph_iri
from graph.push import push
from graph.query.named import load_named_queries, run_named_query
from graph.store import OxigraphStore, RemoteSparqlStore, open_store
from graph.store.port import GraphStore, QueryResult
from graph.store.remote import bind_values
from tests.graph.remote.conftest import OxigraphServer

QUERIES = load_named_queries(QUERIES_DIR)
#: A value for each parameter name of the named queries.
VALUES = {
    "actor": "kor", "country": "kor", "entity": "kor", "framework": "aukus", "from": "2023",
    "to": "2024", "proposal": "proposal-aukus-pillar-2-participation",
    "section": "jkvg2025-section-1-2", "subject": "kor", "topic": "topic-economic-security",
    "place": "seoul", "ordinal": "3",
}  # fmt: skip


def _rows(result: QueryResult) -> list[tuple[str, ...]] | bool:
    """Sorted rows with blank nodes blanked out, or the boolean of an ASK."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return sorted(
        tuple("_:b" if isinstance(row[n], ox.BlankNode) else str(row[n]) for n in names)
        for row in result
    )


def _graph(result: QueryResult) -> rdflib.Graph:
    assert isinstance(result, ox.QueryTriples)
    data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return rdflib.Graph().parse(data=data.decode(), format="nt")


def _pushed(store_path: Path, server: OxigraphServer) -> tuple[OxigraphStore, GraphStore]:
    local = open_store(store_path)
    assert isinstance(local, OxigraphStore)
    remote = open_store(server.spec)
    assert isinstance(remote, RemoteSparqlStore)
    push(local, remote, batch_size=500)
    return local, remote


@pytest.mark.slow
def test_push_minimal_counts_per_graph(
    minimal_store_path: Path, oxigraph_server: OxigraphServer
) -> None:
    local, remote = _pushed(minimal_store_path, oxigraph_server)
    try:
        assert remote.graph_names() == local.graph_names()
        assert len(remote) == len(local)
        for name in local.graph_names():
            sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
            assert _rows(remote.query(sparql)) == _rows(local.query(sparql)), name
        # Blank nodes survive the batching: every membership keeps its member and evidence.
        sparql = "SELECT ?m ?a ?q WHERE { ?m pg:member ?a ; pg:evidence/pg:quote ?q }"
        assert _rows(remote.query(sparql)) == _rows(local.query(sparql))
    finally:
        local.close()
        remote.close()


@pytest.mark.slow
def test_report_named_queries_match_the_embedded_store(
    report_store_path: Path, oxigraph_server: OxigraphServer
) -> None:
    local, remote = _pushed(report_store_path, oxigraph_server)
    try:
        assert len(remote) == len(local)
        compared = 0
        for name, query in QUERIES.items():
            values = {param.name: VALUES[param.name] for param in query.params}
            expected = _rows(run_named_query(query, local, values))
            assert _rows(run_named_query(query, remote, values)) == expected, name
            compared += 1
        assert compared == len(QUERIES) > 20
        describe = "CONSTRUCT { id:kor ?p ?o } WHERE { id:kor ?p ?o }"
        assert isomorphic(_graph(remote.query(describe)), _graph(local.query(describe)))
        ask = "ASK { id:kor a pg:Country }"
        assert _rows(remote.query(ask)) is True
        # Dataset narrowing: the ontology graph alone holds no countries; an empty default
        # graph holds nothing; GRAPH ?g sees the named graphs.
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Country }"
        only_ontology = [graph_iri("ontology")]
        assert _rows(remote.query(count, default_graphs=only_ontology)) == _rows(
            local.query(count, default_graphs=only_ontology)
        )
        assert _rows(remote.query(count, default_graphs=[])) == [
            ('"0"^^<http://www.w3.org/2001/XMLSchema#integer>',)
        ]
        graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert _rows(remote.query(graphs)) == _rows(local.query(graphs))
    finally:
        local.close()
        remote.close()


@pytest.mark.slow
def test_union_modes_agree(minimal_store_path: Path, oxigraph_server: OxigraphServer) -> None:
    local, remote = _pushed(minimal_store_path, oxigraph_server)
    assert isinstance(remote, RemoteSparqlStore)
    sparql = "SELECT ?s ?l WHERE { ?s a pg:Country ; rdfs:label ?l }"
    explicit = _rows(remote.query(sparql))
    remote.union_default_graph = "oxigraph"
    assert _rows(remote.query(sparql)) == explicit == _rows(local.query(sparql))
    remote.union_default_graph = "server"  # Oxigraph's own default graph is empty
    assert _rows(remote.query(sparql)) == []
    local.close()
    remote.close()


@pytest.mark.slow
def test_bindings_update_and_errors(oxigraph_server: OxigraphServer) -> None:
    remote = open_store(oxigraph_server.spec)
    try:
        remote.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea {x}"@en } }')
        result = remote.query(
            "SELECT ?l WHERE { ?s rdfs:label ?l }",
            bindings={"s": ox.NamedNode("https://w3id.org/policygraph/id/kor")},
        )
        assert _rows(result) == [('"Korea {x}"@en',)]
        tricky = ox.Literal('"} } DROP ALL #', language="en")
        assert (
            _rows(remote.query("SELECT ?s WHERE { ?s rdfs:label ?l }", bindings={"l": tricky}))
            == []
        )
        assert remote.graph_names() == ["urn:g"]
        with pytest.raises(QuerySyntaxError):
            remote.query("SELEC ?x WHERE {}")
    finally:
        remote.close()


def test_bind_values_places_the_block_in_the_outer_where() -> None:
    kor = {"s": ox.NamedNode("urn:kor")}
    assert bind_values("SELECT * { SELECT ?s { ?s ?p ?o } }", kor) == (
        "SELECT * { VALUES (?s) { (<urn:kor>) } {  SELECT ?s { ?s ?p ?o }  } }"
    )
    constructed = bind_values('CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o } LIMIT 1', kor)
    assert constructed.startswith('CONSTRUCT { ?s ?p "{" } WHERE { VALUES (?s)')
    assert constructed.endswith("} LIMIT 1")
    with pytest.raises(QuerySyntaxError):
        bind_values("DESCRIBE <urn:kor>", kor)
    with pytest.raises(QuerySyntaxError):
        bind_values("SELECT * { ?s ?p ?o }", {"s x": ox.NamedNode("urn:kor")})


def test_unreachable_server_is_one_line_store_error() -> None:
    remote = RemoteSparqlStore("http://127.0.0.1:9/query", timeout=5)
    with pytest.raises(StoreError) as caught:
        remote.query("ASK {}")
    message = str(caught.value)
    assert "http://127.0.0.1:9/query" in message and "\n" not in message
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:9/store"):
        remote.extend([ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"))])
    remote.close()


@pytest.mark.slow
def test_api_runs_on_the_remote_store(
    minimal_store_path: Path, oxigraph_server: OxigraphServer
) -> None:
    local, remote = _pushed(minimal_store_path, oxigraph_server)
    local.close()
    remote.close()
    with TestClient(create_app(Settings(store=oxigraph_server.spec))) as client:
        health = client.get("/healthz")
        assert health.status_code == 200, health.text
        answer = client.get(
            "/sparql",
            params={"query": "SELECT ?l WHERE { id:kor rdfs:label ?l }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert answer.status_code == 200, answer.text
        labels = {b["l"]["value"] for b in answer.json()["results"]["bindings"]}
        assert "Republic of Korea" in labels
