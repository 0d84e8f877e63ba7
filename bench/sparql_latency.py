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
from dataclasses import dataclass
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
#: Seconds policygraph may take to be warm: at 1M triples 3 minutes on a quiet machine, over
#: 5 beside other benchmarks.
WARM_TIMEOUT = 1800.0
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


def run_methods(
    store_path: Path, runs: int, rounds: int = 1
) -> tuple[list[ByMethod], dict[str, float]]:
    """``rounds`` times :func:`measure_methods` on policygraph and Oxigraph's server over
    ``store_path`` (each server started once: at 1M triples a start takes minutes); then
    :func:`server_split` of policygraph (``runs`` × 15 requests)."""
    queries = small_queries()
    with tempfile.TemporaryDirectory() as tmp:
        oxi_dir = _oxigraph_copy(store_path, Path(tmp))
        with contextlib.ExitStack() as running:
            urls, pids = {}, {}
            port = free_port()
            urls["policygraph"] = f"http://127.0.0.1:{port}/sparql"
            serve = policygraph_serve(store_path, port)
            ready = warm(f"http://127.0.0.1:{port}")
            pids["policygraph"] = running.enter_context(
                launched(serve, ready=ready, timeout=WARM_TIMEOUT)
            ).pid
            port = free_port()
            urls["Oxigraph server"] = f"http://127.0.0.1:{port}/query"
            command = [
                str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi_dir),
                "--bind", f"127.0.0.1:{port}", "--union-default-graph",
            ]  # fmt: skip
            pids["Oxigraph server"] = running.enter_context(
                launched(command, ready=answers(urls["Oxigraph server"], query="ASK {}"))
            ).pid
            measured = [measure_methods(urls, pids, queries, runs) for _ in range(rounds)]
            return measured, server_split(urls["policygraph"], pids["policygraph"], runs * 15)


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


#: A server that answers every request with a fixed SPARQL JSON result: uvicorn with the
#: protocol class and event loop of ``policygraph serve``, and no web app.
_BARE_HTTP = """
import sys, uvicorn
from api.http_protocol import bounded_protocol
ANSWER = b'{"head":{"vars":["label"]},"results":{"bindings":[]}}'
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/sparql-results+json")]})
    await send({"type": "http.response.body", "body": ANSWER})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            access_log=False, http=bounded_protocol(64 * 1024, 10.0))
"""
#: ``policygraph serve`` on a store (``sys.argv[2]``) whose query pool answers every task
#: at once with a fixed result: the web app without the worker's round trip.
_NO_WORKER = """
import sys
from graph.query.capped import CappedResult
from graph.query.formats import format_named
from serving.query_pool import QueryPool
ANSWER = b'{"head":{"vars":["label"]},"results":{"bindings":[]}}'
async def run_async(self, task, timeout):
    return CappedResult(format_named("json", "solutions"), ANSWER, False)
QueryPool.run_async = run_async
from api.main import run
from serving.settings import Settings
run(Settings(store=sys.argv[2], port=int(sys.argv[1])))
"""


def cpu_per_get(url: str, pids: dict[str, int], requests: int) -> dict[str, float]:
    """CPU seconds per ``GET`` of the six small queries in turn (``requests`` of them, after
    one of each) to ``url``, of each process of ``pids`` (with its children)."""
    queries = list(small_queries().values())
    with httpx.Client(timeout=60) as client:
        for text in queries:
            send(client, url, "GET", text).raise_for_status()
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        for i in range(requests):
            send(client, url, "GET", queries[i % len(queries)]).raise_for_status()
    return {name: (cpu_seconds(pid) - before[name]) / requests for name, pid in pids.items()}


