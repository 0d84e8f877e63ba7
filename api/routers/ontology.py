"""``/ontology``: the vocabulary, as an HTML list of terms (anchored by local name, so
``…/ontology#Country`` lands on its entry) or as RDF in any graph format, negotiated as on
every route (:func:`api.representation.pick_format`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import PageContextDep, StoreDep
from api.pages import render_page
from api.representation import offered_media_types, pick_format
from graph.query.ontology_terms import ontology_terms, ontology_triples
from graph.query.serialise import serialise_result

router = APIRouter(prefix="/ontology", tags=["linked data"])


@router.get(
    "",
    response_class=Response,
    summary="The ontology",
    responses={200: {"content": {t: {} for t in offered_media_types("graph", html=True)}}},
)
def get_ontology(
    request: Request,
    store: StoreDep,
    pages: PageContextDep,
    format: Annotated[
        str | None, Query(description="html, turtle, ntriples, jsonld, rdfxml or trig.")
    ] = None,
) -> Response:
    """The ``pg:`` vocabulary: HTML term list for browsers, Turtle (or other RDF) else."""
    fmt = pick_format("graph", request.headers.get("accept"), format, html=True)
    if fmt is None:
        page = render_page(request, "ontology.html", {"terms": ontology_terms(pages.store)})
        page.headers["Vary"] = "Accept"
        return page
    data = serialise_result(ontology_triples(store), fmt).data
    return Response(data, media_type=fmt.content_type, headers={"Vary": "Accept"})
