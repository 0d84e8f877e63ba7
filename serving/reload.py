"""The served store follows rebuilds: a new ``policygraph build`` is swapped in for readers.

``policygraph build`` writes a new *generation* directory and swaps the store's symbolic
link to it (:mod:`graph.store.location`). :class:`ServedStore` opens the generation the link
names when the server starts, and then watches the link: once a second a background task
reads it (:meth:`ServedStore.watch`, one ``stat`` of the link), and when it names another
generation the server opens that one read-only in a thread, with its
:class:`~serving.edits.EditService`, lets its caches warm for a few seconds, points the query
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
(:class:`~serving.publish.Readers`, fed by the HTTP layer). Then it closes the old store — so
RocksDB's files and memory go even if a cache still refers to the store object — and
releases its hold, and the next build removes the directory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import anyio.to_thread

from graph.errors import PolicyGraphError, StoreError
from graph.store import MEMORY, OxigraphStore, StoreLocation, open_store, remote_url
from graph.store.edits import edits_file
from graph.store.location import GenerationLease, check_marker, hold_generation
from serving.context import StoreContext
from serving.documents import DocumentGraphs
from serving.edits import EditService
from serving.publish import Publication, Readers
from serving.settings import Settings

__all__ = ["POLL_SECONDS", "ServedStore", "WorkerPool", "serving"]

_LOG = logging.getLogger(__name__)

#: How often the server looks at the store's link, in seconds.
POLL_SECONDS = 1.0


class WorkerPool(Protocol):
    """What serving needs of the query pool: start it on a directory."""

    def start(self, store_dir: str, wait: float = 0.0) -> None:
        """Make ``store_dir`` the directory new workers open (starting them if need be)."""


@dataclass
class _Generation:
    """One opened generation: its directory, its store, its edits, its lease."""

    directory: Path
    generation: OxigraphStore
    lease: GenerationLease
    edits: EditService | None = field(default=None, repr=False)

    def release(self) -> None:
        """Close its store and let builds remove it (once no request can use it)."""
        self.generation.close()
        self.lease.release()


class ServedStore:
    """The on-disk store a server publishes through ``publication``, replaced by the newest
    generation after each build and by a served copy after each accepted edit (see the
    module's docstring)."""

    def __init__(self, publication: Publication, path: Path, settings: Settings) -> None:
        self.publication = publication
        self.settings = settings
        self.location = StoreLocation(path)
        self._current: _Generation | None = None
        self._refused: Path | None = None

    @property
    def readers(self) -> Readers:
        """The requests in flight, which decide when an old store may go."""
        return self.publication.readers

    def open(self, wait: float | None = None) -> None:
        """Open and publish the generation the link names now (at start), waiting up to
        ``wait`` seconds for its caches (by default the publication's ``warm_seconds``).

        :raises StoreError: nothing is built there, or it cannot be opened.
        """
        self._publish(*self._open(self.location.current()), wait=wait)

    def check(self) -> bool:
        """Publish the generation the link names if it is a new one; whether it was.

        A generation that cannot be opened (damaged, foreign) is logged once and the
        current one kept. Blocks while the new one opens and warms: run it in a thread.
        """
        try:
            target = self.location.current()
        except StoreError:
            return False  # the link is gone: keep serving what is open
        if target == self._require().directory or target == self._refused:
            return False
        try:
            opened, served = self._open(target)
        except PolicyGraphError as exc:
            self._refused = target
            _LOG.error("the new store is not served, the previous one is: %s", exc)
            return False
        self._publish(opened, served)
        _LOG.info("serving the new store %s", target)
        return True

    async def watch(self, interval: float = POLL_SECONDS) -> None:
        """Call :meth:`check` in a thread every ``interval`` seconds, until cancelled."""
        while True:
            await asyncio.sleep(interval)
            try:
                await anyio.to_thread.run_sync(self.check)
                await anyio.to_thread.run_sync(self.check_documents)
            except Exception:  # pragma: no cover - keep watching whatever happened
                _LOG.exception("looking for a new store failed")

    def check_documents(self) -> bool:
        """Serve the ingested documents whose files changed (a decision from the command
        line, an ingest; serving/documents.py); whether any had."""
        current = self._current
        return (
            current is not None
            and current.edits is not None
            and current.edits.refresh_documents(wait=False)
        )

    def close(self) -> None:
        """Close the published store and its edits (when the server stops)."""
        current, self._current = self._current, None
        self.publication.close()
        if current is None:
            return
        if current.edits is not None:
            current.edits.close()
        current.release()

    def _require(self) -> _Generation:
        if self._current is None:
            raise StoreError("the store is not open")
        return self._current

    def _open(self, directory: Path) -> tuple[_Generation, OxigraphStore]:
        """Hold, open and prepare ``directory`` for readers: the generation and the store
        to serve (the generation itself, or a copy with the edits); publishes nothing."""
        check_marker(directory)
        lease = hold_generation(directory)
        try:
            store = OxigraphStore.open(directory, read_only=True)
            opened = _Generation(directory, store, lease)
            # Accepted edits are served from a copy of the store (see serving/edits.py).
            opened.edits = EditService(
                store,
                edits_file(self.location.path),
                lambda s, wait=None: self._edited(opened, s, wait),
                DocumentGraphs(self.settings.data),  # their files' changes served at once
                check_base=self.settings.update_token is not None,  # edits validate locally
            )
            opened.edits.in_use = self.publication.held
            served = opened.edits.open_served()
        except BaseException:
            lease.release()
            raise
        return opened, served

    def _context(self, generation: _Generation, served: OxigraphStore) -> StoreContext:
        """The context serving ``served`` (``generation``'s store, or a copy with edits)."""

        def release() -> None:
            if served is not generation.generation:
                served.close()

        return StoreContext(
            served, self.settings, generation=served.location, edits=generation.edits,
            release=release, kept=served is generation.generation,
        )  # fmt: skip

    def _publish(
        self, generation: _Generation, served: OxigraphStore, wait: float | None = None
    ) -> None:
        """Publish ``served`` of ``generation``; retire the previous generation (the pages
        too move to the new one: the old generation is released with it)."""
        context = self._context(generation, served)
        self.publication.publish(context, wait=wait, keep_pages=False)
        previous, self._current = self._current, generation
        if previous is not None and previous is not generation:
            self.publication.readers.retire(previous.release)

    def _edited(
        self, generation: _Generation, store: OxigraphStore, wait: float | None = None
    ) -> None:
        """Publish ``store``, a copy of ``generation`` with newly accepted edits (or changed
        documents), after its caches warm for at most ``wait`` seconds (never longer than
        the server's ``warm_seconds``)."""
        if wait is not None:
            wait = min(wait, self.publication.warm_seconds)
        if generation is self._current:
            self.publication.publish(self._context(generation, store), wait=wait)
            return
        # The edit was committed on a generation swapped out meanwhile: it is in the edits
        # file, so serve the current generation with the file's edits.
        current = self._require()
        assert current.edits is not None
        self.publication.publish(self._context(current, current.edits.open_served()))


@asynccontextmanager
async def serving(
    publication: Publication, settings: Settings, pool: WorkerPool
) -> AsyncIterator[None]:
    """Open the store of ``settings`` and publish it through ``publication`` while the
    context lasts; keep a store on disk current with :class:`ServedStore` (its generations
    and edits); close it at the end. ``pool`` is pointed at each published directory."""
    if settings.store == MEMORY or remote_url(settings.store) is not None:
        store = await anyio.to_thread.run_sync(open_store, settings.store)
        context = StoreContext(store, settings, release=store.close)
        await anyio.to_thread.run_sync(lambda: publication.publish(context, wait=0.0))
        try:
            yield
        finally:
            publication.close()
        return

    def start_pool(context: StoreContext) -> None:
        with contextlib.suppress(StoreError):  # a stopped pool: the server is stopping
            pool.start(str(context.generation))  # replacement workers open this one

    publication.prepare = start_pool
    served = ServedStore(publication, Path(settings.store), settings)
    # Published at once, warming: the first requests wait only for what they need, and
    # /healthz says when the caches are warm.
    await anyio.to_thread.run_sync(lambda: served.open(wait=0.0))
    # Workers take about a second to start: have them ready before the first query.
    directory = str(publication.current.generation)
    await anyio.to_thread.run_sync(pool.start, directory, 30.0)
    watcher = asyncio.create_task(served.watch(), name="policygraph-store-watch")
    try:
        yield
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        served.close()
