"""Counting the HTTP requests in flight for the swap of a published store.

:class:`ReadersMiddleware` enters every request in the app's
:class:`~serving.publish.Readers` while it runs (until its response is sent), so a retired
store context is closed only once no request can still use it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from serving.publish import Readers

__all__ = ["ReadersMiddleware"]


class ReadersMiddleware:
    """ASGI middleware that counts every HTTP request in ``readers`` while it runs."""

    def __init__(self, app: ASGIApp, readers: Readers) -> None:
        self.app = app
        self.readers = readers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        epoch = self.readers.enter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.readers.leave(epoch)
