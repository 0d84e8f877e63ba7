"""Explorer page timing: how long each kind of page takes to load from `policygraph serve`.

Starts the server on the built store (``var/store``, built first if missing) on a free
loopback port and measures, for each page below: its *first* visit right after the
server's first answer (caches cold, the warm-up still running beside it), its first visit
once ``/healthz`` says the caches are warm, and the median of later visits. Each request is
a plain GET with ``Accept: text/html`` over one keep-alive connection, timed to the last
byte (the server's work; the browser's drawing of a view is in the "Views" section).

Run::

    .venv/bin/python -m bench.page_timing [--store var/store] [--runs 7]

It prints a Markdown table and rewrites the "Explorer pages" section of
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.report import write_section
from bench.servers import answers, free_port, launched, policygraph_serve
from graph import REPO_ROOT

#: (what a user opens, path) — one of each kind of page, the heaviest instance where it
#: matters (Korea has the most relations and evidence).
PAGES = (
    ("home", "/"),
    ("search", "/search?q=IPEF"),
    ("entity page, a framework", "/id/ipef"),
    ("entity page, Korea", "/id/kor"),
    ("entity page, a part of the report", "/id/jkvg2025-part-3"),
    ("proposal browser", "/proposals"),
    ("proposal browser, filtered", "/proposals?actor=kor&topic=topic-supply-chains"),
    ("SPARQL workbench", "/query"),
    ("analytics", "/analysis"),
    ("ontology", "/ontology"),
    ("API docs", "/docs"),
    ("ego view of Korea", "/viz/ego?slug=kor"),
    ("framework view (Quad)", "/viz/frameworks?slug=quad"),
    ("proposals view (section 1-1)", "/viz/proposals?section=jkvg2025-section-1-1"),
    ("path view Korea → AUKUS Pillar II", "/viz/path?source=kor&target=aukus-pillar-2"),
)
#: The explorer's goal (issue 6): every page in under this many milliseconds.
GOAL_MS = 300.0


@contextmanager
def _server(store: Path) -> Iterator[str]:
    """``policygraph serve`` on ``store``; its URL once it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with launched(policygraph_serve(store, port), ready=answers(f"{url}/healthz")):
        yield url


def _ms(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path, headers={"accept": "text/html"})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:200]}")
    return elapsed


def measure(store: Path, runs: int) -> tuple[list[tuple[str, str, float, float, float]], float]:
    """Per page: (name, path, cold first ms, warm first ms, warm median ms); and the
    seconds from the server's first answer until its caches were warm."""
    cold: dict[str, float] = {}
    with _server(store) as url, httpx.Client(base_url=url, timeout=120) as client:
        for _name, path in PAGES:
            cold[path] = _ms(client, path)
    rows = []
    with _server(store) as url, httpx.Client(base_url=url, timeout=120) as client:
        answered = time.monotonic()
        while not client.get("/healthz").json()["warm"]:
            if time.monotonic() - answered > 600:
                raise RuntimeError("the caches were not warm after 10 minutes")
            time.sleep(0.05)
        warm_after = time.monotonic() - answered
        for name, path in PAGES:
            first = _ms(client, path)
            later = [_ms(client, path) for _ in range(runs)]
            rows.append((name, path, cold[path], first, statistics.median(later)))
    return rows, warm_after


def report(rows: list[tuple[str, str, float, float, float]], warm_after: float, runs: int) -> str:
    """The "Explorer pages" section of docs/benchmarks.md."""
    lines = [
        "## Explorer pages",
        "",
        "`policygraph serve` on the built store (the report, 17,371 quads); each page fetched "
        "as HTML over one keep-alive connection, timed to the last byte. *Cold*: the first "
        "visit right after the server's first answer, while its warm-up still runs; *first "
        "(warm)*: the first visit once `/healthz` reports `warm: true` (a fresh server, so "
        f"nothing of that page was cached by a visit); *median*: {runs} visits after it. "
        f"Caches were warm {warm_after:.1f} s after the server's first answer.",
        f"Machine: {platform.machine()}, CPython {platform.python_version()}, 2 cores. "
        "Reproduce: `.venv/bin/python -m bench.page_timing`.",
        "",
        "| page | path | cold ms | first (warm) ms | median ms |",
        "|---|---|---:|---:|---:|",
    ]
    for name, path, cold, first, median in rows:
        lines.append(f"| {name} | `{path}` | {cold:,.0f} | {first:,.0f} | {median:,.0f} |")
    slow = [name for name, _, _, first, median in rows if max(first, median) >= GOAL_MS]
    lines += [
        "",
        f"Goal (issue 6): every page under {GOAL_MS:.0f} ms. Once warm: "
        + (f"not met by {', '.join(slow)}." if slow else "met by every page, first visit included.")
        + " Cold (during the warm-up): "
        + f"{sum(cold >= GOAL_MS for _, _, cold, _, _ in rows)} of {len(rows)} pages over "
        f"{GOAL_MS:.0f} ms.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=REPO_ROOT / "var" / "store")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rows, warm_after = measure(args.store, args.runs)
    write_section(report(rows, warm_after, args.runs))


if __name__ == "__main__":
    main()
