"""SPARQL latency: ``/sparql`` of policygraph beside Oxigraph's own server and rdflib-endpoint.

All three serve the same quads (the built store, dumped as N-Quads) with the union of the
named graphs as the default graph, and answer the same mix of queries: the named queries of
``graph/queries/`` (parameters given their documented example values in a trailing
``VALUES`` clause, the same text for every server). Each query is sent by ``GET`` with
``Accept: application/sparql-results+json`` over one keep-alive connection per server; the
figures are the median and 95th percentile of all requests. policygraph and Oxigraph's
server run side by side and their requests are interleaved (policygraph measured once
``/healthz`` says its caches are warm, its steady state); rdflib-endpoint runs afterwards.

Run (needs the ``bench`` extra: ``pip install -e '.[bench]'``)::

    .venv/bin/python -m bench.sparql_latency [--store var/store]

It repeats the whole measurement ``--runs`` times (3 by default: on a shared two-core
machine one run's ratio can move by a tenth), prints a Markdown table and rewrites the
"SPARQL latency" section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from bench.report import write_section
from bench.servers import answers, free_port, launched, policygraph_serve, warm
from graph import QUERIES_DIR, REPO_ROOT
from graph.iris import entity_iri
from graph.query.named import NamedQuery, load_named_queries
from graph.store import open_store

BIN = Path(sys.executable).parent
RUNS = {"policygraph": 15, "Oxigraph server": 15, "rdflib-endpoint": 2}
#: Where each server answers SPARQL queries.
PATHS = {"policygraph": "/sparql", "Oxigraph server": "/query", "rdflib-endpoint": "/"}


def query_mix(queries: dict[str, NamedQuery]) -> dict[str, str]:
    """Each named query's text, runnable anywhere: example values in a trailing VALUES."""
    mix = {}
    for name, query in queries.items():
        values = []
        for param in query.params:
            example = re.search(r"for example ([A-Za-z0-9-]+)", param.description)
            if example is None:
                break
            value = example[1]
            term = value if param.kind == "integer" else (
                f'"{value}"' if param.kind == "text" else f"<{entity_iri(value)}>"
            )  # fmt: skip
            values.append((param.name, term))
        else:
            text = query.sparql
            if values:
                names = " ".join(f"?{n}" for n, _ in values)
                terms = " ".join(t for _, t in values)
                text += f"\nVALUES ({names}) {{ ({terms}) }}\n"
            mix[name] = text
    return mix


