"""Blocking graph work off the event loop, with a time limit.

A query runs in a worker thread; Oxigraph releases the GIL while it evaluates, so the loop
keeps answering other requests. Past the limit the request gets
:class:`~graph.errors.QueryTimeoutError` (503) at once; the thread is abandoned and
stops at its next write (see :mod:`graph.query.serialise`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import anyio
import anyio.to_thread

from graph.errors import QueryTimeoutError

__all__ = ["run_with_timeout"]

T = TypeVar("T")


async def run_with_timeout(work: Callable[[float], T], timeout: float) -> T:
    """Run ``work(deadline)`` in a worker thread; give up after ``timeout`` seconds.

    ``deadline`` is the ``time.monotonic()`` value at which the work should stop itself.

    :raises QueryTimeoutError: the work did not finish in time.
    """
    deadline = time.monotonic() + timeout
    with anyio.move_on_after(timeout) as scope:
        return await anyio.to_thread.run_sync(work, deadline, abandon_on_cancel=True)
    assert scope.cancelled_caught
    raise QueryTimeoutError(
        f"the query took longer than {timeout:g} s, the limit of this server; "
        "narrow it (LIMIT, more specific patterns) and try again"
    )
