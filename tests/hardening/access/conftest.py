"""Fixtures of the access tests: a fresh copy of the tiny store per test that writes, one per
module for the tests whose writes must all be refused, and an app over it with updates
enabled by a token."""

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


def private_copy(built: Path, directory: Path) -> Path:
    """A copy of the store ``built`` in ``directory`` (a generation and its link)."""
    generation = StoreLocation(built).current()
    shutil.copytree(generation, directory / generation.name)
    (directory / "store").symlink_to(generation.name)
    return directory / "store"


@pytest.fixture()
def store_path(built_minimal: Path, tmp_path: Path) -> Path:
    """A private copy of the built store, for a test that writes."""
    return private_copy(built_minimal, tmp_path)


def client_over(store_path: Path, token: str | None = TOKEN) -> TestClient:
    settings = Settings(store=str(store_path), queries=QUERIES, update_token=token)  # type: ignore[arg-type]
    return TestClient(create_app(settings))


@pytest.fixture()
def client(store_path: Path) -> Iterator[TestClient]:
    with client_over(store_path) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def refusing_store_path(built_minimal: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One private copy of the built store per module, for the tests whose every write must
    be refused. Each of them checks that nothing was written, so a write that got through
    fails that test (and the module's later ones)."""
    return private_copy(built_minimal, tmp_path_factory.mktemp("refusing"))


@pytest.fixture(scope="module")
def refusing_client(refusing_store_path: Path) -> Iterator[TestClient]:
    """An app over :func:`refusing_store_path` with updates on, one per module."""
    with client_over(refusing_store_path) as test_client:
        yield test_client
