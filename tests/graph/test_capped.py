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


class _CountingStore(OxigraphStore):
    """The fixture's store, counting the queries run on it."""

    def __init__(self, store: OxigraphStore) -> None:
        super().__init__(store.raw)
        self.queries = 0

    def query(
        self, sparql: str, **kwargs: object
    ) -> ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples:  # type: ignore[override]
        self.queries += 1
        return super().query(sparql, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("query", "fmt"), CASES, ids=[f.name for _, f in CASES])
def test_results_past_the_cap_run_the_query_once(
    store: OxigraphStore, query: str, fmt: ResultFormat
) -> None:
    """What was written is cut; only CSV, which Oxigraph cannot read back, runs it again."""
    counting = _CountingStore(store)
    run_capped(counting, query, fmt, max_rows=ROWS - 1)
    assert counting.queries == (2 if fmt.name == "csv" else 1)


@pytest.mark.parametrize("fmt", SOLUTION_FORMATS, ids=[f.name for f in SOLUTION_FORMATS])
def test_the_cut_keeps_the_first_rows_as_written(store: OxigraphStore, fmt: ResultFormat) -> None:
    whole = run_capped(store, SELECT, fmt, max_rows=ROWS).data
    cut = run_capped(store, SELECT, fmt, max_rows=ROWS - 1).data
    if fmt.name == "csv":
        assert cut.splitlines() == whole.splitlines()[:ROWS]  # the header and ROWS - 1 rows
        return
    rows = [
        [str(term) for term in solution]
        for data in (whole, cut)
        for solution in ox.parse_query_results(data, format=fmt.serializer)  # type: ignore[union-attr, arg-type]
    ]
    assert rows[ROWS:] == rows[: ROWS - 1]