def server_split(url: str, pid: int, requests: int) -> dict[str, float]:
    """:func:`cpu_per_get` of a running ``policygraph serve`` (process ``pid``): its server
    process alone and its query workers."""
    with httpx.Client(timeout=60) as client:  # the workers run once a query has come
        send(client, url, "GET", next(iter(small_queries().values()))).raise_for_status()
    workers = {f"worker {child.pid}": child.pid for child in psutil.Process(pid).children()}
    spent = cpu_per_get(url, {"server": pid, **workers}, requests)
    in_workers = sum(spent[name] for name in workers)
    return {"server": spent["server"] - in_workers, "workers": in_workers}


def cost_breakdown(store_path: Path, requests: int, *, servers: bool) -> dict[str, float]:
    """CPU seconds per ``GET /sparql`` request (the six small queries in turn) of the layers
    that do not need policygraph's own server: with ``servers``, ``bare HTTP`` (uvicorn as
    policygraph runs it, no app) and ``web app`` (policygraph with a query pool that
    answers at once; less the bare HTTP, the app's own), each started and measured alone;
    always ``query`` (the same queries with :func:`graph.query.capped.run_capped` in this
    process, one after another)."""
    from graph.query.capped import run_capped
    from graph.query.formats import format_named
    from graph.store import OxigraphStore, built_directory

    spent: dict[str, float] = {}
    for name, code in (("bare HTTP", _BARE_HTTP), ("web app", _NO_WORKER)) if servers else ():
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-c", code, str(port), str(store_path)]
        ready = answers(f"{base}/sparql") if name == "bare HTTP" else warm(base)
        with launched(command, ready=ready, timeout=WARM_TIMEOUT) as process:
            spent[name] = cpu_per_get(f"{base}/sparql", {name: process.pid}, requests)[name]
    store = OxigraphStore.open(built_directory(store_path), read_only=True)
    try:
        tasks = [
            (text, format_named("ntriples" if "CONSTRUCT" in text else "json",
                                "graph" if "CONSTRUCT" in text else "solutions"))
            for text in small_queries().values()
        ]  # fmt: skip
        for text, fmt in tasks:
            run_capped(store, text, fmt, max_rows=10_000)
        started = time.process_time()
        for i in range(requests):
            text, fmt = tasks[i % len(tasks)]
            run_capped(store, text, fmt, max_rows=10_000)
        spent["query"] = (time.process_time() - started) / requests
    finally:
        store.close()
    return spent


def wake_cost(gap: float, rounds: int = 2000) -> tuple[float, float]:
    """What handing work to another process and back costs on this machine, apart from
    any work: two processes pass one byte to and fro over pipes, ``gap`` seconds apart
    (the time between requests; 0: back to back). Returns the wall-clock seconds of a
    round trip and the CPU seconds the woken process spends on it."""
    to_child, from_parent = os.pipe()
    to_parent, from_child = os.pipe()
    cpu_read, cpu_write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        started = time.process_time()
        for _ in range(rounds):
            os.read(to_child, 1)
            os.write(from_child, b"x")
        os.write(cpu_write, repr(time.process_time() - started).encode())
        os._exit(0)
    waited = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        os.write(from_parent, b"x")
        os.read(to_parent, 1)
        waited += time.perf_counter() - started
        if gap:
            time.sleep(gap)
    os.waitpid(child, 0)
    child_cpu = float(os.read(cpu_read, 64))
    for fd in (to_child, from_parent, to_parent, from_child, cpu_read, cpu_write):
        os.close(fd)
    return waited / rounds, child_cpu / rounds


