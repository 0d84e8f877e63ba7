"""Analysis timings: each measure of ``graph.analysis`` on the report's graph.

Run: ``.venv/bin/python -m bench.analysis_timing`` — prints a Markdown table and rewrites
the "Analysis" section of ``docs/benchmarks.md``. Builds a fresh store of ``graph/data/`` in
a temporary directory.
"""

from __future__ import annotations

import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import write_section
from graph import DATA_DIR
from graph.analysis import (
    brokers,
    centrality_table,
    communities,
    explain_paths,
    framework_overlap,
    project,
    read_provenance,
)
from graph.build import build_store
from graph.store import open_store

RUNS = 7


def _median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure() -> tuple[dict[str, float], tuple[int, int]]:
    """Median milliseconds of each analysis, and the graph's size (nodes, edges)."""
    with tempfile.TemporaryDirectory() as tmp:
        build_store([DATA_DIR], Path(tmp) / "store")
        store = open_store(Path(tmp) / "store")
        try:
            graph = project(store)
            provenance = read_provenance(store)
            results = {
                "projection of the store (`project`)": _median_ms(lambda: project(store)),
                "evidence and memberships (`read_provenance`)": _median_ms(
                    lambda: read_provenance(store)
                ),
                "centrality: degree + betweenness + eigenvector": _median_ms(
                    lambda: centrality_table(graph)
                ),
                "communities (Louvain, seeded)": _median_ms(lambda: communities(graph)),
                "brokers (communities + betweenness)": _median_ms(lambda: brokers(graph)),
                "framework overlap matrix": _median_ms(lambda: framework_overlap(graph)),
                "path `kor` → `aukus-pillar-2`, 3 paths, explained": _median_ms(
                    lambda: explain_paths(
                        graph, "kor", "aukus-pillar-2", provenance=provenance, max_paths=3
                    )
                ),
            }
            size = (graph.number_of_nodes(), graph.number_of_edges())
        finally:
            store.close()
    return results, size


def render(results: dict[str, float], size: tuple[int, int]) -> str:
    lines = [
        "## Analysis",
        "",
        f"The projection of `graph/data/`: {size[0]:,} entities, {size[1]:,} relations "
        f"(measures run on its simple undirected form); medians of {RUNS} warm runs.",
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, 2 cores. Reproduce: `.venv/bin/python -m bench.analysis_timing`.",
        "",
        "| analysis | median ms |",
        "|---|---:|",
    ]
    lines += [f"| {name} | {ms:,.1f} |" for name, ms in results.items()]
    lines += [
        "",
        "Exact betweenness (Brandes, `O(n m)`) is nearly all of the centrality and broker time; the",
        "figures vary by a third between runs on the shared machine. A page that shows them should",
        "compute them once per store and cache them, as the views cache the projection.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    write_section(render(*measure()))


if __name__ == "__main__":
    main()
