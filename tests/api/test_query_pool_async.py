"""The event-loop path of the query workers (:meth:`QueryPool.run_async`): answers small
and large, errors, the deadline, and a request abandoned while its query runs."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import uvloop

from graph.errors import QuerySyntaxError, QueryTimeoutError
from graph.store import OxigraphStore
from serving.query_pool import QueryPool, QueryTask
from serving.worker_wire import READ_SIZE

LABEL_OF_KOREA = 'SELECT ?l WHERE { id:kor rdfs:label ?l FILTER (lang(?l) = "en") }'
#: Every triple joined with every triple: far larger than what is read on the loop.
LARGE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 20000"
#: Runs for minutes on any store with a few hundred triples.
ENDLESS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"


T = TypeVar("T")
#: The server runs on uvloop (uvicorn's default when installed), the tests on both loops.
LOOPS = ["asyncio", "uvloop"]


def _run(coroutine: Coroutine[Any, Any, T], loop: str) -> T:
    return uvloop.run(coroutine) if loop == "uvloop" else asyncio.run(coroutine)


def _task(store: OxigraphStore, sparql: str, max_rows: int = 100_000) -> QueryTask:
    assert store.location is not None
    return QueryTask(str(store.location), sparql, "json", "solutions", None, None, max_rows)


@pytest.fixture()
def pool(fixture_store: OxigraphStore) -> Iterator[QueryPool]:
    pool = QueryPool(1)
    pool.start(str(fixture_store.location), wait=30)
    assert len(pool.pids()) == 1
    yield pool
    pool.close()


@pytest.mark.slow
@pytest.mark.parametrize("loop", LOOPS)
def test_a_small_answer_comes_back_on_the_loop(
    pool: QueryPool, fixture_store: OxigraphStore, loop: str
) -> None:
    answer = _run(pool.run_async(_task(fixture_store, LABEL_OF_KOREA), 30), loop)
    rows = json.loads(answer.data)["results"]["bindings"]
    assert [row["l"]["value"] for row in rows] == ["Republic of Korea"]


@pytest.mark.slow
@pytest.mark.parametrize("loop", LOOPS)
def test_large_answers_are_read_whole(
    pool: QueryPool, fixture_store: OxigraphStore, loop: str
) -> None:
    """An answer of many reads' worth comes back whole on the loop (it arrives in pieces,
    each read as it comes), on both loops."""

    async def several() -> list[bytes]:
        return [(await pool.run_async(_task(fixture_store, LARGE), 60)).data for _ in range(5)]

    for data in _run(several(), loop):
        assert len(data) > 4 * READ_SIZE
        assert len(json.loads(data)["results"]["bindings"]) == 20_000
    assert pool.replaced == 0


@pytest.mark.slow
def test_errors_and_the_deadline_are_those_of_the_blocking_path(
    pool: QueryPool, fixture_store: OxigraphStore
) -> None:
    with pytest.raises(QuerySyntaxError):
        asyncio.run(pool.run_async(_task(fixture_store, "SELECT WHERE {"), 30))
    assert pool.replaced == 0
    with pytest.raises(QueryTimeoutError, match=r"longer than 0\.5 s"):
        asyncio.run(pool.run_async(_task(fixture_store, ENDLESS), 0.5))
    assert pool.replaced == 1
    _wait_for_workers(pool, 1)
    answer = asyncio.run(pool.run_async(_task(fixture_store, LABEL_OF_KOREA), 30))
    assert b"Republic of Korea" in answer.data


@pytest.mark.slow
def test_an_abandoned_request_frees_its_worker_at_the_deadline(
    pool: QueryPool, fixture_store: OxigraphStore
) -> None:
    """A client that goes away cancels the request; its worker must not be handed the next
    task while still busy, and is replaced once the abandoned query passes its deadline."""

    async def abandon() -> None:
        request = asyncio.create_task(pool.run_async(_task(fixture_store, ENDLESS), 1.0))
        await asyncio.sleep(0.2)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request

    (before,) = pool.pids()
    asyncio.run(abandon())
    _wait_for_workers(pool, 1, not_pid=before)
    answer = asyncio.run(pool.run_async(_task(fixture_store, LABEL_OF_KOREA), 30))
    assert b"Republic of Korea" in answer.data
    assert pool.replaced == 1


def _wait_for_workers(pool: QueryPool, count: int, not_pid: int | None = None) -> None:
    """Wait until ``count`` workers are idle (none of them ``not_pid``), or fail."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pids = pool.pids()
        if pool._idle.qsize() == count and not_pid not in pids:
            return
        time.sleep(0.05)
    raise AssertionError(f"the pool did not get {count} idle workers: {pool.pids()}")


@pytest.mark.slow
def test_a_worker_that_cannot_start_is_tried_again(
    fixture_store: OxigraphStore, tmp_path: Path
) -> None:
    """A replacement that fails to open its store (say, a removed generation) must not
    shrink the pool for good: it is tried again, on whatever store the pool points at."""
    pool = QueryPool(1)
    try:
        pool.start(str(tmp_path / "no-store-here"))
        time.sleep(1.5)  # at least one failed start
        assert pool._idle.qsize() == 0
        pool.start(str(fixture_store.location), wait=60)
        assert pool._idle.qsize() == 1
        answer = asyncio.run(pool.run_async(_task(fixture_store, LABEL_OF_KOREA), 30))
        assert b"Republic of Korea" in answer.data
    finally:
        pool.close()


@pytest.mark.slow
def test_one_after_another_the_same_warm_worker_answers(fixture_store: OxigraphStore) -> None:
    """Tasks that never overlap all go to the worker that answered last (its caches are
    warm); the other worker stays idle."""
    two = QueryPool(2)
    try:
        two.start(str(fixture_store.location), wait=30)
        workers = two.pids()
        assert len(workers) == 2
        before = [_cpu_ticks(pid) for pid in workers]
        for _ in range(20):
            two.run(_task(fixture_store, LARGE), 30)
        used = sorted(_cpu_ticks(pid) - b for pid, b in zip(workers, before, strict=True))
        assert used[1] > 20  # 20 answers of 20,000 rows: over a second of CPU
        assert used[0] < used[1] / 10
    finally:
        two.close()


@pytest.mark.slow
def test_a_replacement_worker_waits_below_the_warm_one(fixture_store: OxigraphStore) -> None:
    """After a worker is killed at its deadline, the next tasks go to the worker that was
    already running, not to its replacement with empty caches."""
    two = QueryPool(2)
    try:
        two.start(str(fixture_store.location), wait=30)
        started = set(two.pids())
        with pytest.raises(QueryTimeoutError):
            two.run(_task(fixture_store, ENDLESS), 0.5)
        _wait_for_workers(two, 2)
        (kept,) = started & set(two.pids())
        (fresh,) = set(two.pids()) - started
        before = {pid: _cpu_ticks(pid) for pid in (kept, fresh)}
        for _ in range(20):
            two.run(_task(fixture_store, LARGE), 30)
        used = {pid: _cpu_ticks(pid) - ticks for pid, ticks in before.items()}
        assert used[kept] > 20  # 20 answers of 20,000 rows: over a second of CPU
        assert used[fresh] < used[kept] / 10
    finally:
        two.close()


def _cpu_ticks(pid: int) -> int:
    """The CPU time process ``pid`` has used, user and system, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat
