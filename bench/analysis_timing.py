"""Analysis timings: each measure of ``graph.analysis`` on the report's graph.

Run: ``.venv/bin/python -m bench.analysis_timing`` — prints a Markdown table and rewrites
the "Analysis" section of ``docs/benchmarks.md``. Builds a fresh store of ``graph/data/`` in
a temporary directory.

``.venv/bin/python -m bench.analysis_timing --large STORE [--networkx]`` times instead the
stages of the whole-graph measures on a large store (a synthetic one of ``bench/synth.py``),
once each, in CPU and wall seconds; ``--networkx`` adds networkx's own betweenness (from 16
sources), eigenvector centrality and Louvain on the same graph, the way they were computed
before igraph (``graph/analysis/large.py``).
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


def measure_large(store_path: Path, networkx_too: bool) -> dict[str, tuple[float, float]]:
    """CPU and wall seconds of each stage of the whole-graph measures of ``store_path``."""
    import networkx as nx

    from graph.analysis import centrality
    from graph.analysis.brokers import brokers as find_brokers
    from graph.analysis.communities import communities as find_communities
    from graph.analysis.measures import cached_measures
    from graph.analysis.projection import Projection, simple_undirected

    found: dict[str, tuple[float, float]] = {}

    def timed(name: str, fn: Callable[[], object]) -> object:
        cpu, wall = time.process_time(), time.perf_counter()
        result = fn()
        found[name] = (time.process_time() - cpu, time.perf_counter() - wall)
        print(f"{name}: {found[name][0]:.1f} s CPU, {found[name][1]:.1f} s", flush=True)
        return result

    store = open_store(store_path)
    projection = timed("projection (graph, evidence)", lambda: Projection.read(store))
    assert isinstance(projection, Projection)
    simple = timed("simple undirected graph", lambda: simple_undirected(projection.graph))
    assert isinstance(simple, nx.Graph)
    pivots = centrality.betweenness_pivots(simple.number_of_nodes())
    between = timed(
        f"betweenness ({pivots or 'all'} sources)",
        lambda: centrality.betweenness_centrality(simple),
    )
    timed("eigenvector centrality", lambda: centrality.eigenvector_centrality(simple))
    groups = timed("communities (Louvain)", lambda: find_communities(simple))
    timed(
        "brokers",
        lambda: find_brokers(simple, types=None, betweenness=between, found_communities=groups),  # type: ignore[arg-type]
    )
    timed("centrality table", lambda: centrality.centrality_table(simple, betweenness=between))  # type: ignore[arg-type]
    timed("measures read from the generation", lambda: cached_measures(store_path.resolve()))
    if networkx_too:
        timed(
            "networkx betweenness (16 sources)",
            lambda: nx.betweenness_centrality(simple, k=16, seed=centrality.BETWEENNESS_SEED),
        )
        timed(
            "networkx eigenvector centrality",
            lambda: nx.eigenvector_centrality(simple, max_iter=1000, tol=1e-9),
        )
        timed("networkx Louvain", lambda: nx.community.louvain_communities(simple, seed=42))
    store.close()
    return found


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.analysis_timing")
    parser.add_argument("--large", type=Path, help="time the whole-graph measures of STORE")
    parser.add_argument("--networkx", action="store_true", help="with networkx's, as before")
    args = parser.parse_args(argv)
    if args.large is not None:
        measure_large(args.large, args.networkx)
        return
    write_section(render(*measure()))


if __name__ == "__main__":
    main()
