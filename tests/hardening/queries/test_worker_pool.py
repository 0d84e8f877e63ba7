"""Queries that explode end at the timeout in a worker process that is killed and replaced;
the server keeps answering and its memory stays bounded."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from graph.errors import QuerySyntaxError, QueryTimeoutError
from graph.store import OxigraphStore
from serving.query_pool import QueryPool, QueryTask
from tests.api.conftest import running_server
from tests.hardening.record import record_faults, record_inputs

EXPLODING = "exploding queries (cartesian products, unbounded property paths)"

#: Every triple with every triple with every triple, sorted: gigabytes within seconds.
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"
#: Everything reachable from everything along any edge, both ways, twice over.
UNBOUNDED_PATH = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (!<urn:x:none>|^!<urn:x:none>)* ?o . "
    "?o (!<urn:x:none>|^!<urn:x:none>)* ?z }"
)
LABEL_OF_KOREA = 'SELECT ?l WHERE { id:kor rdfs:label ?l FILTER (lang(?l) = "en") }'


def _rss_mb(pid: int) -> float:
    """The resident memory of process ``pid``, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


def _children(pid: int) -> set[int]:
    """The child processes of ``pid`` (Linux)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _ended(pids: set[int], pid: int, limit: float = 30) -> set[int]:
    """Which of ``pids`` are no longer children of ``pid``: polled until one is, or for
    ``limit`` seconds (a deadline for the test, not a claim)."""
    deadline = time.monotonic() + limit
    while not (gone := pids - _children(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return gone


def _task(store: OxigraphStore, sparql: str) -> QueryTask:
    assert store.location is not None
    return QueryTask(str(store.location), sparql, "json", "solutions", None, None, 100)


@pytest.mark.slow
def test_a_timed_out_worker_is_killed_and_replaced(fixture_store: OxigraphStore) -> None:
    pool = QueryPool(1)
    try:
        pool.start(str(fixture_store.location), wait=30)
        (before,) = pool.pids()
        with pytest.raises(QueryTimeoutError, match=r"longer than 0\.5 s"):
            pool.run(_task(fixture_store, CARTESIAN), 0.5)
        assert pool.replaced == 1
        assert (
            not Path(f"/proc/{before}").exists()
            or "zombie" in Path(f"/proc/{before}/status").read_text()
        )
        answer = pool.run(_task(fixture_store, LABEL_OF_KOREA), 30)
        assert b"Republic of Korea" in answer.data
        assert pool.pids() != [before]
        record_inputs(EXPLODING, 1)
        record_faults("query worker killed at the timeout and replaced", 1)
    finally:
        pool.close()


@pytest.mark.slow
def test_a_query_error_keeps_the_worker(fixture_store: OxigraphStore) -> None:
    pool = QueryPool(1)
    try:
        pool.start(str(fixture_store.location), wait=30)
        before = pool.pids()
        with pytest.raises(QuerySyntaxError):
            pool.run(_task(fixture_store, "SELECT WHERE {"), 30)
        assert pool.pids() == before and pool.replaced == 0
    finally:
        pool.close()


@pytest.mark.slow
@pytest.mark.parametrize("query", [CARTESIAN, UNBOUNDED_PATH], ids=["cartesian", "path"])
def test_an_exploding_query_ends_at_the_timeout_and_memory_stays_bounded(
    minimal_store_path: Path, query: str
) -> None:
    with (
        running_server(minimal_store_path, "--query-timeout", "1") as server,
        httpx.Client(timeout=30) as client,
    ):
        assert client.get(f"{server.url}/sparql", params={"query": LABEL_OF_KOREA}).is_success
        rss_before = _rss_mb(server.process.pid)
        workers = _children(server.process.pid)
        assert workers, "no query worker runs"
        outcome: dict[str, httpx.Response] = {}

        def run_hostile() -> None:
            outcome["hostile"] = httpx.get(
                f"{server.url}/sparql", params={"query": query}, timeout=60
            )

        hostile = threading.Thread(target=run_hostile)
        hostile.start()
        time.sleep(0.4)  # the query is running in its worker now
        health = client.get(f"{server.url}/healthz")
        # Answered while the query ran: its answer (at the 1 s timeout) had not come yet.
        answered_meanwhile = "hostile" not in outcome
        hostile.join(timeout=60)  # a deadline for the test, far past the query's timeout

        assert health.status_code == 200
        assert answered_meanwhile, "/healthz waited for the exploding query"
        assert not hostile.is_alive(), "the exploding query was not answered"
        assert _ended(workers, server.process.pid), "the worker running it was not killed"
        assert outcome["hostile"].status_code == 503
        assert "longer than 1 s" in outcome["hostile"].json()["error"]
        after = client.get(f"{server.url}/sparql", params={"query": LABEL_OF_KOREA})
        assert after.status_code == 200
        assert "Republic of Korea" in after.text
        growth = _rss_mb(server.process.pid) - rss_before
        assert growth < 200, f"the server grew by {growth:.0f} MB"
    record_inputs(EXPLODING, 1)
    record_faults("query worker killed at the timeout and replaced", 1)


@pytest.mark.slow
def test_the_workers_answer_many_queries_at_once(minimal_store_path: Path) -> None:
    with running_server(minimal_store_path, "--query-workers", "2") as server:

        def ask(_: int) -> int:
            response = httpx.get(
                f"{server.url}/sparql", params={"query": LABEL_OF_KOREA}, timeout=30
            )
            return response.status_code

        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(8) as executor:
            assert set(executor.map(ask, range(40))) == {200}
    record_inputs("concurrent queries (8 at a time on 2 workers)", 40)
