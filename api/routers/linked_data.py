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

from api.analytics import analytics_of
from api.catalogue import catalogue_of
from api.deps import StoreDep, get_named_queries
from api.pages import render_page
from api.representation import offered_media_types, pick_format
from api.store_cache import PerStore
from graph.errors import UnknownEntityError
from graph.iris import is_slug
from graph.query.describe import describe_triples
from graph.query.entity import EntityDescription, describe_entity
from graph.query.entity_questions import questions_for
from graph.query.serialise import serialise_result
from graph.store.port import GraphStore

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
    store: StoreDep,
    format: Annotated[
        str | None, Query(description="html, turtle, ntriples, jsonld, rdfxml or trig.")
    ] = None,
) -> Response:
    """The entity as HTML (for browsers) or RDF, per ``Accept`` or ``?format=``."""
    representation = pick_format("graph", request.headers.get("accept"), format, html=True)
    try:
        if not is_slug(slug):
            raise UnknownEntityError(f"{slug!r} is not an entity slug")
        if representation is None:
            page = render_page(request, "entity.html", _page_context(request, store, slug))
            page.headers["Vary"] = "Accept"
            return page
        triples = describe_triples(store, slug)
    except UnknownEntityError as exc:
        return _not_found(request, str(exc), html=representation is None, store=store, text=slug)
    data = serialise_result(triples, representation).data
    return Response(data, media_type=representation.content_type, headers={"Vary": "Accept"})


#: Descriptions already read, per store (kept while the store's size is unchanged): one
#: costs a few hundred milliseconds on the report's graph.
_DESCRIPTIONS: PerStore[dict[str, EntityDescription]] = PerStore(lambda _store: {})


def _described(store: GraphStore, slug: str) -> EntityDescription:
    known = _DESCRIPTIONS(store)
    if slug not in known:
        known[slug] = describe_entity(store, slug)
    return known[slug]


def _page_context(request: Request, store: GraphStore, slug: str) -> dict[str, object]:
    """What the entity page shows beside the description: its proposals and its view."""
    entity = _described(store, slug)
    base: str = request.app.state.settings.public_base_url()  # never the request's Host
    has_view = slug in analytics_of(store).graph
    view = f"/viz/ego?slug={slug}&depth=1"
    return {
        "entity": entity,
        "proposals": catalogue_of(store).involving(slug),
        "questions": questions_for(
            store,
            get_named_queries(request.app.state.settings),
            slug,
            {t.name for t in entity.types if t.name},
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
    request: Request, message: str, *, html: bool, store: GraphStore, text: str
) -> Response:
    """The 404: for a browser, a page suggesting the entities closest to ``text``."""
    if html:
        from api.entity_names import sentence, suggestions

        choices = suggestions(store, text)
        context = {"message": sentence(message, text), "choices": choices, "query": text}
        return render_page(request, "not_found.html", context, status_code=404)
    return Response(f"{message}\n", status_code=404, media_type="text/plain; charset=utf-8")
