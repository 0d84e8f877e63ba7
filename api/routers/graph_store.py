"""``/store``: the SPARQL 1.1 Graph Store Protocol, for the ``edits`` graph only.

Every method needs ``Authorization: Bearer <POLICYGRAPH_UPDATE_TOKEN>`` (401 without it,
403 when wrong or when updates are off). ``?graph=`` must name
the ``edits`` graph (:data:`~graph.store.edits.EDITS_GRAPH`); any other graph is 403, and so is
``?default``: the default graph is the union of all graphs, which no client writes.

* ``GET`` — the edits graph as Turtle (or N-Triples);
* ``PUT`` — replace it with the Turtle / N-Triples body; ``POST`` — add the body to it;
* ``DELETE`` — empty it.

Writes are validated with SHACL with the curated data (422 and the report if not, nothing
written) and answered with 204.
"""

from __future__ import annotations

import anyio.to_thread
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import EditsDep, SettingsDep
from api.edits import EditService, check_update_token
from api.errors import NotAcceptableError, UnsupportedMediaTypeError
from api.negotiation import choose_media_type
from graph.errors import DataSyntaxError, UpdateRefusedError, UsageError
from graph.iris import PREFIXES
from graph.store.edits import EDITS_GRAPH

router = APIRouter(prefix="/store", tags=["graph store"])

#: The media types the edits graph is read from and written in.
_RDF_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}


def _authorised(request: Request, settings: SettingsDep, edits: EditsDep) -> EditService:
    """The edit service, once the token and the target graph are checked."""
    check_update_token(settings, request.headers.get("authorization"))
    if edits is None:
        raise UpdateRefusedError("this server's store is not on disk: it cannot keep edits")
    params = request.query_params
    if "default" in params:
        raise UpdateRefusedError(
            "the default graph is the union of all graphs and cannot be written; "
            f"use ?graph={EDITS_GRAPH}"
        )
    graphs = params.getlist("graph")
    if len(graphs) != 1:
        raise UsageError(f"name exactly one graph: ?graph={EDITS_GRAPH}")
    if graphs[0] != EDITS_GRAPH:
        raise UpdateRefusedError(
            f"only the graph <{EDITS_GRAPH}> can be written, not <{graphs[0]}>"
        )
    return edits


async def _triples(request: Request) -> list[ox.Triple]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = _RDF_TYPES.get(content_type)
    if fmt is None:
        raise UnsupportedMediaTypeError(
            f"send the graph as {' or '.join(_RDF_TYPES)}, not {content_type or 'no type'}"
        )
    body = await request.body()
    try:
        return [q.triple for q in ox.parse(body, format=fmt, base_iri=EDITS_GRAPH)]
    except SyntaxError as exc:
        raise DataSyntaxError(f"the request body does not parse as {content_type}: {exc}") from exc


@router.get("", summary="Read the edits graph")
async def read_graph(request: Request, settings: SettingsDep, edits: EditsDep) -> Response:
    """The edits graph as Turtle (default) or N-Triples."""
    service = _authorised(request, settings, edits)
    chosen = choose_media_type(request.headers.get("accept"), list(_RDF_TYPES))
    if chosen is None:
        raise NotAcceptableError("the edits graph is offered as " + ", ".join(_RDF_TYPES))
    triples = [q.triple for q in service.current_edits()]
    data = ox.serialize(
        triples,
        format=_RDF_TYPES[chosen],
        prefixes=PREFIXES if chosen == "text/turtle" else None,
    )
    return Response(data or b"", media_type=chosen, headers={"Vary": "Accept"})


@router.put("", summary="Replace the edits graph", status_code=204)
async def replace_graph(request: Request, settings: SettingsDep, edits: EditsDep) -> Response:
    """Replace the edits graph with the body (validated with SHACL first)."""
    service = _authorised(request, settings, edits)
    triples = await _triples(request)
    await anyio.to_thread.run_sync(lambda: service.replace(triples))
    return Response(status_code=204)


@router.post("", summary="Add to the edits graph", status_code=204)
async def add_to_graph(request: Request, settings: SettingsDep, edits: EditsDep) -> Response:
    """Add the body's triples to the edits graph (validated with SHACL first)."""
    service = _authorised(request, settings, edits)
    triples = await _triples(request)
    await anyio.to_thread.run_sync(lambda: service.replace(triples, add=True))
    return Response(status_code=204)


@router.delete("", summary="Empty the edits graph", status_code=204)
async def delete_graph(request: Request, settings: SettingsDep, edits: EditsDep) -> Response:
    """Remove every triple of the edits graph."""
    service = _authorised(request, settings, edits)
    await anyio.to_thread.run_sync(lambda: service.replace(None))
    return Response(status_code=204)
