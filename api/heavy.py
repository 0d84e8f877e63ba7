"""Bounded heavy work for anonymous clients: a few at once, a short queue, answers cached.

Drawing a figure, searching paths and filtering the network measures cost from tens of
milliseconds to seconds each, and any client may ask for them. Unbounded, 45 clients
asking for the overview as PNG kept ``/healthz`` over a second for a minute and left the
server ten times its size. So each kind of heavy work goes through a :class:`HeavyWork`
lane:

* at most ``slots`` computations run at once and at most ``queue`` more wait; past that
  the request gets 503 with ``Retry-After`` (:class:`Busy`) at once, costing nothing;
* answers are kept by their normalised parameters in a :class:`ByteCache`, an LRU bounded
  in bytes and emptied when the served store changes (a rebuild or an accepted edit
  publishes a new :class:`~serving.context.StoreContext`), so the same figure asked 50
  times is drawn once;
* identical requests in flight share one computation (the second waits for the first),
  and a client that goes away does not cancel the computation others wait for.

Everything here runs on the event loop and only awaits: the computations themselves run
in a thread or a child process (:mod:`api.render_pool`), never on the loop.

>>> cache = ByteCache(40)
>>> for key in "abcde":
...     cache.put(key, b"0123456789")
>>> cache.get("a") is None, cache.get("e"), cache.used
(True, b'0123456789', 40)
>>> cache.put("big", bytes(11)); cache.get("big") is None  # over a quarter: not kept
True
"""

from __future__ import annotations

import asyncio
import math
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.responses import JSONResponse

__all__ = ["Busy", "ByteCache", "HeavyLanes", "HeavyWork", "busy_response", "lanes_of"]


class Busy(Exception):
    """More heavy work is running and waiting than the lane admits; try again later."""

    def __init__(self, lane: str, retry_after: int) -> None:
        super().__init__(f"the server is busy with other {lane}; try again in {retry_after} s")
        self.retry_after = retry_after


def busy_response(exc: Busy) -> JSONResponse:
    """The 503 for ``exc``: a JSON error and ``Retry-After``."""
    return JSONResponse(
        {"error": str(exc)}, status_code=503, headers={"Retry-After": str(exc.retry_after)}
    )


class ByteCache:
    """Answers by key, least recently used dropped first, at most ``capacity`` bytes."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.used = 0
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._owner: weakref.ref[object] | None = None

    def belongs_to(self, owner: object) -> None:
        """Keep answers computed over ``owner`` (the served store's context) only: a new
        one empties the cache."""
        if self._owner is None or self._owner() is not owner:
            self._entries.clear()
            self.used = 0
            self._owner = weakref.ref(owner)

    def get(self, key: Hashable) -> bytes | None:
        """The answer kept for ``key``, if any (now the most recently used)."""
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: Hashable, value: bytes) -> None:
        """Keep ``value``; an answer larger than a quarter of the cache is not kept."""
        if len(value) > self.capacity // 4:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self.used -= len(old)
        self._entries[key] = value
        self.used += len(value)
        while self.used > self.capacity:
            _, dropped = self._entries.popitem(last=False)
            self.used -= len(dropped)


class HeavyWork:
    """One lane of heavy work: ``slots`` at once, ``queue`` waiting, answers cached."""

    def __init__(self, name: str, *, slots: int, queue: int, cache: ByteCache) -> None:
        self.name = name
        self.slots = slots
        self.queue = queue
        self.cache = cache
        self.running = 0
        self._waiting: list[asyncio.Future[None]] = []
        self._in_flight: dict[Hashable, asyncio.Task[bytes]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._seconds = 1.0  # a moving average of how long one computation takes

    async def run(
        self, owner: object, key: Hashable, compute: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        """The answer for ``key`` over ``owner`` (the store's context): from the cache, from the same
        computation already in flight, or from ``compute()`` once a slot is free.

        :raises Busy: the lane's slots and queue are full.
        """
        self._bind_loop()
        self.cache.belongs_to(owner)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        task = self._in_flight.get(key)
        if task is None:
            if len(self._in_flight) >= self.slots + self.queue:  # running and waiting
                raise Busy(self.name, self._retry_after())
            task = asyncio.ensure_future(self._compute(key, compute))
            self._in_flight[key] = task
            task.add_done_callback(lambda done: self._forget(key, done))
        # Shielded: a client that leaves cancels its wait, not the work others share.
        return await asyncio.shield(task)

    def _forget(self, key: Hashable, task: asyncio.Task[bytes]) -> None:
        """The computation of ``key`` ended: no longer in flight. Its failure, if any, was
        its waiters' to see; read it here too, so that a computation every waiter left
        does not end in asyncio's "exception was never retrieved"."""
        self._in_flight.pop(key, None)
        if not task.cancelled():
            task.exception()

    async def _compute(self, key: Hashable, compute: Callable[[], Awaitable[bytes]]) -> bytes:
        await self._take_slot()
        started = time.monotonic()
        try:
            answer = await compute()
        finally:
            self._give_slot()
        self._seconds = 0.8 * self._seconds + 0.2 * (time.monotonic() - started)
        self.cache.put(key, answer)
        return answer

    async def _take_slot(self) -> None:
        while self.running >= self.slots:
            waiter = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                await waiter
            finally:
                self._waiting.remove(waiter)
        self.running += 1

    def _give_slot(self) -> None:
        self.running -= 1
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_result(None)
                break

    def _retry_after(self) -> int:
        """Seconds until the work ahead is likely done (at least 1)."""
        ahead = len(self._in_flight)
        return max(1, math.ceil(self._seconds * ahead / self.slots))

    def _bind_loop(self) -> None:
        """Forget waiters of another event loop (a test client that was closed)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._waiting.clear()
            self._in_flight.clear()
            self.running = 0


@dataclass(frozen=True)
class HeavyLanes:
    """The lanes of one app: static figures (drawn in child processes) and the rest (views
    as HTML, paths, analysis), sharing one cache."""

    renders: HeavyWork
    queries: HeavyWork


def lanes_of(app: FastAPI) -> HeavyLanes:
    """The app's lanes, made from its settings on first use."""
    lanes: HeavyLanes | None = getattr(app.state, "heavy_lanes", None)
    if lanes is None:
        settings = app.state.settings
        cache = ByteCache(settings.heavy_cache_mb * 1024 * 1024)
        lanes = app.state.heavy_lanes = HeavyLanes(
            renders=HeavyWork(
                "figures", slots=settings.render_workers, queue=settings.heavy_queue,
                cache=cache,
            ),
            queries=HeavyWork(
                "views and analyses", slots=settings.heavy_threads,
                queue=settings.heavy_queue, cache=cache,
            ),
        )  # fmt: skip
    return lanes
