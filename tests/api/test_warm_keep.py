"""The warm caches are kept before a context says it is warm: writing them (pickling that
holds the interpreter lock) never runs beside the first visits."""

from __future__ import annotations

from pathlib import Path

from graph.store import OxigraphStore, open_store
from graph.store.location import WARM_FILE
from serving.context import StoreContext
from serving.settings import Settings


def _context(path: Path, *, kept: bool) -> StoreContext:
    store = open_store(path)
    assert isinstance(store, OxigraphStore)
    generation = store.location
    return StoreContext(store, Settings(), generation=generation, release=store.close, kept=kept)


def test_the_caches_are_on_disk_when_the_context_says_warm(minimal_store_path: Path) -> None:
    context = _context(minimal_store_path, kept=True)
    assert context.generation is not None
    kept = context.generation / WARM_FILE
    assert not kept.exists()
    try:
        context.warm_up()
        assert context.warm.wait(120)
        assert kept.is_file() and kept.stat().st_size > 0  # not after: before warm was set
        assert "catalogue" in context.memo
        assert "home_sections" in context.memo  # the home page's lists, made at warm-up
    finally:
        context.close()


def test_a_context_that_may_not_keep_gets_warm_and_writes_nothing(
    minimal_store_path: Path,
) -> None:
    context = _context(minimal_store_path, kept=False)
    assert context.generation is not None
    try:
        context.warm_up().join(timeout=120)
        assert context.warm.is_set() and "catalogue" in context.memo
        assert not (context.generation / WARM_FILE).exists()
    finally:
        context.close()
