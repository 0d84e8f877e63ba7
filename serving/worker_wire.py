"""The bytes between the server and a query worker: a JSON head and a raw body per message.

A message is an 8-byte prefix (the head's length and the body's, big-endian), the head
(a small JSON object) and the body (bytes, sent as they are). A task's body is the query
text; an answer's is the results exactly as Oxigraph wrote them, which go on to the
client as they are (never turned into Python objects and back). Nothing here is
pickled in either direction: a worker evaluates queries from anyone, and the server reads
its answers as data only — an error comes back as the name of a
:class:`~graph.errors.PolicyGraphError` class and its message, never as an object.

>>> reader = FrameReader()
>>> reader.feed(frame({"status": "ok"}, b"data")[:5])
False
>>> reader.feed(frame({"status": "ok"}, b"data")[5:])
True
>>> reader.message()
({'status': 'ok'}, b'data')
"""

from __future__ import annotations

import json
import os
import struct
from typing import Any

from graph import errors

__all__ = [
    "FrameReader",
    "Head",
    "error_from",
    "error_head",
    "frame",
    "read_message",
    "send_message",
]

#: A message's head: a JSON object.
Head = dict[str, Any]

_PREFIX = struct.Struct("!II")
#: Bytes asked of the socket per read.
READ_SIZE = 64 * 1024


def frame(head: Head, body: bytes = b"") -> bytes:
    """One message as bytes (the body copied: for small bodies; see :func:`send_message`)."""
    encoded = json.dumps(head, separators=(",", ":")).encode()
    return _PREFIX.pack(len(encoded), len(body)) + encoded + body


class FrameReader:
    """Gathers the bytes of one message as they arrive, in whatever pieces."""

    __slots__ = ("_buffer", "_needed")

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._needed = _PREFIX.size  # total bytes of the message, once the prefix is known

    def feed(self, data: bytes) -> bool:
        """Add ``data``; whether the message is complete (bytes past its end are an error)."""
        self._buffer += data
        if self._needed == _PREFIX.size and len(self._buffer) >= _PREFIX.size:
            head_size, body_size = _PREFIX.unpack_from(self._buffer)
            self._needed = _PREFIX.size + head_size + body_size
        if len(self._buffer) > self._needed and self._needed > _PREFIX.size:
            raise ValueError("a query worker sent more than one message at once")
        return len(self._buffer) == self._needed and self._needed > _PREFIX.size

    def message(self) -> tuple[Head, bytes]:
        """The complete message's head and body."""
        head_size, _ = _PREFIX.unpack_from(self._buffer)
        end = _PREFIX.size + head_size
        head = json.loads(bytes(self._buffer[_PREFIX.size : end]))
        if not isinstance(head, dict):
            raise ValueError("a query worker's message has no head")
        return head, bytes(self._buffer[end:])


def send_message(fd: int, head: Head, body: bytes = b"") -> None:
    """Write one message to the blocking descriptor ``fd`` (the body is not copied)."""
    encoded = json.dumps(head, separators=(",", ":")).encode()
    parts = [memoryview(_PREFIX.pack(len(encoded), len(body)) + encoded), memoryview(body)]
    while parts:
        written = os.writev(fd, parts)
        while parts and written >= len(parts[0]):
            written -= len(parts[0])
            parts.pop(0)
        if parts and written:
            parts[0] = parts[0][written:]


def read_message(fd: int) -> tuple[Head, bytes]:
    """Read one message from the blocking descriptor ``fd``.

    :raises EOFError: the other end closed the connection.
    """
    reader = FrameReader()
    while True:
        data = os.read(fd, READ_SIZE)
        if not data:
            raise EOFError("the connection closed")
        if reader.feed(data):
            return reader.message()


def error_head(exc: errors.PolicyGraphError) -> Head:
    """The head that reports ``exc`` (its class's name and its message)."""
    return {"status": "error", "error": type(exc).__name__, "message": str(exc)}


def _error_classes() -> dict[str, type[errors.PolicyGraphError]]:
    found: dict[str, type[errors.PolicyGraphError]] = {}
    pending: list[type[errors.PolicyGraphError]] = [errors.PolicyGraphError]
    while pending:
        cls = pending.pop()
        if cls.__module__ == errors.__name__:
            found[cls.__name__] = cls
        pending.extend(cls.__subclasses__())
    return found


def error_from(head: Head) -> errors.PolicyGraphError:
    """The error an ``error`` head reports: its class if :mod:`graph.errors` defines one by
    that name, else :class:`~graph.errors.PolicyGraphError`."""
    cls = _error_classes().get(str(head.get("error")), errors.PolicyGraphError)
    return cls(str(head.get("message", "")))
