"""``policygraph serve`` with the query and update guards switched off — for the sandbox
tests only: what still keeps ``SERVICE`` and ``LOAD`` from fetching is the workers' lack of
network. Run as ``python -m tests.hardening.sandbox.unguarded_server serve …``."""

from __future__ import annotations

import api.routers.sparql
import serving.edits
from graph.query.guard import QueryShape, inspect_query


def _no_query_guard(sparql: str, dataset_graphs: object) -> QueryShape:
    """The query's shape, with nothing refused."""
    return inspect_query(sparql)


def _no_update_guard(sparql: str) -> None:
    """Nothing refused."""


if __name__ == "__main__":
    api.routers.sparql.guard_query = _no_query_guard  # type: ignore[attr-defined]
    serving.edits.guard_update = _no_update_guard  # type: ignore[attr-defined]
    from cli.main import app

    app()
