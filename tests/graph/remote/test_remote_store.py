"""The remote adapter on each real server (Oxigraph's, Virtuoso): small data, writes, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import REPO_ROOT
from graph.errors import QuerySyntaxError, StoreError
from graph.iris import GRAPH_BASE
from graph.push import push
from graph.store import OxigraphStore, RemoteSparqlStore, open_store
from graph.store.port import QueryResult
from graph.store.remote import ask_answer, bind_values, portable_blank_nodes
from tests.graph.remote.conftest import QUERY_PATHS, SERVER_SETTINGS, SparqlServer


def rows(result: QueryResult) -> list[tuple[str, ...]] | bool:
    """Sorted rows with blank nodes blanked out, or the boolean of an ASK."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return sorted(
        tuple("_:b" if isinstance(row[n], ox.BlankNode) else str(row[n]) for n in names)
        for row in result
    )


@pytest.mark.slow
def test_push_minimal_counts_per_graph(minimal_store_path: Path, server: SparqlServer) -> None:
    server.clear()
    local = open_store(minimal_store_path)
    assert isinstance(local, OxigraphStore)
    remote = open_store(server.spec)
    assert isinstance(remote, RemoteSparqlStore)
    try:
        push(local, remote, batch_size=50)  # blank-node groups span batches and graphs
        assert remote.graph_names() == local.graph_names()
        assert len(remote) == len(local)
        for name in local.graph_names():
            sparql = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
            assert rows(remote.query(sparql)) == rows(local.query(sparql)), name
        # Blank nodes survive the batching: every membership keeps its member and evidence,
        # and a membership's inferred type (another graph) is on the same node.
        sparql = "SELECT ?m ?a ?q ?t WHERE { ?m pg:member ?a ; pg:evidence/pg:quote ?q ; a ?t }"
        assert rows(remote.query(sparql)) == rows(local.query(sparql))
    finally:
        local.close()
        remote.close()


def test_union_modes_agree(minimal_store_path: Path, oxigraph_server: SparqlServer) -> None:
    oxigraph_server.clear()
    local = open_store(minimal_store_path)
    assert isinstance(local, OxigraphStore)
    remote = RemoteSparqlStore(oxigraph_server.query, timeout=30)
    try:
        push(local, remote, batch_size=500)
        sparql = "SELECT ?s ?l WHERE { ?s a pg:Country ; rdfs:label ?l }"
        explicit = rows(remote.query(sparql))
        remote.union_default_graph = "oxigraph"
        assert rows(remote.query(sparql)) == explicit == rows(local.query(sparql))
        remote.union_default_graph = "server"  # Oxigraph's own default graph is empty
        assert rows(remote.query(sparql)) == []
    finally:
        local.close()
        remote.close()


def test_bindings_update_and_errors(server: SparqlServer) -> None:
    server.clear()
    remote = open_store(server.spec)
    graph = GRAPH_BASE + "test-bindings"
    try:
        remote.update(f'INSERT DATA {{ GRAPH <{graph}> {{ id:kor rdfs:label "Korea {{x}}"@en }} }}')
        result = remote.query(
            "SELECT ?l WHERE { ?s rdfs:label ?l }",
            bindings={"s": ox.NamedNode("https://w3id.org/policygraph/id/kor")},
        )
        assert rows(result) == [('"Korea {x}"@en',)]
        tricky = ox.Literal('"} } DROP ALL #', language="en")
        found = remote.query("SELECT ?s WHERE { ?s rdfs:label ?l }", bindings={"l": tricky})
        assert rows(found) == []
        assert remote.graph_names() == [graph]
        assert len(remote) == 1
        with pytest.raises(QuerySyntaxError):
            remote.query("SELEC ?x WHERE {}")
        with pytest.raises(QuerySyntaxError):
            remote.update("INSERT DATA { <urn:a> <urn:b> }")
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


def test_readme_table_of_servers_is_what_the_tests_run() -> None:
    """README's rows marked *tested* name the engines the tests start, with their endpoint
    paths and exactly the settings the tests give them; no other row claims to be tested."""
    tested: dict[str, tuple[str, dict[str, str]]] = {}
    others = []
    for line in (REPO_ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[1].startswith("`http"):
            continue
        path = re.match(r"`https?://[^/`]+(/[^`]*)`", cells[1])
        assert path, line
        settings = dict(re.findall(r"`(POLICYGRAPH_[A-Z_]+)=([^`]+)`", cells[2]))
        if cells[3] == "tested":
            tested[cells[0].split()[0].lower()] = (path.group(1), settings)
        else:
            others.append(cells[3])
    assert tested == {
        engine: (QUERY_PATHS[engine], settings) for engine, settings in SERVER_SETTINGS.items()
    }
    assert others and set(others) == {"no"}


def test_virtuoso_style_answers_read_as_the_specification_means() -> None:
    """Labels like ``nodeID://b1`` in either results format, and an ASK answered as rows."""
    json_rows = (
        b'{"head": {"vars": ["a", "b"]}, "results": {"bindings": [{"a": {"type": "bnode",'
        b' "value": "nodeID://b1"}, "b": {"type": "bnode", "value": "nodeID://b1"}}]}}'
    )
    fixed = portable_blank_nodes(json_rows, ox.QueryResultsFormat.JSON)
    parsed = ox.parse_query_results(fixed, ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    (row,) = list(parsed)
    assert isinstance(row["a"], ox.BlankNode) and row["a"] == row["b"]
    one_row = [{"r": {"type": "literal", "value": "1"}}]
    for bindings, expected in ((one_row, True), ([], False)):
        answered = json.dumps({"head": {"vars": ["r"]}, "results": {"bindings": bindings}})
        solutions = ox.parse_query_results(answered.encode(), ox.QueryResultsFormat.JSON)
        assert isinstance(solutions, ox.QuerySolutions)
        assert bool(ask_answer(solutions)) is expected
