"""Header size and header deadline of a real ``policygraph serve``, over raw sockets on
loopback: an oversized request line or header gets 431 and the connection closed, a client
that never finishes its headers (or trickles them) is answered 408 and closed at the
deadline, and ordinary large requests on a kept-alive connection are not mistaken for
either."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.api.conftest import Server, running_server
from tests.hardening.record import record_inputs

pytestmark = pytest.mark.slow

MAX_HEADER = 32 * 1024
HEADER_TIMEOUT = 1.0
#: How long the trickling client keeps sending a byte at a time, if nobody closes it.
TRICKLE = HEADER_TIMEOUT * 8


@pytest.fixture(scope="module")
def server(fixture_store_path: Path) -> Iterator[Server]:
    options = ("--max-header", str(MAX_HEADER), "--header-timeout", str(HEADER_TIMEOUT))
    with running_server(fixture_store_path, *options) as running:
        yield running


def _connect(server: Server) -> socket.socket:
    url = urlsplit(server.url)
    connection = socket.create_connection((url.hostname or "", url.port or 80), timeout=10)
    return connection


def _send(connection: socket.socket, data: bytes) -> bool:
    """Send ``data``; False when the server closed the connection meanwhile."""
    try:
        connection.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        return False
    return True


def _read_until_closed(connection: socket.socket, limit: float = 10.0) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and when it closed."""
    received = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            chunk = connection.recv(65536)
        except ConnectionResetError:
            break
        except TimeoutError:
            continue
        if not chunk:
            break
        received += chunk
    else:
        pytest.fail(f"the server kept the connection open over {limit} s: {received[:200]!r}")
    return received, time.monotonic()


def _read_response(connection: socket.socket) -> bytes:
    """One response with a Content-Length body, the connection left open."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        assert chunk, received
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += connection.recv(65536)
    return head


@pytest.mark.parametrize(
    ("name", "request_bytes"),
    [
        ("one 8 MB header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8_000_000),
        (
            "many small headers",
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
            + b"".join(b"X-H%d: %s\r\n" % (i, b"b" * 100) for i in range(2_000)),
        ),
        ("an 8 MB request line", b"GET /healthz?" + b"q" * 8_000_000 + b" HTTP/1.1\r\n"),
    ],
)
def test_oversized_headers_get_431_and_the_connection_closed(
    server: Server, name: str, request_bytes: bytes
) -> None:
    with _connect(server) as connection:
        _send(connection, request_bytes)  # the server may close before all is sent
        received, _ = _read_until_closed(connection)
    assert received.startswith(b"HTTP/1.1 431 "), (name, received[:200])
    assert b"longer than 32,768 bytes" in received
    assert server.process.poll() is None
    record_inputs("oversized request headers sent to the real server (raw socket)", 1)


def test_headers_under_the_limit_are_served(server: Server) -> None:
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"c" * 100) for i in range(200))  # ~22 KB
    with _connect(server) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        assert _read_response(connection).startswith(b"HTTP/1.1 200 ")


@pytest.mark.parametrize("trickle", [False, True], ids=["half-a-header", "a-byte-at-a-time"])
def test_a_client_that_never_finishes_its_headers_is_closed_at_the_deadline(
    server: Server, trickle: bool
) -> None:
    with _connect(server) as connection:
        opened = time.monotonic()
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        if trickle:  # each byte well within the deadline: the deadline must not move
            connection.settimeout(0.25)
            while time.monotonic() - opened < TRICKLE and _send(connection, b"z"):
                try:
                    if connection.recv(65536):
                        break  # the server answered: it is closing
                except TimeoutError:
                    continue
            connection.settimeout(10)
        received, closed = _read_until_closed(connection)
    waited = closed - opened
    # Closed at the deadline, not whenever the client stops (a trickle would end at TRICKLE);
    # the slack above it is for a busy machine, not part of the claim.
    assert HEADER_TIMEOUT * 0.9 <= waited < (TRICKLE if trickle else HEADER_TIMEOUT + 8.0), waited
    assert trickle or received.startswith(b"HTTP/1.1 408 "), received[:200]
    record_inputs("connections that never finished their headers (slowloris), closed", 1)


def test_a_connection_that_sends_nothing_is_closed_at_the_deadline(server: Server) -> None:
    with _connect(server) as connection:
        opened = time.monotonic()
        received, closed = _read_until_closed(connection)
    assert HEADER_TIMEOUT * 0.9 <= closed - opened < HEADER_TIMEOUT + 8.0
    assert received.startswith(b"HTTP/1.1 408 ")
    record_inputs("connections that never finished their headers (slowloris), closed", 1)


def test_a_kept_alive_connection_is_not_mistaken_for_either(server: Server) -> None:
    """A large body, then more requests on the same connection: no 431, no 408; then half
    a header on that connection is closed at the deadline too."""
    body = b"ASK {}" + b" " * 500_000
    with _connect(server) as connection:
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Accept: application/sparql-results+json\r\n"
            + b"Content-Length: %d\r\n\r\n" % len(body)
            + body
        )
        assert _read_response(connection).startswith(b"HTTP/1.1 200 ")
        for _ in range(3):
            time.sleep(HEADER_TIMEOUT * 0.6)  # idle, but under the keep-alive timeout
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _read_response(connection).startswith(b"HTTP/1.1 200 ")
        started = time.monotonic()
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        received, closed = _read_until_closed(connection)
    assert received.startswith(b"HTTP/1.1 408 ")
    assert closed - started < HEADER_TIMEOUT + 8.0
