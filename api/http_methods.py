"""HTTP method semantics in one place for every route: ``HEAD`` and ``405``'s ``Allow``.

* ``HEAD`` (RFC 9110 §9.3.2) is answered on every ``GET`` route as that ``GET`` would be —
  status and headers, ``Content-Length`` included — without the body:
  :class:`HeadAsGetMiddleware` runs the request as a ``GET`` and drops what it sends.
* ``405 Method Not Allowed`` carries ``Allow`` with the methods of *every* route at the
  path (RFC 9110 §15.5.6): Starlette lists only the first route's, so ``/sparql``, one route
  per method, said ``GET`` alone. :func:`method_not_allowed` lists them all (and ``HEAD``
  wherever ``GET`` is).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGetMiddleware", "add_http_methods", "allowed_methods", "method_not_allowed"]


class HeadAsGetMiddleware:
    """ASGI middleware: a ``HEAD`` request goes down the stack as a ``GET``; its answer's
    status and headers go out, its body does not."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


#: The methods :func:`allowed_methods` tries, in the order ``Allow`` lists them.
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app: FastAPI, scope: Scope) -> list[str]:
    """The methods some route of ``app`` answers at ``scope``'s path (``HEAD`` with ``GET``),
    found by asking every route whether it fully matches the path with each method."""
    methods = [
        method
        for method in _METHODS
        if any(route.matches({**scope, "method": method})[0] == Match.FULL
               for route in app.router.routes if not isinstance(route, Mount))
    ]  # fmt: skip
    if "GET" in methods:
        methods.insert(1, "HEAD")
    return methods


async def method_not_allowed(request: Request, exc: Exception) -> JSONResponse:
    """The handler of ``405``: a one-line reason and an ``Allow`` naming every method."""
    assert isinstance(exc, HTTPException)
    methods = allowed_methods(request.app, request.scope)
    if not methods:  # not a route's 405 (a mount's): keep what it said
        methods = [m.strip() for m in (exc.headers or {}).get("Allow", "").split(",") if m]
    allow = ", ".join(methods)
    return JSONResponse(
        {"error": f"{request.method} is not allowed at {request.url.path}; use {allow}"},
        status_code=405,
        headers={"Allow": allow},
    )


def add_http_methods(app: FastAPI) -> None:
    """Give ``app`` both: call last in ``create_app``, so that ``HEAD`` is the outermost
    layer and every inner one (the ``/sparql`` fast path included) sees a ``GET``."""
    app.add_exception_handler(405, method_not_allowed)
    app.add_middleware(HeadAsGetMiddleware)
