"""``/healthz`` through the app, and through the real server started by ``policygraph serve``."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph import REPO_ROOT
from graph.store import open_store
from serving.settings import Settings


def test_healthz_reports_the_triple_count(minimal_store_path: Path) -> None:
    expected = len(open_store(minimal_store_path))
    with TestClient(create_app(Settings(store=str(minimal_store_path)))) as client:
        response = client.get("/healthz")
        deadline = time.monotonic() + 60
        while not response.json()["warm"] and time.monotonic() < deadline:
            time.sleep(0.1)
            response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok", "triples": expected, "warm": True, "pages": "current",
        "sandbox": "seccomp",
    }  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.slow
def test_serve_builds_a_missing_store_then_answers(tmp_path: Path) -> None:
    port = _free_port()
    store = tmp_path / "store"
    server = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--store", str(store)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert response.json()["triples"] > 1000
        assert store.is_dir()
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("how", ["option", "environment"])
def test_serve_refuses_an_in_memory_store(how: str) -> None:
    """A ``memory:`` store could only be queried inside the server process, where one
    ``ORDER BY`` over mixed literals ends it (docs/engine-issues.md): ``serve`` refuses it,
    whether it comes from ``--store`` or ``POLICYGRAPH_STORE``, before it listens."""
    args = ["serve", "--port", str(_free_port())]
    env = {"PATH": "/usr/bin:/bin"}
    if how == "option":
        args += ["--store", "memory:"]
    else:
        env["POLICYGRAPH_STORE"] = "memory:"
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120, env=env,
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not memory:" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