def pool_round_trip(store_path: Path, gap: float, tasks: int = 2000) -> tuple[float, float]:
    """CPU seconds per task of this process and of the workers when a
    :class:`~serving.query_pool.QueryPool` of two answers the six small queries in turn
    on uvloop, ``gap`` seconds apart (0: back to back): the round trip to a worker without
    HTTP. Returns (this process, the workers)."""

    import uvloop

    from graph.store import built_directory
    from serving.query_pool import QueryPool, QueryTask

    directory = str(built_directory(store_path))
    work = [
        QueryTask(directory, text, "ntriples" if "CONSTRUCT" in text else "json",
                  "graph" if "CONSTRUCT" in text else "solutions", None, None, 10_000,
                  "http://127.0.0.1:8000/sparql")
        for text in small_queries().values()
    ]  # fmt: skip
    pool = QueryPool(2)
    pool.start(directory, wait=60)

    async def measure() -> tuple[float, float]:
        for task in work:
            await pool.run_async(task, 30)
        workers = sum(cpu_seconds(pid) for pid in pool.pids())
        started = time.process_time()
        for i in range(tasks):
            await pool.run_async(work[i % len(work)], 30)
            if gap:
                time.sleep(gap)
        own = time.process_time() - started
        return own / tasks, (sum(cpu_seconds(pid) for pid in pool.pids()) - workers) / tasks

    try:
        return uvloop.run(measure())
    finally:
        pool.close()


@dataclass
class MethodsMeasured:
    """What ``--methods`` measured on one store."""

    label: str
    quads: int
    rounds: list[ByMethod]
    breakdown: dict[str, float]
    load: float


def measure_store(
    store_path: Path, label: str, runs: int, requests: int, *, servers: bool
) -> MethodsMeasured:
    """:func:`run_methods` (``runs`` rounds) and :func:`cost_breakdown` on a store."""
    rounds, split = run_methods(store_path, requests, runs)
    breakdown = {**cost_breakdown(store_path, requests * 15, servers=servers), **split}
    store = open_store(store_path)
    quads = len(store)
    store.close()
    return MethodsMeasured(label, quads, rounds, breakdown, os.getloadavg()[0])


#: Seconds between the round trips of :func:`wake_cost` when they are apart.
WAKE_GAP = 0.0008
#: :func:`wake_cost` back to back and :data:`WAKE_GAP` apart.
Wake = tuple[tuple[float, float], tuple[float, float]]


