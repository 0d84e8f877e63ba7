"""Fixtures of the access tests: a fresh copy of the tiny store per test, and an app over
it with updates enabled by a token."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.build import build_store
from graph.store import StoreLocation
from serving.settings import Settings
from tests.api.conftest import QUERIES
from tests.conftest import MINIMAL_DATA

TOKEN = "correct-horse-battery-staple-42"


@pytest.fixture(scope="session")
def built_minimal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("access-minimal") / "store"
    build_store([MINIMAL_DATA], path)
    return path


@pytest.fixture()
def store_path(built_minimal: Path, tmp_path: Path) -> Path:
    """A private copy of the built store (a generation and its link)."""
    generation = StoreLocation(built_minimal).current()
    shutil.copytree(generation, tmp_path / generation.name)
    (tmp_path / "store").symlink_to(generation.name)
    return tmp_path / "store"


def client_over(store_path: Path, token: str | None = TOKEN) -> TestClient:
    settings = Settings(store=str(store_path), queries=QUERIES, update_token=token)  # type: ignore[arg-type]
    return TestClient(create_app(settings))


@pytest.fixture()
def client(store_path: Path) -> Iterator[TestClient]:
    with client_over(store_path) as test_client:
        yield test_client
