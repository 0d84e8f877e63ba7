"""The served store follows rebuilds: a new ``policygraph build`` is swapped in for readers.

``policygraph build`` writes a new *generation* directory and swaps the store's symbolic
link to it (:mod:`graph.store.location`). :class:`ServedStore` opens the generation the link
names when the server starts, and then watches the link: once a second a background task
reads it (:meth:`ServedStore.watch`, one ``stat`` of the link), and when it names another
generation the server opens that one read-only in a thread, with its
:class:`~api.edits.EditService`, lets its caches warm for a few seconds, points the query
pool at it and publishes it as ``app.state.store``. A request reads ``app.state.store``
once (:func:`api.deps.get_store`), so it runs entirely on the store it started with; the
``/sparql`` workers follow because each task names its store's directory, and a worker
reopens when that changes.

Why a background poll rather than a check on requests: no request ever waits for a store
to open (RocksDB, a served copy with the edits, the caches); an idle server is current
when its next request comes; and a ``stat`` a second costs nothing. (inotify would notice
sooner, but is Linux-only and blind on network file systems.)

Nothing is closed under a running request. A build removes old generations
(``StoreLocation._prune``), so the server holds each generation it may still read
(:func:`~graph.store.location.hold_generation`) and lets go of a swapped-out one only after
a grace period: once every request that started while it was published has finished
(:class:`Readers`, fed by :class:`ReadersMiddleware`). Then it closes the old store — so
RocksDB's files and memory go even if a cache still refers to the store object — and
releases its hold, and the next build removes the directory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import anyio.to_thread
from fastapi import FastAPI
from starlette.datastructures import State
from starlette.types import ASGIApp, Receive, Scope, Send

from api.edits import EditService
from api.query_pool import QueryPool
from api.settings import Settings
from api.warmup import warm_up
from graph.errors import PolicyGraphError, StoreError
from graph.store import MEMORY, OxigraphStore, StoreLocation, open_store, remote_url
from graph.store.edits import edits_file
from graph.store.location import GenerationLease, check_marker, hold_generation

__all__ = [
    "POLL_SECONDS",
    "WARM_SECONDS",
    "Readers",
    "ReadersMiddleware",
    "ServedStore",
    "WorkerPool",
    "serving",
]

_LOG = logging.getLogger(__name__)

#: How often the server looks at the store's link, in seconds.
POLL_SECONDS = 1.0
#: How long a new generation may warm its caches before it is published anyway, in seconds.
WARM_SECONDS = 5.0


class Readers:
    """The requests in flight, counted by the *epoch* they started in (the number of
    swaps so far), and what to release once the requests of past epochs are done.

    >>> readers, released = Readers(), []
    >>> first = readers.enter()
    >>> readers.retire(lambda: released.append("old store"))
    >>> released, readers.in_flight
    ([], 1)
    >>> readers.leave(first)
    >>> released, readers.in_flight
    (['old store'], 0)
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._epoch = 0
        self._counts: Counter[int] = Counter()
        #: (epoch from which on the thing is unused, its release), oldest first.
        self._pending: list[tuple[int, Callable[[], None]]] = []

    @property
    def in_flight(self) -> int:
        """The requests running now."""
        with self._lock:
            return sum(self._counts.values())

    def enter(self) -> int:
        """Count a request that starts now; returns its epoch, for :meth:`leave`."""
        with self._lock:
            self._counts[self._epoch] += 1
            return self._epoch

    def leave(self, epoch: int) -> None:
        """Count a request of ``epoch`` as finished; release what no request needs now."""
        with self._lock:
            self._counts[epoch] -= 1
            if self._counts[epoch] <= 0:
                del self._counts[epoch]
            due = self._due()
        _release_all(due)

    def retire(self, release: Callable[[], None]) -> None:
        """Start a new epoch; call ``release`` once every request that started before it
        has finished (at once if none is running)."""
        with self._lock:
            self._epoch += 1
            self._pending.append((self._epoch, release))
            due = self._due()
        _release_all(due)

    def _due(self) -> list[Callable[[], None]]:
        """Take the releases whose grace period is over (call with the lock held)."""
        oldest = min(self._counts, default=self._epoch)
        due = [release for since, release in self._pending if oldest >= since]
        self._pending = [(since, r) for since, r in self._pending if oldest < since]
        return due


def _release_all(releases: list[Callable[[], None]]) -> None:
    for release in releases:
        try:
            release()
        except Exception:  # pragma: no cover - a release only closes a descriptor
            _LOG.exception("releasing an old store failed")


class ReadersMiddleware:
    """ASGI middleware that counts every HTTP request in ``readers`` while it runs
    (until its response is sent)."""

    def __init__(self, app: ASGIApp, readers: Readers) -> None:
        self.app = app
        self.readers = readers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        epoch = self.readers.enter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.readers.leave(epoch)


class WorkerPool(Protocol):
    """What a :class:`ServedStore` needs of the query pool: start it on a directory."""

    def start(self, store_dir: str, wait: float = 0.0) -> None:
        """Make ``store_dir`` the directory new workers open (starting them if need be)."""


@dataclass
class _Generation:
    """One opened generation: its directory, the store readers get, its edits, its lease."""

    directory: Path
    generation: OxigraphStore
    lease: GenerationLease
    served: OxigraphStore | None = None
    edits: EditService | None = field(default=None, repr=False)

    def release(self) -> None:
        """Close its stores and let builds remove it (once no request can use it)."""
        if self.served is not None:
            self.served.close()
        self.generation.close()
        self.lease.release()


