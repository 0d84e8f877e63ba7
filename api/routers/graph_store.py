"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol; clients write the ``edits`` graph only.

Every method needs ``Authorization: Bearer <POLICYGRAPH_UPDATE_TOKEN>`` (401 without it,
403 when wrong or when updates are off).

**Naming a graph.** ``?graph=<IRI>`` (indirect identification, decoded once as any query
parameter) or ``?default``; naming both, neither (except ``POST``), several graphs, or a
relative IRI is 400. A path below ``/store`` (``/store/person/1.ttl``, direct
identification) names the graph whose IRI is that URL on the public base URL (``--public-url``,
never ``Host``): never ``edits``, so it is only ever read (404) or refused (403).

**A graph exists when it holds at least one triple.** The store keeps no empty graphs, so
"created" means "was empty before the write and is not after it". For ``edits``:

* ``GET`` / ``HEAD`` — the graph (404 when empty); ``HEAD`` answers the same headers with no
  body (:mod:`api.http_methods`). Offered in every graph format of
  :data:`graph.query.formats.GRAPH_FORMATS` (Turtle, N-Triples, JSON-LD, RDF/XML, TriG),
  chosen by :func:`api.representation.pick_format` as on every route (406 when none fits).
* ``PUT`` — replace it with the body; ``POST`` — add the body to it. Both answer
  ``201 Created`` with ``Location`` (on the public base URL) when the graph was empty,
  else ``204 No Content``.
  The body is one RDF document in any of those formats (415 otherwise), or, for ``POST``,
  ``multipart/form-data`` whose every part is one (SPARQL 1.1 Graph Store §5.5), each part
  with its own ``Content-Type`` (or a file name whose extension says the format).
* ``DELETE`` — empty it: 204, or 404 when it was already empty.

**Blank nodes are fresh per request.** Every parsed document (body or multipart part) gets
new blank nodes (:func:`~graph.store.edits.fresh_blank_nodes`), so ``_:x`` posted twice is
two nodes, and a label copied from ``/sparql`` output never names a node of curated data.

**Policy.** Writes are validated with SHACL with the curated data (422 and the report if
not, nothing written). Writing any other graph is 403 with the reason: the curated,
ontology, background and inferred graphs come from the build, and the default graph is the
union of all graphs, which no client writes; ``POST /store`` (create a new graph with a
server-chosen IRI) is 403 for the same reason. *Reads* of other graphs are allowed (they
are what ``/sparql`` already shows): ``GET ?graph=<a curated graph IRI>`` returns that graph,
``GET ?default`` the union of all graphs; a graph the store does not hold is 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import quote

import anyio.to_thread
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import EditsDep, SettingsDep, StoreDep
from api.errors import UnsupportedMediaTypeError
from api.representation import pick_format
from graph.errors import DataSyntaxError, UnknownEntityError, UpdateRefusedError, UsageError
from graph.iris import PREFIXES
from graph.query.formats import ResultFormat, format_for_media_type, media_types
from graph.store.edits import EDITS_GRAPH, fresh_blank_nodes
from graph.store.port import GraphStore
from serving.edits import EditService, check_update_token
from serving.settings import Settings

__all__ = ["router"]

router = APIRouter(prefix="/store", tags=["graph store"])

#: ``None`` stands for the default graph (``?default``).
GraphName = str | None

_READ_METHODS = ["GET"]  # and HEAD, as every GET route (api.http_methods)
_WRITE_METHODS = ["PUT", "POST", "DELETE"]
_GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_UNION_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
_MULTIPART = "multipart/form-data"
_Endpoint = Callable[..., Awaitable[Response]]


def _route(path: str, methods: list[str], summary: str) -> Callable[[_Endpoint], _Endpoint]:
    """Register the decorated function as one route per method: each then has its own
    OpenAPI operation id (``write_graph_store_put`` …); a route of several methods gave
    every method the same id, which clients generated from the document cannot tell apart."""

    def register(endpoint: _Endpoint) -> _Endpoint:
        for method in methods:
            router.add_api_route(path, endpoint, methods=[method], summary=summary)
        return endpoint

    return register


def graph_location(settings: Settings, iri: str) -> str:
    """The URL of graph ``iri`` on this server (from the public URL, never ``Host``).

    >>> graph_location(Settings(public_url="http://127.0.0.1:9000/pg"), "urn:x:g")
    'http://127.0.0.1:9000/pg/store?graph=urn%3Ax%3Ag'
    """
    return f"{settings.public_base_url()}/store?graph=" + quote(iri, safe="")


