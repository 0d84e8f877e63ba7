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

With ``--methods`` it measures instead the fixed cost of a request, by method: six small
queries (:data:`SMALL`), each sent by ``GET``, by ``POST`` of a form and by ``POST`` of
``application/sparql-query``, to policygraph and Oxigraph's server side by side, their
requests interleaved; and, in this process, the CPU time the web app itself spends on one
request of each method (:func:`stack_cpu`: the ASGI app called directly, its query pool
answering at once, so neither HTTP parsing nor the query counts). It rewrites the
"SPARQL latency by method" section::

    .venv/bin/python -m bench.sparql_latency --methods [--store var/store]
"""

from __future__ import annotations

import argparse
import contextlib
import os
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
import psutil
import pyoxigraph as ox

from bench.report import write_section
from bench.servers import answers, free_port, launched, policygraph_serve, warm
from graph import QUERIES_DIR, REPO_ROOT
from graph.iris import ONTOLOGY_NS, entity_iri
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


#: Six small queries, where the fixed cost of a request is most of its time.
SMALL = {
    "labels": "SELECT ?label WHERE { <%(jpn)s> rdfs:label ?label }",
    "ask": "ASK { <%(jpn)s> ?p ?o }",
    "frameworks": "SELECT ?f WHERE { <%(kor)s> pg:memberOf ?f }",
    "count": "SELECT (COUNT(?p) AS ?n) WHERE { ?p a pg:Proposal }",
    "limit": "SELECT ?s ?label WHERE { ?s a pg:Country ; rdfs:label ?label } LIMIT 10",
    "construct": "CONSTRUCT { <%(jpn)s> rdfs:label ?l } WHERE { <%(jpn)s> rdfs:label ?l }",
}
#: The prefixes of :data:`SMALL`, spelled out (Oxigraph's server has none built in).
PREFIXES = f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX pg: <{ONTOLOGY_NS}>\n"
METHODS = ("GET", "POST form", "POST direct")
_QUERY_BODY = b"application/sparql-query"


def small_queries() -> dict[str, str]:
    """:data:`SMALL` with its prefixes and entity IRIs, the same text for every server."""
    iris = {"jpn": entity_iri("jpn"), "kor": entity_iri("kor")}
    return {name: PREFIXES + text % iris for name, text in SMALL.items()}


def send(client: httpx.Client, url: str, method: str, query: str) -> httpx.Response:
    """``query`` sent to ``url`` by ``method`` (one of :data:`METHODS`), asking for SPARQL
    JSON results (N-Triples for a CONSTRUCT)."""
    graph = query.lstrip().split("\n")[-1].startswith("CONSTRUCT")
    accept = {"Accept": "application/n-triples" if graph else "application/sparql-results+json"}
    if method == "GET":
        return client.get(url, params={"query": query}, headers=accept)
    if method == "POST form":
        return client.post(url, data={"query": query}, headers=accept)
    direct = {**accept, "Content-Type": "application/sparql-query"}
    return client.post(url, content=query.encode(), headers=direct)


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) of process ``pid`` and its live children so far."""
    process = psutil.Process(pid)
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = each.cpu_times()
            total += times.user + times.system
    return total


#: By server and method: the seconds of each request, and the CPU seconds per request.
ByMethod = tuple[dict[str, dict[str, list[float]]], dict[str, dict[str, float]]]


