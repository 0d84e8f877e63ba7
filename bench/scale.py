"""Scale: policygraph on the synthetic corpus (``bench/synth.py``) at 10k, 100k, 1M, 5M triples.

The runner: it measures and saves the figures; :mod:`bench.scale_report` writes them up.
For each size, one run measures, on the same data:

* **build** — ``graph.build.build_store`` itself (the build ``policygraph build`` runs),
  with the time of each of its stages as the pipeline records them, its CPU time and that
  of each compiled SHACL check and materialise rule; beside it, each in a child process with its
  peak memory, rdflib's Turtle parser alone (up to ``--rdflib-parse-max`` triples) and
  pySHACL's validation of the same data (up to ``--pyshacl-max`` triples: pure Python);
* **/sparql latency** — a fixed mix (the named queries with synthetic example values, plus
  joins, aggregates, label search and property paths) against raw pyoxigraph in-process,
  Oxigraph's own server (``oxigraph serve-read-only`` on an ``oxigraph load`` of the same
  N-Quads dump) and rdflib-endpoint (only up to ``--rdflib-endpoint-max`` triples);
* **throughput** — 1, 8 and 32 concurrent connections (``wrk`` on 127.0.0.1, see
  :mod:`bench.load`; each level ``LOAD_SECONDS`` seconds) sending small queries (one
  entity's labels), with the error count, for policygraph and Oxigraph server;
* **cold start** of ``policygraph serve`` on the existing store to the first answer, and the
  servers' peak RSS (psutil, sampled every 0.1 s over the server's whole life);
* **analysis and views** — ``graph.analysis.project``, ``viz.views.overview`` (limit
  raised) and ``viz.views.ego`` at depth 1 around the largest hub, each in a fresh child
  process: time and the child's peak RSS.

Run (needs the ``bench`` extra)::

    .venv/bin/python -m bench.scale                 # 10k, 100k, 1M
    .venv/bin/python -m bench.scale --sizes 10k     # one size
    .venv/bin/python -m bench.scale --sizes 5M --rdflib-parse-max 5000000  # about an hour
    .venv/bin/python -m bench.scale --sizes 1M --reuse-store  # measure again, same store
    .venv/bin/python -m bench.scale --sizes 1M --add-server rdflib-endpoint  # one more server
    .venv/bin/python -m bench.scale --sizes 1M,5M --builds-only  # the builds alone

Corpora and stores go to ``var/scale/``. Results accumulate in ``var/scale/results.json``,
each size with the machine it ran on (:mod:`bench.machine`); after each size the "Build at
scale" and "Scale" sections of ``docs/benchmarks.md`` are rewritten from all sizes measured
so far.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil
import pyoxigraph as ox

from bench.load import load_level
from bench.machine import describe
from bench.report import write_section
from bench.scale_report import (
    LOAD_SECONDS,
    QUERY_BUDGET,
    QUERY_TIMEOUT,
    SIZES,
    render,
    render_builds,
)
from bench.servers import answers, free_port, launched, policygraph_serve, warm
from bench.sparql_latency import BIN, PATHS, query_mix
from bench.synth import generate
from graph import QUERIES_DIR, REPO_ROOT
from graph.query.named import load_named_queries

WORK = REPO_ROOT / "var" / "scale"
RESULTS = WORK / "results.json"
SEED = 1
RUNS = {"pyoxigraph in-process": 7, "policygraph": 7, "Oxigraph server": 7, "rdflib-endpoint": 3}
LOAD_LEVELS = (1, 8, 32)
CHILD_TIMEOUT = 240
RDFLIB_PARSE_TIMEOUT = 3600  # also pySHACL's, at 1M about 200 s on a quiet machine
ID = "https://w3id.org/policygraph/id/"

#: Synthetic stand-ins for the documented example values of the named queries' parameters.
#: Index 0 is the hub of each Zipf-distributed kind.
SYNTH_EXAMPLES = {
    "actor": "synth-actor-0",
    "entity": "synth-actor-0",
    "subject": "synth-country-0",
    "country": "synth-country-0",
    "framework": "synth-framework-0",
    "topic": "synth-topic-0",
    "section": "synth-report-1-ch-1-s-1",
    "proposal": "synth-proposal-1",
}

_PREFIXES = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
PREFIX id: <https://w3id.org/policygraph/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
#: Queries beside the named ones: joins, aggregates, label search, property paths.
EXTRA = {
    "x-join-proposal-actor-member-of-concerned": """SELECT (COUNT(*) AS ?n) WHERE {
  ?p a pg:Proposal ; pg:involves ?a ; pg:concerns ?f . ?a pg:memberOf ?f . }""",
    "x-join-co-members-of-hub": """SELECT DISTINCT ?other WHERE {
  id:synth-actor-0 pg:memberOf ?f . ?other pg:memberOf ?f . FILTER (?other != id:synth-actor-0) }""",
    "x-join-two-hop-member-of-pairs": """SELECT (COUNT(*) AS ?n) WHERE {
  ?a pg:memberOf ?f . ?b pg:memberOf ?f . FILTER (STR(?a) < STR(?b)) }""",
    "x-aggregate-proposals-per-topic": """SELECT ?t (COUNT(?p) AS ?n) WHERE {
  ?p a pg:Proposal ; pg:addresses ?t } GROUP BY ?t ORDER BY DESC(?n) LIMIT 20""",
    "x-aggregate-members-per-framework": """SELECT ?f (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?a pg:memberOf ?f } GROUP BY ?f ORDER BY DESC(?n) LIMIT 20""",
    "x-label-contains": """SELECT ?s ?l WHERE {
  ?s rdfs:label ?l FILTER (CONTAINS(LCASE(STR(?l)), "maritime resilience")) } LIMIT 100""",
    "x-label-regex": """SELECT ?s ?l WHERE {
  ?s rdfs:label ?l FILTER (REGEX(?l, "^Framework 1[0-9]$")) }""",
    "x-path-section-to-document": """SELECT ?d WHERE { id:synth-report-1-ch-1-s-1 pg:partOf+ ?d }""",
    "x-path-proposals-per-document": """SELECT ?d (COUNT(?p) AS ?n) WHERE {
  ?p pg:inSection/pg:partOf/pg:partOf ?d } GROUP BY ?d ORDER BY DESC(?n) LIMIT 10""",
    "x-point-lookup": """SELECT ?l WHERE { id:synth-actor-1 rdfs:label ?l }""",
}


def query_digests(mix: dict[str, str]) -> dict[str, str]:
    """A digest of each query's text: which figures of an earlier run still hold."""
    return {name: hashlib.sha256(text.encode()).hexdigest()[:16] for name, text in mix.items()}


