"""Store contexts for in-process app tests: one per test store for the whole run.

A server reads what its pages need from a store once, in the store's
:class:`~serving.context.StoreContext`; tests that point an app at a session-scoped store
(``app.dependency_overrides[get_context]``) share that store's context the same way, so
each test does not read the label index and the catalogue again. A store a test changes
must get a context of its own (:class:`StoreContext` directly).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from api.deps import get_context
from graph.store import OxigraphStore, open_store
from graph.store.port import GraphStore
from serving.context import StoreContext
from serving.settings import Settings

__all__ = ["context_of", "serve_store", "warmed_generation"]

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


def warmed_generation(path: Path, timeout: float = 300) -> StoreContext:
    """A context of its own for the store generation at ``path``, as a server opens it (its
    warm caches kept beside it), once warm; the caller closes it."""
    store = open_store(path)
    assert isinstance(store, OxigraphStore)
    context = StoreContext(store, Settings(), generation=store.location, release=store.close)
    context.warm_up().join(timeout=timeout)
    assert context.warm.is_set()
    return context
