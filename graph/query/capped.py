"""Run a query and serialise at most ``max_rows`` of its results, saying whether more existed.

Results are written by Oxigraph directly. When they are too many bytes to be sure they hold
at most ``max_rows`` rows, a byte that marks every row is counted (an upper bound: JSON's
``{`` …) and, when that is not enough, Oxigraph reads them back and they are counted. When
there are more rows than the cap, Oxigraph reads the first ``max_rows`` back from what it
wrote and writes them again. Only when the output passes a size that is not worth keeping
whole (or is CSV, which Oxigraph cannot read) does the query run again, its solutions read
row by row up to one past the cap, written as SPARQL TSV (terms in N-Triples syntax), read
back by Oxigraph and serialised in the asked format; triples are cut the same way. So a
result that would not fit in memory never does, and the caller learns ``truncated`` to tell
the client.

>>> from graph.store import OxigraphStore
>>> from graph.query.formats import format_named
>>> s = OxigraphStore.memory()
>>> s.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:p> 1, 2, 3 } }")
>>> r = run_capped(s, "SELECT ?o { ?s ?p ?o }", format_named("csv", "solutions"), max_rows=2)
>>> r.truncated, r.data.count(b"\\n")
(True, 3)
"""

from __future__ import annotations

import csv
import io
import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph.errors import QueryTimeoutError
from graph.query.formats import ResultFormat
from graph.query.serialise import OutputTooLarge, SerialisedResult, serialise_result
from graph.store.port import GraphStore, QueryResult

__all__ = ["CappedResult", "cap_result", "run_capped"]

#: The fewest bytes one solution (or triple) takes in each format: ``{},`` in JSON,
#: ``<result></result>`` in XML, a line end in CSV/TSV, one character in the RDF formats.
_MIN_ROW_BYTES = {"json": 3, "xml": 17, "csv": 2, "tsv": 1}
#: Results up to this size are kept whole and counted; larger ones are cut row by row.
_COUNTABLE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class CappedResult:
    """Serialised results, their format, and whether rows past the cap were dropped."""

    format: ResultFormat
    data: bytes
    truncated: bool


def cap_result(
    result: QueryResult, max_rows: int, deadline: float | None = None
) -> tuple[QueryResult | list[ox.Triple], bool]:
    """``result`` with at most ``max_rows`` solutions or triples, and whether it was cut.

    :raises QueryTimeoutError: ``deadline`` passed while the rows were read.
    """
    if isinstance(result, ox.QueryBoolean):
        return result, False
    if isinstance(result, ox.QueryTriples):
        return _distinct_triples(result, max_rows, deadline)
    rows: list[ox.QuerySolution] = []
    for row in itertools.islice(result, max_rows + 1):
        rows.append(row)
        if deadline is not None and len(rows) % 1024 == 0 and time.monotonic() > deadline:
            raise QueryTimeoutError("the query ran past its time limit")
    truncated = len(rows) > max_rows
    del rows[max_rows:]
    names = result.variables
    lines = ["\t".join(str(v) for v in names)]
    for solution in rows:
        lines.append("\t".join("" if (t := solution[v]) is None else str(t) for v in names))
    text = ("\n".join(lines) + "\n").encode()
    return ox.parse_query_results(text, format=ox.QueryResultsFormat.TSV), truncated


def _distinct_triples(
    triples: Iterable[ox.Triple], max_rows: int, deadline: float | None = None
) -> tuple[list[ox.Triple], bool]:
    """The first ``max_rows`` distinct triples of ``triples``, and whether there were more.

    A CONSTRUCT may produce a triple many times and a client reads a graph, a set: a cap
    counted in triples produced could leave far fewer than ``max_rows`` in the client's graph.

    :raises QueryTimeoutError: ``deadline`` passed while the triples were read.
    """
    seen: dict[ox.Triple, None] = {}  # a set that keeps the order of first appearance
    for read, triple in enumerate(triples, start=1):
        seen.setdefault(triple, None)
        if len(seen) > max_rows:
            del seen[triple]
            return list(seen), True
        if deadline is not None and read % 1024 == 0 and time.monotonic() > deadline:
            raise QueryTimeoutError("the query ran past its time limit")
    return list(seen), False