def synthetic_mix() -> dict[str, str]:
    """The named queries with synthetic example values (``query_mix`` of
    ``bench.sparql_latency``), then the extra queries."""
    queries = {}
    for name, query in load_named_queries(QUERIES_DIR).items():
        params = [
            p.model_copy(update={"description": f"for example {SYNTH_EXAMPLES[p.name]}"})
            if p.name in SYNTH_EXAMPLES
            else p
            for p in query.params
        ]
        queries[name] = query.model_copy(update={"params": params})
    mix = query_mix(queries)
    mix.update({name: _PREFIXES + text for name, text in EXTRA.items()})
    return mix


# --------------------------------------------------------------------------- build


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def build(corpus: Path, store_path: Path, *, pyshacl: bool, rdflib_parse: bool) -> dict:
    """``graph.build.build_store`` on ``corpus``, with its stages' times; then, each in a
    child process (its peak memory its own), rdflib's parser alone and pySHACL's validation
    of the same data if asked."""
    from graph.build import build_store

    out: dict = {"machine": describe()}
    print("  build_store", flush=True)
    report = build_store([corpus], store_path)
    out["cpu s"] = report.cpu_seconds
    out["load average after"] = round(os.getloadavg()[0], 1)
    out["stages"] = report.stages
    # The work of the threads the build starts: the checks' and the rules' own CPU time.
    out["stages cpu"] = {
        "validate": sum(report.checks_cpu.values()),
        "materialise": sum(report.rules_cpu.values()),
    }
    out["checks cpu"] = dict(sorted(report.checks_cpu.items(), key=lambda kv: -kv[1]))
    out["rules cpu"] = report.rules_cpu
    out["total"] = report.seconds
    out["quads"] = report.quads
    out["triples"] = sum(
        n for graph, n in report.quads_by_graph.items() if graph not in ("ontology", "inferred")
    )
    print(f"  {out}", flush=True)
    del report
    gc.collect()
    for task, wanted in (("rdflib-parse", rdflib_parse), ("pyshacl-validate", pyshacl)):
        if wanted:
            print(f"  {task}", flush=True)
            done = subprocess.run(
                [sys.executable, "-m", "bench.scale", "--child", task, str(corpus)],
                capture_output=True, text=True, timeout=RDFLIB_PARSE_TIMEOUT, check=True,
            )  # fmt: skip
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            name = task.replace("-", " ")  # "rdflib parse", "pyshacl validate"
            out[name] = figures["seconds"]
            out[f"{name} peak MB"] = figures["peak_rss_mb"]
            if "cpu_seconds" in figures:
                out[f"{name} cpu s"] = figures["cpu_seconds"]
    return out


