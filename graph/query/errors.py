"""Errors of the query layer, placed in the one tree of :mod:`graph.errors`.

::

    PolicyGraphError
    ├── QueryRefusedError
    │   └── UpdateRefusedError   an update sent to the read-only endpoint
    └── QueryTimeoutError        a query ran past its time limit
"""

from __future__ import annotations

from graph.errors import PolicyGraphError, QueryRefusedError

__all__ = ["QueryTimeoutError", "UpdateRefusedError"]


class UpdateRefusedError(QueryRefusedError):
    """A SPARQL update reached a server that serves the graph read-only."""


class QueryTimeoutError(PolicyGraphError):
    """A query (with the serialisation of its results) took longer than allowed."""
