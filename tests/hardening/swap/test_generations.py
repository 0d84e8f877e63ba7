"""Old generations and new ones: a build never removes a store that a server still reads,
the server lets go of old ones once their requests are done, and a new build that cannot be
opened is not served."""

from __future__ import annotations

import gc
import json
import weakref
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.datastructures import State

from graph.build import build_store
from graph.errors import StoreError
from graph.store import OxigraphStore, open_store
from graph.store.location import MARKER, hold_generation
from serving.publish import Publication
from serving.reload import ServedStore
from serving.settings import Settings
from tests.conftest import MINIMAL_DATA
from tests.hardening.record import record_checks, record_faults

pytestmark = pytest.mark.slow

KOREA = "SELECT ?l WHERE { id:kor rdfs:label ?l }"


class Pool:
    """Records the directories the query pool is pointed at."""

    def __init__(self) -> None:
        self.directories: list[str] = []

    def start(self, store_dir: str, wait: float = 0.0) -> None:
        self.directories.append(store_dir)


def generations(store: Path) -> list[Path]:
    """The generation directories beside ``store``, resolved."""
    return sorted(p.resolve() for p in store.parent.glob(f"{store.name}.gen-*"))


def answers(store: OxigraphStore) -> bool:
    """Whether ``store`` still answers a query with data."""
    result = store.query(KOREA)
    assert isinstance(result, ox.QuerySolutions)
    return len(list(result)) > 0


@pytest.fixture()
def served(minimal_store_path: Path) -> Iterator[tuple[ServedStore, State, Pool]]:
    state, pool = State(), Pool()
    publication = Publication(
        prepare=lambda context: pool.start(str(context.generation)),
        show=lambda context: setattr(state, "store", context.store),
    )
    store = ServedStore(publication, minimal_store_path, Settings(store=str(minimal_store_path)))
    store.open()
    yield store, state, pool
    store.close()


def test_a_build_keeps_a_generation_that_is_held_and_removes_it_once_released(
    minimal_store_path: Path,
) -> None:
    first = minimal_store_path.resolve()
    lease = hold_generation(first)
    for _ in range(3):
        build_store([MINIMAL_DATA], minimal_store_path)
    assert first in generations(minimal_store_path)
    reader = open_store(first)  # the held generation is whole: it opens and answers
    assert answers(reader)  # type: ignore[arg-type]
    reader.close()
    lease.release()
    build_store([MINIMAL_DATA], minimal_store_path)
    assert first not in generations(minimal_store_path)
    assert len(generations(minimal_store_path)) == 2  # the new one and the previous
    record_faults("build while a server still read an old generation", 3)
    record_checks("generation held by a server whole and answering after builds", 1)


def test_a_request_running_across_two_swaps_keeps_its_store_until_it_ends(
    served: tuple[ServedStore, State, Pool], minimal_store_path: Path
) -> None:
    store, state, pool = served
    old = state.store
    old_directory = minimal_store_path.resolve()
    request = store.readers.enter()  # a request that started on the first generation
    for _ in range(2):
        build_store([MINIMAL_DATA], minimal_store_path)
        assert store.check()
    assert state.store is not old
    assert state.store.location == minimal_store_path.resolve()
    assert pool.directories[-1] == str(minimal_store_path.resolve())
    assert old_directory in generations(minimal_store_path)
    assert answers(old)  # the running request still reads its store
    store.readers.leave(request)
    build_store([MINIMAL_DATA], minimal_store_path)
    assert old_directory not in generations(minimal_store_path)
    assert answers(state.store)
    record_faults("new build swapped in under a running request", 2)
    record_checks("request running across swaps still reads its own store", 1)


def test_a_new_build_that_cannot_be_opened_is_not_served(
    served: tuple[ServedStore, State, Pool], minimal_store_path: Path
) -> None:
    store, state, _ = served
    serving = state.store
    build_store([MINIMAL_DATA], minimal_store_path)
    (minimal_store_path.resolve() / MARKER).write_text(json.dumps({"format": 999}))
    assert not store.check()
    assert not store.check()  # refused once, not tried again and again
    assert state.store is serving and answers(serving)
    build_store([MINIMAL_DATA], minimal_store_path)
    assert store.check()
    assert state.store is not serving and answers(state.store)
    record_faults("foreign (unreadable) new build while serving", 1)
    record_checks("server kept serving its store when the new build was unreadable", 1)


def test_nothing_changes_without_a_new_build(served: tuple[ServedStore, State, Pool]) -> None:
    store, state, _ = served
    serving = state.store
    assert not store.check()
    assert state.store is serving


def test_a_store_swapped_out_is_closed_once_its_last_request_ends(
    served: tuple[ServedStore, State, Pool], minimal_store_path: Path
) -> None:
    store, state, _ = served
    old = state.store
    request = store.readers.enter()
    build_store([MINIMAL_DATA], minimal_store_path)
    assert store.check()
    assert answers(old)
    store.readers.leave(request)
    with pytest.raises(StoreError, match="closed"):
        answers(old)


def test_a_store_swapped_out_is_collected(
    served: tuple[ServedStore, State, Pool], minimal_store_path: Path
) -> None:
    store, state, _ = served
    store.publication.current.warm_up().join(30)
    old = weakref.ref(state.store)
    build_store([MINIMAL_DATA], minimal_store_path)
    assert store.check()
    gc.collect()
    assert old() is None
