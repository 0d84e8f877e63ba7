"""Security headers: every answer gets ``nosniff`` and a referrer policy; the explorer's
pages also get a Content-Security-Policy they satisfy (scripts and styles only from
``/static``, frames and fetches only from this server, no inline handlers).

The views of ``/viz`` carry their own policy (inline scripts allowed by hash) and are left
as they are.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ALWAYS_HEADERS", "PAGE_CSP", "SecurityHeadersMiddleware", "page_headers"]

#: The policy of the explorer's pages.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'self'"
)

#: The headers every answer carries.
ALWAYS_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))


def page_headers() -> dict[str, str]:
    """The headers of an explorer page."""
    return {"Content-Security-Policy": PAGE_CSP}


class SecurityHeadersMiddleware:
    """Adds ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy`` where missing."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in ALWAYS_HEADERS if h[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
