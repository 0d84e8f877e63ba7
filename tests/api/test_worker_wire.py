"""The messages between the server and a query worker (:mod:`serving.worker_wire`): whole
however the bytes arrive, and errors read back as data, never as objects."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from api.errors import UnsupportedMediaTypeError
from graph.errors import PolicyGraphError, QuerySyntaxError, QueryTimeoutError
from serving.worker_wire import (
    FrameReader,
    error_from,
    error_head,
    frame,
    read_message,
    send_message,
)


def test_a_message_arriving_byte_by_byte_is_read_whole() -> None:
    body = 'SELECT ?s WHERE { ?s ?p "日本" }'.encode()
    data = frame({"format": "json", "max_rows": 3}, body)
    reader = FrameReader()
    complete = [reader.feed(data[i : i + 1]) for i in range(len(data))]
    assert complete == [False] * (len(data) - 1) + [True]
    assert reader.message() == ({"format": "json", "max_rows": 3}, body)


def test_bytes_past_the_end_of_a_message_are_refused() -> None:
    reader = FrameReader()
    with pytest.raises(ValueError, match="more than one message"):
        reader.feed(frame({"status": "ok"}, b"a") + frame({"status": "ok"}, b"b"))


def test_a_large_body_crosses_a_socket_pair_unchanged() -> None:
    body = os.urandom(3 * 1024 * 1024)  # far more than the socket's buffer: many writes
    left, right = socket.socketpair()
    with left, right:
        writer = threading.Thread(target=send_message, args=(left.fileno(), {"status": "ok"}, body))
        writer.start()
        head, received = read_message(right.fileno())
        writer.join()
    assert head == {"status": "ok"}
    assert received == body


def test_a_closed_connection_is_an_end_of_file() -> None:
    left, right = socket.socketpair()
    with right:
        left.close()
        with pytest.raises(EOFError):
            read_message(right.fileno())


@pytest.mark.parametrize(
    "error", [QuerySyntaxError("line 1: expected }"), QueryTimeoutError("late")]
)
def test_an_error_comes_back_as_its_class_and_message(error: PolicyGraphError) -> None:
    back = error_from(error_head(error))
    assert type(back) is type(error)
    assert str(back) == str(error)


@pytest.mark.parametrize(
    "name", ["SystemExit", "KeyboardInterrupt", UnsupportedMediaTypeError.__name__, "NoSuchError"]
)
def test_only_the_errors_of_graph_errors_can_be_named(name: str) -> None:
    """A worker (it runs queries from anyone) can make the server raise only a
    user-facing error: any other name becomes the generic one, with the message."""
    back = error_from({"status": "error", "error": name, "message": "from the worker"})
    assert type(back) is PolicyGraphError
    assert str(back) == "from the worker"
