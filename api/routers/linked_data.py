"""``/id/{slug}``: entity IRIs dereference to an HTML page or RDF, by content negotiation.

RDF (any graph format of :mod:`graph.query.formats`, chosen by
:func:`api.representation.pick_format` as on every route) is the entity's description
built by one CONSTRUCT (:mod:`graph.query.describe`) and written by Oxigraph; HTML is the
page rendered from :func:`graph.query.entity.describe_entity`. An unknown slug is a 404
page.
"""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.deps import ContextDep, PageContextDep, get_named_queries
from api.pages import render_page
from api.representation import offered_media_types, pick_format
from graph.errors import UnknownEntityError
from graph.iris import is_slug
from graph.query.describe import describe_triples
from graph.query.entity_questions import questions_for
from graph.query.serialise import serialise_result
from serving.context import StoreContext

router = APIRouter(prefix="/id", tags=["linked data"])


@router.get(
    "/{slug}",
    response_class=Response,
    summary="Dereference an entity IRI",
    responses={
        200: {
            "content": {media_type: {} for media_type in offered_media_types("graph", html=True)}
        },
        404: {"description": "No entity has this slug"},
    },
)
def entity_resource(
    slug: str,
    request: Request,
    context: ContextDep,
    pages: PageContextDep,
    format: Annotated[
        str | None, Query(description="html, turtle, ntriples, jsonld, rdfxml or trig.")
    ] = None,
) -> Response:
    """The entity as HTML (for browsers) or RDF, per ``Accept`` or ``?format=``: the RDF
    from the newest store, the page from the one the explorer's pages read."""
    representation = pick_format("graph", request.headers.get("accept"), format, html=True)
    try:
        if not is_slug(slug):
            raise UnknownEntityError(f"{slug!r} is not an entity slug")
        if representation is None:
            page = render_page(request, "entity.html", _page_context(request, pages, slug))
            page.headers["Vary"] = "Accept"
            return page
        triples = describe_triples(context.store, slug)
    except UnknownEntityError as exc:
        return _not_found(request, str(exc), html=representation is None, context=pages, text=slug)
    data = serialise_result(triples, representation).data
    return Response(data, media_type=representation.content_type, headers={"Vary": "Accept"})


def _page_context(request: Request, context: StoreContext, slug: str) -> dict[str, object]:
    """What the entity page shows beside the description: its proposals and its view."""
    entity = context.description(slug)  # kept: one costs a few hundred milliseconds
    base: str = request.app.state.settings.public_base_url()  # never the request's Host
    has_view = slug in context.analytics.graph
    view = f"/viz/ego?slug={slug}&depth=1"
    return {
        "entity": entity,
        "proposals": context.catalogue.links_involving(slug),
        "questions": questions_for(
            context.store,
            get_named_queries(request.app.state.settings),
            slug,
            {t.name for t in entity.types if t.name},
            context.memo,
        ),
        "view": view if has_view else None,
        "base_url": base,
        "permalink": f"{base}/id/{slug}",
        "snippet": (
            f'<iframe src="{base}{view}&embed=1" width="800" height="600" '
            f'title="Network around {html.escape(entity.label)}" loading="lazy"></iframe>'
        ),
    }


def _not_found(
    request: Request, message: str, *, html: bool, context: StoreContext, text: str
) -> Response:
    """The 404: for a browser, a page suggesting the entities closest to ``text``."""
    if html:
        from api.entity_names import sentence, suggestions

        choices = suggestions(context.labels, text)
        page = {"message": sentence(message, text), "choices": choices, "query": text}
        return render_page(request, "not_found.html", page, status_code=404)
    return Response(f"{message}\n", status_code=404, media_type="text/plain; charset=utf-8")
