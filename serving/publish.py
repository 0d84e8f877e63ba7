"""The one way a store is published to a server's requests: :meth:`Publication.publish`.

A store is published at start, when a rebuild is swapped in, and after each accepted edit.
Each time the same three steps happen: the new :class:`~serving.context.StoreContext` is
warmed (its caches filled, its network measures started in a child process; at most
``wait`` seconds are waited for), then it becomes the context of new requests, then the
old one is retired — closed once every request that started while it was published has
finished (:class:`Readers`, fed by the HTTP layer). Nothing is closed under a running
request.

A large store is published before its caches are warm (:data:`NO_WAIT_ABOVE`): an
accepted edit's answer does not wait a minute for them. The explorer's pages then keep
reading the last warm context (:attr:`Publication.pages`) until the new one is warm, and
say so; everything else (SPARQL, the Graph Store protocol, the JSON API, downloads,
linked-data RDF) reads the new one at once (:attr:`Publication.current`). Two contexts'
caches live side by side meanwhile; a context published and replaced before it warmed is
retired at once (its warm-up stops).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from graph.errors import StoreError
from serving import collector
from serving.context import StoreContext, WarmStep

__all__ = ["NO_WAIT_ABOVE", "WARM_SECONDS", "Publication", "Readers"]

_LOG = logging.getLogger(__name__)

#: How long a new context may warm its caches before it is published anyway, in seconds.
WARM_SECONDS = 5.0
#: Quads above which a store on disk is published without waiting for its caches: their
#: warm-up takes minutes there (1M quads: 60–73 CPU s), so a wait of seconds would warm
#: nothing and only delay the request that publishes it — an accepted edit's answer.
NO_WAIT_ABOVE = 200_000


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


class Publication:
    """The context a server's requests read now, the one its pages read, and how a new
    one replaces them.

    ``warm_seconds`` is how long :meth:`publish` waits for a context's caches by default.
    ``prepare`` is called with each new context, warmed, just before it becomes current
    (the query pool is pointed at its directory there); ``show`` with each context as it
    becomes current, under the lock (the web app keeps it where its requests read it).
    ``page_steps`` gives what the web app's pages compute once from a context, made by its
    warm-up (:meth:`StoreContext.warm_up`), so a first visit once warm finds it made.
    """

    def __init__(
        self,
        readers: Readers | None = None,
        *,
        prepare: Callable[[StoreContext], None] | None = None,
        show: Callable[[StoreContext], None] | None = None,
        page_steps: Callable[[StoreContext], list[WarmStep]] | None = None,
        warm_seconds: float = WARM_SECONDS,
    ) -> None:
        self.readers = readers or Readers()
        self.warm_seconds = warm_seconds
        self.prepare = prepare
        self.show = show
        self.page_steps = page_steps
        self._lock = threading.Lock()
        self._current: StoreContext | None = None
        #: The last warm context, kept for the pages while :attr:`_current` warms.
        self._previous: StoreContext | None = None
        #: When the first context the pages do not show yet was published (UTC).
        self._behind_since = datetime.now(UTC)
        #: Contexts the pages read before, retired and not yet let go of (closed, their
        #: garbage collected): until then a server is not settled (:meth:`settled`).
        self._releasing = 0

    @property
    def current(self) -> StoreContext:
        """The context new requests read.

        :raises StoreError: nothing is published (the server is starting or stopped).
        """
        current = self._current
        if current is None:
            raise StoreError("the store is not open")
        return current

    @property
    def pages(self) -> StoreContext:
        """The context the explorer's pages read: the last warm one while the current one
        warms (the current one once it is warm, or when none was warm before it).

        :raises StoreError: nothing is published.
        """
        behind = self.behind()
        return behind[0] if behind is not None else self.current

    def behind(self) -> tuple[StoreContext, datetime] | None:
        """The last warm context, kept for the pages while the current one warms, and when
        the first edit they do not show was published (UTC); ``None`` when the pages read
        the current context."""
        with self._lock:
            current, previous, published = self._current, self._previous, self._behind_since
        if previous is None or current is None:
            return None
        if current.warm.is_set():  # warm: its watcher retires the previous one, not a
            return None  # request (which may run on the event loop) — freeing it takes time
        return previous, published

    def settled(self) -> bool:
        """Whether the pages read the current context and the one they read before is let
        go of: its caches freed and the heap collected once (a second at a million triples,
        holding the interpreter lock). ``/healthz`` says warm only then, so a first visit
        after it does not wait for that."""
        with self._lock:
            return self._previous is None and self._releasing == 0

    def held(self) -> list[Path]:
        """The directories of contexts kept for the pages beside the current one (a served
        copy there must not be removed yet)."""
        previous = self._previous
        return [previous.generation] if previous and previous.generation else []

    def publish(
        self, new: StoreContext, *, wait: float | None = None, keep_pages: bool = True
    ) -> None:
        """Warm ``new`` (up to ``wait`` seconds, by default ``warm_seconds``; not at all for
        a store on disk of more than :data:`NO_WAIT_ABOVE` quads), make it current, retire
        the previous one — or, if ``new`` is not warm yet and ``keep_pages``, keep the last
        warm context for the pages until ``new`` is warm, then retire it."""
        new.warm_up(also=self.page_steps(new) if self.page_steps else ())
        wait = self.warm_seconds if wait is None else wait
        if wait > 0 and new.generation is not None and new.triples > NO_WAIT_ABOVE:
            wait = 0.0
        if not new.warm.wait(wait):
            _LOG.info("publishing a store whose caches are still warming")
        if self.prepare is not None:
            self.prepare(new)
        with self._lock:
            previous, self._current = self._current, new
            retired: list[StoreContext | None] = [previous]
            if new.warm.is_set() or not keep_pages:
                retired.append(self._previous)
                self._previous = None
            elif self._previous is None and previous is not None and previous.warm.is_set():
                self._previous, retired = previous, []  # kept for the pages
                self._behind_since = datetime.now(UTC)
            kept = self._previous is not None
            if self.show is not None:
                self.show(new)
        for context in retired:
            if context is not None:
                self.readers.retire(context.close)
        if kept:
            threading.Thread(
                target=self._promote_when_warm, args=(new,), name="policygraph-pages-swap",
                daemon=True,
            ).start()  # fmt: skip

    def _promote_when_warm(self, context: StoreContext) -> None:
        """Once ``context`` is warm, let the pages read it (if it is still current)."""
        context.warm.wait()
        self._promote(context)

    def _promote(self, context: StoreContext) -> None:
        """The pages read ``context`` from now on, if it is current and warm; the context
        they read before is retired."""
        with self._lock:
            if self._current is not context or self._previous is None:
                return
            previous, self._previous = self._previous, None
            self._releasing += 1
        _LOG.info("the pages read the edited store now")

        def release() -> None:
            try:
                previous.close()
                collector.freeze_survivors()  # the served context's caches, unfrozen
            finally:
                with self._lock:
                    self._releasing -= 1

        self.readers.retire(release)

    def close(self) -> None:
        """Retire the current context (when the server stops): closed at once."""
        with self._lock:
            current, self._current = self._current, None
            previous, self._previous = self._previous, None
        for context in (current, previous):
            if context is not None:
                context.close()
