"""Run a SPARQL query and serialise its results with Oxigraph, within a deadline.

Oxigraph evaluates lazily while it serialises, in Rust and without holding the GIL. The
output goes through a writer that stops the work (by raising) once the deadline has
passed, so a query abandoned by a timed-out request does not stream on for ever.

>>> from graph.store import OxigraphStore
>>> from graph.query.formats import format_named
>>> s = OxigraphStore.memory()
>>> serialise_query(s, "ASK { ?s ?p ?o }", format_named("csv", "solutions")).data
b'_askResult\\r\\nfalse\\r\\n'
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox

from graph.errors import QueryTimeoutError
from graph.iris import PREFIXES
from graph.query.formats import FORMATS_BY_KIND, ResultFormat, ResultKind
from graph.store.port import GraphStore, QueryResult

__all__ = [
    "OutputTooLarge",
    "SerialisedResult",
    "result_kind",
    "serialise_query",
    "serialise_result",
]


class OutputTooLarge(Exception):
    """The serialisation passed ``max_bytes`` (internal: the caller takes another path)."""


@dataclass(frozen=True)
class SerialisedResult:
    """The bytes of a query's results and the format they are in."""

    format: ResultFormat
    data: bytes


class _DeadlineWriter(io.RawIOBase):
    """A bytes sink that refuses further output once ``deadline`` (monotonic) has passed."""

    def __init__(self, deadline: float | None, max_bytes: int | None = None) -> None:
        super().__init__()
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryTimeoutError("the query ran past its time limit")
        self.buffer += data
        if self.max_bytes is not None and len(self.buffer) > self.max_bytes:
            raise OutputTooLarge
        return len(data)


def result_kind(result: QueryResult | list[ox.Triple]) -> ResultKind:
    """``graph`` for the triples of CONSTRUCT/DESCRIBE (or a list of triples), else
    ``solutions``."""
    return "graph" if isinstance(result, ox.QueryTriples | list) else "solutions"


#: An ASK answer in the tabular formats, which define no boolean form: a one-column table
#: ``_askResult`` as Jena and Fuseki write it (a bare ``true`` reads as a header without
#: rows to every CSV/TSV client).
_BOOLEAN_TABLES = {"csv": b"_askResult\r\n%s\r\n", "tsv": b"?_askResult\n%s\n"}


def serialise_result(
    result: QueryResult | list[ox.Triple],
    fmt: ResultFormat,
    *,
    deadline: float | None = None,
    max_bytes: int | None = None,
) -> SerialisedResult:
    """Serialise ``result`` in ``fmt`` (or the default of its kind, when ``fmt`` does not fit).

    :raises QueryTimeoutError: ``deadline`` (a ``time.monotonic()`` value) passed meanwhile.
    """
    kind = result_kind(result)
    if fmt not in FORMATS_BY_KIND[kind]:
        fmt = FORMATS_BY_KIND[kind][0]
    if isinstance(result, ox.QueryBoolean) and fmt.name in _BOOLEAN_TABLES:
        answer = b"true" if result else b"false"
        return SerialisedResult(fmt, _BOOLEAN_TABLES[fmt.name] % answer)
    sink = _DeadlineWriter(deadline, max_bytes)
    output = cast(IO[bytes], sink)
    try:
        if isinstance(result, ox.QueryTriples | list):
            assert isinstance(fmt.serializer, ox.RdfFormat)
            ox.serialize(result, output, format=fmt.serializer, prefixes=_prefixes(fmt))
        else:
            assert isinstance(fmt.serializer, ox.QueryResultsFormat)
            result.serialize(output, format=fmt.serializer)
    except (QueryTimeoutError, OutputTooLarge):
        raise
    except (OSError, RuntimeError) as exc:
        if sink.max_bytes is not None and len(sink.buffer) > sink.max_bytes:
            raise OutputTooLarge from exc
        # pyoxigraph wraps an exception raised by the writer; the deadline is the cause.
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeoutError("the query ran past its time limit") from exc
        raise
    return SerialisedResult(fmt, bytes(sink.buffer))


def serialise_query(
    store: GraphStore,
    sparql: str,
    fmt: ResultFormat,
    *,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
    deadline: float | None = None,
) -> SerialisedResult:
    """Run ``sparql`` on ``store`` and serialise the results in ``fmt``.

    :raises QuerySyntaxError: the query does not parse.
    :raises QueryTimeoutError: ``deadline`` passed while the results were written.
    """
    result = store.query(sparql, default_graphs=default_graphs, named_graphs=named_graphs)
    return serialise_result(result, fmt, deadline=deadline)


def _prefixes(fmt: ResultFormat) -> dict[str, str] | None:
    """Prefixes for the formats that abbreviate IRIs (Turtle, TriG, RDF/XML)."""
    return PREFIXES if fmt.name in {"turtle", "trig", "rdfxml"} else None
