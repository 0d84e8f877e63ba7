"""The common ``/sparql`` query answered without the full middleware stack, for every method.

Most SPARQL clients (dashboards, SPARQLWrapper, YASGUI, scripts) send the same kind of
request again and again: a ``GET`` with one ``query=``, a ``POST`` of a form with one
``query=``, or a ``POST`` of the query itself as ``application/sparql-query`` — each
perhaps with ``format=`` or dataset IRIs. On a small query the Python web stack — seven
middlewares, routing, dependency resolution — cost about as much as Oxigraph's
evaluation. This outermost middleware answers exactly those requests itself, with the
route's own code (:func:`api.routers.sparql.run_query` and
:func:`~api.routers.sparql.result_response`), the same error table
(:func:`api.errors.error_response`), the same security headers and the same count of
requests in flight (for the swap of a published store); everything else goes down the
full stack untouched:

* any other method or path; a ``GET /sparql`` without exactly one ``query=``, or with a
  parameter other than ``query``, ``format``, ``default-graph-uri``, ``named-graph-uri``
  (``update=``'s 403 and the service description are the route's);
* a ``POST`` of another content type (updates above all), without a ``Content-Length``
  or over the body limit (its 413 is the full stack's), or whose body turns out not to be
  one plain query (a form with ``update=``, two ``query=``, or not UTF-8): its body, read
  already, is handed on to the full stack as it came;
* a request with an ``Origin`` header (CORS is the full stack's);
* a request target over the URL limit (its 414 is the full stack's);
* an app with ``dependency_overrides`` (tests swap the store context there).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from api.routers.sparql import result_response, run_query
from api.security import ALWAYS_HEADERS
from graph.errors import PolicyGraphError

__all__ = ["SparqlFastPath"]

_PATH = "/sparql"
_DATASET = frozenset({"format", "default-graph-uri", "named-graph-uri"})
_PARAMETERS = _DATASET | {"query"}
_FORM = b"application/x-www-form-urlencoded"
_QUERY_BODY = b"application/sparql-query"

Fields = Sequence[tuple[str, str]]
#: Query strings and forms up to this many characters are parsed once and remembered (a
#: client sends the same few queries again and again; percent-decoding one of a few hundred
#: characters is a fifth of this module's time).
_REMEMBERED_TEXT = 4 * 1024


class SparqlFastPath:
    """ASGI middleware: answer the plain ``/sparql`` queries of ``fastapi_app`` directly
    (see the module), pass every other request to ``app`` (the full stack)."""

    def __init__(self, app: ASGIApp, fastapi_app: FastAPI) -> None:
        self.app = app
        self.fastapi_app = fastapi_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._eligible(scope):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])  # the last of repeated names: none matter here
        if b"origin" in headers:
            await self.app(scope, receive, send)
            return
        url_fields = _fields(scope["query_string"].decode("latin-1"))
        if scope["method"] == "GET":
            names = [name for name, _ in url_fields]
            if names.count("query") != 1 or not _PARAMETERS.issuperset(names):
                await self.app(scope, receive, send)
                return
            query = next(value for name, value in url_fields if name == "query")
            await self._serve(scope, receive, send, headers, query, url_fields)
            return
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        length = self._length(headers)
        if (
            content_type not in (_FORM, _QUERY_BODY)
            or length is None
            or not _DATASET.issuperset(name for name, _ in url_fields)
        ):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive, length)
        plain = None if body is None else _plain_post(content_type, body, url_fields)
        if plain is None:
            await self.app(scope, _replay(body or b"", receive), send)
            return
        query, fields = plain
        await self._serve(scope, receive, send, headers, query, fields)

    def _eligible(self, scope: Scope) -> bool:
        """Whether ``scope`` may be a plain query: its method, path, URL size, no overrides."""
        if scope["type"] != "http" or scope["path"] != _PATH:
            return False
        if scope["method"] not in ("GET", "POST") or self.fastapi_app.dependency_overrides:
            return False
        max_url: int = self.fastapi_app.state.settings.max_url
        return len(scope.get("raw_path") or _PATH) + len(scope["query_string"]) <= max_url

    def _length(self, headers: dict[bytes, bytes]) -> int | None:
        """The body's declared length if the body limit admits it, else ``None``."""
        declared = headers.get(b"content-length")
        if declared is None or not declared.isdigit():
            return None
        length = int(declared)
        return length if length <= self.fastapi_app.state.settings.max_body else None

    async def _serve(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[bytes, bytes],
        query: str,
        fields: Fields,
    ) -> None:
        readers = self.fastapi_app.state.readers
        epoch = readers.enter()
        try:
            accept = headers.get(b"accept")
            response = await self._answer(
                scope, query, fields, accept.decode("latin-1") if accept is not None else None
            )
            response.raw_headers.extend(ALWAYS_HEADERS)
            await response(scope, receive, send)
        finally:
            readers.leave(epoch)

    async def _answer(
        self, scope: Scope, query: str, fields: Fields, accept: str | None
    ) -> Response:
        """The route's answer to ``query`` with ``fields``, or its error response."""
        state = self.fastapi_app.state
        try:
            result = await run_query(
                state.context, state.settings, state.query_pool, query, fields, accept
            )
        except PolicyGraphError as exc:
            return await error_response(Request(scope), exc)
        return result_response(result, state.settings.max_rows)


def _plain_post(content_type: bytes, body: bytes, url_fields: Fields) -> tuple[str, Fields] | None:
    """The query and parameters of a plain query ``body``, as the route reads them, or
    ``None`` when the route must answer (an update, no or two queries, not UTF-8)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if content_type == _QUERY_BODY:
        return text, url_fields
    fields = _fields(text)
    names = [name for name, _ in fields]
    if names.count("query") != 1 or not _PARAMETERS.issuperset(names):
        return None
    query = next(value for name, value in fields if name == "query")
    return query, [*url_fields, *fields]


def _fields(text: str) -> Fields:
    """The fields of a query string or form, as :func:`urllib.parse.parse_qsl` reads them
    (blank values kept); short texts remembered."""
    if len(text) <= _REMEMBERED_TEXT:
        return _remembered_fields(text)
    return parse_qsl(text, keep_blank_values=True)


@lru_cache(maxsize=256)
def _remembered_fields(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(parse_qsl(text, keep_blank_values=True))


async def _read_body(receive: Receive, length: int) -> bytes | None:
    """The request body, if it is at most ``length`` bytes as declared (else ``None``:
    the full stack then refuses it as it would have)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > length:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` once, then what ``receive`` gives."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
