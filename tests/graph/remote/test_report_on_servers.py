"""The report's graph on each real server answers as the embedded store does: every quad,
every named query, the REST API, the pages, the views, the analytics, the CLI and ``serve``.

The report is pushed once per module and server; the tests here only read.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from api.main import create_app
from graph import QUERIES_DIR, REPO_ROOT
from graph.iris import graph_iri
from graph.query.named import load_named_queries, run_named_query
from graph.store import OxigraphStore, open_store
from graph.store.port import QueryResult
from serving.settings import Settings
from tests.graph.remote.conftest import SparqlServer, free_port
from tests.graph.remote.test_remote_store import rows

QUERIES = load_named_queries(QUERIES_DIR)
#: A value for each parameter name of the named queries.
VALUES = {
    "actor": "kor", "country": "kor", "entity": "kor", "framework": "aukus", "from": "2023",
    "to": "2024", "proposal": "proposal-aukus-pillar-2-participation",
    "section": "jkvg2025-section-1-2", "subject": "kor", "topic": "topic-economic-security",
    "place": "seoul", "ordinal": "3",
}  # fmt: skip
#: Pages and API answers compared between the embedded store and the server.
URLS = [
    "/api/entities/kor", "/api/frameworks", "/api/proposals?actor=kor&framework=aukus",
    "/api/analysis/brokers", "/api/paths?source=kor&target=aus", "/id/kor", "/proposals",
    "/viz/ego?slug=kor", "/search?q=Korea",
]  # fmt: skip


HTML = {"Accept": "text/html, application/json;q=0.9, */*;q=0.1"}


@pytest.fixture(scope="module")
def loaded(sparql_server: SparqlServer, report_store_path: Path) -> SparqlServer:
    """The server with the report's graph pushed to it (once per module and server)."""
    sparql_server.load(report_store_path)
    return sparql_server


@pytest.fixture()
def on_server(loaded: SparqlServer, server: SparqlServer) -> Iterator[SparqlServer]:
    """The loaded server, its settings in the environment; checks it still holds the report."""
    remote = open_store(server.spec)
    try:
        assert remote.graph_names() == [graph_iri(n) for n in
                                        ("background", "curated", "inferred", "ontology")]  # fmt: skip
    finally:
        remote.close()
    yield server


def _graph(result: QueryResult) -> rdflib.Graph:
    assert isinstance(result, ox.QueryTriples)
    data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
    assert data is not None
    return rdflib.Graph().parse(data=data.decode(), format="nt")


def _canonical(response: httpx.Response) -> object:
    """An answer with the order of its rows left out (where a query sets none, the engines
    may differ): JSON with every list sorted, text as its sorted lines."""
    if response.headers["content-type"].startswith("application/json"):
        return _sorted_lists(response.json())
    return sorted(response.text.splitlines())


def _sorted_lists(value: object) -> object:
    if isinstance(value, list):
        return sorted((_sorted_lists(v) for v in value), key=json.dumps)
    if isinstance(value, dict):
        return {k: _sorted_lists(v) for k, v in value.items()}
    return value


@pytest.mark.slow
def test_every_quad_reads_back_as_written(
    on_server: SparqlServer, report_store: OxigraphStore
) -> None:
    remote = open_store(on_server.spec)
    try:
        quads = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
        expected = rows(report_store.query(quads))
        assert isinstance(expected, list) and len(expected) == len(report_store)
        assert rows(remote.query(quads)) == expected  # every datatype, language and graph
        assert len(remote) == len(report_store)
    finally:
        remote.close()


@pytest.mark.slow
def test_named_queries_give_the_rows_of_the_embedded_store(
    on_server: SparqlServer, report_store: OxigraphStore
) -> None:
    remote = open_store(on_server.spec)
    try:
        different: dict[str, object] = {}
        empty = []
        for name, query in QUERIES.items():
            values = {param.name: VALUES[param.name] for param in query.params}
            expected = rows(run_named_query(query, report_store, values))
            if not expected:
                empty.append(name)
            got = rows(run_named_query(query, remote, values))
            if got != expected:  # what differs, to tell an engine's slip from our query's
                different[name] = {"expected": expected, "got": got}
        assert different == {}
        assert len(QUERIES) > 30
        assert len(empty) < len(QUERIES) / 4, empty  # most comparisons compare rows
    finally:
        remote.close()


