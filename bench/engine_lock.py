"""Whether Oxigraph's evaluation lets another thread run Python meanwhile.

Runs, on a store, a query's iteration alone, a pure-Python loop alone, and both in two
threads of one process, and prints the wall seconds of each::

    .venv/bin/python -m bench.engine_lock --store /tmp/s2/1m/store

If the pair takes about the sum of the two, the engine holds the interpreter lock while it
evaluates, and two warm-up lanes in threads do not overlap their queries. Nothing here is
asserted: a shared 2-core machine varies.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

from graph.store.oxigraph import OxigraphStore

__all__ = ["main"]

#: Every relation of a proposal to an actor, both ends tested: about 90,000 rows at 1M.
QUERY = "SELECT ?s ?o WHERE { ?s pg:involves ?o FILTER (isIRI(?s) && isIRI(?o)) }"


def wall(*work: Callable[[], object]) -> float:
    """Wall seconds to run every callable of ``work``, each in its own thread."""
    started = time.monotonic()
    threads = [threading.Thread(target=w) for w in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return round(time.monotonic() - started, 2)


def main(argv: list[str] | None = None) -> None:
    """The command line (see the module's documentation)."""
    parser = argparse.ArgumentParser(prog="python -m bench.engine_lock")
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args(argv)
    store = OxigraphStore.open(args.store, read_only=True)

    def engine() -> None:
        for _ in range(3):
            for _row in store.query(QUERY):  # type: ignore[union-attr]
                pass

    def python() -> None:
        total = 0
        for i in range(12_000_000):
            total += i

    alone = {"engine alone": wall(engine), "python alone": wall(python)}
    print(json.dumps({**alone, "both, in two threads": wall(engine, python)}))


if __name__ == "__main__":
    main()
