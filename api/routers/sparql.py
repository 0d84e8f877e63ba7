"""``/sparql``: the SPARQL 1.1 Protocol, read-only.

* ``GET ?query=``, ``POST`` form-encoded (``query=``), ``POST application/sparql-query``;
  ``default-graph-uri``/``named-graph-uri`` (or the query's ``FROM``/``FROM NAMED``)
  name the dataset, which is then exactly those graphs (naming only default graphs leaves
  ``GRAPH`` none); naming none, the default graph is the union of all named graphs.
  Relative IRIs resolve against the endpoint's URL (:func:`endpoint_url`).
* ``text/csv`` is the SPARQL 1.1 Query Results CSV format, a data format: values exactly
  as stored, never altered for spreadsheets (``/query/results.csv`` does that, see
  :mod:`api.routers.downloads`).
* Results are written by Oxigraph in the negotiated format (``Accept`` or ``?format=``),
  in a worker process that is killed at the time limit (503 past it; see
  :mod:`serving.query_pool`). At most ``max_rows`` solutions or triples are sent; when more
  existed the response carries ``Policygraph-Truncated: true`` and
  ``Policygraph-Row-Limit``.
* Updates (``POST`` as ``application/sparql-update`` or form ``update=``) need the server's
  update token as ``Authorization: Bearer`` and may only change the ``edits`` graph (see
  :mod:`serving.edits`): 204 when written, 401/403 when refused, 422 when SHACL rejects the
  result. Without a configured token every update is 403.
* ``SERVICE``, ``LOAD`` and ``FROM`` outside the dataset are 400.
* A bare ``GET`` answers with the service description, or the workbench for a browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from urllib.parse import parse_qsl

import anyio.to_thread
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import ContextDep, QueryPoolDep, SettingsDep
from api.errors import UnsupportedMediaTypeError
from api.representation import pick_format
from graph.errors import UpdateRefusedError, UsageError
from graph.query.capped import CappedResult, run_capped
from graph.query.formats import ResultFormat, ResultKind
from graph.query.guard import guard_query
from graph.query.service import SD, service_description
from graph.store.oxigraph import OxigraphStore
from serving.context import StoreContext
from serving.edits import EditService, check_update_token, update_limits
from serving.query_pool import QueryPool, QueryTask
from serving.settings import Settings
from serving.worker import run_with_timeout

__all__ = ["result_response", "router", "run_query"]

router = APIRouter(prefix="/sparql", tags=["sparql"])

_GET_UPDATE = "send a SPARQL update with POST (application/sparql-update or update=)"
_FORM = "application/x-www-form-urlencoded"
_QUERY_BODY = "application/sparql-query"
_UPDATE_BODY = "application/sparql-update"
#: Queries up to this many characters are guarded on the event loop (about a
#: millisecond, and remembered); longer ones in a thread, so a megabyte of text cannot stall
#: every other request for the third of a second its guard takes.
_GUARD_ON_LOOP = 4 * 1024
#: The longest ``Accept`` header whose negotiated format is remembered.
_REMEMBERED_ACCEPT = 512


def _parameter(name: str, description: str, *, many: bool = False) -> dict[str, object]:
    schema: dict[str, object] = {"type": "string"}
    if many:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}  # fmt: skip


_DATASET_PARAMETERS = [
    _parameter("default-graph-uri", "A graph of the query's default graph.", many=True),
    _parameter("named-graph-uri", "A graph that GRAPH may name.", many=True),
    _parameter(
        "format",
        "Overrides Accept: json, xml, csv, tsv (SELECT/ASK); "
        "turtle, ntriples, jsonld, rdfxml, trig (CONSTRUCT/DESCRIBE).",
        many=True,
    ),
]
# The routes read their parameters from the request themselves and document them here:
# FastAPI's validation of six optional, partly repeated parameters was a quarter of the
# time of a small query.
_GET_PARAMETERS = {
    "parameters": [
        _parameter("query", "A SPARQL 1.1 query."),
        *_DATASET_PARAMETERS,
        _parameter("update", "Refused: updates are POSTed."),
    ]
}

_POST_BODY = {
    "parameters": _DATASET_PARAMETERS,
    "requestBody": {
        "content": {
            _FORM: {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["query"],
                }
            },
            _QUERY_BODY: {"schema": {"type": "string"}},
        }
    },
}


@router.get(
    "", summary="Run a SPARQL query (or describe the service)", openapi_extra=_GET_PARAMETERS
)
async def sparql_get(
    request: Request, context: ContextDep, settings: SettingsDep, pool: QueryPoolDep
) -> Response:
    """``GET /sparql?query=…``; with no query, the service description or a query form."""
    fields = request.query_params.multi_items()
    if any(name == "update" for name, _ in fields):
        check_update_token(settings, request.headers.get("authorization"))
        raise UpdateRefusedError(_GET_UPDATE)
    queries = [value for name, value in fields if name == "query"]
    if not queries:
        return _describe_service(request, context, settings)
    if len(queries) > 1:
        raise UsageError("send exactly one query= parameter")
    return await _answer(request, context, settings, pool, queries[0], fields)


@router.post("", summary="Run a SPARQL query sent in the body", openapi_extra=_POST_BODY)
async def sparql_post(
    request: Request, context: ContextDep, settings: SettingsDep, pool: QueryPoolDep
) -> Response:
    """``POST /sparql`` form-encoded (``query=`` or ``update=``), as
    ``application/sparql-query`` or as ``application/sparql-update``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    url_params = request.query_params
    if content_type == _UPDATE_BODY:
        return await _update(request, settings, context.edits, _text(body))
    if content_type == _QUERY_BODY:
        query = _text(body)
        fields: Sequence[tuple[str, str]] = list(url_params.multi_items())
    elif content_type == _FORM:
        fields = parse_qsl(_text(body), keep_blank_values=True)
        updates = [value for name, value in fields if name == "update"]
        if updates:
            if len(updates) != 1 or any(name == "query" for name, _ in fields):
                raise UsageError("a form-encoded update needs exactly one update= and no query=")
            return await _update(request, settings, context.edits, updates[0])
        queries = [value for name, value in fields if name == "query"]
        if len(queries) != 1:
            raise UsageError("a form-encoded request needs exactly one query= field")
        query = queries[0]
        fields = [*url_params.multi_items(), *fields]
    else:
        raise UnsupportedMediaTypeError(
            f"send the query as {_FORM} (query=…) or as {_QUERY_BODY}, not "
            f"{content_type or 'a body without Content-Type'}"
        )
    return await _answer(request, context, settings, pool, query, fields)


