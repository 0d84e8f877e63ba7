"""The one port through which everything reads and writes the graph.

An adapter is a small class with these methods; :mod:`graph.store.oxigraph` has the
embedded (on disk) and in-memory ones. Results are pyoxigraph's own result objects, so
they serialise natively (``results.serialize(format=QueryResultsFormat.JSON)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeAlias, runtime_checkable

import pyoxigraph as ox

__all__ = ["GraphStore", "QueryResult"]

QueryResult: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@runtime_checkable
class GraphStore(Protocol):
    """A quad store that answers SPARQL 1.1 as strings.

    By default the query's default graph is the union of all named graphs, as the
    vocabulary contract promises; ``default_graphs``/``named_graphs`` narrow it (the
    ``default-graph-uri``/``named-graph-uri`` of the SPARQL protocol). An empty
    ``default_graphs`` is an empty default graph; ``None`` is the union. An empty
    ``named_graphs`` leaves ``GRAPH`` nothing to match; ``None`` offers every named graph.
    """

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; ``bindings`` give variables values before evaluation
        (parameters are bound, never spliced into the query text); relative IRIs resolve
        against ``base_iri`` (the endpoint's URL, for ``/sparql``).

        :raises QuerySyntaxError: the query does not parse.
        """
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL update, all or nothing.

        :raises QuerySyntaxError: the update does not parse.
        """
        ...

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads, all or nothing."""
        ...

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs that hold at least one quad."""
        ...

    def __len__(self) -> int:
        """The number of quads in all graphs."""
        ...

    def close(self) -> None:
        """Flush and release the store; it must not be used afterwards."""
        ...