#: Bytes of which each solution or triple holds at least one, by format: counting them is
#: an upper bound of the rows, found at C speed (a byte inside a literal only raises it).
#: JSON: ``{`` opens each solution; XML: ``<result`` each (``<`` is escaped in text);
#: TSV, CSV and N-Triples: a line each; Turtle: each triple ends with ``.``, ``;`` or ``,``.
_ROW_MARKS: dict[str, tuple[bytes, ...]] = {
    "json": (b"{",),
    "xml": (b"<result",),
    "tsv": (b"\n",),
    "csv": (b"\n",),
    "ntriples": (b"\n",),
    "turtle": (b".", b";", b","),
}


def _most_rows(serialised: SerialisedResult) -> int:
    """An upper bound of the rows in ``serialised`` (huge when the format has none)."""
    marks = _ROW_MARKS.get(serialised.format.name)
    if marks is None:
        return 2**63
    return sum(serialised.data.count(mark) for mark in marks)


def _read(serialised: SerialisedResult) -> Iterable[ox.Quad] | QueryResult | None:
    """Oxigraph's reading of ``serialised``: quads, solutions or a boolean (``None`` for
    CSV, which it cannot read: the format is lossy)."""
    parser = serialised.format.serializer
    if parser == ox.QueryResultsFormat.CSV:
        return None
    if isinstance(parser, ox.RdfFormat):
        return ox.parse(serialised.data, format=parser)
    return ox.parse_query_results(serialised.data, format=parser)


def _count(serialised: SerialisedResult, most: int) -> int:
    """How many solutions or distinct triples ``serialised`` holds, counting no further
    than ``most`` (``most + 1`` when there are more)."""
    rows = _read(serialised)
    if rows is None:
        text = serialised.data.decode("utf-8")
        records = csv.reader(io.StringIO(text, newline=""))
        return sum(1 for _ in itertools.islice(records, most + 1)) - 1  # less the header
    if isinstance(rows, ox.QueryBoolean):
        return 1
    if isinstance(rows, ox.QuerySolutions):
        return sum(1 for _ in itertools.islice(rows, most))
    triples, more = _distinct_triples((quad.triple for quad in rows), most)
    return len(triples) + more


def run_capped(
    store: GraphStore,
    sparql: str,
    fmt: ResultFormat,
    *,
    max_rows: int,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    deadline: float | None = None,
    base_iri: str | None = None,
) -> CappedResult:
    """Run ``sparql`` on ``store``; serialise at most ``max_rows`` results in ``fmt``.

    Triples count once however often a CONSTRUCT produces them; relative IRIs resolve
    against ``base_iri``.

    :raises QuerySyntaxError: the query does not parse.
    :raises QueryTimeoutError: ``deadline`` passed while the results were read or written.
    """

    def run() -> QueryResult:
        return store.query(
            sparql, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri
        )

    # Fast path: Oxigraph writes the results itself while they are few enough bytes that
    # they cannot hold more than max_rows rows (every row takes at least _MIN_ROW_BYTES).
    # Past that size the writer stops, and the query runs again through cap_result.
    result = run()
    if isinstance(result, ox.QueryBoolean):
        serialised = serialise_result(result, fmt, deadline=deadline)
        return CappedResult(serialised.format, serialised.data, False)
    budget = _MIN_ROW_BYTES.get(fmt.name, 1) * (max_rows + 1)
    try:
        serialised = serialise_result(
            result, fmt, deadline=deadline, max_bytes=max(budget, _COUNTABLE_BYTES)
        )
    except OutputTooLarge:
        pass
    else:
        if (
            len(serialised.data) <= budget
            or _most_rows(serialised) <= max_rows
            or _count(serialised, max_rows + 1) <= max_rows
        ):
            return CappedResult(serialised.format, serialised.data, False)
        # More rows than the cap: cut what was written rather than run the query again
        # (on a large store the second run doubled the time of every truncated answer).
        rows = _read_back(serialised, max_rows)
        if rows is not None:
            cut = serialise_result(rows, fmt, deadline=deadline)
            return CappedResult(cut.format, cut.data, True)
    capped, truncated = cap_result(run(), max_rows, deadline)
    serialised = serialise_result(capped, fmt, deadline=deadline)
    return CappedResult(serialised.format, serialised.data, truncated)


def _read_back(serialised: SerialisedResult, max_rows: int) -> QueryResult | list[ox.Triple] | None:
    """The first ``max_rows`` solutions or triples of ``serialised``, read back by Oxigraph
    (``None`` for CSV)."""
    rows = _read(serialised)
    if rows is None:
        return None
    if isinstance(rows, ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples):
        return cap_result(rows, max_rows)[0]
    return _distinct_triples((quad.triple for quad in rows), max_rows)[0]
