"""The request's ``Host`` never reaches the app: the public URL's host stands in for it.

Any client can send any ``Host``. Whatever the app builds from the request's URL —
Starlette's redirects (a missing or extra trailing slash), ``request.url``,
``request.base_url``, the Graph Store's graph IRIs — would otherwise carry the client's
choice into answers, links and caches. :class:`PublicHostMiddleware` rewrites each
request's scope before anything else runs: the ``host`` header and ``server`` become the
public URL's host and port (``public_url``, else the bound address) and the scheme its
scheme. Links the app writes itself take the whole base, path included, from
:meth:`serving.settings.Settings.public_base_url`.

>>> PublicHostMiddleware(None, "http://localhost:8080/graph").host
b'localhost:8080'
>>> PublicHostMiddleware(None, "http://127.0.0.1").server
('127.0.0.1', 80)
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["PublicHostMiddleware"]


class PublicHostMiddleware:
    """Replace each request's ``Host``, server and scheme by those of ``public_url``."""

    def __init__(self, app: ASGIApp, public_url: str) -> None:
        self.app = app
        parts = urlsplit(public_url)
        self.scheme = parts.scheme
        default_port = 443 if parts.scheme == "https" else 80
        self.server = (parts.hostname or "localhost", parts.port or default_port)
        self.host = parts.netloc.rsplit("@", 1)[-1].encode("idna")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = [(name, value) for name, value in scope["headers"] if name != b"host"]
            scope = {
                **scope,
                "headers": [(b"host", self.host), *headers],
                "server": self.server,
                "scheme": self.scheme if scope["type"] == "http" else scope["scheme"],
            }
        await self.app(scope, receive, send)
