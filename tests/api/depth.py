"""A tiny store with the additions of December 2026 (``fixtures/depth``): lifecycles,
member lists complete and partial, asks, sub-proposals, places — loaded with the ontology
and materialised as the build does, without the build's validation (the shapes of the new
terms are not what these tests are about).
"""

from __future__ import annotations

from pathlib import Path

from graph.build.materialise import materialise
from graph.build.pipeline import load_sources
from graph.store import OxigraphStore

__all__ = ["DEPTH_DATA", "depth_store"]

DEPTH_DATA = Path(__file__).parent / "fixtures" / "depth"


def depth_store() -> OxigraphStore:
    """A new in-memory store of the ontology and the depth fixture, materialised."""
    sources = load_sources([DEPTH_DATA])
    store = OxigraphStore.memory()
    store.extend(sources.ontology + sources.data)
    store.extend(materialise(store))
    return store
