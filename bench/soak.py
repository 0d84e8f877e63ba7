"""Soak: a bounded load on loopback, to show that the server holds it — no server error,
steady latency, flat memory.

Starts ``policygraph serve`` on the built store (``var/store``; build it first with
``policygraph build``), waits until ``/healthz`` reports its caches warm, then runs
``--clients`` concurrent clients (asyncio and httpx, one keep-alive connection each) for
``--seconds`` seconds. Each client sends, one after another, requests drawn from a mix:

* **named queries** — ``/api/queries/{name}`` for each query of ``graph/queries/`` with its
  documented example values;
* **SPARQL** — ``/sparql`` with the same queries' text (the example values in a trailing
  ``VALUES``), a label lookup, a ``CONSTRUCT`` and a ``DESCRIBE``, in JSON, CSV or Turtle;
* **entity pages** — ``/id/{slug}`` as HTML and ``/api/entities/{slug}``;
* **search** — ``/api/entities?q=`` and the search page ``/search?q=`` in three languages.

It records every request's status and latency, and the resident memory of the server with
its worker processes (read from ``/proc``: Linux) every few seconds. A 503 that says the
query ran past the server's timeout is the documented answer to a slow query and is
counted apart; every other 5xx is a failure.

Run::

    .venv/bin/python -m bench.soak [--seconds 120] [--clients 32] [--store var/store]

It writes the raw figures to ``var/reliability/soak.json`` and its section ("Load held")
into ``docs/reliability.md``; ``bench.reliability`` reads the JSON when it rewrites that
document.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

from bench.report import write_section
from bench.servers import free_port, launched, policygraph_serve, warm
from bench.sparql_latency import query_mix
from graph import QUERIES_DIR, REPO_ROOT
from graph.query.named import NamedQuery, load_named_queries

__all__ = ["Call", "SoakResult", "main", "render", "request_mix", "run", "tree_rss_mb"]

JSON = REPO_ROOT / "var" / "reliability" / "soak.json"
DOC = REPO_ROOT / "docs" / "reliability.md"
HEADING = "## Load held"
#: How the requests are shared between the kinds of the mix.
WEIGHTS = {"named query": 3, "sparql": 3, "entity page": 3, "search": 1}
#: Seconds between two readings of the server's memory.
RSS_EVERY = 2.0
SEARCH_TERMS = ("Korea", "Japan", "IPEF", "AUKUS", "supply chain", "韓国", "日本", "한국")
#: A few entities beyond the named queries' examples (each is kept only if it exists).
ENTITY_SAMPLE = 40
_ID = "https://w3id.org/policygraph/id/"
_EXTRA_SPARQL = (
    ("json", 'SELECT ?l WHERE { id:kor rdfs:label ?l FILTER (lang(?l) = "en") }'),
    ("csv", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
    ("turtle", "CONSTRUCT { ?a pg:memberOf ?f } WHERE { ?a pg:memberOf ?f }"),
    ("turtle", "DESCRIBE id:kor"),
)


@dataclass(frozen=True)
class Call:
    """One request of the mix: its kind, path, query parameters and ``Accept``."""

    kind: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    accept: str = "*/*"


@dataclass
class SoakResult:
    """The figures of one soak run (the content of ``soak.json``)."""

    seconds: float
    clients: int
    quads: int
    machine: str
    requests: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    #: 503 answers that say the query ran past the server's timeout (the documented answer).
    timeouts: int = 0
    #: Every other 5xx.
    server_errors: int = 0
    #: Requests without an answer (connection refused or reset, client timeout).
    transport_errors: int = 0
    #: Latency percentiles in milliseconds, over all requests and by kind: p50, p95, p99.
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    requests_by_kind: dict[str, int] = field(default_factory=dict)
    #: (seconds since the load began, MB) of the server and its worker processes.
    rss_mb: list[tuple[float, float]] = field(default_factory=list)
    #: Whether the server still answered ``/healthz`` after the load.
    alive_after: bool = False

    @property
    def per_second(self) -> float:
        """Requests answered per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    @classmethod
    def read(cls, path: Path) -> SoakResult:
        """The result saved at ``path``."""
        data = json.loads(path.read_text(encoding="utf-8"))
        data["rss_mb"] = [tuple(sample) for sample in data["rss_mb"]]
        return cls(**data)

    def write(self, path: Path) -> None:
        """Save the result at ``path`` as JSON."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=1, ensure_ascii=False) + "\n")


def _examples(query: NamedQuery) -> list[tuple[str, str]] | None:
    """The documented example value of each parameter (``None`` if one has none)."""
    values = []
    for param in query.params:
        example = re.search(r"for example ([A-Za-z0-9-]+)", param.description)
        if example is None:
            return None
        values.append((param.name, example[1]))
    return values


def request_mix(client: httpx.Client) -> list[Call]:
    """Every request of the mix, for the server ``client`` talks to (it asks the server
    which entities exist, and keeps only the entity pages that answer 200)."""
    queries = load_named_queries(QUERIES_DIR)
    calls: list[Call] = []
    slugs: set[str] = set()
    for name, query in queries.items():
        values = _examples(query)
        if values is not None:
            calls.append(Call("named query", f"/api/queries/{name}", tuple(values)))
            slugs.update(
                v for (n, v), p in zip(values, query.params, strict=True) if p.kind == "slug"
            )
    formats = ("json", "csv", "xml")
    for index, text in enumerate(query_mix(queries).values()):
        calls.append(Call("sparql", "/sparql", (("query", text), ("format", formats[index % 3]))))
    calls += [Call("sparql", "/sparql", (("query", q), ("format", f))) for f, q in _EXTRA_SPARQL]
    listed = client.get(
        "/sparql",
        params={
            "query": f'SELECT DISTINCT ?s WHERE {{ ?s rdfs:label ?l FILTER STRSTARTS(STR(?s), "{_ID}") }}',
            "format": "json",
        },
    )
    listed.raise_for_status()
    found = sorted(b["s"]["value"].removeprefix(_ID) for b in listed.json()["results"]["bindings"])
    slugs.update(random.Random(20251128).sample(found, min(ENTITY_SAMPLE, len(found))))
    for slug in sorted(slugs):
        if client.get(f"/api/entities/{slug}").status_code != 200:
            continue
        calls.append(Call("entity page", f"/id/{slug}", accept="text/html"))
        calls.append(Call("entity page", f"/api/entities/{slug}", accept="application/json"))
    for term in SEARCH_TERMS:
        calls.append(Call("search", "/api/entities", (("q", term),)))
        calls.append(Call("search", "/search", (("q", term),), accept="text/html"))
    return calls


def tree_rss_mb(pid: int) -> float:
    """The resident memory of process ``pid`` and all its descendants, in MB (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _timeout_answer(response: httpx.Response) -> bool:
    """Whether a 503 is the answer to a query that ran past the server's time limit."""
    try:
        return "the limit of this server" in response.json().get("error", "")
    except ValueError:
        return False


async def _client(
    base_url: str,
    calls: dict[str, list[Call]],
    until: float,
    seed: int,
    records: list[tuple[str, int, float]],
) -> None:
    """Send requests of the mix one after another until ``until``; record each as
    (kind, status — 0 without an answer — and seconds)."""
    rng = random.Random(seed)
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=120) as client:
        while time.monotonic() < until:
            kind = rng.choices(kinds, weights)[0]
            call = rng.choice(calls[kind])
            started = time.perf_counter()
            try:
                response = await client.get(
                    call.path, params=list(call.params), headers={"accept": call.accept}
                )
                await response.aread()
                status = response.status_code
                if status == 503 and _timeout_answer(response):
                    status = -503  # the documented timeout, counted apart
            except httpx.HTTPError:
                status = 0
            records.append((kind, status, time.perf_counter() - started))