def measure_methods(
    urls: dict[str, str], pids: dict[str, int], queries: dict[str, str], runs: int
) -> ByMethod:
    """Seconds of each request by server and method, every (query, method) sent ``runs``
    times to each server after one warm-up, the servers interleaved round by round; and
    the CPU time each server's processes (``pids`` and their children) spent per request,
    which a busy machine does not inflate as it does the wall-clock time."""
    clients = {name: httpx.Client(timeout=60) for name in urls}
    times: dict[str, dict[str, list[float]]] = {
        name: {method: [] for method in METHODS} for name in urls
    }
    cpu = {name: dict.fromkeys(METHODS, 0.0) for name in urls}
    names = list(urls)
    try:
        for text in queries.values():
            for method in METHODS:
                for name in names:
                    send(clients[name], urls[name], method, text).raise_for_status()
                before = {name: cpu_seconds(pids[name]) for name in names}
                for round_ in range(runs):
                    for i in range(len(names)):
                        name = names[(round_ + i) % len(names)]
                        started = time.perf_counter()
                        send(clients[name], urls[name], method, text).raise_for_status()
                        times[name][method].append(time.perf_counter() - started)
                for name in names:
                    cpu[name][method] += cpu_seconds(pids[name]) - before[name]
    finally:
        for client in clients.values():
            client.close()
    requests = runs * len(queries)
    per_request = {
        name: {method: spent / requests for method, spent in by.items()} for name, by in cpu.items()
    }
    return times, per_request


def run_methods(store_path: Path, runs: int) -> ByMethod:
    """:func:`measure_methods` on policygraph and Oxigraph's server over ``store_path``."""
    queries = small_queries()
    with tempfile.TemporaryDirectory() as tmp:
        oxi_dir = _oxigraph_copy(store_path, Path(tmp))
        with contextlib.ExitStack() as running:
            urls, pids = {}, {}
            port = free_port()
            urls["policygraph"] = f"http://127.0.0.1:{port}/sparql"
            serve = policygraph_serve(store_path, port)
            ready = warm(f"http://127.0.0.1:{port}")
            pids["policygraph"] = running.enter_context(launched(serve, ready=ready)).pid
            port = free_port()
            urls["Oxigraph server"] = f"http://127.0.0.1:{port}/query"
            command = [
                str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi_dir),
                "--bind", f"127.0.0.1:{port}", "--union-default-graph",
            ]  # fmt: skip
            pids["Oxigraph server"] = running.enter_context(
                launched(command, ready=answers(urls["Oxigraph server"], query="ASK {}"))
            ).pid
            return measure_methods(urls, pids, queries, runs)


def _oxigraph_copy(store_path: Path, tmp: Path) -> Path:
    """Oxigraph's own store of the quads of ``store_path``, in ``tmp``."""
    dump = tmp / "dump.nq"
    store = open_store(store_path)
    store.raw.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    store.close()
    oxi_dir = tmp / "oxigraph"
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(oxi_dir), "--file", str(dump)],
        check=True, capture_output=True,
    )  # fmt: skip
    return oxi_dir


def stack_cpu(store_path: Path, method: str, requests: int = 5000) -> float:
    """CPU seconds the web app of ``policygraph serve`` spends on one ``/sparql`` request
    by ``method``, apart from the query: the app called in this process with a scope as
    uvicorn gives it, its query pool answering at once with a fixed result."""
    import asyncio
    from urllib.parse import urlencode

    from api.main import create_app
    from graph.query.capped import CappedResult
    from graph.query.formats import format_named
    from serving.context import StoreContext
    from serving.settings import Settings

    answer = CappedResult(format_named("json", "solutions"), b'{"results":{}}', False)

    class AnsweringPool:
        async def run_async(self, task: object, timeout: float) -> CappedResult:
            return answer

    query = small_queries()["labels"]
    form = urlencode({"query": query}).encode()
    body = {"GET": b"", "POST form": form, "POST direct": query.encode()}[method]
    headers = [(b"host", b"127.0.0.1:8000"), (b"accept", b"application/sparql-results+json")]
    if method != "GET":
        kind = b"application/x-www-form-urlencoded" if method == "POST form" else _QUERY_BODY
        headers += [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "scheme": "http",
        "method": "GET" if method == "GET" else "POST", "path": "/sparql",
        "raw_path": b"/sparql", "root_path": "", "headers": headers,
        "query_string": form if method == "GET" else b"",
        "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000),
    }  # fmt: skip
    store = open_store(store_path)
    app = create_app(Settings(store="memory:"))
    statuses: list[int] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(int(str(message["status"])))

    async def measure() -> float:
        async with app.router.lifespan_context(app):
            app.state.query_pool = AnsweringPool()
            app.state.context = StoreContext(store, app.state.settings)
            for _ in range(200):
                await app(dict(scope), receive, send)  # type: ignore[arg-type]
            started = time.process_time()
            for _ in range(requests):
                await app(dict(scope), receive, send)  # type: ignore[arg-type]
            return (time.process_time() - started) / requests

    try:
        spent = asyncio.run(measure())
    finally:
        store.close()
    if set(statuses) != {200}:
        raise RuntimeError(f"the app answered {sorted(set(statuses))}")
    return spent