class ServedStore:
    """The on-disk store a server publishes in ``state`` (``state.store``, ``state.edits``),
    replaced by the newest generation after each build (see the module's docstring).

    ``pool`` is pointed at each new generation; ``readers`` decides when an old one may go.
    """

    def __init__(self, state: State, path: Path, pool: WorkerPool, readers: Readers) -> None:
        self.state = state
        self.location = StoreLocation(path)
        self.pool = pool
        self.readers = readers
        self._lock = threading.Lock()
        self._current: _Generation | None = None
        self._refused: Path | None = None

    @property
    def directory(self) -> Path:
        """The directory of the store published now (a generation, or its served copy)."""
        current = self._require()
        assert current.served is not None and current.served.location is not None
        return current.served.location

    def open(self) -> None:
        """Open and publish the generation the link names now (at start; the caller warms
        its caches).

        :raises StoreError: nothing is built there, or it cannot be opened.
        """
        generation = self._open(self.location.current())
        self._publish(generation)  # warmed by serving(), once the query workers are up

    def check(self) -> bool:
        """Publish the generation the link names if it is a new one; whether it was.

        A generation that cannot be opened (damaged, foreign) is logged once and the
        current one kept. Blocks while the new one opens: run it in a thread.
        """
        try:
            target = self.location.current()
        except StoreError:
            return False  # the link is gone: keep serving what is open
        if target == self._require().directory or target == self._refused:
            return False
        try:
            generation = self._open(target)
        except PolicyGraphError as exc:
            self._refused = target
            _LOG.error("the new store is not served, the previous one is: %s", exc)
            return False
        warm_up(self._served(generation)).join(WARM_SECONDS)
        self._publish(generation)
        _LOG.info("serving the new store %s", target)
        return True

    async def watch(self, interval: float = POLL_SECONDS) -> None:
        """Call :meth:`check` in a thread every ``interval`` seconds, until cancelled."""
        while True:
            await asyncio.sleep(interval)
            try:
                await anyio.to_thread.run_sync(self.check)
            except Exception:  # pragma: no cover - keep watching whatever happened
                _LOG.exception("looking for a new store failed")

    def close(self) -> None:
        """Close the published store and its edits (when the server stops)."""
        with self._lock:
            current, self._current = self._current, None
        if current is None:
            return
        if current.served is not None and current.served is not current.generation:
            current.served.close()
        current.generation.close()
        if current.edits is not None:
            current.edits.close()
        current.lease.release()

    def _require(self) -> _Generation:
        if self._current is None:
            raise StoreError("the store is not open")
        return self._current

    def _open(self, directory: Path) -> _Generation:
        """Hold, open and prepare ``directory`` for readers (publishes nothing)."""
        check_marker(directory)
        lease = hold_generation(directory)
        try:
            store = OxigraphStore.open(directory, read_only=True)
            opened = _Generation(directory, store, lease)
            # Accepted edits are served from a copy of the store (see api/edits.py).
            opened.edits = EditService(
                store, edits_file(self.location.path), lambda s: self._edited(opened, s)
            )
            opened.served = opened.edits.open_served()
        except BaseException:
            lease.release()
            raise
        return opened

    @staticmethod
    def _served(generation: _Generation) -> OxigraphStore:
        assert generation.served is not None
        return generation.served

    def _publish(self, generation: _Generation) -> None:
        """Make ``generation`` the store of new requests; retire the previous one."""
        served = self._served(generation)
        assert served.location is not None
        with contextlib.suppress(StoreError):  # a stopped pool: the server is stopping
            self.pool.start(str(served.location))  # replacement workers open this one
        with self._lock:
            previous, self._current = self._current, generation
            self.state.store, self.state.edits = served, generation.edits
        if previous is not None:
            self.readers.retire(previous.release)

    def _edited(self, generation: _Generation, store: OxigraphStore) -> None:
        """Publish ``store``, a copy of ``generation`` with newly accepted edits."""
        with self._lock:
            if generation is self._current:
                generation.served = store
                self.state.store = store
                return
        # The edit was committed on a generation swapped out meanwhile: it is in the edits
        # file, so serve the current generation with the file's edits.
        current = self._require()
        assert current.edits is not None
        served = current.edits.open_served()
        with self._lock:
            if current is self._current:
                current.served = served
                self.state.store = served


@asynccontextmanager
async def serving(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    """Open the store of ``settings`` for ``app`` while the context lasts: publish it as
    ``app.state.store`` (and ``app.state.edits``) and, for a store on disk, keep it current
    with :class:`ServedStore`; close it at the end."""
    if settings.store == MEMORY or remote_url(settings.store) is not None:
        store = open_store(settings.store)
        app.state.store, app.state.edits = store, None
        warm_up(store)
        try:
            yield
        finally:
            store.close()
        return
    pool: QueryPool = app.state.query_pool
    served = ServedStore(app.state, Path(settings.store), pool, app.state.readers)
    await anyio.to_thread.run_sync(served.open)
    # Workers take about a second to start: have them ready before the first query, and
    # before the warm-up competes with them for the CPU.
    await anyio.to_thread.run_sync(pool.start, str(served.directory), 30.0)
    warm_up(app.state.store)
    app.state.served = served
    watcher = asyncio.create_task(served.watch(), name="policygraph-store-watch")
    try:
        yield
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        served.close()
