"""Slide figure timing: a 16:9 PNG of every view, and a PPTX of three views.

Run: ``.venv/bin/python -m bench.figure_timing`` — builds the curated data into a temporary
store, prints a Markdown section and rewrites the "Slide figures" section of
``docs/benchmarks.md``.

Each in-process figure is timed whole, as the CLI and the server make it: the view
(warm: the store's projection already read), its words (:func:`viz.figure.figure_text`)
and the drawing (:func:`viz.export.export`); medians of 3 runs. The command line figure is
one run of ``policygraph viz pack`` in a new process, start-up and a cold store included.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import write_section
from graph import DATA_DIR
from graph.build import build_store
from graph.store import GraphStore, open_store
from viz import views
from viz.export import export, export_deck
from viz.figure import FigureOptions
from viz.view import View

RUNS = 3
VIEWS: dict[str, Callable[[GraphStore], View]] = {
    "ego `kor`": lambda s: views.ego(s, "kor"),
    "frameworks `ipef cptpp`": lambda s: views.frameworks(s, ["ipef", "cptpp"]),
    "proposals `--section jkvg2025-section-1-2`": lambda s: views.proposals(
        s, section="jkvg2025-section-1-2"
    ),
    "path `kor aukus-pillar-2`": lambda s: views.path(s, "kor", "aukus-pillar-2"),
    "memberships `jpn kor`": lambda s: views.memberships(s, ["jpn", "kor"]),
    "overview": lambda s: views.overview(s),
}
PACK = ("ego:kor", "frameworks:ipef,cptpp", "memberships:jpn,kor")


def _median_s(fn: Callable[[], object]) -> str:
    """The median wall-clock and CPU time of ``fn``, as "wall s (CPU s)": on a machine
    shared with other work the CPU time is what the figure costs, the wall time what a user
    waited."""
    walls, cpus = [], []
    for _ in range(RUNS):
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return f"{statistics.median(walls):.2f} s ({statistics.median(cpus):.2f} s CPU)"


def measure() -> list[tuple[str, str, str]]:
    """Rows of (what, seconds, goal)."""
    rows = []
    options = FigureOptions()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        build_store([DATA_DIR], path)
        store = open_store(path)
        try:
            views.overview(store)  # warm: projection, evidence, overview layout
            for name, make in VIEWS.items():
                drawn = make(store)
                seconds = _median_s(lambda make=make: export(make(store), store, "png", options))  # type: ignore[misc]
                what = f"{name} → 16:9 PNG ({len(drawn.nodes)} nodes, {len(drawn.edges)} edges)"
                rows.append((what, seconds, "< 3 s"))
            pack = [VIEWS["ego `kor`"], VIEWS["frameworks `ipef cptpp`"],
                    VIEWS["memberships `jpn kor`"]]  # fmt: skip
            seconds = _median_s(lambda: export_deck([m(store) for m in pack], store, options))
            rows.append(("PPTX of three views (" + ", ".join(PACK) + ")", seconds, "< 3 s"))
        finally:
            store.close()
        command = [str(Path(sys.executable).with_name("policygraph")), "viz", "pack", *PACK,
                   "-o", str(Path(tmp) / "brief.pptx"), "--store", str(path)]  # fmt: skip
        started, before = time.perf_counter(), os.times()
        subprocess.run(command, check=True, capture_output=True)
        wall, after = time.perf_counter() - started, os.times()
        cpu = sum(after[i] - before[i] for i in (2, 3))  # the child's user and system time
        rows.append(("`policygraph viz pack " + " ".join(PACK) + " -o brief.pptx` "
                     "(new process, cold store)", f"{wall:.2f} s ({cpu:.2f} s CPU)", ""))  # fmt: skip
    return rows


def main() -> None:
    rows = measure()
    machine = (
        f"{platform.machine()}, CPython {platform.python_version()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} when measured (other work ran beside it)"
    )
    lines = [
        "## Slide figures",
        "",
        "Curated data of `graph/data/`; each figure is the view (warm store), its words and "
        f"the drawing, median of {RUNS} runs; wall-clock time, and in brackets the CPU time the "
        f"figure itself took. Machine: {machine}. "
        "Reproduce: `.venv/bin/python -m bench.figure_timing`.",
        "",
        "| what | time | goal |",
        "|---|---|---|",
        *(f"| {what} | {value} | {goal} |" for what, value, goal in rows),
        "",
    ]
    write_section("\n".join(lines))


if __name__ == "__main__":
    main()
