"""uvicorn's HTTP protocol with two limits it lacks: the size of a request's line and
headers, and the time a client may take to send them.

uvicorn (0.55, httptools) accepts request headers of any size (8 MB were read and parsed)
and never times out a connection whose headers are not finished: its keep-alive timer
runs only between requests and stops at the first byte, so a client that sends a byte now
and then holds a connection forever (slowloris). :func:`bounded_protocol` makes a subclass
of its httptools protocol that

* answers ``431 Request Header Fields Too Large`` and closes the connection once the bytes
  of an unfinished request line and headers pass ``max_header`` (counted per read, so a
  request may pass the limit by at most one read of the socket, 256 KiB);
* answers ``408 Request Timeout`` and closes the connection when the request line and
  headers are not complete ``header_timeout`` seconds after the connection opened (or,
  on a kept-alive connection, after the next request's first byte). The deadline is
  absolute: a client trickling bytes does not move it.

Bodies are limited elsewhere (:mod:`api.limits`, 413).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["BoundedHttpProtocol", "bounded_protocol"]


class BoundedHttpProtocol(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` with a header size limit and a header deadline."""

    #: The most bytes of one request's line and headers.
    max_header: int = 64 * 1024
    #: Seconds from the connection (or a request's first byte) to the end of its headers.
    header_timeout: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_headers = True  # waiting for (the rest of) a request line and headers
        self._header_bytes = 0
        self._headers_done = 0  # how many requests' headers were complete so far
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.transport.is_closing():
            return
        if self._in_headers and self._header_deadline is None:
            self._start_deadline()  # a kept-alive connection's next request begins
        in_headers, done_before = self._in_headers, self._headers_done
        super().data_received(data)
        # Only a read that began and ended inside one request's headers is all header
        # bytes (a read that ends a body or a request line is not counted: module doc).
        if in_headers and self._in_headers and self._headers_done == done_before:
            self._header_bytes += len(data)
            if self._header_bytes > self.max_header and not self.transport.is_closing():
                self._refuse(
                    431,
                    "Request Header Fields Too Large",
                    f"the request line and headers are longer than {self.max_header:,} bytes",
                )

    def on_headers_complete(self) -> None:
        self._in_headers = False
        self._header_bytes = 0
        self._headers_done += 1
        self._stop_deadline()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_headers = True  # whatever comes next is the next request's headers

    def _start_deadline(self) -> None:
        self._stop_deadline()
        self._header_deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _stop_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _too_slow(self) -> None:
        self._header_deadline = None
        if not self._in_headers or self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete:
            self._start_deadline()  # an answer is still being sent: look again later
            return
        self._refuse(
            408,
            "Request Timeout",
            f"the request line and headers took longer than {self.header_timeout:g} s",
        )

    def _refuse(self, status: int, reason: str, message: str) -> None:
        """Answer ``status`` with a one-line JSON error and close the connection."""
        body = json.dumps({"error": message}).encode()
        head = (
            f"HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        )
        self.logger.warning("refused a request from %s: %s", self.client, message)
        self.transport.write(head.encode("ascii") + body)
        self.transport.close()


def bounded_protocol(max_header: int, header_timeout: float) -> type[BoundedHttpProtocol]:
    """The protocol class to give uvicorn (``http=``) for these limits."""
    return type(
        "BoundedHttpProtocol",
        (BoundedHttpProtocol,),
        {"max_header": max_header, "header_timeout": header_timeout},
    )
