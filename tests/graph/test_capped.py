"""The row cap of ``/sparql`` results in every format: whole and unmarked up to the cap,
cut to it and marked past it — whether or not the bytes alone prove the count."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from graph.query.capped import run_capped
from graph.query.formats import GRAPH_FORMATS, SOLUTION_FORMATS, ResultFormat
from graph.store import OxigraphStore

ROWS = 40
SELECT = "SELECT ?s ?o WHERE { ?s <urn:p> ?o }"
CONSTRUCT = "CONSTRUCT { ?s <urn:p> ?o } WHERE { ?s <urn:p> ?o }"


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    """``ROWS`` triples with long literals: far more bytes than the cap's lower bound."""
    store = OxigraphStore.memory()
    graph = ox.NamedNode("urn:g")
    store.extend(
        ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal("x" * 50), graph)
        for i in range(ROWS)
    )
    return store


def _count(data: bytes, fmt: ResultFormat) -> int:
    if fmt.name == "csv":
        return len(list(csv.reader(io.StringIO(data.decode(), newline="")))) - 1
    if isinstance(fmt.serializer, ox.RdfFormat):
        return len(list(ox.parse(data, format=fmt.serializer)))
    parsed = ox.parse_query_results(data, format=fmt.serializer)
    assert isinstance(parsed, ox.QuerySolutions)
    return len(list(parsed))


CASES = [(SELECT, f) for f in SOLUTION_FORMATS] + [(CONSTRUCT, f) for f in GRAPH_FORMATS]


@pytest.mark.parametrize(("query", "fmt"), CASES, ids=[f.name for _, f in CASES])
def test_results_at_the_cap_are_whole(store: OxigraphStore, query: str, fmt: ResultFormat) -> None:
    result = run_capped(store, query, fmt, max_rows=ROWS)
    assert not result.truncated
    assert _count(result.data, fmt) == ROWS


@pytest.mark.parametrize(("query", "fmt"), CASES, ids=[f.name for _, f in CASES])
def test_results_past_the_cap_are_cut_to_it(
    store: OxigraphStore, query: str, fmt: ResultFormat
) -> None:
    result = run_capped(store, query, fmt, max_rows=ROWS - 1)
    assert result.truncated
    assert _count(result.data, fmt) == ROWS - 1


@pytest.mark.parametrize("max_rows", [ROWS + 1, 25 * ROWS])
@pytest.mark.parametrize(("query", "fmt"), CASES, ids=[f.name for _, f in CASES])
def test_results_under_the_cap_are_whole(
    store: OxigraphStore, query: str, fmt: ResultFormat, max_rows: int
) -> None:
    """Past the bytes' lower bound, whether counted exactly or bounded by row marks."""
    result = run_capped(store, query, fmt, max_rows=max_rows)
    assert not result.truncated
    assert _count(result.data, fmt) == ROWS
