"""Values computed once from a store that does not change, kept by the caller.

A served store never changes while it is served: a rebuild or an accepted edit publishes a
new store, with a new :class:`Memo` (:class:`serving.context.StoreContext` holds one). So
a function that reads something costly from a whole store takes an optional ``memo``:
with one, the value is read once and kept there; without one (the command line, a store
being written), it is read afresh each time. Nothing is kept in a module, and no size of
the store is asked to find out whether it changed (on a remote store, a ``COUNT(*)``).

>>> memo, calls = Memo(), []
>>> memo.get("answer", lambda: calls.append(1) or 42), memo.get("answer", lambda: 0)
(42, 42)
>>> len(calls)
1
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

__all__ = ["Memo", "remembered"]

T = TypeVar("T")


class Memo:
    """Values by key, each computed once by the first caller.

    Callers asking for a value being computed wait for it, asleep on that key's lock: fifty
    requests arriving together at a fresh server once read the label index fifty times over.
    A computation that raises keeps nothing; the next caller tries again.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, object] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value of ``key``: kept, or ``compute()`` kept now."""
        try:
            return cast(T, self._values[key])
        except KeyError:
            pass
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key in self._values:
                return cast(T, self._values[key])
            value = compute()
            self._values[key] = value
            return value

    def __contains__(self, key: Hashable) -> bool:
        return key in self._values

    def clear(self) -> None:
        """Forget every value (a closed store's: they may hold much memory), one at a time,
        letting other threads run between two: freeing a store's caches took 0.49 s at 1M
        triples (the proposal catalogue 0.20 s of it), all of which a request answered
        meanwhile waited for when they were freed at once.

        >>> memo = Memo()
        >>> memo.get("a", lambda: [1]), memo.clear(), "a" in memo
        ([1], None, False)
        """
        with self._lock:
            keys = list(self._values)
        for key in keys:
            with self._lock:
                value = self._values.pop(key, None)
            del value  # freed here, outside the lock
            time.sleep(0)  # the interpreter lock, to whoever waits for it


def remembered(memo: Memo | None, key: Hashable, compute: Callable[[], T]) -> T:
    """``memo.get(key, compute)``, or ``compute()`` when there is no memo."""
    return compute() if memo is None else memo.get(key, compute)