async def _sample_rss(pid: int, started: float, samples: list[tuple[float, float]]) -> None:
    while True:
        samples.append((round(time.monotonic() - started, 1), round(tree_rss_mb(pid), 1)))
        await asyncio.sleep(RSS_EVERY)


def _percentiles(seconds: list[float]) -> dict[str, float]:
    if len(seconds) < 2:
        value = seconds[0] * 1000 if seconds else 0.0
        return {"p50": value, "p95": value, "p99": value}
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


async def _load(
    base_url: str, calls: list[Call], seconds: float, clients: int, pid: int, result: SoakResult
) -> None:
    by_kind: dict[str, list[Call]] = {
        kind: [c for c in calls if c.kind == kind] for kind in WEIGHTS
    }
    records: list[tuple[str, int, float]] = []
    started = time.monotonic()
    sampler = asyncio.create_task(_sample_rss(pid, started, result.rss_mb))
    await asyncio.gather(
        *(_client(base_url, by_kind, started + seconds, seed, records) for seed in range(clients))
    )
    elapsed = time.monotonic() - started
    sampler.cancel()
    result.rss_mb.append((round(elapsed, 1), round(tree_rss_mb(pid), 1)))
    statuses = Counter(status for _, status, _ in records)
    result.seconds = round(elapsed, 1)
    result.requests = len(records)
    result.statuses = {str(s if s != -503 else 503): n for s, n in sorted(statuses.items())}
    result.timeouts = statuses[-503]
    result.server_errors = sum(n for s, n in statuses.items() if s >= 500)
    result.transport_errors = statuses[0]
    result.requests_by_kind = dict(Counter(kind for kind, _, _ in records))
    result.latency_ms = {"all": _percentiles([t for _, _, t in records])}
    for kind in WEIGHTS:
        result.latency_ms[kind] = _percentiles([t for k, _, t in records if k == kind])


