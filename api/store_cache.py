"""Per-store memoisation for what the pages read from a whole (read-only) store.

A value is kept for each store object and read again when the store's size changes (a
rebuilt store is a new object anyway), as :mod:`viz.data` does for the views.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

from graph.store.port import GraphStore

__all__ = ["PerStore"]

T = TypeVar("T")


class PerStore(Generic[T]):
    """``read(store)``, remembered per store.

    >>> from graph.store import OxigraphStore
    >>> calls = []
    >>> sizes = PerStore(lambda s: calls.append(1) or len(s))
    >>> s = OxigraphStore.memory()
    >>> sizes(s), sizes(s), len(calls)
    (0, 0, 1)
    """

    def __init__(self, read: Callable[[GraphStore], T]) -> None:
        self._read = read
        self._cache: WeakKeyDictionary[GraphStore, tuple[int, T]] = WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, store: GraphStore) -> T:
        size = len(store)
        with self._lock:
            cached = self._cache.get(store)
        if cached is not None and cached[0] == size:
            return cached[1]
        value = self._read(store)
        with self._lock:
            self._cache[store] = (size, value)
        return value
