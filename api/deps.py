"""Typed dependencies of the routes; tests swap them with ``app.dependency_overrides``."""

from __future__ import annotations

from typing import Annotated
from weakref import WeakKeyDictionary

from fastapi import Depends, Request

from api.settings import Settings
from graph.query.named import NamedQuery, load_named_queries
from graph.query.search import LabelIndex
from graph.store.port import GraphStore

__all__ = [
    "LabelIndexDep",
    "NamedQueriesDep",
    "SettingsDep",
    "StoreDep",
    "get_label_index",
    "get_named_queries",
    "get_settings",
    "get_store",
]


def get_store(request: Request) -> GraphStore:
    """The store the app opened at start-up."""
    store: GraphStore = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

_INDEXES: WeakKeyDictionary[GraphStore, LabelIndex] = WeakKeyDictionary()


def get_label_index(store: StoreDep) -> LabelIndex:
    """The label index of ``store``, read once per store (the served store is read-only)."""
    index = _INDEXES.get(store)
    if index is None:
        index = _INDEXES[store] = LabelIndex.from_store(store)
    return index


def get_named_queries(settings: SettingsDep) -> dict[str, NamedQuery]:
    """The named queries of ``settings.queries``, read afresh (they are a few small files)."""
    return load_named_queries(settings.queries)


LabelIndexDep = Annotated[LabelIndex, Depends(get_label_index)]
NamedQueriesDep = Annotated[dict[str, NamedQuery], Depends(get_named_queries)]
