"""The CPU time of the pages that read the proposal catalogue, warm, in process.

    flock /tmp/pg-bench.lock .venv/bin/python -m bench.catalogue_pages --store /tmp/s2/1m/store
    flock /tmp/pg-bench.lock .venv/bin/python -m bench.catalogue_pages --store S --no-freeze

A context on the store (the catalogue read in process, as a warm-up reads it), each path
asked once, the heap then collected and frozen as a warm-up ends
(:func:`serving.collector.freeze_survivors`; ``--no-freeze`` leaves it), then each path
asked ``--runs`` times: the median CPU milliseconds of a request. The paths name the
synthetic stores' entities (``bench/synth.py``); ``--path`` gives others.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

PATHS = (
    "/proposals",
    "/proposals?page=150",
    "/proposals?actor=synth-actor-0",
    "/proposals?section=synth-report-0-ch-1",
    "/id/synth-actor-0",
    "/api/proposals?actor=synth-actor-1",
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a store generation")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-freeze", action="store_true", help="leave the heap unfrozen")
    parser.add_argument("--path", action="append", help="a path to time (repeatable)")
    args = parser.parse_args(argv)

    from fastapi.testclient import TestClient

    from api.deps import get_context
    from api.main import create_app
    from graph.store.oxigraph import OxigraphStore
    from serving.collector import freeze_survivors
    from serving.context import StoreContext
    from serving.settings import Settings

    store = OxigraphStore.open(args.store, read_only=True)
    context = StoreContext(store, Settings(store="memory:"))
    app = create_app(Settings(store="memory:"))
    app.dependency_overrides[get_context] = lambda: context
    paths = args.path or PATHS
    times: dict[str, float] = {}
    with TestClient(app) as client:
        for path in paths:
            client.get(path)
        if not args.no_freeze:
            freeze_survivors()
        for path in paths:
            found = []
            for _ in range(args.runs):
                started = time.process_time()
                client.get(path)
                found.append(time.process_time() - started)
            times[path] = round(statistics.median(found) * 1000, 1)
    print(json.dumps({"load": round(os.getloadavg()[0], 2), "CPU ms": times}))


if __name__ == "__main__":
    main()
