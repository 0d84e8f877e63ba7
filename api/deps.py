"""Typed dependencies of the routes; tests swap them with ``app.dependency_overrides``.

Every route reads the served store through one dependency, :func:`get_context`: the
:class:`~serving.context.StoreContext` published when the request started
(:mod:`serving.publish`), so a request runs entirely on one store and its caches even if a
rebuild or an edit publishes another meanwhile. Tests override :func:`get_context`.

The explorer's HTML pages read :func:`get_page_context` instead: the last warm context
while the newest one warms after an accepted edit (at a million triples, a minute), so a
page never computes a cold context's caches in its request; it then says so (the notice
in ``base.html``). Whatever must read its own writes — SPARQL, the Graph Store protocol,
the JSON API, downloads, linked-data RDF, the review pages — reads :func:`get_context`.

The ones that only read ``app.state`` are ``async``: FastAPI runs a plain ``def``
dependency in its thread pool, a hand-off that cost more than the lookup on every request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graph.query.named import NamedQuery, load_named_queries
from graph.query.search import LabelIndex
from graph.store.port import GraphStore
from serving.context import StoreContext
from serving.edits import EditService
from serving.publish import Publication
from serving.query_pool import QueryPool
from serving.settings import Settings

__all__ = [
    "ContextDep",
    "EditsDep",
    "LabelIndexDep",
    "NamedQueriesDep",
    "PageContextDep",
    "PageLabelIndexDep",
    "QueryPoolDep",
    "SettingsDep",
    "StoreDep",
    "get_context",
    "get_edits",
    "get_label_index",
    "get_named_queries",
    "get_page_context",
    "get_page_label_index",
    "get_query_pool",
    "get_settings",
    "get_store",
]


async def get_context(request: Request) -> StoreContext:
    """The context published now: the served store and what is read from it once."""
    context: StoreContext = request.app.state.context
    return context


ContextDep = Annotated[StoreContext, Depends(get_context)]


async def get_page_context(request: Request, context: ContextDep) -> StoreContext:
    """The context an explorer page reads: :func:`get_context`'s, or the last warm one
    while that one warms (then ``request.state.pages_behind`` is when the newer one was
    published, for the page's notice)."""
    publication: Publication | None = getattr(request.app.state, "publication", None)
    if publication is None:
        return context
    behind = publication.behind()
    if behind is None:
        return context
    previous, request.state.pages_behind = behind
    return previous


PageContextDep = Annotated[StoreContext, Depends(get_page_context)]


async def get_store(context: ContextDep) -> GraphStore:
    """The served store (of :func:`get_context`)."""
    return context.store


async def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_query_pool(request: Request) -> QueryPool:
    """The worker processes that run ``/sparql`` queries."""
    pool: QueryPool = request.app.state.query_pool
    return pool


async def get_edits(context: ContextDep) -> EditService | None:
    """The edits of the served store (``None`` for an in-memory or remote store)."""
    return context.edits


StoreDep = Annotated[GraphStore, Depends(get_store)]
EditsDep = Annotated[EditService | None, Depends(get_edits)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
QueryPoolDep = Annotated[QueryPool, Depends(get_query_pool)]


def get_label_index(context: ContextDep) -> LabelIndex:
    """The label index of the served store (read once per context)."""
    return context.labels


def get_named_queries(settings: SettingsDep) -> dict[str, NamedQuery]:
    """The named queries of ``settings.queries``, read afresh (they are a few small files)."""
    return load_named_queries(settings.queries)


def get_page_label_index(context: PageContextDep) -> LabelIndex:
    """The label index of the context the explorer's pages read."""
    return context.labels


LabelIndexDep = Annotated[LabelIndex, Depends(get_label_index)]
PageLabelIndexDep = Annotated[LabelIndex, Depends(get_page_label_index)]
NamedQueriesDep = Annotated[dict[str, NamedQuery], Depends(get_named_queries)]
