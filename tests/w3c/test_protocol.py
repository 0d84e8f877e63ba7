"""The W3C SPARQL 1.1 Protocol tests (vendored in ``protocol/``), against a real server.

Every entry of the manifest runs against ``policygraph serve`` (updates on, with a
token) over a store holding the tiny fixture data plus the tests' graphs
``http://kasei.us/2009/09/sparql/data/data{1,2,3}.rdf``, loaded from the vendored
``data*.nt`` under those names. Each entry either passes as the manifest says, or is a
documented policy refusal (:data:`REFUSALS`): this server writes only its ``edits`` graph,
so an update that clears or creates other graphs is refused — the test then asserts the
status and the reason the client reads, and that nothing was written (the entry's later
requests, its ASK checks, answer ``false``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from graph.build import build_store
from graph.store import open_store
from graph.store.oxigraph import OxigraphStore
from tests.api.conftest import Server, running_server
from tests.conftest import MINIMAL_DATA
from tests.hardening.record import record_checks, record_inputs
from tests.w3c.protocol_runner import (
    MF,
    PROTOCOL_MANIFEST,
    ProtocolTest,
    ask_answer,
    check,
    read_manifest,
    send,
)

TOKEN = "w3c-protocol-runner-update-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TESTS = read_manifest(PROTOCOL_MANIFEST)
_ONLY_EDITS = r"may only change the graph <[^>]*edits>"


@dataclass(frozen=True)
class Refusal:
    """How this server answers an entry it refuses by policy: status and reason."""

    status: int
    reason: str  # a regular expression the error message must match
    why: str


#: The entries refused by policy, each with the answer a client gets. Everything else
#: in the manifest must pass as written.
REFUSALS: dict[str, Refusal] = {
    **{
        name: Refusal(
            400, rf"{parameter} is not supported",
            "USING and USING NAMED by protocol parameter are not supported; the update "
            "itself (CLEAR/DROP ALL, graphs other than edits) would be refused anyway",
        )
        for name, parameter in (
            ("update_dataset_default_graph", "using-graph-uri"),
            ("update_dataset_default_graphs", "using-graph-uri"),
            ("update_dataset_named_graphs", "using-named-graph-uri"),
            ("update_dataset_full", "using-graph-uri"),
        )
    },
    "update_post_form": Refusal(403, _ONLY_EDITS, "CLEAR ALL would clear the curated graphs"),
    "update_post_direct": Refusal(403, _ONLY_EDITS, "CLEAR ALL would clear the curated graphs"),
    "update_base_uri": Refusal(
        403, _ONLY_EDITS,
        "it writes <http://example.org/protocol-base-test/>, not the edits graph",
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data set plus the manifest's graphs, each under its name."""
    path = tmp_path_factory.mktemp("w3c-protocol") / "store"
    build_store([MINIMAL_DATA], path)
    store = open_store(path, read_only=False)
    assert isinstance(store, OxigraphStore)
    for test in TESTS:
        for data in test.graphs:
            graph = ox.NamedNode(data.name)
            triples = ox.parse(path=PROTOCOL_MANIFEST.parent / data.file.name)
            store.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in triples)
    store.flush()
    store.close()
    return path


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[Server]:
    with running_server(store_path, token=TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


@pytest.mark.slow
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_protocol(client: httpx.Client, test: ProtocolTest) -> None:
    refusal = REFUSALS.get(test.name)
    first, *rest = test.requests
    response = send(client, first, extra_headers=AUTH)
    if refusal is None:
        check(response, first.expected)
        for request in rest:
            check(send(client, request, extra_headers=AUTH), request.expected)
        record_inputs(
            "W3C SPARQL 1.1 Protocol requests sent to the real server", len(test.requests)
        )
        return
    assert response.status_code == refusal.status, response.text
    message = response.json()["error"]
    assert re.search(refusal.reason, message), message
    # Nothing was written: each later ASK of the entry (which checks the update's effect)
    # answers false.
    for request in rest:
        later = send(client, request, extra_headers=AUTH)
        assert later.status_code == 200, later.text
        assert ask_answer(later) is False
    record_inputs("W3C SPARQL 1.1 Protocol requests sent to the real server", len(test.requests))
    record_checks("W3C protocol updates refused by policy with nothing written", 1)


def test_every_manifest_entry_is_run_or_a_documented_refusal() -> None:
    """No entry is left out: the tests run are exactly the manifest's entries and its
    ``mf:ProtocolTest`` subjects, and every refusal names one of them."""
    graph = rdflib.Graph().parse(PROTOCOL_MANIFEST, format="turtle")
    described = {
        str(s).rpartition("#")[2] for s in graph.subjects(rdflib.RDF.type, MF.ProtocolTest)
    }
    names = [t.name for t in TESTS]
    assert len(names) == len(set(names)) == len(described) == 34
    assert set(names) == described
    assert set(REFUSALS) <= described
    assert all(t.requests for t in TESTS)


def test_the_data_the_tests_need_is_loaded(client: httpx.Client) -> None:
    """The kasei.us graphs are in the store under their names (else the dataset tests
    would pass or fail for the wrong reason)."""
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), 'http://kasei') }"
    response = client.get("/sparql", params={"query": query})
    graphs = {row["g"]["value"] for row in response.json()["results"]["bindings"]}
    assert graphs == {f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)}