# --------------------------------------------------------------------------- servers


class RssWatch:
    """Peak RSS of a process, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                self.peak = max(self.peak, self.process.memory_info().rss)
            self._stop.wait(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


class Serving:
    """The server of ``command`` (answering queries at ``url``) while the block runs, with
    its peak RSS over every restart."""

    def __init__(self, command: list[str], url: str) -> None:
        self.command = command
        self.url = url
        self.peak = 0
        self._running: contextlib.ExitStack | None = None
        self._watch: RssWatch | None = None

    def __enter__(self) -> Serving:
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def restart(self) -> None:
        """Stop the server and start it again on the same port."""
        print("    (restarting the server)", flush=True)
        self._stop()
        self._start()

    def _start(self) -> None:
        self._running = contextlib.ExitStack()
        ready = answers(self.url, query="ASK {}")
        process = self._running.enter_context(launched(self.command, ready=ready, timeout=600))
        self._watch = RssWatch(process.pid)

    def _stop(self) -> None:
        if self._watch is not None:
            self.peak = max(self.peak, self._watch.stop())
        if self._running is not None:
            self._running.close()
        self._watch = self._running = None


def commands(store_path: Path, oxi_dir: Path, dump: Path) -> dict[str, Callable[[int], list[str]]]:
    return {
        "policygraph": lambda port: policygraph_serve(
            store_path, port, "--query-timeout", str(QUERY_TIMEOUT)
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


def _runs_for(warm: float, runs: int) -> int:
    return max(1, min(runs, int(QUERY_BUDGET / max(warm, 1e-6))))


def measure_http(
    url: str,
    mix: dict[str, str],
    runs: int,
    *,
    timed_out: list[str] | None = None,
    restart: Callable[[], None] | None = None,
) -> dict[str, list[float]]:
    """Like ``bench.sparql_latency.measure``, bounded: a query slower than QUERY_TIMEOUT (or
    an error) is left out, a slow one is run fewer times (QUERY_BUDGET).

    The queries that ran past QUERY_TIMEOUT are added to ``timed_out``; after each of them
    ``restart`` (if given) restarts the server, which would otherwise go on evaluating the
    abandoned query while the next ones are timed.
    """
    times: dict[str, list[float]] = {}
    headers = {"Accept": "application/sparql-results+json"}
    with httpx.Client(timeout=QUERY_TIMEOUT, headers=headers) as client:
        for name, text in mix.items():
            try:
                started = time.perf_counter()
                ok = client.get(url, params={"query": text}).status_code == 200
                warm = time.perf_counter() - started
            except httpx.TimeoutException:
                print(f"    {name}: over {QUERY_TIMEOUT:g} s", flush=True)
                if timed_out is not None:
                    timed_out.append(name)
                if restart is not None:
                    restart()
                continue
            except httpx.HTTPError:
                ok = False
            if not ok:
                print(f"    {name}: no answer", flush=True)
                continue
            if warm > 1:
                print(f"    {name}: {warm:.1f} s", flush=True)
            times[name] = []
            for _ in range(_runs_for(warm, runs)):
                started = time.perf_counter()
                client.get(url, params={"query": text}).raise_for_status()
                times[name].append(time.perf_counter() - started)
    return times


def measure_inprocess(store_path: Path, mix: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Raw pyoxigraph on the policygraph store: query + SPARQL JSON serialisation."""
    from graph.store import StoreLocation

    store = ox.Store.read_only(str(StoreLocation(store_path).current()))

    def once(text: str, store: ox.Store = store) -> None:
        result = store.query(text, use_default_graph_as_union=True)
        result.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]

    times: dict[str, list[float]] = {}
    for name, text in mix.items():
        warm, _ = _timed(lambda text=text: once(text))
        runs_here = _runs_for(warm, runs)
        times[name] = [_timed(lambda text=text: once(text))[0] for _ in range(runs_here)]
    del store
    gc.collect()
    return times