def test_describe_ask_and_datasets(on_server: SparqlServer, report_store: OxigraphStore) -> None:
    remote = open_store(on_server.spec)
    try:
        describe = "CONSTRUCT { id:kor ?p ?o } WHERE { id:kor ?p ?o }"
        assert isomorphic(_graph(remote.query(describe)), _graph(report_store.query(describe)))
        assert rows(remote.query("ASK { id:kor a pg:Country }")) is True
        assert rows(remote.query("ASK { id:kor a pg:Framework }")) is False
        # The ontology graph alone holds no countries; an empty default graph holds nothing;
        # GRAPH ?g sees the named graphs.
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Country }"
        only_ontology = [graph_iri("ontology")]
        assert rows(remote.query(count, default_graphs=only_ontology)) == rows(
            report_store.query(count, default_graphs=only_ontology)
        )
        assert rows(remote.query(count, default_graphs=[])) == [
            ('"0"^^<http://www.w3.org/2001/XMLSchema#integer>',)
        ]
        graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert rows(remote.query(graphs)) == rows(report_store.query(graphs))
    finally:
        remote.close()


@pytest.fixture(scope="session")  # the tests of each server run apart: compute it once
def embedded_answers(report_store_path: Path) -> dict[str, tuple[int, str, object]]:
    """Status, media type and canonical body of each of :data:`URLS` on the embedded store."""
    with TestClient(create_app(Settings(store=str(report_store_path)))) as local:
        answers = {url: local.get(url, headers=HTML) for url in [*URLS, "/healthz"]}
        return {
            url: (answer.status_code, answer.headers["content-type"], _canonical(answer))
            for url, answer in answers.items()
        }


@pytest.mark.slow
def test_api_pages_views_and_analytics_answer_as_on_the_embedded_store(
    on_server: SparqlServer, embedded_answers: dict[str, tuple[int, str, object]]
) -> None:
    with TestClient(create_app(Settings(store=on_server.spec))) as remote:
        health = remote.get("/healthz").json()
        assert health["triples"] == cast(dict[str, int], embedded_answers["/healthz"][2])["triples"]
        for url in URLS:
            there = remote.get(url, headers=HTML)
            assert (there.status_code, url) == (200, url), there.text[:300]
            status, media_type, body = embedded_answers[url]
            assert status == 200, url
            assert there.headers["content-type"] == media_type, url
            assert _canonical(there) == body, url


@pytest.mark.slow
def test_cli_query_and_serve_run_on_the_server(on_server: SparqlServer) -> None:
    done = on_server.run_cli(
        "query", "--store", on_server.spec, "SELECT ?l WHERE { id:kor rdfs:label ?l }"
    )
    assert done.returncode == 0, done.stderr
    assert "Republic of Korea" in done.stdout and "한국" in done.stdout
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--store", on_server.spec,
         "--port", str(port)],
        cwd=REPO_ROOT, env=on_server.environment(), stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            try:
                health = httpx.get(f"{base}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "policygraph serve did not start in 60 s"
                time.sleep(0.2)
        assert health.status_code == 200 and health.json()["triples"] > 20_000
        answer = httpx.get(
            f"{base}/sparql",
            params={"query": "SELECT ?l WHERE { id:kor rdfs:label ?l }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )  # the pages are compared above, through the app itself
        assert answer.status_code == 200, answer.text
        labels = {b["l"]["value"] for b in answer.json()["results"]["bindings"]}
        assert {"Republic of Korea", "한국"} <= labels
    finally:
        process.terminate()
        process.wait(timeout=20)
