"""Typed dependencies of the routes; tests swap them with ``app.dependency_overrides``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import Settings
from graph.store.port import GraphStore

__all__ = ["SettingsDep", "StoreDep", "get_settings", "get_store"]


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
