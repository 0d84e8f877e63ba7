"""Fixtures of the hostile-query tests: the tiny fixture store, built once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.build import build_store
from graph.store import OxigraphStore, open_store
from tests.conftest import MINIMAL_DATA


@pytest.fixture(scope="session")
def minimal_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queries-minimal") / "store"
    build_store([MINIMAL_DATA], path)
    return path


@pytest.fixture(scope="session")
def minimal_store(minimal_store_path: Path) -> Iterator[OxigraphStore]:
    store = open_store(minimal_store_path)
    yield store
    store.close()
