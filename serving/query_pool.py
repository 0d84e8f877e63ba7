"""SPARQL queries run in worker processes that are killed at the deadline.

pyoxigraph cannot interrupt a query it is evaluating, and a thread cannot be stopped: a
cartesian product or an unbounded property path would go on using CPU and memory long
after its request got a 503. So each query of ``/sparql`` runs in a worker *process*
(a fresh ``python`` started with :mod:`subprocess`, talking over a socket pair — no
``fork`` of a threaded server and no re-import of its ``__main__``) that opens the store
read-only itself and answers one task at a time. A task and its answer are a JSON head
and raw bytes (:mod:`serving.worker_wire`): the results go to the client as the worker's
Oxigraph wrote them, and nothing is pickled either way. The request awaits the answer on
the event loop (the worker's socket, non-blocking, is read by a callback of the loop as
the bytes arrive: no thread hand-off, however large the answer), so the loop stays free;
past the deadline the worker is killed (``SIGKILL`` — its memory goes with it) and a new
one is started in its place. A worker that dies on its own (out of memory) is replaced
the same way.

A worker drops the right to open network sockets before it opens the store
(:func:`graph.sandbox.drop_network`, seccomp): a ``SERVICE`` the guard missed fetches
nothing. Only on-disk stores can be opened by another process; an in-memory or remote store
is queried in a thread of the server instead (:func:`serving.worker.run_with_timeout`), with the
guard only — a remote store needs the network to reach its endpoint.

::

    request (event loop)       worker process
    ────────────────────       ──────────────
    idle.get_nowait() ─ task ─▶ run_capped(store, …)
    await answer(deadline) ◀─ head, results ─┘
    past the deadline: kill(worker); spawn(); 503

When no worker is free, the wait for one happens in a thread (:meth:`QueryPool.run`, the
blocking form, which polls the socket), so the loop never blocks on it.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import math
import os
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread

from graph.errors import PolicyGraphError, QueryRefusedError, QueryTimeoutError, StoreError
from graph.query.capped import CappedResult
from graph.query.formats import ResultKind
from serving.worker_wire import (
    READ_SIZE,
    FrameReader,
    Head,
    error_from,
    error_head,
    frame,
    read_message,
    send_message,
)

__all__ = ["QueryPool", "QueryTask", "shared_pool", "timeout_message"]

_LOG = logging.getLogger(__name__)
#: Seconds a new worker may take to import and open the store before it counts as failed.
_START_TIMEOUT = 60.0
#: Seconds before a worker that failed to start is tried again, doubling up to the maximum.
_RETRY_FIRST, _RETRY_MAX = 0.5, 30.0


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

    def message(self) -> bytes:
        """The task as a message for a worker (:mod:`serving.worker_wire`)."""
        head = {
            "store": self.store_dir, "format": self.format_name, "kind": self.kind,
            "default": self.default_graphs, "named": self.named_graphs,
            "max_rows": self.max_rows, "base": self.base_iri,
        }  # fmt: skip
        return frame(head, self.sparql.encode("utf-8", "surrogatepass"))

    @classmethod
    def read(cls, head: Head, body: bytes) -> QueryTask:
        """The task a message (:meth:`message`) carries."""
        default, named = head["default"], head["named"]
        return cls(
            head["store"], body.decode("utf-8", "surrogatepass"), head["format"], head["kind"],
            tuple(default) if default is not None else None,
            tuple(named) if named is not None else None,
            head["max_rows"], head["base"],
        )  # fmt: skip


def worker_main(fd: int, store_dir: str) -> None:  # pragma: no cover - runs in a subprocess
    """The loop of a worker process: drop the network (:func:`graph.sandbox.drop_network`),
    open the store, answer tasks until the socket closes."""
    from graph.sandbox import drop_network

    drop_network()  # first: a SERVICE the guard missed can open no connection from here on
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
        send_message(fd, error_head(exc))
        return
    send_message(fd, {"status": "ready", "pid": os.getpid()})
    while True:
        try:
            task = QueryTask.read(*read_message(fd))
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
            head = {"status": "ok", "format": result.format.name, "truncated": result.truncated}
            send_message(fd, head, result.data)
        except PolicyGraphError as exc:
            send_message(fd, error_head(exc))
        except OSError as exc:  # the sandbox refused a connection: a SERVICE the guard missed
            send_message(fd, error_head(_fetch_refused(exc)))
        except Exception as exc:  # a bug: the request gets a 500 with its repr
            send_message(fd, {"status": "bug", "message": repr(exc)})


def _fetch_refused(exc: OSError) -> QueryRefusedError:
    """The error of a query whose evaluation tried to reach the network."""
    return QueryRefusedError(
        f"the query tried to reach the network ({exc.strerror or exc}): "
        "this endpoint never queries other servers"
    )


class _Worker:
    """One worker process and the parent's end of its socket (non-blocking)."""

    def __init__(self, store_dir: str) -> None:
        parent, child = socket.socketpair()
        code = f"from serving.query_pool import worker_main; worker_main({child.fileno()}, {store_dir!r})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], pass_fds=[child.fileno()], stdin=subprocess.DEVNULL
        )
        child.close()
        # Non-blocking for good: the event loop reads it as bytes arrive, threads poll it.
        parent.setblocking(False)
        self.sock = parent

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, data: bytes, deadline: float) -> None:
        """Send ``data`` whole (blocks: in a thread).

        :raises TimeoutError: the worker did not take it by ``deadline``.
        """
        view = memoryview(data)
        while view:
            try:
                view = view[self.sock.send(view) :]
            except BlockingIOError:
                if not _poll(self.sock, select.POLLOUT, deadline):
                    raise TimeoutError from None

    def receive(self, reader: FrameReader, deadline: float) -> bool:
        """Read into ``reader`` until its message is complete (``True``) or ``deadline``
        passes (``False``; blocks: in a thread).

        :raises EOFError: the worker closed its socket.
        """
        while _poll(self.sock, select.POLLIN, deadline):
            try:
                data = self.sock.recv(READ_SIZE)
            except BlockingIOError:
                continue
            if not data:
                raise EOFError("the worker closed its socket")
            if reader.feed(data):
                return True
        return False

    def kill(self) -> None:
        """Stop the process at once and release its socket."""
        self.process.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not refused
            _LOG.error("query worker %d did not stop", self.process.pid)
        self.sock.close()


