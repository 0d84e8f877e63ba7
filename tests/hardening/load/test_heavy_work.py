"""The lanes of bounded heavy work (:mod:`api.heavy`): identical requests share one
computation, at most ``slots`` run, the queue is short and the rest get 503, the cache
holds its byte budget and forgets a replaced store."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from fastapi.testclient import TestClient

from api.heavy import Busy, ByteCache, HeavyWork
from tests.hardening.record import record_checks, record_faults, record_inputs


class Store:
    """Stands for the served store (the cache's owner)."""


class Counting:
    """A computation that counts its calls and how many ran at once."""

    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds = seconds
        self.calls: list[str] = []
        self.running = 0
        self.most_at_once = 0

    def __call__(self, key: str) -> Callable[[], Awaitable[bytes]]:
        async def compute() -> bytes:
            self.calls.append(key)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            try:
                await asyncio.sleep(self.seconds)
            finally:
                self.running -= 1
            return f"figure {key}".encode()

        return compute


def _lane(slots: int = 1, queue: int = 2, cache_bytes: int = 1_000_000) -> HeavyWork:
    return HeavyWork("figures", slots=slots, queue=queue, cache=ByteCache(cache_bytes))


def test_fifty_identical_requests_compute_once() -> None:
    lane, work, store = _lane(), Counting(), Store()

    async def fifty() -> list[bytes]:
        return await asyncio.gather(
            *(lane.run(store, "overview", work("overview")) for _ in range(50))
        )

    answers = asyncio.run(fifty())
    assert answers == [b"figure overview"] * 50
    assert work.calls == ["overview"]
    # Asked again later: from the cache, still one computation.
    assert asyncio.run(lane.run(store, "overview", work("overview"))) == b"figure overview"
    assert work.calls == ["overview"]
    record_inputs("identical heavy requests answered by one computation (unit)", 51)


def test_past_slots_and_queue_the_rest_are_busy_with_a_retry_after() -> None:
    lane, work, store = _lane(slots=2, queue=3), Counting(), Store()
    keys = [f"ego-{i}" for i in range(12)]

    async def burst() -> list[bytes | BaseException]:
        return await asyncio.gather(
            *(lane.run(store, key, work(key)) for key in keys), return_exceptions=True
        )

    answers = asyncio.run(burst())
    done = [a for a in answers if isinstance(a, bytes)]
    busy = [a for a in answers if isinstance(a, Busy)]
    assert len(done) == 5 and len(busy) == 7 and len(done) + len(busy) == len(keys)
    assert work.most_at_once == 2  # never more than the slots
    assert all(b.retry_after >= 1 and "try again in" in str(b) for b in busy)
    record_inputs("distinct heavy requests past the queue refused with 503 (unit)", len(busy))


def test_a_client_that_leaves_does_not_cancel_the_shared_work() -> None:
    lane, work, store = _lane(), Counting(seconds=0.2), Store()

    async def leave_then_wait() -> bytes:
        first = asyncio.ensure_future(lane.run(store, "k", work("k")))
        second = asyncio.ensure_future(lane.run(store, "k", work("k")))
        await asyncio.sleep(0.05)
        first.cancel()
        return await second

    assert asyncio.run(leave_then_wait()) == b"figure k"
    assert work.calls == ["k"]


def test_a_failure_reaches_every_waiter_and_is_not_cached() -> None:
    lane, store = _lane(), Store()
    calls = 0

    async def failing() -> bytes:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        raise LookupError("no entity has the slug nowhere")

    async def three() -> list[bytes | BaseException]:
        return await asyncio.gather(
            *(lane.run(store, "nowhere", failing) for _ in range(3)), return_exceptions=True
        )

    assert all(isinstance(a, LookupError) for a in asyncio.run(three()))
    assert calls == 1
    asyncio.run(three())
    assert calls == 2  # not cached: asked again, computed again


def test_the_cache_holds_its_byte_budget_and_forgets_a_replaced_store() -> None:
    cache = ByteCache(1000)
    first, second = Store(), Store()
    cache.belongs_to(first)
    for i in range(100):
        cache.put(i, bytes(200))
        assert cache.used <= 1000
    assert cache.get(99) is not None and cache.get(0) is None
    cache.put("huge", bytes(300))  # over a quarter of the budget: not kept
    assert cache.get("huge") is None
    cache.belongs_to(first)
    assert cache.get(99) is not None
    cache.belongs_to(second)  # a rebuilt or edited store: nothing computed over the old one
    assert cache.get(99) is None and cache.used == 0
    record_checks("cached answers dropped when the served store changed", 1)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/viz/frameworks?" + "&".join(f"slug=s{i}" for i in range(51)), "slug"),
        ("/viz/ego?slug=kor&" + "&".join(f"type=T{i}" for i in range(21)), "type"),
        ("/viz/ego?slug=kor&depth=4", "depth"),
        ("/api/paths?source=kor&target=jpn&max=11", "max"),
        ("/viz/path?source=kor&target=" + "x" * 201, "target"),
    ],
)
def test_oversized_parameters_are_refused_before_any_work(
    hostile_client: TestClient, url: str, reason: str
) -> None:
    response = hostile_client.get(url)
    assert response.status_code == 422
    assert reason in response.text
    record_inputs("oversized view, path and analysis parameters refused", 1)


def test_a_figure_past_the_time_limit_is_a_503_and_the_renderers_restart() -> None:
    from api.render_pool import RenderPool
    from graph.errors import StoreError
    from viz.view import View

    view = View(name="overview", title="A figure", params={})
    view.message = "Nothing to show"  # drawn as a message: the smallest figure there is
    slow = RenderPool(1, timeout=0.001)  # no child starts and draws within a millisecond
    with pytest.raises(StoreError, match=r"longer than 0\.001 s"):
        asyncio.run(slow.render(view, "png"))
    assert slow._pool is None  # killed; the next figure starts fresh children
    fine = RenderPool(1, timeout=60)
    try:
        assert asyncio.run(fine.render(view, "png")).startswith(b"\x89PNG")
        assert asyncio.run(fine.render(view, "svg")).startswith(b"<?xml")
    finally:
        fine.close()
    record_faults("figures past the time limit: renderer children killed, 503", 1)


def _open_a_socket() -> str:
    """Run in a renderer child: what opening a TCP socket there gives."""
    import socket

    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except OSError as exc:
        return f"refused: {exc.strerror}"
    return "opened"


def test_renderer_children_have_no_network_where_seccomp_is_available() -> None:
    from api.render_pool import RenderPool
    from graph.sandbox import SECCOMP, network_sandbox

    pool = RenderPool(1, timeout=60)
    try:
        outcome = pool._current().apply(_open_a_socket)
    finally:
        pool.close()
    if network_sandbox() == SECCOMP:
        assert outcome.startswith("refused"), outcome
    else:  # no seccomp on this platform: the children keep the network, as documented
        assert outcome == "opened"
    record_checks("renderer children without network (seccomp)", 1)