def _named_graph(request: Request) -> GraphName:
    """The graph ``?graph=`` or ``?default`` names.

    :raises UsageError: both, neither, several graphs, or not an absolute IRI.
    """
    params = request.query_params
    graphs = params.getlist("graph")
    if "default" in params and graphs:
        raise UsageError("name one graph: ?graph=<IRI> or ?default, not both")
    if "default" in params:
        return None
    if len(graphs) != 1:
        raise UsageError(f"name exactly one graph: ?graph={EDITS_GRAPH} (or ?default to read)")
    return _absolute_iri(graphs[0])


def _direct_graph(request: Request, settings: Settings) -> str:
    """The graph a path below ``/store`` names (direct identification): its URL, on the
    public base URL."""
    if request.query_params:
        raise UsageError("a graph named by its /store/… URL takes no ?graph= or ?default")
    return _absolute_iri(settings.public_base_url() + request.url.path)


def _absolute_iri(value: str) -> str:
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        raise UsageError(f"the graph name {value!r} is not an IRI: {exc}") from exc
    if ":" not in value:
        raise UsageError(f"the graph name {value!r} is not an absolute IRI")
    return value


def _writable(graph: GraphName, edits: EditService | None) -> EditService:
    """The edit service, when ``graph`` is the edits graph and the store keeps edits.

    :raises UpdateRefusedError: any other graph (the policy above), or no edits kept.
    """
    if graph is None:
        raise UpdateRefusedError(
            "the default graph is the union of all graphs and cannot be written; "
            f"write ?graph={EDITS_GRAPH}"
        )
    if graph != EDITS_GRAPH:
        raise UpdateRefusedError(
            f"only the graph <{EDITS_GRAPH}> can be written, not <{graph}>: the other "
            "graphs come from the build"
        )
    if edits is None:
        raise UpdateRefusedError("this server's store is not on disk: it cannot keep edits")
    return edits


def _read_triples(store: GraphStore, graph: GraphName) -> list[ox.Triple]:
    """The triples of ``graph`` in the served store (the union for the default graph)."""
    if graph is None:
        result = store.query(_UNION_TRIPLES)
    else:
        result = store.query(_GRAPH_TRIPLES, bindings={"g": ox.NamedNode(graph)})
    assert isinstance(result, ox.QueryTriples)
    return list(result)


async def _answer_graph(request: Request, store: GraphStore, graph: GraphName) -> Response:
    """``GET``/``HEAD``: the graph in the format ``Accept`` prefers (404 when empty)."""
    fmt = pick_format("graph", request.headers.get("accept"), request.query_params.get("format"))
    triples = await anyio.to_thread.run_sync(lambda: _read_triples(store, graph))
    if not triples:
        name = "the default graph" if graph is None else f"the graph <{graph}>"
        raise UnknownEntityError(f"{name} holds no triples")
    data = await anyio.to_thread.run_sync(lambda: _serialise(triples, fmt))
    headers = {"Vary": "Accept", "Content-Type": fmt.content_type}
    return Response(data, headers=headers)


def _serialise(triples: list[ox.Triple], fmt: ResultFormat) -> bytes:
    rdf_format = fmt.serializer
    assert isinstance(rdf_format, ox.RdfFormat)
    with_prefixes = rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    return (
        ox.serialize(triples, format=rdf_format, prefixes=PREFIXES if with_prefixes else None)
        or b""
    )


def _rdf_format(media_type: str, filename: str | None = None) -> ox.RdfFormat:
    """The graph format of a body or a multipart part.

    :raises UnsupportedMediaTypeError: not a graph format this server reads.
    """
    media_type = media_type.split(";")[0].strip().lower()
    if not media_type and filename and "." in filename:
        by_extension = ox.RdfFormat.from_extension(filename.rsplit(".", 1)[1])
        if by_extension is not None:
            media_type = by_extension.media_type
    try:
        rdf_format = format_for_media_type(media_type, "graph").serializer
    except UsageError:
        readable = ", ".join(media_types("graph"))
        raise UnsupportedMediaTypeError(
            f"send the graph as one of {readable} (or multipart/form-data of them with POST), "
            f"not {media_type or 'no type'}"
        ) from None
    assert isinstance(rdf_format, ox.RdfFormat)
    return rdf_format


