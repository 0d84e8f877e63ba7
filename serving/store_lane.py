"""The warm-up's reads of the store alone, made in a child process beside the server's lane.

pyoxigraph holds the interpreter lock while it evaluates a query (``bench.engine_lock``),
so the warm-up's two lanes, in two threads of the server, hardly overlapped: a first start
lasted about as long as the CPU time of both. A child process that opens the store's
directory read-only makes the reads of :meth:`~serving.store_reads.StoreReads.store_lane`
(the proposal catalogue, the label index, the cards …) on the other core, while the
server's own lane reads the projection and what follows from it.

The child writes the values, pickled as the warm caches are (:mod:`serving.warm_cache`),
to a file the server names; the server reads them back with the caches' data-only
unpickler and copies the file as it is into the warm caches it keeps, so it never pickles
them itself. The values are those the server would have read (the same functions on the
same store generation), and a child that fails or is killed only costs time: the server
then reads them itself (:meth:`serving.context.StoreContext.warm_up`).

The two lanes are seldom equally long (at 1M triples the store's reads took 38 CPU s, the
server's own lane 22; the ratio is not the same at 5M), so when the server's lane is done
first it takes over the store's reads the child has not begun, from the last one back:
each read is claimed by creating a file (:class:`Claims`) before it is made, the child going
forwards and the server backwards until one meets a read the other holds. Each read is
made once, by one of them.

Only a store on disk of at least :data:`CHILD_QUADS` quads has its reads made by a child:
below, starting a process (a second of imports) costs more than it saves.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["CHILD_QUADS", "VALUES_FILE", "Claims", "main", "make_in_child"]

#: The file in the scratch directory that the child pickles its values into.
VALUES_FILE = "store-reads.pickle"

#: The fewest quads whose store's reads a child makes (the report's graph has 26,112:
#: its reads take a second or two in the server).
CHILD_QUADS = 200_000


class Claims:
    """Claims of the store lane's reads in a scratch directory: read ``index`` is claimed
    by creating ``scratch/read-INDEX.claimed``, which only one creation can do (``O_EXCL``),
    by one process or another, and which stays when its process ends.

    >>> scratch = Path(tempfile.mkdtemp())
    >>> child, server = Claims(scratch), Claims(scratch)
    >>> child.claim(0), server.claim(0), server.claim(1), child.claim(1)
    (True, False, True, False)
    """

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch

    def claim(self, index: int) -> bool:
        """Whether this process may make read ``index`` (nobody claimed it before)."""
        try:
            os.close(os.open(self.scratch / f"read-{index}.claimed", _CREATE_ONLY, 0o600))
        except FileExistsError:
            return False
        return True


#: Create a file, failing if it exists.
_CREATE_ONLY = os.O_CREAT | os.O_EXCL | os.O_WRONLY


def make_in_child(
    directory: Path,
    scratch: Path,
    *,
    started: Callable[[subprocess.Popen[bytes]], None] = lambda child: None,
) -> list[tuple[str, float]]:
    """Make the store lane's values of the store in ``directory`` in a child process —
    those it claims in ``scratch`` (:class:`Claims`), from the first on — pickled into
    ``scratch``'s :data:`VALUES_FILE`; returns each read's name and seconds, in order.
    ``started`` is told the child (to end it early: a context that closes meanwhile).

    :raises RuntimeError: the child failed or was ended (the end of its standard error is
        the message).
    """
    command = [sys.executable, "-m", "serving.store_lane", str(directory), str(scratch)]
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors
        )
        assert child.stdin is not None and child.stdout is not None
        started(child)
        try:
            steps = child.stdout.read().decode()
            code = child.wait()
        finally:  # the child's input ends with this call: it stops if still running
            child.stdin.close()
            child.stdout.close()
        if code != 0:
            errors.seek(0)
            reason = errors.read().decode(errors="replace").strip()[-500:]
            raise RuntimeError(reason or f"the store's reads ended with code {code}")
    return [(name, float(seconds)) for name, seconds in _lines(steps)]


def _lines(steps: str) -> list[tuple[str, str]]:
    return [
        (name, seconds)
        for name, _, seconds in (line.rpartition("\t") for line in steps.splitlines())
    ]


def main(argv: list[str]) -> int:  # pragma: no cover - runs in a child process
    """Make the store lane's values of the store in the directory ``argv[0]``, each once
    claimed in the scratch directory ``argv[1]`` (up to the first another process holds),
    and pickle them into its :data:`VALUES_FILE`: one ``dict`` of the
    :data:`~serving.warm_cache.KEPT` keys made, their models' sets of fields shared. Each
    read's name and seconds go to standard output, one line each, tab-separated.
    """
    from graph.analysis.measures import exit_with_parent
    from graph.store.oxigraph import OxigraphStore
    from serving import collector
    from serving.store_reads import StoreReads
    from serving.warm_cache import KEPT, share_field_sets

    threading.Thread(target=exit_with_parent, daemon=True).start()
    directory, scratch = Path(argv[0]), Path(argv[1])
    reads, claims = StoreReads(OxigraphStore.open(directory, read_only=True)), Claims(scratch)
    with collector.held_off():  # what a step makes lives on: nothing to collect
        for index, (name, read) in enumerate(reads.store_lane()):
            if not claims.claim(index):
                break  # the server took it over, and every read after it
            started = time.monotonic()
            read()
            print(f"{name}\t{time.monotonic() - started:.3f}", flush=True)
        share_field_sets(reads.memo)
        values: dict[str, object] = {
            key: reads.memo.get(key, dict) for key in KEPT if key in reads.memo
        }
        with (scratch / VALUES_FILE).open("wb") as handle:
            pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":  # pragma: no cover
    # Through the importable module, as graph.analysis.measures does.
    from serving import store_lane as importable

    raise SystemExit(importable.main(sys.argv[1:]))