def measure(url: str, mix: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Seconds of each request by query (after one warm-up); a query the server cannot
    answer (an error status) is left out."""
    times: dict[str, list[float]] = {}
    headers = {"Accept": "application/sparql-results+json"}
    with httpx.Client(timeout=300, headers=headers) as client:
        for name, text in mix.items():
            if client.get(url, params={"query": text}).status_code != 200:
                continue
            times[name] = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(url, params={"query": text}).raise_for_status()
                times[name].append(time.perf_counter() - started)
    return times


def measure_interleaved(
    urls: dict[str, str], mix: dict[str, str], runs: int
) -> dict[str, dict[str, list[float]]]:
    """:func:`measure` for several servers at once, their requests interleaved (each
    round of a query visits every server, starting with a different one each time), so
    that a slower or faster moment of the shared machine falls on all of them alike."""
    headers = {"Accept": "application/sparql-results+json"}
    clients = {name: httpx.Client(timeout=300, headers=headers) for name in urls}
    times: dict[str, dict[str, list[float]]] = {name: {} for name in urls}
    try:
        for query, text in mix.items():
            answering = [
                name
                for name, url in urls.items()
                if clients[name].get(url, params={"query": text}).status_code == 200
            ]
            for name in answering:
                times[name][query] = []
            for round_ in range(runs):
                for i in range(len(answering)):
                    name = answering[(round_ + i) % len(answering)]
                    started = time.perf_counter()
                    clients[name].get(urls[name], params={"query": text}).raise_for_status()
                    times[name][query].append(time.perf_counter() - started)
    finally:
        for client in clients.values():
            client.close()
    return times


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


Measured = tuple[dict[str, list[float]], dict[str, list[str]], int, int]


def run(store_path: Path) -> Measured:
    """Measure the three servers on ``store_path``: the seconds of every request by
    server, the queries each could not answer, how many queries all answered, the quads."""
    mix = query_mix(load_named_queries(QUERIES_DIR))
    by_query: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "dump.nq"
        store = open_store(store_path)
        store.raw.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        quads = len(store)
        store.close()
        oxi_dir = Path(tmp) / "oxigraph"
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(oxi_dir), "--file", str(dump)],
            check=True, capture_output=True,
        )  # fmt: skip
        servers = {
            "policygraph": lambda port: policygraph_serve(
                store_path, port, "--query-timeout", "300"
            ),
            "Oxigraph server": lambda port: [
                str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi_dir),
                "--bind", f"127.0.0.1:{port}", "--union-default-graph",
            ],
            "rdflib-endpoint": lambda port: [
                str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1",
                "--port", str(port), str(dump),
            ],
        }  # fmt: skip
        # policygraph and Oxigraph server side by side, interleaved; rdflib-endpoint (a
        # hundred times slower) afterwards, alone.
        with contextlib.ExitStack() as running:
            urls = {}
            for name in ("policygraph", "Oxigraph server"):
                port = free_port()
                urls[name] = f"http://127.0.0.1:{port}{PATHS[name]}"
                ready = (
                    warm(f"http://127.0.0.1:{port}")  # its steady state
                    if name == "policygraph"
                    else answers(urls[name], query="ASK {}")
                )
                running.enter_context(launched(servers[name](port), ready=ready))
            by_query.update(measure_interleaved(urls, mix, RUNS["policygraph"]))
        port = free_port()
        name = "rdflib-endpoint"
        url = f"http://127.0.0.1:{port}{PATHS[name]}"
        with launched(servers[name](port), ready=answers(url, query="ASK {}")):
            by_query[name] = measure(url, mix, RUNS[name])
        for name, answered in by_query.items():
            print(f"{name}: answered {len(answered)} of {len(mix)} queries")
    common = set(mix).intersection(*by_query.values())
    for query in sorted(common):
        medians = {n: statistics.median(t[query]) * 1000 for n, t in by_query.items()}
        print(query, "  ".join(f"{n} {ms:.2f} ms" for n, ms in medians.items()))
    results = {
        name: [t for query in sorted(common) for t in times[query]]
        for name, times in by_query.items()
    }
    failed = {name: sorted(set(mix) - set(times)) for name, times in by_query.items()}
    return results, failed, len(common), quads


def ratio(results: dict[str, list[float]]) -> float:
    """policygraph's median over Oxigraph server's."""
    return statistics.median(results["policygraph"]) / statistics.median(results["Oxigraph server"])


def render(measured: Measured, ratios: list[float]) -> str:
    """The "SPARQL latency" section of ``docs/benchmarks.md``: the table of the last run,
    and the ratio to Oxigraph server's median of every run."""
    results, failed, queries, quads = measured
    ours = statistics.median(results["policygraph"])
    left_out = "; ".join(
        f"{name} could not answer {', '.join(f'`{q}`' for q in names)}"
        for name, names in failed.items()
        if names
    )
    lines = [
        "## SPARQL latency",
        "",
        f"`/sparql` (GET, SPARQL JSON results) on the built graph ({quads:,} quads), a mix of "
        f"the {queries} named queries of `graph/queries/` that all three answer, with their "
        f"example values ({left_out or 'none left out'}); each "
        f"server loads the same N-Quads dump and answers with the union default graph. "
        f"Requests per query: {', '.join(f'{k} {v}' for k, v in RUNS.items())} (after one "
        "warm-up); policygraph's and Oxigraph server's interleaved, round by round, while "
        "both run.",
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, 2 cores. Reproduce: `pip install -e '.[bench]'`, then "
        "`.venv/bin/python -m bench.sparql_latency`.",
        "",
        "| server | median ms | p95 ms | median × policygraph |",
        "|---|---:|---:|---:|",
    ]
    for name, times in results.items():
        median = statistics.median(times)
        lines.append(
            f"| {name} | {median * 1000:.2f} | {_p95(times) * 1000:.2f} | {median / ours:.2f} |"
        )
    rdflib_endpoint = statistics.median(results["rdflib-endpoint"])
    typical = statistics.median(ratios)
    lines += [
        "",
        f"policygraph's median over Oxigraph server's, run by run ({len(ratios)} runs, the "
        f"table shows the last): {', '.join(f'{r:.2f}×' for r in ratios)}; their median "
        f"{typical:.2f}× (goal ≤ 1.3×: {'met' if typical <= 1.3 else 'not met'}). "
        f"rdflib-endpoint's median is {rdflib_endpoint / ours:.1f}× policygraph's "
        "(goal ≥ 10×).",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=REPO_ROOT / "var" / "store")
    parser.add_argument("--runs", type=int, default=3, help="Whole runs (default 3).")
    args = parser.parse_args()
    for tool in ("oxigraph", "rdflib-endpoint"):
        if not (BIN / tool).exists() and shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: pip install -e '.[bench]'")
    runs = [run(args.store) for _ in range(args.runs)]
    write_section(render(runs[-1], [ratio(measured[0]) for measured in runs]))


if __name__ == "__main__":
    main()
