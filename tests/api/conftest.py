"""Fixtures of the API tests: an app over the tiny fixture store, and a real server.

Unit tests go through ``TestClient`` with the store swapped in by
``app.dependency_overrides``; integration tests start ``policygraph serve`` on a free
loopback port, once per module.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from graph import REPO_ROOT
from graph.build import build_store
from graph.store import OxigraphStore, open_store
from serving.settings import Settings
from tests.contexts import serve_store

QUERIES = Path(__file__).parent / "fixtures" / "queries"


def make_app(store: OxigraphStore, **settings: object) -> FastAPI:
    """An app whose routes read ``store`` (the lifespan opens an empty in-memory one)."""
    app = create_app(Settings(store="memory:", queries=QUERIES, **settings))  # type: ignore[arg-type]
    serve_store(app, store)
    return app


def built_and_open(data: list[Path], path: Path) -> Iterator[OxigraphStore]:
    """For a fixture to ``yield from``: the store built from ``data`` at ``path``, open until
    the fixture ends."""
    build_store(data, path)
    opened = open_store(path)
    assert isinstance(opened, OxigraphStore)
    yield opened
    opened.close()


def client_reading(store: OxigraphStore, data: list[Path]) -> Iterator[TestClient]:
    """For a fixture to ``yield from``: a client of an app over ``store`` whose document
    pages read the folders of ``data``."""
    with TestClient(make_app(store, data=data)) as test_client:
        yield test_client


@pytest.fixture()
def client(fixture_store: OxigraphStore) -> Iterator[TestClient]:
    """A client of the app over the fixture store."""
    with TestClient(make_app(fixture_store)) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Server:
    """A running ``policygraph serve``; what it prints goes to the file ``log``."""

    url: str
    process: subprocess.Popen[str]
    log: Path

    def output(self) -> str:
        """Everything the server has printed so far (its log, tracebacks included)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_server(
    store: Path,
    *options: str,
    token: str | None = None,
    module: str = "cli.main",
    environment: Mapping[str, str] | None = None,
) -> Iterator[Server]:
    """Start ``python -m cli.main serve`` on a free loopback port; stop it afterwards.

    ``module`` runs another entry point with the same command line (a test's server with a
    fault or a switched-off guard), ``environment`` adds variables to the server's.

    The server's output goes to a file, never to a pipe: a pipe nobody reads fills up after
    some 64 KiB of tracebacks, and the server then blocks in its logging — a hang that
    looks like the server's own.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    env["POLICYGRAPH_QUERIES"] = str(QUERIES)
    if token is not None:  # updates on, with this bearer token
        env["POLICYGRAPH_UPDATE_TOKEN"] = token
    env |= environment or {}
    log_fd, log_name = tempfile.mkstemp(prefix="policygraph-serve-", suffix=".log")
    log = Path(log_name)
    with os.fdopen(log_fd, "w") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", module, "serve", "--port", str(port), "--store",
             str(store), *options],
            cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    server = Server(f"http://127.0.0.1:{port}", process, log)
    url = server.url
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=2).raise_for_status()
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    pytest.fail(f"the server exited: {server.output()}")
                if time.monotonic() > deadline:
                    pytest.fail("the server did not start within 60 s")
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.unlink(missing_ok=True)
