"""The query workers have no network: with the guard out of the way (tasks go to the pool
directly), ``SERVICE`` in generated spellings never reaches a listener on loopback, and a
non-silent one is a one-line refusal, not a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import QueryRefusedError
from graph.store import OxigraphStore
from serving.query_pool import QueryPool, QueryTask
from tests.hardening.record import record_checks, record_inputs
from tests.hardening.sandbox.conftest import Listener

_EXAMPLES = 80


@pytest.fixture(scope="module")
def pool(fixture_store: OxigraphStore) -> Iterator[QueryPool]:
    workers = QueryPool(1)
    workers.start(str(fixture_store.location), wait=30)
    yield workers
    workers.close()


@pytest.fixture(scope="module")
def module_listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _seccomp_mode(pid: int) -> str:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Seccomp:"):
            return line.split()[1]
    raise AssertionError(f"no Seccomp line for {pid}")


def test_every_query_worker_runs_under_the_seccomp_filter(pool: QueryPool) -> None:
    (pid,) = pool.pids()
    assert _seccomp_mode(pid) == "2"  # SECCOMP_MODE_FILTER


@st.composite
def _service_query(draw: st.DrawFn, port: int) -> tuple[str, bool]:
    """A query calling ``SERVICE`` on the listener, and whether it is ``SILENT``."""
    word = "".join(draw(st.sampled_from((c.lower(), c))) for c in "SERVICE")
    silent = draw(st.booleans())
    host = draw(st.sampled_from(("127.0.0.1", "localhost", "127.1", "2130706433")))
    path = draw(st.sampled_from(("sparql", "x", "", "q?x=1")))
    base, target = draw(
        st.sampled_from(
            (
                ("", f"<http://{host}:{port}/{path}>"),
                (f"BASE <http://{host}:{port}/> ", f"<{path}>"),
                (
                    f"PREFIX out: <http://{host}:{port}/> ",
                    f"out:{''.join(c for c in path if c.isalnum())}",
                ),
            )
        )
    )
    call = f"{word}{' SILENT' if silent else ''} {target} {{ ?s ?p ?o }}"
    body = draw(
        st.sampled_from(
            (
                f"SELECT * {{ {call} }}",
                f"SELECT * {{ {{}}.{call} }}",
                f"SELECT * {{ ?a ?b ?c OPTIONAL {{ {call} }} }} LIMIT 1",
                f"ASK {{ {call} }}",
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {call} }}",
                f"SELECT * FROM <http://{host}:{port}/g> {{ {call} }}",
            )
        )
    )
    return base + body, silent


@settings(max_examples=_EXAMPLES, deadline=None)
@given(data=st.data())
def test_service_in_a_worker_reaches_nothing(
    pool: QueryPool, fixture_store: OxigraphStore, module_listener: Listener, data: st.DataObject
) -> None:
    listener = module_listener
    sparql, silent = data.draw(_service_query(listener.port))
    graph = "CONSTRUCT" in sparql
    task = QueryTask(
        str(fixture_store.location), sparql, "ntriples" if graph else "json",
        "graph" if graph else "solutions", None, None, 100,
    )  # fmt: skip
    if silent:
        pool.run(task, 10)  # SILENT: the failed call is no solution, and no error
    else:
        with pytest.raises(QueryRefusedError, match=r"tried to reach the network"):
            pool.run(task, 10)
    assert listener.hits == 0
    record_inputs("SERVICE spellings run in a query worker without the guard (hypothesis)", 1)


def test_the_pool_kept_its_worker(pool: QueryPool) -> None:
    """A refused connection is an answer, not a dead worker."""
    assert pool.replaced == 0
    record_checks("query workers alive after refused connections", 1)