def load_levels(url: str, actors: int) -> list[dict[str, float]]:
    """Small queries (one actor's labels, cycling over actors) at each concurrency level."""
    queries = [
        f"SELECT ?l WHERE {{ <{ID}synth-actor-{i}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
        for i in range(min(actors, 500))
    ]
    return [load_level(url, queries, clients, LOAD_SECONDS) for clients in LOAD_LEVELS]


def cold_start(store_path: Path, tries: int = 3) -> list[float]:
    """Seconds from launching ``policygraph serve`` on the built store to its first answer
    (a small SELECT over /sparql)."""
    results = []
    query = (
        f"SELECT ?l WHERE {{ <{ID}synth-actor-0> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
    )
    for _ in range(tries):
        port = free_port()
        url = f"http://127.0.0.1:{port}/sparql"
        started = time.perf_counter()
        command = commands(store_path, Path(), Path())["policygraph"](port)
        with launched(command, ready=answers(url, query=query), timeout=120):
            results.append(time.perf_counter() - started)
    return results


# --------------------------------------------------------------------------- analysis


def child(task: str, store_path: str) -> None:
    """Run one analysis task on a fresh process; print JSON with seconds and peak RSS.

    ``rdflib-parse`` is the exception: ``store_path`` is then a corpus directory, parsed
    with rdflib alone (the baseline of the build table).
    """
    if task == "pyshacl-validate":
        print(json.dumps(_pyshacl_validate(Path(store_path))))
        return
    if task == "rdflib-parse":
        import rdflib

        graph = rdflib.Graph()
        seconds, _ = _timed(
            lambda: [
                graph.parse(p, format="turtle") for p in sorted(Path(store_path).glob("*.ttl"))
            ]
        )
        print(
            json.dumps({"seconds": seconds, "triples": len(graph), "peak_rss_mb": _peak_rss_mb()})
        )
        return
    from graph.analysis import project
    from graph.store import open_store
    from viz import views
    from viz.html import render_html

    store = open_store(store_path)
    baseline = _peak_rss_mb()
    started = time.perf_counter()
    info: dict = {}
    if task == "project":
        graph = project(store)
        info = {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    elif task == "overview-default":
        from viz.view import ViewTooLargeError

        try:  # what a user gets: the view, or its refusal past the default node limit
            view = views.overview(store)
            info = {"nodes": len(view.nodes), "edges": len(view.edges)}
        except ViewTooLargeError as exc:
            info = {"refused": str(exc)[:160]}
    elif task == "overview":
        view = views.overview(store, max_nodes=10_000_000)
        info = {"nodes": len(view.nodes), "edges": len(view.edges)}
        info["html_bytes"] = len(render_html(view))
    elif task == "ego":
        view = views.ego(store, "synth-actor-0", depth=1, max_nodes=10_000_000)
        info = {"nodes": len(view.nodes), "edges": len(view.edges)}
        info["html_bytes"] = len(render_html(view))
    info["seconds"] = time.perf_counter() - started
    info["peak_rss_mb"] = _peak_rss_mb()
    info["baseline_rss_mb"] = baseline
    print(json.dumps(info))


def _pyshacl_validate(corpus: Path) -> dict:
    """pySHACL on ``corpus``, as builds validated until issue 18: the parsed quads turned
    into rdflib graphs, then ``pyshacl.validate`` with the ontology mixed in."""
    import rdflib
    from pyshacl import validate

    from graph.build import load_sources
    from graph.terms import quads_to_rdflib_graph
    from ontology import SHAPES_FILE

    sources = load_sources([corpus])
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    started, cpu = time.perf_counter(), time.process_time()
    conforms, _, _ = validate(
        quads_to_rdflib_graph(sources.data),
        shacl_graph=shapes,
        ont_graph=quads_to_rdflib_graph(sources.ontology),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "conforms": bool(conforms),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _peak_rss_mb() -> float:
    """This process's peak resident memory in MB (``VmHWM``).

    Not ``getrusage``'s ``ru_maxrss``: Linux carries the parent's peak over into a child
    started by fork and exec, so every child of a large parent reported the parent's size.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


#: Above this many triples the overview with its limit raised is not run: its layout keeps
#: an n × n distance matrix (62,222 nodes at 1M: about 31 GB); the OOM killer stopped it.
OVERVIEW_RAISED_MAX = 100_000


def analysis(store_path: Path, size: int) -> dict:
    out = {}
    tasks = ["project", "ego", "overview-default"]
    if size <= OVERVIEW_RAISED_MAX:
        tasks.append("overview")
    else:
        out["overview"] = {"error": "not run: quadratic layout memory (killed at 24 GB before)"}
    for task in tasks:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "bench.scale", "--child", task, str(store_path)],
                capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=True,
            )  # fmt: skip
            out[task] = json.loads(done.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            out[task] = {"error": f"did not finish in {CHILD_TIMEOUT} s"}
        except subprocess.CalledProcessError as exc:
            lines = (exc.stderr or "").strip().splitlines()
            out[task] = {
                "error": lines[-1][:200]
                if lines
                else f"killed (exit {exc.returncode}; SIGKILL: the kernel's OOM killer)"
            }
        print(f"  {task}: {out[task]}", flush=True)
    return out


# --------------------------------------------------------------------------- one size


def dump_store(store_path: Path, dump: Path) -> None:
    """Write the built store at ``store_path`` as N-Quads to ``dump`` (what the peers load)."""
    from graph.store import open_store

    store = open_store(store_path)
    store.raw.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    store.close()
    del store
    gc.collect()


def measure_server(
    label: str, name: str, command: Callable[[int], list[str]], result: dict, mix: dict[str, str]
) -> None:
    """Start server ``name`` on a free port; record in ``result`` its latency over ``mix``,
    the queries it did not finish, its throughput (not rdflib-endpoint's: too slow to
    matter) and its peak RSS."""
    print(f"[{label}] {name}", flush=True)
    port = free_port()
    started = time.perf_counter()
    with Serving(command(port), f"http://127.0.0.1:{port}{PATHS[name]}") as server:
        result["server start s"][name] = time.perf_counter() - started
        if name == "policygraph":
            # Measured in its steady state: once the caches (and betweenness) are warm.
            answered = time.perf_counter()
            is_warm = warm(f"http://127.0.0.1:{port}")
            while not is_warm():
                time.sleep(0.5)
            result["warm after s"] = time.perf_counter() - answered
            print(f"  caches warm {result['warm after s']:.1f} s after", flush=True)
        # The peers go on evaluating a query their client gave up on (rdflib-endpoint in
        # its one thread, holding the GIL; Oxigraph server in one of its threads): restarted
        # after each, they are not charged for the last one. policygraph stops its own
        # queries at their deadline (--query-timeout).
        result["timed out"][name] = []
        result["latency"][name] = measure_http(
            server.url, mix, RUNS[name], timed_out=result["timed out"][name],
            restart=server.restart if name != "policygraph" else None,
        )  # fmt: skip
        if name != "rdflib-endpoint":
            result["load"][name] = load_levels(server.url, 6666)
            print(f"  load {result['load'][name]}", flush=True)
    result["rss_mb"][name] = server.peak / 2**20
    result["mix"] = len(mix)


def add_server(label: str, name: str) -> None:
    """Measure server ``name`` at a size already run (its store kept in ``var/scale``) and
    add it to that size's results: e.g. rdflib-endpoint at 1M, which takes long."""
    size = SIZES[label]
    result = json.loads(RESULTS.read_text())[label]
    for key in ("latency", "rss_mb", "timed out", "load", "server start s"):
        result.setdefault(key, {})
    store_path = WORK / f"store-{size}"
    dump = WORK / f"dump-{size}.nq"
    dump_store(store_path, dump)
    command = commands(store_path, WORK / f"oxigraph-{size}", dump)[name]
    measure_server(label, name, command, result, synthetic_mix())
    _save(label, result)
    dump.unlink(missing_ok=True)


def run_size(label: str, args: argparse.Namespace) -> dict:
    size = SIZES[label]
    corpus = WORK / f"synth-{size}"
    if not list(corpus.glob("*.ttl")):
        generate(size, SEED, corpus)
    store_path = WORK / f"store-{size}"
    result: dict = {"size": label, "machine": describe()}
    previous = json.loads(RESULTS.read_text()).get(label, {}) if RESULTS.exists() else {}
    if args.reuse_store and store_path.exists() and "build" in previous:
        result["build"] = previous["build"]
        print(f"[{label}] reusing {store_path} and its build figures", flush=True)
    else:
        print(f"[{label}] build", flush=True)
        result["build"] = build(
            corpus, store_path,
            pyshacl=size <= args.pyshacl_max, rdflib_parse=size <= args.rdflib_parse_max,
        )  # fmt: skip
    print(f"  {result['build']}", flush=True)
    if args.builds_only:
        # Keep what an earlier run measured on the servers at this size.
        _save(label, {**previous, "build": result["build"]})
        return result
    _save(label, result)

    mix = synthetic_mix()
    dump = WORK / f"dump-{size}.nq"
    oxi_dir = WORK / f"oxigraph-{size}"
    dump_store(store_path, dump)
    subprocess.run(["rm", "-rf", str(oxi_dir)], check=True)
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(oxi_dir), "--file", str(dump)],
        check=True, capture_output=True,
    )  # fmt: skip
    result["oxigraph load s"] = time.perf_counter() - started

    result.update({"latency": {}, "rss_mb": {}, "timed out": {}, "load": {}})
    result["server start s"] = {}
    result["query digests"] = query_digests(mix)
    for name, command in commands(store_path, oxi_dir, dump).items():
        if name == "rdflib-endpoint" and size > args.rdflib_endpoint_max:
            _carry_over(name, previous, result)
            continue
        measure_server(label, name, command, result, mix)
        _save(label, result)
        if name == "policygraph":
            # In-process has no time limit: only the queries our server (same engine, same
            # store) answered within QUERY_TIMEOUT.
            print(f"[{label}] pyoxigraph in-process", flush=True)
            answered = {q: t for q, t in mix.items() if q in result["latency"]["policygraph"]}
            result["latency"]["pyoxigraph in-process"] = measure_inprocess(
                store_path, answered, RUNS["pyoxigraph in-process"]
            )
            _save(label, result)

    print(f"[{label}] cold start", flush=True)
    result["cold start s"] = cold_start(store_path)
    print(f"  {result['cold start s']}", flush=True)
    _save(label, result)
    print(f"[{label}] analysis", flush=True)
    result["analysis"] = analysis(store_path, size)
    _save(label, result)
    dump.unlink(missing_ok=True)
    return result