async def _update(
    request: Request, settings: Settings, edits: EditService | None, update: str
) -> Response:
    """Check the token, run the update on the edits graph, answer 204."""
    check_update_token(settings, request.headers.get("authorization"))
    if edits is None:
        raise UpdateRefusedError("this server's store is not on disk: it cannot keep edits")
    for name in ("using-graph-uri", "using-named-graph-uri"):
        if name in request.query_params:
            raise UsageError(f"{name} is not supported: name graphs in the update itself")
    # Relative IRIs resolve against the endpoint's URL, as in queries.
    await anyio.to_thread.run_sync(
        edits.update, update, update_limits(settings), endpoint_url(settings)
    )
    return Response(status_code=204)


async def _answer(
    request: Request,
    context: StoreContext,
    settings: Settings,
    pool: QueryPool,
    query: str,
    fields: Sequence[tuple[str, str]],
) -> Response:
    """Guard, negotiate, run in a worker process with a deadline, answer.

    ``fields`` are the request's parameters: ``default-graph-uri``, ``named-graph-uri``
    and ``format`` are read from them.
    """
    result = await run_query(context, settings, pool, query, fields, request.headers.get("accept"))
    return result_response(result, settings.max_rows)


def result_response(result: CappedResult, max_rows: int) -> Response:
    """The response that carries ``result``, saying when rows past ``max_rows`` were cut."""
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers["Policygraph-Truncated"] = "true"
        headers["Policygraph-Row-Limit"] = str(max_rows)
    return Response(result.data, media_type=result.format.content_type, headers=headers)