def render_methods(
    measured: list[MethodsMeasured], stack: dict[str, float], wake: Wake, runs: int
) -> str:
    """The "SPARQL latency by method" section: on each store, each method's medians, their
    ratio run by run and the CPU time per request; then where a request's CPU time goes."""
    stores = "; ".join(f"{m.label}, {m.quads:,} quads" for m in measured)
    lines = [
        "## SPARQL latency by method",
        "",
        "The fixed cost of a `/sparql` request: six small queries (`bench.sparql_latency."
        "SMALL`: labels, ASK, memberships, a count, a LIMIT 10, a small CONSTRUCT), each "
        f"sent {runs} times by every method to policygraph and to Oxigraph's server "
        "(`serve-read-only --union-default-graph` on the same quads), side by side, their "
        "requests interleaved; one keep-alive connection each. CPU ms per request: the user "
        "and system time of each server's processes (policygraph's with its query workers), "
        "which a busy machine inflates less than the wall-clock time. "
        f"Stores: {stores}. Machine: {platform.machine()}, "
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, shared. Reproduce: `flock /tmp/pg-bench.lock "
        f".venv/bin/python -m bench.sparql_latency --methods --runs "
        f"{len(measured[0].rounds)} --requests {runs}"
        + "".join(f" --store {m.label}" for m in measured)
        + "`.",
        "",
        "| store | method | policygraph median ms | Oxigraph server median ms | ratio, run by run "
        "| median ratio | CPU ms per request, policygraph / Oxigraph |",
        "|---|---|---:|---:|---|---:|---:|",
    ]
    for m in measured:
        for method in METHODS:
            ratios = [
                statistics.median(times["policygraph"][method])
                / statistics.median(times["Oxigraph server"][method])
                for times, _ in m.rounds
            ]
            last = m.rounds[-1][0]
            ours = statistics.median(last["policygraph"][method]) * 1000
            theirs = statistics.median(last["Oxigraph server"][method]) * 1000
            ours_cpu = statistics.median(c["policygraph"][method] for _, c in m.rounds) * 1000
            theirs_cpu = statistics.median(c["Oxigraph server"][method] for _, c in m.rounds) * 1000
            lines.append(
                f"| {m.label} | {method} | {ours:.2f} | {theirs:.2f} | "
                f"{', '.join(f'{r:.2f}×' for r in ratios)} | {statistics.median(ratios):.2f}× | "
                f"{ours_cpu:.2f} / {theirs_cpu:.2f} |"
            )
    lines += [
        "",
        "The milliseconds are the last run's, the CPU times the median of the runs; the goal "
        "is a median ratio of at most 1.3× for every method. Load average (1 minute) at the "
        "end of each store's runs: " + ", ".join(f"{m.label} {m.load:.1f}" for m in measured) + ".",
        "",
        "Where policygraph's CPU time per `GET` goes (µs per request; "
        f"{runs * 15} requests, the six queries in turn; `bench.sparql_latency."
        "cost_breakdown` and `server_split`): uvicorn as policygraph runs it with an app "
        "that answers at once (bare HTTP); policygraph with a query pool that answers at once "
        "(web app: HTTP and the app, no worker); each started alone, on the first store. "
        "Then policygraph's server process and its query workers, measured in the server of "
        "the runs above after them; and the same queries run by `run_capped` in one process, "
        "back to back (their floor: no HTTP, no hop, caches hot).",
        "",
        "| store | bare HTTP (uvicorn, httptools, uvloop) | web app (a pool that answers at once) "
        "| server with workers: server process | its workers | the queries alone, in process |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for m in measured:
        cells = [
            f"{m.breakdown[name] * 1e6:.0f}" if name in m.breakdown else "(as above)"
            for name in ("bare HTTP", "web app", "server", "workers", "query")
        ]
        lines.append(f"| {m.label} | {' | '.join(cells)} |")
    lines += [
        "",
        "A hand-over to another process and back, with no work in it (`bench.sparql_latency."
        "wake_cost`: one byte to and fro over pipes): back to back "
        f"{wake[0][0] * 1e6:.0f} µs a round trip, {wake[0][1] * 1e6:.1f} µs CPU in the woken "
        f"process; {WAKE_GAP * 1e3:g} ms apart, as between requests, "
        f"{wake[1][0] * 1e6:.0f} µs and {wake[1][1] * 1e6:.1f} µs.",
        "",
        "The web app's own CPU time per request, apart from HTTP parsing and the query, called "
        "in a loop in one process (`bench.sparql_latency.stack_cpu`): "
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
    parser.add_argument(
        "--store",
        type=Path,
        action="append",
        help="A built store (default var/store); with --methods, several may be given.",
    )
    parser.add_argument("--runs", type=int, default=3, help="Whole runs (default 3).")
    parser.add_argument(
        "--methods", action="store_true", help="Measure GET, POST form and POST direct."
    )
    parser.add_argument(
        "--requests", type=int, default=40, help="With --methods: requests per query and method."
    )
    args = parser.parse_args()
    stores: list[Path] = args.store or [Path("var/store")]
    if args.methods:
        measured = [
            measure_store(REPO_ROOT / path, str(path), args.runs, args.requests, servers=not i)
            for i, path in enumerate(stores)
        ]
        stack = {method: stack_cpu(REPO_ROOT / stores[0], method) for method in METHODS}
        wake = (wake_cost(0.0), wake_cost(WAKE_GAP))
        write_section(render_methods(measured, stack, wake, args.requests))
        return
    for tool in ("oxigraph", "rdflib-endpoint"):
        if not (BIN / tool).exists() and shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: pip install -e '.[bench]'")
    runs = [run(REPO_ROOT / stores[0]) for _ in range(args.runs)]
    write_section(render(runs[-1], [ratio(measured[0]) for measured in runs]))


if __name__ == "__main__":
    main()
