"""The cyclic garbage collector held off while the server reads in bulk.

A warm-up (:meth:`serving.context.StoreContext.warm_up`) and the reading of the warm caches
(:func:`serving.warm_cache.restore`) make millions of objects that live as long as the
served store, and nearly no garbage in cycles (what they drop, reference counting frees).
The collector does not know that: each few hundred objects made start a collection, and
as the heap grows, some of them go through all of it. At 1M triples a first start's
warm-up spent 9–10 of its 82 CPU s in collections (17 of the whole heap), 1.3 with the
collector held off (the one collection the warm-up makes at its end), and used no more
memory; reading the warm caches back took 4.0–4.5 CPU s, 1.5–1.8 without the collections.

:func:`held_off` may be entered by several threads at once (the warm-up's two lanes): the
collector is off while any of them is inside, and back on, if it was on, when the last
leaves. Cycles made meanwhile (by requests answered during a warm-up) are collected then,
by the next collection.

>>> import gc
>>> with held_off():
...     with held_off():
...         pass
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["freeze_survivors", "held_off"]

_lock = threading.Lock()
_inside = 0
_was_enabled = False


@contextmanager
def held_off() -> Iterator[None]:
    """No cyclic garbage collection while inside (in any thread), unless asked for."""
    global _inside, _was_enabled
    with _lock:
        if _inside == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _was_enabled:
                gc.enable()


def freeze_survivors() -> None:
    """Collect the heap once and leave what survives out of later collections
    (``gc.freeze``): done when a warm-up ends, and again when a closed context's
    ``gc.unfreeze`` (which lets its store's reference cycles be collected, and RocksDB let
    go of its directory) has handed the served context's caches back to the collector.
    Without it a request pays the next full collection of the whole heap (1-2 CPU s at 1M
    triples)."""
    gc.collect()
    gc.freeze()
