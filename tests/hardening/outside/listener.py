"""A TCP listener on loopback that records every connection made to it: the "outside" a
query or update must never reach.

Each connection is accepted, counted and closed at once, so a client that reached it fails
fast (no answer) instead of waiting; :attr:`Listener.hits` is up to date by the time that
client sees its connection closed.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType

__all__ = ["Listener"]


class Listener:
    """``with Listener() as outside:`` a listener on ``outside.url``; ``outside.hits``.

    It listens from construction on; :meth:`close` (or the end of the ``with``) stops it.
    """

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/x"
        self.hits = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="outside-listener", daemon=True)
        self._thread.start()

    def __enter__(self) -> Listener:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop accepting and close the socket."""
        self._stopped.set()
        self._socket.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        self._socket.settimeout(0.2)
        while not self._stopped.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.hits += 1
            connection.close()
