"""The common ``GET /sparql?query=…`` answered without the full middleware stack.

Most SPARQL clients (dashboards, SPARQLWrapper, YASGUI, scripts) send the same kind of
request again and again: a ``GET`` with one ``query=`` and perhaps ``format=`` or dataset
IRIs. On a small query the Python web stack — seven middlewares, routing, dependency
resolution — cost about as much as Oxigraph's evaluation. This outermost middleware
answers exactly that request itself, with the route's own code
(:func:`api.routers.sparql.run_query` and :func:`~api.routers.sparql.result_response`),
the same error table (:func:`api.errors.error_response`), the same security headers and
the same count of requests in flight (for the swap of a rebuilt store); everything else
goes down the full stack untouched:

* any other method or path, or a ``GET /sparql`` without exactly one ``query=``, or with
  a parameter other than ``query``, ``format``, ``default-graph-uri``,
  ``named-graph-uri`` (``update=``'s 403 and the service description are the route's);
* a request with an ``Origin`` header (CORS is the full stack's);
* a request target over the URL limit (its 414 is the full stack's);
* an app with ``dependency_overrides`` (tests swap the store and settings there).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response
from api.routers.sparql import result_response, run_query
from api.security import ALWAYS_HEADERS
from graph.errors import PolicyGraphError

__all__ = ["SparqlGetFastPath"]

_PATH = "/sparql"
_PARAMETERS = frozenset({"query", "format", "default-graph-uri", "named-graph-uri"})


class SparqlGetFastPath:
    """ASGI middleware: answer the plain ``GET /sparql?query=…`` of ``fastapi_app``
    directly, pass every other request to ``app`` (the full stack)."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI) -> None:
        self.app = app
        self.fastapi_app = fastapi_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        fields = self._plain_query(scope)
        if fields is None:
            await self.app(scope, receive, send)
            return
        readers = self.fastapi_app.state.readers
        epoch = readers.enter()
        try:
            response = await self._answer(scope, fields)
            response.raw_headers.extend(ALWAYS_HEADERS)
            await response(scope, receive, send)
        finally:
            readers.leave(epoch)

    def _plain_query(self, scope: Scope) -> list[tuple[str, str]] | None:
        """The parameters of ``scope`` when it is the plain query this path answers (see
        the module), else ``None``."""
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"] != _PATH:
            return None
        if self.fastapi_app.dependency_overrides:
            return None
        raw_query: bytes = scope["query_string"]
        max_url = self.fastapi_app.state.settings.max_url
        if len(scope.get("raw_path") or _PATH) + len(raw_query) > max_url:
            return None
        if any(name == b"origin" for name, _ in scope["headers"]):
            return None
        fields = parse_qsl(raw_query.decode("latin-1"), keep_blank_values=True)
        names = [name for name, _ in fields]
        if names.count("query") != 1 or not _PARAMETERS.issuperset(names):
            return None
        return fields

    async def _answer(self, scope: Scope, fields: list[tuple[str, str]]) -> Response:
        """The route's answer to the query in ``fields``, or its error response."""
        state = self.fastapi_app.state
        accept = next((value for name, value in scope["headers"] if name == b"accept"), None)
        query = next(value for name, value in fields if name == "query")
        try:
            result = await run_query(
                state.store, state.settings, state.query_pool, query, fields,
                accept.decode("latin-1") if accept is not None else None,
            )  # fmt: skip
        except PolicyGraphError as exc:
            return await error_response(Request(scope), exc)
        return result_response(result, state.settings.max_rows)
