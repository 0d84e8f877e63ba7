"""Fixtures of the sandbox tests: a TCP listener on loopback that records every connection
(it must never be reached), and the access tests' private copy of the tiny store."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from tests.hardening.access.conftest import built_minimal, store_path

__all__ = ["Listener", "built_minimal", "store_path"]


class Listener:
    """A TCP server on ``127.0.0.1`` that counts the connections it accepts."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.reached = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="listener", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.reached += 1
            connection.close()  # the client gets a reset or an empty answer at once

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    """A loopback listener; the test asserts on :attr:`Listener.reached`."""
    server = Listener()
    yield server
    server.close()
