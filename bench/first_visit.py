"""First visits once warm, in one process: the CPU seconds a page costs the server.

Serves ``--store`` in this process (the app of ``policygraph serve``, through Starlette's
test client), waits until the warm-up has read the caches and kept them on disk (so no
pickling runs beside the visits), asks ``/healthz`` once (the first request's own costs),
then visits each page twice with ``Accept: text/html``: the first visit's wall and CPU
milliseconds (the process's CPU: the server's work, with no other request meanwhile) and
the second's wall milliseconds. ``--html DIR`` writes each page's first answer there, to
compare the pages of two versions of the code byte for byte.

Run (under the bench lock; ``PYTHONPATH=OTHER_CHECKOUT`` measures another version)::

    flock /tmp/pg-bench.lock .venv/bin/python -m bench.first_visit --store STORE \\
        [--html DIR] PATH...
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from serving.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--html", type=Path, help="write each page's first answer here")
    parser.add_argument("paths", nargs="+", help="e.g. /search?q=Framework+1 /id/kor")
    args = parser.parse_args()
    app = create_app(Settings(store=args.store))
    with TestClient(app) as client:
        started = time.monotonic()
        context = app.state.context
        context.warm.wait()
        warm = time.monotonic() - started
        context.warm_up().join()  # the same thread: done once the caches are kept
        print(f"warm after {warm:.1f} s; load average {os.getloadavg()[0]:.2f}")
        client.get("/healthz")
        print("| path | first ms | first CPU ms | second ms |\n|---|---:|---:|---:|")
        for path in args.paths:
            cpu, wall = time.process_time(), time.perf_counter()
            first = client.get(path, headers={"Accept": "text/html"})
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            again = time.perf_counter()
            client.get(path, headers={"Accept": "text/html"})
            again = time.perf_counter() - again
            print(f"| `{path}` | {wall * 1000:,.0f} | {cpu * 1000:,.0f} | {again * 1000:,.0f} |")
            if args.html is not None:
                args.html.mkdir(parents=True, exist_ok=True)
                name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in path)
                (args.html / f"{name}.html").write_bytes(first.content)
        print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
