"""``/ontology``: the vocabulary, as an HTML list of terms (anchored by local name, so
``…/ontology#Country`` lands on its entry) or as RDF."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import StoreDep
from api.errors import NotAcceptableError
from api.negotiation import choose_media_type
from api.pages import render_page
from graph.iris import PREFIXES
from graph.query.formats import GRAPH_FORMATS
from graph.query.ontology_terms import ontology_terms, ontology_triples

router = APIRouter(prefix="/ontology", tags=["linked data"])

_HTML = "text/html"
_RDF = [f for f in GRAPH_FORMATS if f.name != "trig"]


@router.get(
    "",
    response_class=Response,
    summary="The ontology",
    responses={200: {"content": {_HTML: {}, **{f.media_type: {} for f in _RDF}}}},
)
def get_ontology(
    request: Request,
    store: StoreDep,
    format: Annotated[
        str | None, Query(description="html, turtle, jsonld, ntriples or rdfxml.")
    ] = None,
) -> Response:
    """The ``pg:`` vocabulary: HTML term list for browsers, Turtle (or other RDF) else."""
    if format:
        chosen = (
            _HTML
            if format == "html"
            else next((f.media_type for f in _RDF if f.name == format), None)
        )
    else:
        chosen = choose_media_type(
            request.headers.get("accept"), [f.media_type for f in _RDF] + [_HTML]
        )
    if chosen is None:
        raise NotAcceptableError(
            "the ontology is offered as html, " + ", ".join(f.name for f in _RDF)
        )
    if chosen == _HTML:
        page = render_page(request, "ontology.html", {"terms": ontology_terms(store)})
        page.headers["Vary"] = "Accept"
        return page
    fmt = next(f for f in _RDF if f.media_type == chosen)
    data = ox.serialize(
        ontology_triples(store),
        format=fmt.serializer,  # type: ignore[arg-type]
        prefixes=PREFIXES if fmt.name in {"turtle", "rdfxml"} else None,
    )
    assert data is not None
    return Response(data, media_type=fmt.content_type, headers={"Vary": "Accept"})
