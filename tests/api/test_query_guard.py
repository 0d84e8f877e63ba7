"""The guard's lexical scanner: keywords count only outside strings, IRIs and comments."""

from __future__ import annotations

import pytest

from graph.errors import QueryRefusedError, UpdateRefusedError
from graph.iris import graph_iri
from graph.query.guard import guard_query, inspect_query

OURS = {graph_iri("curated"), graph_iri("ontology")}


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s rdfs:label "SERVICE <http://x/>" }',
        "SELECT * WHERE { ?s rdfs:label 'load this' }",
        'SELECT * WHERE { ?s rdfs:comment """a\nSERVICE\n""" }',
        "SELECT * WHERE { ?s rdfs:comment '''it's LOAD''' }",
        "SELECT * WHERE { ?s ?p <urn:SERVICE> }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil/> in a comment",
        "SELECT ?service ?load WHERE { ?service ?load ?o }",
        "PREFIX service: <urn:x:> SELECT * WHERE { ?s service:load ?o }",
        'SELECT * WHERE { ?s ?p "escaped \\" SERVICE" }',
        f"SELECT * FROM <{graph_iri('curated')}> WHERE {{ ?s ?p ?o }}",
        "PREFIX g: <https://w3id.org/policygraph/graph/> ASK FROM NAMED g:ontology { ?s ?p ?o }",
        f"BASE <{graph_iri('x')}> SELECT * FROM <curated> {{ ?s ?p ?o }}",
        "SELECT * WHERE { FILTER(?a<?b && ?c>?d) }",
    ],
)
def test_allowed(query: str) -> None:
    assert guard_query(query, OURS).form in {"SELECT", "ASK"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("select * { service silent <http://x/> { ?s ?p ?o } }", "SERVICE"),
        ("LOAD <http://x/data.ttl>", "LOAD"),
        ("SELECT * FROM <http://evil.example/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
        ("PREFIX e: <http://evil/> SELECT * FROM e:x { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM unknown:x { ?s ?p ?o }", "FROM"),
    ],
)
def test_refused(query: str, message: str) -> None:
    with pytest.raises(QueryRefusedError, match=message):
        guard_query(query, OURS)


@pytest.mark.parametrize(
    "update",
    ["INSERT DATA { <a> <b> <c> }", "DELETE WHERE { ?s ?p ?o }", "PREFIX x: <y> CLEAR ALL"],
)
def test_updates_are_refused_as_updates(update: str) -> None:
    with pytest.raises(UpdateRefusedError):
        guard_query(update, OURS)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("# comment\nPREFIX a: <b> select * {}", "SELECT"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe id:kor", "DESCRIBE"),
        ("BASE <x:> ASK {}", "ASK"),
        ("nonsense", None),
    ],
)
def test_form(query: str, form: str | None) -> None:
    assert inspect_query(query).form == form


def test_from_and_from_named_are_read() -> None:
    shape = inspect_query(
        f"SELECT * FROM <{graph_iri('a')}> FROM NAMED <{graph_iri('b')}> WHERE {{ ?s ?p ?o }}"
    )
    assert shape.default_graphs == (graph_iri("a"),)
    assert shape.named_graphs == (graph_iri("b"),)


def test_the_shape_of_a_short_query_is_remembered_and_a_long_one_is_not() -> None:
    short = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    assert inspect_query(short) is inspect_query(short)
    long = "# " + "x" * 10_000 + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 1"
    assert inspect_query(long) == inspect_query(long)
    assert inspect_query(long) is not inspect_query(long)