def _carry_over(name: str, previous: dict, result: dict) -> None:
    """Keep the figures an earlier run measured for server ``name`` (say, rdflib-endpoint
    at 1M, an hour's run added with ``--add-server``) when this run does not measure it."""
    if name not in previous.get("latency", {}):
        return
    # Only the queries whose text has not changed since (a rewritten named query must be
    # measured again).
    same = {
        q for q, digest in result["query digests"].items()
        if previous.get("query digests", {}).get(q) == digest
    }  # fmt: skip
    print(f"  {name}: keeping the figures of an earlier run ({len(same)} queries)", flush=True)
    result["latency"][name] = {q: t for q, t in previous["latency"][name].items() if q in same}
    result["timed out"][name] = [q for q in previous["timed out"].get(name, []) if q in same]
    for key in ("rss_mb", "server start s"):
        if name in previous.get(key, {}):
            result[key][name] = previous[key][name]


def _save(label: str, result: dict) -> None:
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[label] = result
    RESULTS.write_text(json.dumps(data, indent=1))
    write_section(render_builds(data))
    if any("latency" in r for r in data.values()):
        write_section(render(data))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument(
        "--pyshacl-max",
        type=int,
        default=1_000_000,
        help="measure pySHACL's validation beside the build up to this many triples",
    )
    parser.add_argument(
        "--builds-only", action="store_true", help="measure only the builds at --sizes"
    )
    parser.add_argument("--rdflib-parse-max", type=int, default=1_000_000)
    parser.add_argument("--rdflib-endpoint-max", type=int, default=100_000)
    parser.add_argument(
        "--reuse-store",
        action="store_true",
        help="keep a store built by an earlier run, and its build figures",
    )
    parser.add_argument(
        "--add-server",
        choices=list(PATHS),
        help="only measure this server at --sizes (already run) and add it to the results",
    )
    parser.add_argument(
        "--analysis-only",
        action="store_true",
        help="only run the analysis tasks again at --sizes (already run)",
    )
    parser.add_argument("--child", nargs=2, metavar=("TASK", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    for label in args.sizes.split(","):
        if args.add_server:
            add_server(label, args.add_server)
        elif args.analysis_only:
            result = json.loads(RESULTS.read_text())[label]
            result["analysis"] = analysis(WORK / f"store-{SIZES[label]}", SIZES[label])
            _save(label, result)
        else:
            run_size(label, args)


if __name__ == "__main__":
    main()
