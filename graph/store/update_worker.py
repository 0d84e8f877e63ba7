"""SPARQL updates evaluated in a short-lived, sandboxed child process with limits.

An update is evaluated by pyoxigraph, which cannot be interrupted and whose parser recurses:
in the server's process a 6,000-deep nested update crashed the whole server, one update
held the edit lock for 21 s, and a 300-byte one added 144,031 triples. So
:func:`run_update` starts ``python -m graph.store.update_worker`` (a fresh interpreter, as
the query workers are — no ``fork`` of the threaded server) for each update. The child

1. drops the right to open network sockets (:func:`graph.sandbox.drop_network`), so a
   ``LOAD`` or ``SERVICE`` the guard missed fetches nothing, and limits its own memory
   (``RLIMIT_DATA``, ``memory_mb``: in 5 s a 200-byte update grew a child to 1.5 GB);
2. opens the store read-only and builds the *scratch copy* — an in-memory store with the
   ontology, curated, background and current edits graphs;
3. runs the update on it, and refuses it if any graph but ``edits`` (the default graph
   included) differs afterwards, or if more than ``max_triples`` triples of the edits graph
   changed;
4. writes the new edits graph to its standard output as N-Quads.

The server waits for it (in a thread: :func:`run_update` blocks) and kills it at
``timeout`` seconds. A child that crashes or is killed takes nothing with it; nothing is
written until the caller commits the quads returned.

The pipe carries no ``pickle``: the request is a JSON line and N-Quads, the answer a JSON
line and N-Quads, so a child that misbehaved could not make the server run code.

============================  =========================================  ======
outcome                       error                                      status
============================  =========================================  ======
does not parse                :class:`~graph.errors.QuerySyntaxError`    400
changes another graph         :class:`~graph.errors.UpdateRefusedError`  403
tries to open a connection    :class:`~graph.errors.UpdateRefusedError`  403
changes too many triples      :class:`~graph.errors.QueryRefusedError`   400
needs more memory             :class:`~graph.errors.QueryRefusedError`   400
the child crashes (a signal)  :class:`~graph.errors.QueryRefusedError`   400
past the time limit           :class:`~graph.errors.QueryTimeoutError`   503
the store cannot be opened    :class:`~graph.errors.StoreError`          503
============================  =========================================  ======
"""

from __future__ import annotations

import json
import logging
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph.errors import (
    PolicyGraphError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
    UpdateRefusedError,
)
from graph.iris import PREFIXES, graph_iri
from graph.store.edits import EDITS_GRAPH

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_TRIPLES",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "UpdateLimits",
    "run_update",
]

_LOG = logging.getLogger(__name__)
#: The graphs the scratch copy holds besides ``edits``: what an update may read.
CONTEXT_GRAPHS = ("ontology", "curated", "background")
#: Seconds an update may take, the child's start included: a small update took 0.17 s on the
#: tiny fixture store and 0.24 s on the report's (14,000 context quads); building the scratch
#: copy costs about 5 µs a context quad, so a store of a million quads needs a larger limit.
DEFAULT_TIMEOUT = 5.0
#: The most triples of the edits graph one update may add or remove.
DEFAULT_MAX_TRIPLES = 10_000
#: The most memory (MB of data segment) the child may use: about 110 MB are its baseline on
#: the report's graph; the scratch copy of a store of a million quads needs more.
DEFAULT_MEMORY_MB = 1024
#: The most bytes of the child's error output kept for the log.
_STDERR_KEPT = 1000
#: What Rust's allocator prints before it aborts the process.
_OUT_OF_MEMORY = b"memory allocation of"


@dataclass(frozen=True)
class UpdateLimits:
    """How long an update may run, how many triples of the edits graph it may change, and
    how much memory its process may use."""

    timeout: float = DEFAULT_TIMEOUT
    max_triples: int = DEFAULT_MAX_TRIPLES
    memory_mb: int = DEFAULT_MEMORY_MB


#: The limits of a server that sets none.
DEFAULT_LIMITS = UpdateLimits()