def _parse(data: bytes, rdf_format: ox.RdfFormat, what: str) -> list[ox.Triple]:
    """The triples of one RDF document, with fresh blank nodes and no named graphs.

    :raises DataSyntaxError: it does not parse, or it is RDF/XML declaring XML entities
        (which expand without bound: a few hundred bytes can ask for gigabytes).
    """
    if rdf_format == ox.RdfFormat.RDF_XML and b"<!ENTITY" in data:
        raise DataSyntaxError(
            f"{what} declares XML entities (<!ENTITY …>), which this server does not expand"
        )
    try:
        parsed = [
            q.triple
            for q in ox.parse(
                data,
                format=rdf_format,
                base_iri=EDITS_GRAPH,
                without_named_graphs=True,
            )
        ]
    except SyntaxError as exc:
        raise DataSyntaxError(f"{what} does not parse as {rdf_format.name}: {exc}") from exc
    return fresh_blank_nodes(parsed)


def _multipart_triples(content_type: str, body: bytes) -> list[ox.Triple]:
    """The triples of every part of a ``multipart/form-data`` body (each part its own
    document, so blank nodes of different parts are different nodes)."""
    header = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", errors="replace")
    message = BytesParser(policy=HTTP).parsebytes(header + body)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    if not parts:
        raise DataSyntaxError("the multipart/form-data body has no parts (or no boundary)")
    triples: list[ox.Triple] = []
    for number, part in enumerate(parts, start=1):
        filename = part.get_filename()
        given_type = part.get("content-type", "")
        rdf_format = _rdf_format(str(given_type), filename)
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        triples += _parse(data, rdf_format, f"part {number} ({filename or 'no file name'})")
    return triples


async def _body_triples(request: Request, *, multipart: bool) -> list[ox.Triple]:
    """The triples of the request body (fresh blank nodes), parsed outside the event loop."""
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    if content_type.split(";")[0].strip().lower() == _MULTIPART:
        if not multipart:
            raise UnsupportedMediaTypeError("multipart/form-data is read by POST only")
        return await anyio.to_thread.run_sync(lambda: _multipart_triples(content_type, body))
    rdf_format = _rdf_format(content_type)
    return await anyio.to_thread.run_sync(lambda: _parse(body, rdf_format, "the request body"))


async def _write(
    request: Request, settings: Settings, service: EditService, graph: str
) -> Response:
    """``PUT``, ``POST`` or ``DELETE`` on the edits graph."""
    method = request.method
    if method == "DELETE":
        if not await anyio.to_thread.run_sync(service.current_edits):
            raise UnknownEntityError(f"the graph <{graph}> holds no triples: nothing to delete")
        await anyio.to_thread.run_sync(lambda: service.replace(None))
        return Response(status_code=204)
    triples = await _body_triples(request, multipart=method == "POST")
    add = method == "POST"
    # Whether the graph was empty is read under the edit lock, with the write: exact.
    was_empty = await anyio.to_thread.run_sync(lambda: service.replace(triples, add=add))
    if was_empty and triples:
        return Response(status_code=201, headers={"Location": graph_location(settings, graph)})
    return Response(status_code=204)


@_route("", _READ_METHODS, "Read a graph, or the union with ?default")
async def read_graph(request: Request, settings: SettingsDep, store: StoreDep) -> Response:
    """The graph ``?graph=`` names, or the union with ``?default`` (404 when empty)."""
    check_update_token(settings, request.headers.get("authorization"))
    return await _answer_graph(request, store, _named_graph(request))


@_route("", _WRITE_METHODS, "Write the edits graph")
async def write_graph(request: Request, settings: SettingsDep, edits: EditsDep) -> Response:
    """``PUT`` replaces, ``POST`` adds to, ``DELETE`` empties the edits graph (SHACL first).

    ``POST`` with no graph named would create a new graph: refused, as every graph but
    ``edits`` is.
    """
    check_update_token(settings, request.headers.get("authorization"))
    params = request.query_params
    if request.method == "POST" and "default" not in params and "graph" not in params:
        raise UpdateRefusedError(
            "this server creates no new graphs: POST to the graph store adds to "
            f"?graph={EDITS_GRAPH} only"
        )
    graph = _named_graph(request)
    service = _writable(graph, edits)
    assert graph is not None
    return await _write(request, settings, service, graph)


@_route("/{path:path}", _READ_METHODS + _WRITE_METHODS, "A graph named by its URL")
async def direct_graph(
    request: Request, path: str, settings: SettingsDep, store: StoreDep, edits: EditsDep
) -> Response:
    """Direct identification: the graph whose IRI is this URL (never ``edits``)."""
    if not path:  # /store/ is the graph store itself, as /store
        if request.method in _READ_METHODS:
            return await read_graph(request, settings, store)
        return await write_graph(request, settings, edits)
    check_update_token(settings, request.headers.get("authorization"))
    graph = _direct_graph(request, settings)
    if request.method in _READ_METHODS:
        return await _answer_graph(request, store, graph)
    service = _writable(graph, edits)
    return await _write(request, settings, service, graph)
