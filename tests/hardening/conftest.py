"""Fixtures of the hardening tests: a tiny store whose labels, comments and evidence quotes
are hostile (script tags, attribute break-outs, ``javascript:`` links), and clients of the
app over it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from graph.build import build_store
from graph.store import OxigraphStore, open_store
from serving.settings import Settings
from tests.conftest import MINIMAL_DATA
from tests.contexts import serve_store

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="alert(1)'
JAVASCRIPT = "javascript:alert(1)"
IMAGE = "<img src=x onerror=alert(1)>"
#: Every hostile string the store holds.
HOSTILE = (SCRIPT, ATTRIBUTE, JAVASCRIPT, IMAGE)


def _lit(text: str) -> str:
    """A Turtle string literal (JSON's escapes are Turtle's)."""
    return json.dumps(text, ensure_ascii=False)


#: (file, original text, replacement) — hostile labels, a comment and quotes.
_EDITS = (
    ("world.ttl", '"Republic of Korea"@en', _lit(f"Republic of Korea {SCRIPT}") + "@en"),
    ("world.ttl", '"AUKUS"@en', _lit(f"AUKUS {ATTRIBUTE}") + "@en"),
    ("world.ttl", '"Japan"@en', _lit(JAVASCRIPT) + "@en"),
    ("world.ttl", '"Section 1"@en', _lit(f"Section {IMAGE}") + "@en"),
    ("world.ttl", '"Part 1"@en', _lit(f"Part {SCRIPT}") + "@en"),
    (
        "proposals.ttl",
        '"Joint Japan–Korea participation in AUKUS Pillar II"@en',
        _lit(f"Joint {IMAGE} participation {ATTRIBUTE}") + "@en",
    ),
    (
        "proposals.ttl",
        '"Japan and Korea should take part together in AUKUS\'s advanced-capabilities pillar."@en',
        _lit(f"{SCRIPT} {ATTRIBUTE} {JAVASCRIPT}") + "@en",
    ),
    ("proposals.ttl", '"AUKUSピラーⅡへの日韓共同参加" ]', _lit(SCRIPT) + " ]"),
    ("proposals.ttl", '"日韓両国" ]', _lit(f"{JAVASCRIPT} {ATTRIBUTE}") + " ]"),
)


def write_hostile_data(directory: Path) -> Path:
    """The fixture data set with hostile text in labels, a comment and quotes."""
    directory.mkdir(parents=True, exist_ok=True)
    texts = {p.name: p.read_text(encoding="utf-8") for p in MINIMAL_DATA.glob("*.ttl")}
    for name, old, new in _EDITS:
        assert old in texts[name], (name, old)
        texts[name] = texts[name].replace(old, new)
    for name, text in texts.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def hostile_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    path = base / "store"
    build_store([write_hostile_data(base / "data")], path)
    return path


@pytest.fixture(scope="session")
def hostile_store(hostile_store_path: Path) -> Iterator[OxigraphStore]:
    store = open_store(hostile_store_path)
    yield store
    store.close()


def app_over(store: OxigraphStore) -> FastAPI:
    """The whole app (the real named queries of graph/queries) reading ``store``."""
    app = create_app(Settings(store="memory:"))
    serve_store(app, store)
    return app


@pytest.fixture(scope="module")
def hostile_client(hostile_store: OxigraphStore) -> Iterator[TestClient]:
    """A client of the app over the hostile store; a server error is a 500, not a raise."""
    with TestClient(app_over(hostile_store), raise_server_exceptions=False) as client:
        yield client
