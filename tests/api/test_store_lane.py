"""The warm-up's reads of the store alone made by a child process (serving.store_lane):
the same values the server would read, kept with the warm caches as the child wrote them,
and read by the server itself when the child fails."""

from __future__ import annotations

import logging
import os
import pickle
import threading
from pathlib import Path
from typing import Any

import pytest

from graph.memo import Memo
from graph.store import OxigraphStore, open_store
from graph.store.location import WARM_FILE
from serving import store_lane, warm_cache
from serving.context import StoreContext
from serving.settings import Settings
from serving.store_reads import StoreReads
from tests.contexts import warmed_generation

#: What the store lane reads, compared between the child's values and the server's.
STORE_VALUES = ("triples", "catalogue", "cards", "frameworks", "class_counts",
                "ontology_terms", "entities_by_document")  # fmt: skip


def _comparable(name: str, value: object) -> object:
    """A value as a page sees it (a catalogue by its proposals and their details)."""
    if name == "catalogue":
        return [(p, value.details.get(p.slug)) for p in value.proposals]  # type: ignore[attr-defined]
    return value


def _store_values(reads: StoreReads) -> dict[str, object]:
    values = {name: _comparable(name, getattr(reads, name)) for name in STORE_VALUES}
    labels = reads.labels
    values["search"] = [labels.search(q) for q in ("", "Korea", "kor", "日本", "Quad")]
    return values


@pytest.fixture()
def in_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child makes the store's reads of every store on disk, however small."""
    monkeypatch.setattr(store_lane, "CHILD_QUADS", 0)


@pytest.mark.usefixtures("in_child")
def test_the_child_hands_back_what_the_server_reads_and_a_restart_reads_it(
    minimal_store_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(StoreContext, "_take_over", lambda context, child: True)  # none taken
    here = StoreReads(open_store(minimal_store_path))
    expected = _store_values(here)
    here.store.close()
    with caplog.at_level(logging.INFO, logger="serving.context"):
        first = warmed_generation(minimal_store_path)
    try:
        assert "the store's reads handed back by a child process" in caplog.text
        assert "proposal catalogue (child process) in" in caplog.text
        assert _store_values(first) == expected
        generation = first.generation
    finally:
        first.close()
    assert generation is not None and (generation / WARM_FILE).is_file()

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="serving.context"):
        again = warmed_generation(minimal_store_path)  # the server's part and the child's
    try:
        assert "caches read from" in caplog.text and "child process" not in caplog.text
        for key in ("catalogue", "label_index", "cards", "projection", "graph_data"):
            assert key in again.memo, key
        assert _store_values(again) == expected
    finally:
        again.close()


@pytest.mark.usefixtures("in_child")
def test_when_the_child_fails_the_server_reads_the_store_itself(
    minimal_store_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def failing(*args: object, **kwargs: object) -> list[tuple[str, float]]:
        raise RuntimeError("MemoryError")

    monkeypatch.setattr(store_lane, "make_in_child", failing)
    with caplog.at_level(logging.INFO, logger="serving.context"):
        context = warmed_generation(minimal_store_path)
    try:
        assert "warm-up: the store's reads are made here: MemoryError" in caplog.text
        assert "caches warm in" in caplog.text
        assert context.catalogue.proposals and context.cards and context.labels.search("Korea")
    finally:
        context.close()


def test_the_child_makes_the_reads_up_to_the_first_the_server_took(
    fixture_store_path: Path, tmp_path: Path
) -> None:
    server = store_lane.Claims(tmp_path)
    assert server.claim(2)  # the label index: the child stops there
    made = store_lane.make_in_child(fixture_store_path, tmp_path)
    assert [name for name, _ in made] == ["store size", "proposal catalogue"]
    memo = Memo()
    assert warm_cache.hand_over(tmp_path / store_lane.VALUES_FILE, memo) == [
        "triples", "proposal_summaries", "catalogue",
    ]  # fmt: skip
    assert "label_index" not in memo and "cards" not in memo


@pytest.mark.usefixtures("in_child")
def test_the_server_takes_over_the_reads_the_child_has_not_begun(
    minimal_store_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Here the child begins only once the server's own lane is done: it has none left."""
    here = StoreReads(open_store(minimal_store_path))
    expected = _store_values(here)
    here.store.close()
    taken_over = threading.Event()
    take_over, make_in_child = StoreContext._take_over, store_lane.make_in_child

    def then_done(context: StoreContext, child: object) -> bool:
        try:
            return take_over(context, child)  # type: ignore[arg-type]
        finally:
            taken_over.set()

    def late_child(*args: Any, **kwargs: Any) -> list[tuple[str, float]]:
        taken_over.wait(timeout=120)
        return make_in_child(*args, **kwargs)

    monkeypatch.setattr(StoreContext, "_take_over", then_done)
    monkeypatch.setattr(store_lane, "make_in_child", late_child)
    with caplog.at_level(logging.INFO, logger="serving.context"):
        context = warmed_generation(minimal_store_path)
    try:
        assert "warm-up: proposal catalogue in" in caplog.text  # made by the server
        assert "(child process) in" not in caplog.text
        assert "handed back by a child process" in caplog.text
        assert _store_values(context) == expected
    finally:
        context.close()


def test_a_child_ended_early_is_an_error_not_values(
    fixture_store_path: Path, tmp_path: Path
) -> None:
    with pytest.raises(RuntimeError, match="ended with code -9"):
        store_lane.make_in_child(fixture_store_path, tmp_path, started=lambda child: child.kill())


def test_a_closing_context_ends_its_child(minimal_store_path: Path) -> None:
    store = open_store(minimal_store_path)
    assert isinstance(store, OxigraphStore)
    context = StoreContext(store, Settings(), generation=store.location, release=store.close)
    ended: list[int] = []

    class Child:
        """Stands for a running child process."""

        def poll(self) -> None:
            return None

        def kill(self) -> None:
            ended.append(os.getpid())

    context._track(Child())  # type: ignore[arg-type]
    context.close()
    assert ended == [os.getpid()]


def test_the_warm_caches_read_every_part_of_the_file(tmp_path: Path) -> None:
    """The server's values, then the child's, one pickle after the other."""
    made = tmp_path / "made.pickle"
    made.write_bytes(pickle.dumps({"cards": {"kor": "Korea"}, "not kept": 1}))
    memo = Memo()
    assert warm_cache.hand_over(made, memo) == ["cards"]
    memo.get("frameworks", lambda: ["quad"])
    assert warm_cache.keep(tmp_path, memo, quads=5, handed=made, handed_keys=["cards"])
    restarted = Memo()
    assert warm_cache.restore(tmp_path, restarted, quads=5) == ["cards", "frameworks"]
    assert restarted.get("cards", dict) == {"kor": "Korea"}


def test_a_handed_file_naming_a_function_or_holding_no_values_is_refused(tmp_path: Path) -> None:
    made = tmp_path / "made.pickle"
    made.write_bytes(pickle.dumps({"cards": os.getcwd}))
    with pytest.raises(pickle.UnpicklingError, match=r"posix\.getcwd"):
        warm_cache.hand_over(made, Memo())
    made.write_bytes(pickle.dumps(["cards"]))
    with pytest.raises(pickle.UnpicklingError, match="something else than values"):
        warm_cache.hand_over(made, Memo())
    made.write_bytes(b"")
    with pytest.raises(EOFError):
        warm_cache.hand_over(made, Memo())
