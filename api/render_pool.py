"""Static figures (SVG, PNG) drawn in child processes, never in the server's own.

matplotlib holds the interpreter lock for up to a few hundred milliseconds at a time
while it draws (measured: a 0.37 s stall of the event loop per overview PNG), and every
figure drawn at 300 dpi leaves the process's heap larger. So the server hands the
:class:`~viz.view.View` to a :mod:`multiprocessing` pool of ``spawn``-started children:
the event loop only awaits, the drawing's memory is the child's, and each child is
replaced after :data:`RENDERS_PER_CHILD` figures, which returns whatever its heap kept. The
children run at a lower priority (``nice``), so that on a busy machine the server's own
process — its event loop, ``/healthz`` — gets the CPU first, and without the network (the
seccomp filter of the query workers, :func:`graph.sandbox.drop_network`).
A figure not drawn within the time limit kills the children (a new pool is made on the
next figure) and is a 503.

>>> RENDERS_PER_CHILD
20
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import multiprocessing
import multiprocessing.pool
import os
import threading
from typing import Literal

from graph.errors import StoreError
from viz.figure import FigureText
from viz.view import View

__all__ = ["RENDERS_PER_CHILD", "RenderPool", "shared_render_pool"]

_LOG = logging.getLogger(__name__)
#: Figures a child draws before it is replaced by a fresh one.
RENDERS_PER_CHILD = 20
#: How much lower the children's scheduling priority is than the server's.
_NICENESS = 10


def _prepare_child() -> None:  # pragma: no cover - runs in a child
    """Figures are background work: the server's own process gets the CPU first. And a
    child that draws has no use for the network: it loses it (:mod:`graph.sandbox`)."""
    from graph.sandbox import drop_network

    os.nice(_NICENESS)
    drop_network()


def _render(
    view: View, fmt: Literal["svg", "png", "pdf", "pptx"], text: FigureText | None
) -> bytes:  # pragma: no cover - in a child
    if fmt == "pptx":
        from viz.figure import default_text
        from viz.slides import deck

        return deck([(view, text or default_text(view))])
    from viz.static import render_static

    return render_static(view, fmt, text)


class RenderPool:
    """``workers`` child processes that draw figures; each figure within ``timeout`` s."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: multiprocessing.pool.Pool | None = None
        self._lock = threading.Lock()

    def _current(self) -> multiprocessing.pool.Pool:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                self._pool = context.Pool(
                    self.workers, initializer=_prepare_child, maxtasksperchild=RENDERS_PER_CHILD
                )
            return self._pool

    async def render(
        self,
        view: View,
        fmt: Literal["svg", "png", "pdf", "pptx"],
        text: FigureText | None = None,
    ) -> bytes:
        """``view`` drawn as ``fmt`` (a one-slide deck for ``pptx``) with the words of
        ``text`` (:func:`viz.figure.figure_text`) by a child process.

        :raises StoreError: the figure took longer than the limit, or its child died.
        """
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[bytes] = loop.create_future()

        def done(data: bytes) -> None:
            loop.call_soon_threadsafe(_settle, answer, data, None)

        def failed(exc: BaseException) -> None:
            loop.call_soon_threadsafe(_settle, answer, None, exc)

        # Starting the children (spawn: each reads its start-up data from a pipe once its
        # interpreter runs) takes seconds on a busy machine: never on the event loop.
        pool = await asyncio.to_thread(self._current)
        pool.apply_async(_render, (view, fmt, text), callback=done, error_callback=failed)
        try:
            return await asyncio.wait_for(answer, self.timeout)
        except TimeoutError:
            _LOG.warning("a %s figure took over %g s: restarting the renderers", fmt, self.timeout)
            self._restart(pool)
            raise StoreError(
                f"drawing the figure took longer than {self.timeout:g} s; "
                "ask for a smaller view (a filter, or format=html)"
            ) from None

    def _restart(self, pool: multiprocessing.pool.Pool) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.terminate()

    def close(self) -> None:
        """Stop the children (a new pool starts on the next figure)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()


def _settle(answer: asyncio.Future[bytes], data: bytes | None, exc: BaseException | None) -> None:
    if answer.done():  # timed out meanwhile
        return
    if exc is not None:
        answer.set_exception(exc)
    else:
        assert data is not None
        answer.set_result(data)


_SHARED: dict[tuple[int, float], RenderPool] = {}
_SHARED_LOCK = threading.Lock()


def shared_render_pool(workers: int, timeout: float) -> RenderPool:
    """The process-wide pool of this size and limit (apps of one process share it)."""
    with _SHARED_LOCK:
        pool = _SHARED.get((workers, timeout))
        if pool is None:
            pool = _SHARED[(workers, timeout)] = RenderPool(workers, timeout)
            atexit.register(pool.close)  # before the interpreter tears multiprocessing down
        return pool
