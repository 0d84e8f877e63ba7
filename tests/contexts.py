"""Store contexts for in-process app tests: one per test store for the whole run.

A server reads what its pages need from a store once, in the store's
:class:`~serving.context.StoreContext`; tests that point an app at a session-scoped store
(``app.dependency_overrides[get_context]``) share that store's context the same way, so
each test does not read the label index and the catalogue again. A store a test changes
must get a context of its own (:class:`StoreContext` directly).
"""

from __future__ import annotations

from fastapi import FastAPI

from api.deps import get_context
from graph.store.port import GraphStore
from serving.context import StoreContext
from serving.settings import Settings

__all__ = ["context_of", "serve_store"]

#: The contexts of the stores tests used last (a few: a context holds its store).
_CONTEXTS: list[StoreContext] = []
_KEPT = 8


def context_of(store: GraphStore) -> StoreContext:
    """The context of ``store`` shared by the tests (made on first use)."""
    for context in _CONTEXTS:
        if context.store is store:
            return context
    context = StoreContext(store, Settings(store="memory:"))
    _CONTEXTS.append(context)
    del _CONTEXTS[:-_KEPT]
    return context


def serve_store(app: FastAPI, store: GraphStore) -> FastAPI:
    """``app`` with its routes reading ``store`` (through its shared context)."""
    context = context_of(store)
    app.dependency_overrides[get_context] = lambda: context
    return app
