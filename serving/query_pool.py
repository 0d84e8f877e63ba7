"""SPARQL queries run in worker processes that are killed at the deadline.

pyoxigraph cannot interrupt a query it is evaluating, and a thread cannot be stopped: a
cartesian product or an unbounded property path would go on using CPU and memory long
after its request got a 503. So each query of ``/sparql`` runs in a worker *process*
(a fresh ``python`` started with :mod:`subprocess`, talking over a socket pair
with :mod:`multiprocessing.connection`'s framing — no ``fork`` of a threaded server and
no re-import of its ``__main__``) that opens the store read-only itself and answers one
task at a time over a pipe. The request awaits the answer on the event loop (the
worker's socket is watched with ``add_reader``: no thread hand-off for the common case of
a free worker and a small answer), so the loop stays free; past the deadline the worker is
killed (``SIGKILL`` — its memory goes with it) and a new one is started in its place. A
worker that dies on its own (out of memory) is replaced the same way.

A worker drops the right to open network sockets before it opens the store
(:func:`graph.sandbox.drop_network`, seccomp): a ``SERVICE`` the guard missed fetches
nothing. Only on-disk stores can be opened by another process; an in-memory or remote store
is queried in a thread of the server instead (:func:`serving.worker.run_with_timeout`), with the
guard only — a remote store needs the network to reach its endpoint.

::

    request (event loop)       worker process
    ────────────────────       ──────────────
    idle.get_nowait() ─ task ─▶ run_capped(store, …)
    await readable(deadline) ◀─ result ─┘
    past the deadline: kill(worker); spawn(); 503

When no worker is free, or an answer is large, the waiting or the reading happens in a
thread instead, so the loop never blocks on it.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import queue
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import cast

import anyio.to_thread

from graph.errors import PolicyGraphError, QueryRefusedError, QueryTimeoutError, StoreError
from graph.query.capped import CappedResult
from graph.query.formats import ResultKind

__all__ = ["QueryPool", "QueryTask", "shared_pool", "timeout_message"]

_LOG = logging.getLogger(__name__)
#: Seconds a new worker may take to import and open the store before it counts as failed.
_START_TIMEOUT = 60.0
#: Seconds before a worker that failed to start is tried again, doubling up to the maximum.
_RETRY_FIRST, _RETRY_MAX = 0.5, 30.0
#: Answers up to this size (bytes, pickled) are read on the event loop; larger in a thread.
_READ_ON_LOOP = 256 * 1024


def timeout_message(timeout: float) -> str:
    """What a client reads when its query ran past ``timeout`` seconds."""
    return (
        f"the query took longer than {timeout:g} s, the limit of this server; "
        "narrow it (LIMIT, more specific patterns) and try again"
    )


@dataclass(frozen=True)
class QueryTask:
    """One query for a worker: which store, what text, which format, dataset and base."""

    store_dir: str
    sparql: str
    format_name: str
    kind: ResultKind
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    max_rows: int
    #: What relative IRIs in the query resolve against: the endpoint's public URL.
    base_iri: str | None = None


def worker_main(fd: int, store_dir: str) -> None:  # pragma: no cover - runs in a subprocess
    """The loop of a worker process: drop the network (:func:`graph.sandbox.drop_network`),
    open the store, answer tasks until the pipe closes."""
    from graph.sandbox import drop_network

    drop_network()  # first: a SERVICE the guard missed can open no connection from here on
    conn = Connection(fd)
    from graph.query.capped import run_capped
    from graph.query.formats import format_named
    from graph.store.oxigraph import OxigraphStore

    opened: dict[str, OxigraphStore] = {}

    def store_at(directory: str) -> OxigraphStore:
        if directory not in opened:
            for old in opened.values():
                old.close()
            opened.clear()
            opened[directory] = OxigraphStore.open(Path(directory), read_only=True)
        return opened[directory]

    try:
        store_at(store_dir)
    except PolicyGraphError as exc:
        conn.send(("error", exc))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            task: QueryTask = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = run_capped(
                store_at(task.store_dir),
                task.sparql,
                format_named(task.format_name, task.kind),
                max_rows=task.max_rows,
                default_graphs=task.default_graphs,
                named_graphs=task.named_graphs,
                base_iri=task.base_iri,
            )
            conn.send(("ok", (result.format.name, result.data, result.truncated)))
        except PolicyGraphError as exc:
            conn.send(("error", exc))
        except OSError as exc:  # the sandbox refused a connection: a SERVICE the guard missed
            conn.send(("error", _fetch_refused(exc)))
        except Exception as exc:  # a bug: the request gets a 500 with its repr
            conn.send(("bug", repr(exc)))


def _fetch_refused(exc: OSError) -> QueryRefusedError:
    """The error of a query whose evaluation tried to reach the network."""
    return QueryRefusedError(
        f"the query tried to reach the network ({exc.strerror or exc}): "
        "this endpoint never queries other servers"
    )


class _Worker:
    """One worker process and the parent's end of its socket."""

    def __init__(self, store_dir: str) -> None:
        parent, child = socket.socketpair()
        code = f"from serving.query_pool import worker_main; worker_main({child.fileno()}, {store_dir!r})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], pass_fds=[child.fileno()], stdin=subprocess.DEVNULL
        )
        child.close()
        #: The parent's end, kept to peek at the size of an answer before reading it.
        self.sock = parent
        self.conn = Connection(os.dup(parent.fileno()))

    @property
    def pid(self) -> int:
        return self.process.pid

    def answer_size(self) -> int:
        """The size of the pickled answer waiting on the socket (read without consuming).

        ``multiprocessing.connection`` frames a message with a 4-byte big-endian length
        (``-1`` and then 8 bytes for messages over 2 GiB).
        """
        header = self.sock.recv(4, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        if len(header) < 4:
            return _READ_ON_LOOP + 1  # not all there yet: read it in a thread
        (size,) = struct.unpack("!i", header)
        return size if size >= 0 else 2**63

    def kill(self) -> None:
        """Stop the process at once and release its socket."""
        self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
            _LOG.error("query worker %d did not stop", self.process.pid)
        self.conn.close()
        self.sock.close()


class _IdleWorkers(queue.LifoQueue["_Worker"]):
    """The idle workers, last in first out, except that a worker that has just started goes
    to the bottom: it is taken only when every warm worker is busy."""

    def put_fresh(self, worker: _Worker) -> None:
        """Add ``worker`` below the others."""
        with self.not_empty:
            self.queue.insert(0, worker)
            self.unfinished_tasks += 1
            self.not_empty.notify()


class QueryPool:
    """``size`` worker processes that answer queries on on-disk stores, killed at deadlines.

    Workers start on the first query (:meth:`run`) and stop with :meth:`close`.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        # Last in, first out: a worker that just answered takes the next task while its
        # CPU caches and RocksDB block cache are warm; round robin made every query
        # about 15% slower. A replacement joins at the bottom: on top, it took the next task
        # with empty caches (at 5M triples, small queries after a timeout took twice as long).
        self._idle = _IdleWorkers()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._store_dir: str | None = None
        self._closed = False
        #: Workers killed at a deadline or found dead, since the pool started.
        self.replaced = 0

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return [w.pid for w in self._workers]

    def run(self, task: QueryTask, timeout: float) -> CappedResult:
        """Answer ``task`` in a worker within ``timeout`` seconds (blocks: call it in a thread).

        The wait for a free worker and the query each have ``timeout`` seconds.

        :raises QueryTimeoutError: no worker was free, or the query ran past the deadline
            (its worker is killed and replaced).
        :raises StoreError: the worker died or cannot open the store.
        :raises PolicyGraphError: the query's own error (a syntax error …).
        """
        self._ensure_started(task.store_dir)
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeoutError(
                f"all {self.size} query workers stayed busy for {timeout:g} s; try again later"
            ) from None
        deadline = time.monotonic() + timeout
        try:
            worker.conn.send(task)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeoutError(timeout_message(timeout))
            message = worker.conn.recv()
        except (EOFError, OSError) as exc:
            error = _worker_died(worker)
            self._replace(worker)
            raise error from exc
        self._idle.put(worker)
        return self._result(task, message)

    async def run_async(self, task: QueryTask, timeout: float) -> CappedResult:
        """:meth:`run` without blocking the event loop (same errors).

        With a free worker the task is sent and the answer awaited on the loop itself;
        otherwise the wait for a worker happens in a thread (:meth:`run`).
        """
        self._ensure_started(task.store_dir)
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            return await anyio.to_thread.run_sync(self.run, task, timeout)
        deadline = time.monotonic() + timeout
        try:
            worker.conn.send(task)
            await _readable(worker.conn.fileno(), timeout)
        except TimeoutError:
            await anyio.to_thread.run_sync(self._replace, worker)
            raise QueryTimeoutError(timeout_message(timeout)) from None
        except asyncio.CancelledError:
            # The client went away: the worker is still busy with the task. Let a thread
            # wait for its answer (or the deadline) before the worker is reused.
            threading.Thread(
                target=self._finish, args=(worker, deadline), daemon=True, name="policygraph-drain"
            ).start()
            raise
        except OSError as exc:
            error = await anyio.to_thread.run_sync(_worker_died, worker)
            await anyio.to_thread.run_sync(self._replace, worker)
            raise error from exc
        try:
            if worker.answer_size() <= _READ_ON_LOOP:
                message = worker.conn.recv()
            else:
                message = await anyio.to_thread.run_sync(worker.conn.recv)
        except (EOFError, OSError) as exc:
            error = await anyio.to_thread.run_sync(_worker_died, worker)
            await anyio.to_thread.run_sync(self._replace, worker)
            raise error from exc
        self._idle.put(worker)
        return self._result(task, message)

    def _finish(self, worker: _Worker, deadline: float) -> None:
        """Wait for the answer of an abandoned task, then free the worker (or replace it)."""
        try:
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                worker.conn.recv()
                self._idle.put(worker)
                return
        except (EOFError, OSError):
            pass
        self._replace(worker)

    @staticmethod
    def _result(task: QueryTask, message: tuple[str, object]) -> CappedResult:
        """The result of a worker's answer, or the error it reports raised."""
        from graph.query.formats import format_named

        status, payload = message
        if status == "ok":
            name, data, truncated = cast("tuple[str, bytes, bool]", payload)
            return CappedResult(format_named(name, task.kind), data, truncated)
        if status == "error":
            assert isinstance(payload, PolicyGraphError)
            raise payload
        raise RuntimeError(f"a query worker failed: {payload}")

    def start(self, store_dir: str, wait: float = 0.0) -> None:
        """Start the workers on ``store_dir`` (or point replacements at it, when they run);
        wait up to ``wait`` seconds until all are ready."""
        self._ensure_started(store_dir, repoint=True)
        until = time.monotonic() + wait
        while self._idle.qsize() < self.size and time.monotonic() < until:
            time.sleep(0.02)

    def close(self) -> None:
        """Kill every worker; the pool cannot be used afterwards."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.kill()

    def _ensure_started(self, store_dir: str, *, repoint: bool = False) -> None:
        """Start the workers on ``store_dir`` unless they run; with ``repoint``, also make
        ``store_dir`` what replacement workers open (a task of a request that began before
        a swap must not point them back at the old store)."""
        with self._lock:
            if self._closed:
                raise StoreError("the query workers have been stopped")
            started = self._store_dir is not None
            if repoint or not started:
                self._store_dir = store_dir  # what a replacement opens first
            if started:
                return
        for _ in range(self.size):
            self._spawn()

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in its place (in the background)."""
        with self._lock:
            self._workers.discard(worker)
            self.replaced += 1
        worker.kill()
        self._spawn()

    def _spawn(self, attempt: int = 0) -> None:
        """Start a worker; it joins the idle queue once it has opened the store (after a
        failed start, another is tried, ``attempt`` counting them)."""
        with self._lock:
            if self._closed or self._store_dir is None:
                return
            worker = _Worker(self._store_dir)
            self._workers.add(worker)

        def wait_until_ready() -> None:
            try:
                ready = worker.conn.poll(_START_TIMEOUT)
                message = worker.conn.recv() if ready else ("error", "no answer")
            except (EOFError, OSError):
                message = ("error", "exited")
            if message[0] == "ready":
                self._idle.put_fresh(worker)
                return
            if self._closed:
                return
            _LOG.error("a query worker failed to start: %s", message[1])
            with self._lock:
                self._workers.discard(worker)
            worker.kill()
            # Try again (the pool would shrink for good otherwise): by then the pool may
            # point at another store, or the cause may have passed.
            time.sleep(min(_RETRY_MAX, _RETRY_FIRST * 2**attempt))
            self._spawn(attempt + 1)

        threading.Thread(target=wait_until_ready, name="policygraph-spawn", daemon=True).start()


def _worker_died(worker: _Worker) -> StoreError:
    """What the client reads when the worker running its query stopped without answering:
    how it stopped (its exit status, waited for up to a second), never a guess."""
    try:
        status: int | None = worker.process.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        status = None
    if status is None:
        how = "closed its pipe without answering"
    elif status < 0:
        try:
            how = f"was stopped by signal {signal.Signals(-status).name}"
        except ValueError:
            how = f"was stopped by signal {-status}"
    else:
        how = f"exited with status {status}"
    return StoreError(
        f"the query's worker process {how} before it answered; a new worker has started"
    )


async def _readable(fd: int, timeout: float) -> None:
    """Return when ``fd`` has data to read; raise :class:`TimeoutError` after ``timeout`` s."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, timeout)
    finally:
        loop.remove_reader(fd)
        # uvloop (libuv) puts a watched descriptor in non-blocking mode, a flag it shares
        # with every duplicate of the socket: the blocking reads that follow would fail
        # half-way through a large answer with EAGAIN.
        os.set_blocking(fd, True)


_SHARED: QueryPool | None = None
_SHARED_LOCK = threading.Lock()


def shared_pool(size: int) -> QueryPool:
    """The process's one pool (created with ``size`` workers on first use), closed at exit.

    One pool per process: apps created one after another (tests) share its warm workers.
    """
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None or _SHARED._closed:
            _SHARED = QueryPool(size)
            atexit.register(_SHARED.close)
        return _SHARED
