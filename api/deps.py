"""Typed dependencies of the routes; tests swap them with ``app.dependency_overrides``.

The ones that only read ``app.state`` are ``async``: FastAPI runs a plain ``def``
dependency in its thread pool, a hand-off that cost more than the lookup on every request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.edits import EditService
from api.query_pool import QueryPool
from api.settings import Settings
from graph.query.named import NamedQuery, load_named_queries
from graph.query.search import LabelIndex
from graph.store.port import GraphStore

__all__ = [
    "EditsDep",
    "LabelIndexDep",
    "NamedQueriesDep",
    "QueryPoolDep",
    "SettingsDep",
    "StoreDep",
    "get_edits",
    "get_label_index",
    "get_named_queries",
    "get_query_pool",
    "get_settings",
    "get_store",
]


async def get_store(request: Request) -> GraphStore:
    """The store the app opened at start-up."""
    store: GraphStore = request.app.state.store
    return store


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_query_pool(request: Request) -> QueryPool:
    """The worker processes that run ``/sparql`` queries."""
    pool: QueryPool = request.app.state.query_pool
    return pool


async def get_edits(request: Request) -> EditService | None:
    """The edits of the served store (``None`` for an in-memory or remote store)."""
    edits: EditService | None = getattr(request.app.state, "edits", None)
    return edits


StoreDep = Annotated[GraphStore, Depends(get_store)]
EditsDep = Annotated[EditService | None, Depends(get_edits)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
QueryPoolDep = Annotated[QueryPool, Depends(get_query_pool)]


def get_label_index(store: StoreDep) -> LabelIndex:
    """The label index of ``store``, shared with name resolution
    (:func:`graph.query.resolve.label_index`: read again when the store's size changes)."""
    from graph.query.resolve import label_index

    return label_index(store)


def get_named_queries(settings: SettingsDep) -> dict[str, NamedQuery]:
    """The named queries of ``settings.queries``, read afresh (they are a few small files)."""
    return load_named_queries(settings.queries)


LabelIndexDep = Annotated[LabelIndex, Depends(get_label_index)]
NamedQueriesDep = Annotated[dict[str, NamedQuery], Depends(get_named_queries)]