async def run_query(
    context: StoreContext,
    settings: Settings,
    pool: QueryPool,
    query: str,
    fields: Sequence[tuple[str, str]],
    accept: str | None,
) -> CappedResult:
    """Guard ``query``, choose its format, run it (in a worker process for an on-disk
    store, else in a thread) within the time limit, and return its capped results.

    :raises PolicyGraphError: refused, not acceptable, malformed, timed out …
    """
    default_graphs = _graph_iris(fields, "default-graph-uri")
    named_graphs = _graph_iris(fields, "named-graph-uri")
    format_override = [v for k, v in fields if k == "format"]
    store, graphs = context.store, context.graph_names
    if len(query) <= _GUARD_ON_LOOP:
        shape = guard_query(query, graphs)
    else:  # a long text takes the guard milliseconds per 10 KB: keep it off the event loop
        shape = await anyio.to_thread.run_sync(guard_query, query, graphs)
    kind: ResultKind = "graph" if shape.form in ("CONSTRUCT", "DESCRIBE") else "solutions"
    fmt = _negotiated(kind, accept, tuple(format_override))
    default, named = _dataset(
        (default_graphs, named_graphs)
        if default_graphs or named_graphs
        else (list(shape.default_graphs), list(shape.named_graphs))
    )
    base_iri = endpoint_url(settings)

    timeout, max_rows = settings.query_timeout, settings.max_rows
    if isinstance(store, OxigraphStore) and store.location is not None and not store.writable:
        task = QueryTask(
            str(store.location), query, fmt.name, kind,
            tuple(default) if default is not None else None,
            tuple(named) if named is not None else None,
            max_rows, base_iri,
        )  # fmt: skip
        return await pool.run_async(task, timeout)

    # An in-memory or remote store cannot be opened by another process.
    def work(deadline: float) -> CappedResult:
        return run_capped(
            store, query, fmt, max_rows=max_rows, default_graphs=default,
            named_graphs=named, deadline=deadline, base_iri=base_iri,
        )  # fmt: skip

    return await run_with_timeout(work, timeout)


def _negotiated(kind: ResultKind, accept: str | None, override: tuple[str, ...]) -> ResultFormat:
    """:func:`~api.representation.pick_format` for a query's results; the answers for
    short ``Accept`` headers remembered (clients send the same one or two every time)."""
    if accept is not None and len(accept) > _REMEMBERED_ACCEPT:
        return pick_format(kind, accept, override)
    return _remembered_format(kind, accept, override)


@lru_cache(maxsize=128)
def _remembered_format(
    kind: ResultKind, accept: str | None, override: tuple[str, ...]
) -> ResultFormat:
    return pick_format(kind, accept, override)


def _dataset(
    graphs: tuple[list[str], list[str]],
) -> tuple[list[str] | None, list[str] | None]:
    """The dataset to query, from the graphs the request (or else the query) names.

    The protocol (§2.1.4) and SPARQL (§13.2): a dataset named by either list is exactly that
    dataset — naming only default graphs leaves ``GRAPH`` no named graph, naming only named
    graphs leaves the default graph empty. Naming none keeps this server's own dataset
    (``None, None``): the default graph is the union of all graphs, every graph is named.

    >>> _dataset(([], [])), _dataset((["urn:d"], [])), _dataset(([], ["urn:n"]))
    ((None, None), (['urn:d'], []), ([], ['urn:n']))
    """
    default, named = graphs
    if not default and not named:
        return None, None
    return default, named


def endpoint_url(settings: Settings) -> str:
    """The endpoint's public URL (``--public-url`` or the bound address, never the
    request's ``Host``): the service description's ``sd:endpoint`` and the base IRI that
    relative IRIs in queries and updates resolve against.

    >>> endpoint_url(Settings(public_url="http://localhost:9000/graph/"))
    'http://localhost:9000/graph/sparql'
    """
    return f"{settings.public_base_url()}/sparql"


def _describe_service(request: Request, context: StoreContext, settings: Settings) -> Response:
    """The service description (Turtle by default) or, for a browser, the query form."""
    fields = request.query_params.getlist("format")
    fmt = pick_format("graph", request.headers.get("accept"), fields, html=True)
    if fmt is None:
        # A browser gets the workbench (api/routers/workbench.py).
        from api.deps import get_named_queries
        from api.routers.workbench import workbench_page

        return workbench_page(request, context, get_named_queries(request.app.state.settings))
    triples = service_description(
        endpoint_url(settings), context.graph_names, updates=settings.update_token is not None
    )
    data = ox.serialize(
        triples,
        format=fmt.serializer,  # type: ignore[arg-type]
        prefixes={"sd": SD} if fmt.name in ("turtle", "trig") else None,
    )
    assert data is not None
    return Response(data, media_type=fmt.content_type, headers={"Vary": "Accept"})


def _graph_iris(fields: Sequence[tuple[str, str]], name: str) -> list[str]:
    """The values of the parameter ``name``, each checked to be an absolute IRI.

    :raises UsageError: a value is not one (Oxigraph would refuse it in the worker).
    """
    values = [value for key, value in fields if key == name]
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise UsageError(f"{name} {value!r} is not an absolute IRI") from None
    return values


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError("the request body is not UTF-8") from exc