@contextmanager
def _server(store: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``policygraph serve`` on ``store`` on a free loopback port, its caches warm."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    with launched(policygraph_serve(store, port), ready=warm(url), env=env) as process:
        yield url, process


def run(store: Path, seconds: float, clients: int) -> SoakResult:
    """Soak the server on ``store`` for ``seconds`` with ``clients`` clients."""
    with _server(store) as (url, process):
        with httpx.Client(base_url=url, timeout=60) as client:
            quads = int(client.get("/healthz").json()["triples"])
            calls = request_mix(client)
        result = SoakResult(
            seconds=seconds,
            clients=clients,
            quads=quads,
            machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        )
        asyncio.run(_load(url, calls, seconds, clients, process.pid, result))
        try:
            result.alive_after = httpx.get(f"{url}/healthz", timeout=30).status_code == 200
        except httpx.HTTPError:
            result.alive_after = False
    return result


def render(result: SoakResult) -> str:
    """The "Load held" section of ``docs/reliability.md``."""
    rss = [mb for _, mb in result.rss_mb]
    start, peak, end = (rss[0], max(rss), rss[-1]) if rss else (0.0, 0.0, 0.0)
    halfway = next((mb for t, mb in result.rss_mb if t >= result.seconds / 2), end)
    statuses = ", ".join(f"{status}: {count:,}" for status, count in result.statuses.items())
    lines = [
        HEADING,
        "",
        f"`python -m bench.soak`: `policygraph serve` on the built store ({result.quads:,} quads, "
        f"default settings), {result.clients} concurrent clients on loopback (asyncio and httpx, "
        f"one keep-alive connection each) for {result.seconds:g} s, each sending requests one "
        "after another: named queries with their example values, `/sparql` (the same queries, "
        "a lookup, a CONSTRUCT, a DESCRIBE), entity pages (HTML and JSON) and searches "
        f"({result.machine}; the load generator shares the machine).",
        "",
        "| | |",
        "|---|---|",
        f"| requests | {result.requests:,} ({result.per_second:,.0f} per second) |",
        f"| by status | {statuses} |",
        f"| server errors (5xx other than the timeout's 503) | {result.server_errors} |",
        f"| 503 at the query timeout (the documented answer) | {result.timeouts} |",
        f"| requests without an answer | {result.transport_errors} |",
        f"| server answering afterwards | {'yes' if result.alive_after else 'NO'} |",
        f"| memory of the server and its workers (RSS) at start, peak, end | "
        f"{start:,.0f} MB, {peak:,.0f} MB, {end:,.0f} MB |",
        f"| memory growth over the second half of the run | {end - halfway:+,.1f} MB |",
        "",
        "| latency (ms) | requests | p50 | p95 | p99 |",
        "|---|--:|--:|--:|--:|",
    ]
    for kind, cuts in result.latency_ms.items():
        count = result.requests if kind == "all" else result.requests_by_kind.get(kind, 0)
        label = "**all**" if kind == "all" else kind
        lines.append(
            f"| {label} | {count:,} | {cuts['p50']:.1f} | {cuts['p95']:.1f} | {cuts['p99']:.1f} |"
        )
    lines += [
        "",
        f"Raw figures, memory every {RSS_EVERY:g} s included: `var/reliability/soak.json`.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """The command line: soak, save the JSON, rewrite the section of the document."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=float, default=120.0, help="how long (default 120)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--store", type=Path, default=REPO_ROOT / "var" / "store")
    parser.add_argument("--json", type=Path, default=JSON, help="where the raw figures go")
    parser.add_argument("--doc", type=Path, default=DOC, help="the document to write into")
    args = parser.parse_args(argv)
    if not args.store.exists():
        parser.error(f"no store at {args.store}: run `policygraph build` first")
    result = run(args.store, args.seconds, args.clients)
    result.write(args.json)
    write_section(render(result), args.doc)
    if result.server_errors or result.transport_errors or not result.alive_after:
        sys.exit(1)


if __name__ == "__main__":
    main()