def run_update(
    store_dir: Path,
    edits: list[ox.Quad],
    sparql: str,
    limits: UpdateLimits = DEFAULT_LIMITS,
    base_iri: str | None = None,
) -> list[ox.Quad]:
    """The edits graph after the update ``sparql``, evaluated in a sandboxed child process
    over the store at ``store_dir`` with the current ``edits`` (blocks: call it in a thread).

    :raises QuerySyntaxError: it does not parse.
    :raises UpdateRefusedError: it would change another graph, or open a connection.
    :raises QueryRefusedError: it changes more triples than allowed, needs more memory, or
        crashed its process.
    :raises QueryTimeoutError: it ran past ``limits.timeout`` (the child is killed).
    :raises StoreError: the child could not open the store.
    """
    request = {
        "store": str(store_dir),
        "sparql": sparql,
        "base_iri": base_iri,
        "max_triples": limits.max_triples,
        "memory_mb": limits.memory_mb,
    }
    payload = json.dumps(request).encode() + b"\n" + _nquads(edits)
    try:
        child = subprocess.run(
            [sys.executable, "-m", __name__],
            input=payload,
            capture_output=True,
            timeout=limits.timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child and reaped it
        raise QueryTimeoutError(
            f"the update took longer than {limits.timeout:g} s, the limit of this server "
            "(POLICYGRAPH_UPDATE_TIMEOUT); nothing was written"
        ) from None
    if child.returncode < 0:
        name = signal.Signals(-child.returncode).name
        _LOG.warning("an update's process stopped with %s: %s", name, _head(child.stderr))
        if _OUT_OF_MEMORY in child.stderr:  # Rust's allocator gave up, at the limit
            raise QueryRefusedError(_memory_message(limits.memory_mb))
        raise QueryRefusedError(
            f"the update could not be evaluated: its process stopped with {name} (nested too "
            "deeply?); nothing was written"
        )
    header, _, body = child.stdout.partition(b"\n")
    try:
        answer = json.loads(header)
    except ValueError:
        _LOG.error("an update's process failed (%d): %s", child.returncode, _head(child.stderr))
        raise StoreError("the update's process failed; nothing was written") from None
    return _edits_or_error(answer, body)


def _edits_or_error(answer: dict[str, Any], body: bytes) -> list[ox.Quad]:
    """The new edits of an ``ok`` answer; the error an answer reports, raised."""
    status, message = answer["status"], str(answer.get("message", ""))
    errors: dict[str, type[PolicyGraphError]] = {
        "syntax": QuerySyntaxError,
        "refused": UpdateRefusedError,
        "too_many": QueryRefusedError,
        "memory": QueryRefusedError,
        "store": StoreError,
    }
    if status in errors:
        raise errors[status](message)
    if status != "ok":
        raise StoreError(f"the update's process answered {status!r}; nothing was written")
    graph = ox.NamedNode(EDITS_GRAPH)
    return [
        ox.Quad(q.subject, q.predicate, q.object, graph)
        for q in ox.parse(body, format=ox.RdfFormat.N_QUADS)
    ]


def _nquads(quads: list[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def _head(stderr: bytes) -> str:
    """The start of the child's error output (a backtrace's first lines say the most)."""
    return stderr[:_STDERR_KEPT].decode(errors="replace").strip()


def _memory_message(memory_mb: int) -> str:
    return (
        f"the update needed more than {memory_mb} MB, the limit of this server "
        "(POLICYGRAPH_UPDATE_MEMORY_MB); nothing was written"
    )


# The child's side ──────────────────────────────────────────────────────────────────────


def main(stdin: IO[bytes], stdout: IO[bytes]) -> None:  # pragma: no cover - runs in a child
    """Read one update request from ``stdin``, evaluate it, write the answer to ``stdout``."""
    from graph.sandbox import drop_network

    drop_network()  # first: nothing after this can open a connection
    request = json.loads(stdin.readline())
    memory = request["memory_mb"] << 20
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    edits = list(ox.parse(stdin, format=ox.RdfFormat.N_QUADS))
    try:
        answer, quads = _evaluate(request, edits)
    except PolicyGraphError as exc:  # the store cannot be opened
        answer, quads = {"status": "store", "message": str(exc)}, []
    except MemoryError:
        answer = {"status": "memory", "message": _memory_message(request["memory_mb"])}
        quads = []
    stdout.write(json.dumps(answer).encode() + b"\n" + _nquads(quads))
    stdout.flush()


def _evaluate(
    request: dict[str, Any], edits: list[ox.Quad]
) -> tuple[dict[str, Any], list[ox.Quad]]:  # pragma: no cover - runs in a child
    """The answer to ``request`` and the new edits graph (empty unless ``ok``)."""
    scratch = _scratch(Path(request["store"]), edits, request["sparql"], request["base_iri"])
    before = _context(scratch)
    try:
        scratch.update(request["sparql"], base_iri=request["base_iri"], prefixes=PREFIXES)
    except SyntaxError as exc:
        return {"status": "syntax", "message": f"malformed SPARQL update: {exc}"}, []
    except OSError as exc:  # the sandbox refused a connection (LOAD, SERVICE)
        return {
            "status": "refused",
            "message": f"the update tried to reach the network ({exc.strerror or exc})"
            ": this server never fetches; nothing was written",
        }, []
    after = _context(scratch)
    if before != after:
        return {"status": "refused", "message": _other_graphs_message(before ^ after)}, []
    new = list(scratch.quads_for_pattern(None, None, None, ox.NamedNode(EDITS_GRAPH)))
    changed = len(set(edits) ^ set(new))
    if changed > request["max_triples"]:
        return {
            "status": "too_many",
            "message": f"the update would change {changed} triples of the edits graph, more "
            f"than this server's limit of {request['max_triples']} "
            "(POLICYGRAPH_MAX_UPDATE_TRIPLES); nothing was written",
        }, []
    return {"status": "ok", "changed": changed}, new


def _scratch(
    store_dir: Path, edits: list[ox.Quad], sparql: str, base_iri: str | None
) -> ox.Store:  # pragma: no cover - child
    """An in-memory store with ``edits`` and the context graphs of the store at
    ``store_dir`` — unless ``sparql`` needs none (:mod:`graph.store.update_scope`)."""
    from graph.store.oxigraph import OxigraphStore
    from graph.store.update_scope import context_needed

    store = OxigraphStore.open(store_dir, read_only=True)
    scratch = ox.Store()
    for name in CONTEXT_GRAPHS if context_needed(store.raw, sparql, base_iri) else ():
        scratch.extend(store.raw.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(name))))
    scratch.extend(edits)
    store.close()
    return scratch


def _context(store: ox.Store) -> set[ox.Quad]:  # pragma: no cover - runs in a child
    """Every quad outside the edits graph."""
    edits = ox.NamedNode(EDITS_GRAPH)
    return {q for q in store.quads_for_pattern(None, None, None) if q.graph_name != edits}


def _other_graphs_message(changed: set[ox.Quad]) -> str:  # pragma: no cover - child
    names = sorted(
        {q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "" for q in changed}
    )
    return (
        f"an update may only change the graph <{EDITS_GRAPH}>, this one changes "
        + ", ".join(f"<{g}>" if g else "the default graph" for g in names)
        + f"; wrap its triples in GRAPH <{EDITS_GRAPH}> {{ … }}"
    )


if __name__ == "__main__":  # pragma: no cover - the child process
    main(sys.stdin.buffer, sys.stdout.buffer)
