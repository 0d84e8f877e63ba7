"""50 concurrent heavy requests against a real ``policygraph serve`` over the report's
graph, on loopback, while another process polls ``/healthz``.

The bounds asserted here are the ones documented (README, ``docs/reliability.md``):

* ``/healthz`` answers within :data:`HEALTH_BOUND` seconds in every poll (max, so p99 too);
* the server process stays under :data:`SERVER_MB` MB of resident memory, and with its
  children (query workers, the figure renderer) under :data:`TREE_MB` MB.

Before the bounded lanes, 45 clients asking for the overview PNG kept ``/healthz`` over a
second for a minute and took the server from 173 MB to 1.7 GB.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import Server, running_server
from tests.hardening.record import record_checks, record_inputs

pytestmark = pytest.mark.slow

#: Seconds ``/healthz`` may take in any poll while the heavy requests run.
HEALTH_BOUND = 1.0
#: Resident memory bounds (MB): the server's own process, and with all its children.
SERVER_MB = 300
TREE_MB = 800
CLIENTS = 50


def _poll_health(url: str, stop: EventType, out: multiprocessing.Queue[list[float]]) -> None:
    """In its own process (so the load generator's work never delays it): ``/healthz``
    every 50 ms until ``stop``; puts the list of latencies."""
    latencies: list[float] = []
    with httpx.Client(timeout=30) as client:
        while not stop.is_set():
            started = time.monotonic()
            client.get(f"{url}/healthz").raise_for_status()
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
    out.put(latencies)


@dataclass
class Run:
    """What one burst of heavy requests saw."""

    statuses: Counter[int]
    bodies: list[bytes]
    retry_after: list[str]
    health: list[float]
    server_mb: float
    tree_mb: float


def _rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory of the process ``pid`` and of it with all its descendants, in MB
    (from ``/proc``: this test runs on Linux, as the server's sandbox does)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name may hold spaces and parentheses: split after the last ')'.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        tree.update(children)
        frontier.extend(children)
    own = _rss_kb(pid)
    return own / 1024, sum(_rss_kb(p) for p in tree) / 1024


def _rss_kb(pid: int) -> int:
    with contextlib.suppress(OSError):  # a child that just ended
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _burst(server: Server, paths: list[str]) -> Run:
    """All of ``paths`` at once (one connection each) while ``/healthz`` is polled."""
    context = multiprocessing.get_context("spawn")
    stop, out = context.Event(), context.Queue()
    poller = context.Process(target=_poll_health, args=(server.url, stop, out), daemon=True)
    poller.start()
    peak = [0.0, 0.0]

    async def watch_memory(done: asyncio.Event) -> None:
        while not done.is_set():
            own, tree = _rss_mb(server.process.pid)
            peak[:] = [max(peak[0], own), max(peak[1], tree)]
            await asyncio.sleep(0.2)

    async def send_all() -> list[httpx.Response]:
        done = asyncio.Event()
        watcher = asyncio.ensure_future(watch_memory(done))
        limits = httpx.Limits(max_connections=len(paths))
        async with httpx.AsyncClient(base_url=server.url, timeout=120, limits=limits) as client:
            responses = await asyncio.gather(*(client.get(path) for path in paths))
        done.set()
        await watcher
        return list(responses)

    try:
        time.sleep(0.3)  # the poller's first answers, before the burst
        responses = asyncio.run(send_all())
        time.sleep(0.3)
    finally:
        stop.set()
        health: list[float] = out.get(timeout=30)
        poller.join(timeout=10)
    own, tree = _rss_mb(server.process.pid)
    return Run(
        statuses=Counter(r.status_code for r in responses),
        bodies=[r.content for r in responses if r.status_code == 200],
        retry_after=[r.headers.get("retry-after", "") for r in responses if r.status_code == 503],
        health=health,
        server_mb=max(peak[0], own),
        tree_mb=max(peak[1], tree),
    )


def _report(name: str, run: Run) -> str:
    latencies = sorted(run.health)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    return (
        f"{name}: statuses {dict(run.statuses)}, /healthz polls {len(latencies)}, "
        f"max {latencies[-1]:.3f} s, p99 {p99:.3f} s, median {statistics.median(latencies):.3f} s; "
        f"server {run.server_mb:.0f} MB, with children {run.tree_mb:.0f} MB"
    )


def _assert_bounded(run: Run) -> None:
    assert run.health, "the health poller got no answer"
    assert max(run.health) < HEALTH_BOUND, sorted(run.health)[-5:]
    assert run.server_mb < SERVER_MB
    assert run.tree_mb < TREE_MB


@pytest.fixture(scope="module")
def server(report_store_path: Path) -> Iterator[Server]:
    with running_server(report_store_path) as running:
        yield running


def test_fifty_overview_pngs_leave_health_fast_and_memory_bounded(server: Server) -> None:
    run = _burst(server, ["/viz/overview?format=png"] * CLIENTS)
    print(_report("50 x overview PNG", run))
    assert run.statuses == Counter({200: CLIENTS})
    assert all(body.startswith(b"\x89PNG") for body in run.bodies)
    assert len(set(run.bodies)) == 1  # one figure, drawn once and shared
    _assert_bounded(run)
    record_inputs("concurrent heavy requests against the real server (overview PNG)", CLIENTS)
    record_checks("/healthz under 1 s in every poll during a heavy burst", len(run.health))


def test_fifty_distinct_heavy_requests_are_queued_or_refused_with_retry_after(
    server: Server,
) -> None:
    slugs = [
        row["slug"] for row in httpx.get(f"{server.url}/api/analysis/centrality?top=40").json()
    ]
    assert len(slugs) == 40
    paths = [
        *(f"/viz/ego?slug={slug}&depth=1&format=png" for slug in slugs[:20]),
        *(f"/viz/ego?slug={slug}&depth=2&format=svg" for slug in slugs[:5]),
        *(f"/viz/ego?slug={slug}&depth=2" for slug in slugs[:10]),
        *(
            f"/api/paths?source={a}&target={b}"
            for a, b in zip(slugs[:10], slugs[10:20], strict=True)
        ),
        *(f"/analysis?source={slugs[i]}&target={slugs[-1 - i]}" for i in range(5)),
    ]
    assert len(paths) == CLIENTS
    run = _burst(server, paths)
    print(_report("50 distinct figures, views, paths, analyses", run))
    assert set(run.statuses) <= {200, 503}, run.statuses
    assert run.statuses[200] >= 9  # at least a slot and the queue of each lane
    assert run.statuses[503] >= 1  # 25 distinct figures: more than one slot and a queue of 8
    assert all(value.isdigit() and int(value) >= 1 for value in run.retry_after)
    _assert_bounded(run)
    record_inputs(
        "concurrent heavy requests against the real server (distinct parameters)", CLIENTS
    )
    record_checks("/healthz under 1 s in every poll during a heavy burst", len(run.health))