def render_methods(rounds: list[ByMethod], stack: dict[str, float], quads: int, runs: int) -> str:
    """The "SPARQL latency by method" section: each method's medians, their ratio run by
    run, and the CPU time per request."""
    lines = [
        "## SPARQL latency by method",
        "",
        f"The fixed cost of a `/sparql` request: six small queries (`bench.sparql_latency."
        f"SMALL`: labels, ASK, memberships, a count, a LIMIT 10, a small CONSTRUCT) on the "
        f"built graph ({quads:,} quads), each sent {runs} times by every method to policygraph "
        "and to Oxigraph's server (`serve-read-only --union-default-graph` on the same "
        "quads), side by side, their requests interleaved; one keep-alive connection each. "
        "CPU ms per request: the user and system time of each server's processes (policygraph's "
        "with its query workers), which a busy machine inflates less than the wall-clock time. "
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end. Reproduce: `.venv/bin/python -m "
        f"bench.sparql_latency --methods --runs {len(rounds)} --requests {runs}`.",
        "",
        "| method | policygraph median ms | Oxigraph server median ms | ratio, run by run | "
        "median ratio | CPU ms per request, policygraph / Oxigraph |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for method in METHODS:
        ratios = [
            statistics.median(times["policygraph"][method])
            / statistics.median(times["Oxigraph server"][method])
            for times, _ in rounds
        ]
        last = rounds[-1][0]
        ours = statistics.median(last["policygraph"][method]) * 1000
        theirs = statistics.median(last["Oxigraph server"][method]) * 1000
        ours_cpu = statistics.median(c["policygraph"][method] for _, c in rounds) * 1000
        theirs_cpu = statistics.median(c["Oxigraph server"][method] for _, c in rounds) * 1000
        lines.append(
            f"| {method} | {ours:.2f} | {theirs:.2f} | "
            f"{', '.join(f'{r:.2f}×' for r in ratios)} | {statistics.median(ratios):.2f}× | "
            f"{ours_cpu:.2f} / {theirs_cpu:.2f} |"
        )
    lines += [
        "",
        "The milliseconds are the last run's, the CPU times the median of the runs; the goal "
        "is a median ratio of at most 1.3× for every method.",
        "",
        "The web app's own CPU time per request, apart from HTTP parsing and the query "
        "(`bench.sparql_latency.stack_cpu`): "
        + ", ".join(f"{method} {seconds * 1e6:.0f} µs" for method, seconds in stack.items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


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
    parser.add_argument(
        "--methods", action="store_true", help="Measure GET, POST form and POST direct."
    )
    parser.add_argument(
        "--requests", type=int, default=40, help="With --methods: requests per query and method."
    )
    args = parser.parse_args()
    if args.methods:
        rounds = [run_methods(args.store, args.requests) for _ in range(args.runs)]
        stack = {method: stack_cpu(args.store, method) for method in METHODS}
        store = open_store(args.store)
        quads = len(store)
        store.close()
        write_section(render_methods(rounds, stack, quads, args.requests))
        return
    for tool in ("oxigraph", "rdflib-endpoint"):
        if not (BIN / tool).exists() and shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: pip install -e '.[bench]'")
    runs = [run(args.store) for _ in range(args.runs)]
    write_section(render(runs[-1], [ratio(measured[0]) for measured in runs]))


if __name__ == "__main__":
    main()
