"""Starting and stopping the servers a benchmark measures, on free loopback ports.

Every benchmark that talks HTTP launches a server (``policygraph serve``, Oxigraph's,
rdflib-endpoint), waits until it answers, measures, and stops it, also when the
measurement fails::

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with launched(policygraph_serve(store, port), ready=warm(url)):
        ...
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from socket import socket

import httpx

from graph import REPO_ROOT

__all__ = ["answers", "free_port", "launched", "policygraph_serve", "stop", "warm"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def policygraph_serve(store: Path, port: int, *options: str) -> list[str]:
    """The command line of ``policygraph serve`` on ``store`` at ``port`` (this interpreter)."""
    return [
        sys.executable, "-m", "cli.main", "serve", "--store", str(store), "--port", str(port),
        *options,
    ]  # fmt: skip


def answers(url: str, **params: str) -> Callable[[], bool]:
    """A readiness check: ``GET url?params`` answers 200.

    :raises RuntimeError: (when checked) the server answers, but with an error status.
    """

    def check() -> bool:
        try:
            status = httpx.get(url, params=params, timeout=5).status_code
        except httpx.TransportError:
            return False
        if status != 200:
            raise RuntimeError(f"{url} answers {status}")
        return True

    return check


def warm(base: str) -> Callable[[], bool]:
    """A readiness check: policygraph's ``/healthz`` at ``base`` reports its caches warm."""

    def check() -> bool:
        try:
            return bool(httpx.get(f"{base}/healthz", timeout=5).json().get("warm", True))
        except httpx.TransportError:
            return False

    return check


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop ``process``: politely, then (after 30 s) by force."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def launched(
    command: list[str],
    *,
    ready: Callable[[], bool],
    timeout: float = 300,
    env: Mapping[str, str] | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` until the block ends, entering it once ``ready()`` is true.

    The server's output goes to a temporary file (a pipe nobody reads blocks a server once
    full); its end is in the error when the server exits or is not ready in time.

    :raises RuntimeError: the server exited, or was not ready within ``timeout`` seconds.
    """
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + timeout
            while not ready():
                problem = (
                    "exited" if process.poll() is not None
                    else f"was not ready after {timeout:g} s" if time.monotonic() > deadline
                    else None
                )  # fmt: skip
                if problem:
                    log.seek(0)
                    output = log.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"{command[0]} {problem}: {output}")
                time.sleep(0.05)
            yield process
        finally:
            stop(process)
