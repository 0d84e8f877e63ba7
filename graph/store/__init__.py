"""The store layer: one :class:`GraphStore` port, its adapters, and :func:`open_store`.

>>> store = open_store("memory:")
>>> len(store)
0
"""

from __future__ import annotations

from pathlib import Path

from graph.store.location import StoreLocation, check_marker
from graph.store.oxigraph import OxigraphStore
from graph.store.port import GraphStore, QueryResult

__all__ = ["MEMORY", "GraphStore", "OxigraphStore", "QueryResult", "StoreLocation", "open_store"]

#: The store spec that names a fresh in-memory store.
MEMORY = "memory:"


def open_store(spec: str | Path, *, read_only: bool = True) -> OxigraphStore:
    """Open the store a user names: a path to a built store, or ``memory:``.

    :raises StoreError: nothing is built at the path, or it cannot be opened.
    """
    if str(spec) == MEMORY:
        return OxigraphStore.memory()
    location = StoreLocation(Path(spec))
    directory = location.current()
    check_marker(directory)
    return OxigraphStore.open(directory, read_only=read_only)