def _poll(sock: socket.socket, event: int, deadline: float) -> bool:
    """Wait until ``sock`` is ready for ``event``; ``False`` once ``deadline`` passes."""
    poller = select.poll()
    poller.register(sock, event | select.POLLERR | select.POLLHUP)
    while (remaining := deadline - time.monotonic()) > 0:
        if poller.poll(math.ceil(remaining * 1000)):
            return True
    return False


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
        reader = FrameReader()
        try:
            worker.send(task.message(), deadline)
            answered = worker.receive(reader, deadline)
        except TimeoutError:
            answered = False
        except (EOFError, OSError) as exc:
            error = _worker_died(worker)
            self._replace(worker)
            raise error from exc
        if not answered:
            self._replace(worker)
            raise QueryTimeoutError(timeout_message(timeout))
        self._idle.put(worker)
        return self._result(task, *reader.message())

    async def run_async(self, task: QueryTask, timeout: float) -> CappedResult:
        """:meth:`run` without blocking the event loop (same errors).

        With a free worker the task is sent and the answer read on the loop itself, as its
        bytes arrive; otherwise the wait for a worker happens in a thread (:meth:`run`).
        """
        self._ensure_started(task.store_dir)
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            return await anyio.to_thread.run_sync(self.run, task, timeout)
        deadline = time.monotonic() + timeout
        reader = FrameReader()
        try:
            await _send(worker.sock, task.message())
            await _answer(worker.sock, reader, timeout)
        except TimeoutError:
            await anyio.to_thread.run_sync(self._replace, worker)
            raise QueryTimeoutError(timeout_message(timeout)) from None
        except asyncio.CancelledError:
            # The client went away: the worker is still busy with the task. Let a thread
            # wait for its answer (or the deadline) before the worker is reused.
            threading.Thread(
                target=self._finish,
                args=(worker, reader, deadline),
                daemon=True,
                name="policygraph-drain",
            ).start()
            raise
        except (EOFError, OSError, ValueError) as exc:
            error = await anyio.to_thread.run_sync(_worker_died, worker)
            await anyio.to_thread.run_sync(self._replace, worker)
            raise error from exc
        self._idle.put(worker)
        return self._result(task, *reader.message())

    def _finish(self, worker: _Worker, reader: FrameReader, deadline: float) -> None:
        """Read the rest of an abandoned task's answer into ``reader``, then free the
        worker (or replace it, past the deadline)."""
        try:
            if worker.receive(reader, deadline):
                self._idle.put(worker)
                return
        except (EOFError, OSError, ValueError):
            pass
        self._replace(worker)

    @staticmethod
    def _result(task: QueryTask, head: Head, body: bytes) -> CappedResult:
        """The result of a worker's answer, or the error it reports raised."""
        from graph.query.formats import format_named

        status = head.get("status")
        if status == "ok":
            return CappedResult(format_named(head["format"], task.kind), body, head["truncated"])
        if status == "error":
            raise error_from(head)
        raise RuntimeError(f"a query worker failed: {head.get('message')}")

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
            reader = FrameReader()
            try:
                ready = worker.receive(reader, time.monotonic() + _START_TIMEOUT)
                head = reader.message()[0] if ready else {"message": "no answer"}
            except (EOFError, OSError, ValueError):
                head = {"message": "exited"}
            if head.get("status") == "ready":
                self._idle.put_fresh(worker)
                return
            if self._closed:
                return
            _LOG.error("a query worker failed to start: %s", head.get("message"))
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


async def _send(sock: socket.socket, data: bytes) -> None:
    """Send ``data`` whole to the non-blocking ``sock`` (at once when its buffer has room,
    which a task's few hundred bytes always find)."""
    try:
        sent = sock.send(data)
    except BlockingIOError:
        sent = 0
    if sent < len(data):
        await asyncio.get_running_loop().sock_sendall(sock, memoryview(data)[sent:])


async def _answer(sock: socket.socket, reader: FrameReader, timeout: float) -> None:
    """Read a message from the non-blocking ``sock`` into ``reader`` as its bytes arrive,
    on the event loop (one callback per read, nothing blocks).

    :raises TimeoutError: it was not complete within ``timeout`` seconds.
    :raises EOFError: the worker closed its socket.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        if done.done():
            return
        try:
            data = sock.recv(READ_SIZE)
        except BlockingIOError:
            return
        except OSError as exc:
            done.set_exception(exc)
            return
        if not data:
            done.set_exception(EOFError("the worker closed its socket"))
            return
        try:
            complete = reader.feed(data)
        except ValueError as exc:
            done.set_exception(exc)
            return
        if complete:
            done.set_result(None)

    def too_late() -> None:
        if not done.done():
            done.set_exception(TimeoutError())

    loop.add_reader(sock, readable)
    timer = loop.call_later(timeout, too_late)
    try:
        await done
    finally:
        timer.cancel()
        loop.remove_reader(sock)


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
