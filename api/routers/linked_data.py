"""``/id/{slug}``: entity IRIs dereference to an HTML page or RDF, by content negotiation.

RDF (Turtle, JSON-LD, N-Triples, RDF/XML) is the entity's description built by one
CONSTRUCT (:mod:`graph.query.describe`) and written by Oxigraph; HTML is the page rendered
from :func:`graph.query.entity.describe_entity`. An unknown slug is a 404 page.
"""

from __future__ import annotations

import html
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.analytics import analytics_of
from api.catalogue import catalogue_of
from api.deps import StoreDep
from api.errors import NotAcceptableError
from api.negotiation import choose_media_type
from api.pages import render_page
from api.store_cache import PerStore
from graph.errors import UnknownEntityError
from graph.iris import PREFIXES, is_slug
from graph.query.describe import describe_triples
from graph.query.entity import EntityDescription, describe_entity
from graph.query.formats import GRAPH_FORMATS, ResultFormat
from graph.store.port import GraphStore

router = APIRouter(prefix="/id", tags=["linked data"])

_HTML = "text/html"
#: The RDF formats of an entity description (TriG adds nothing to a single graph).
_RDF = [f for f in GRAPH_FORMATS if f.name != "trig"]


@router.get(
    "/{slug}",
    response_class=Response,
    summary="Dereference an entity IRI",
    responses={
        200: {"content": {_HTML: {}, **{f.media_type: {} for f in _RDF}}},
        404: {"description": "No entity has this slug"},
    },
)
def entity_resource(
    slug: str,
    request: Request,
    store: StoreDep,
    format: Annotated[
        str | None, Query(description="html, turtle, jsonld, ntriples or rdfxml.")
    ] = None,
) -> Response:
    """The entity as HTML (for browsers) or RDF, per ``Accept`` or ``?format=``."""
    representation = _representation(request.headers.get("accept"), format)
    try:
        if not is_slug(slug):
            raise UnknownEntityError(f"{slug!r} is not an entity slug")
        if representation is None:
            page = render_page(request, "entity.html", _page_context(request, store, slug))
            page.headers["Vary"] = "Accept"
            return page
        triples = describe_triples(store, slug)
    except UnknownEntityError as exc:
        return _not_found(request, str(exc), html=representation is None)
    data = ox.serialize(
        triples,
        format=representation.serializer,  # type: ignore[arg-type]
        prefixes=PREFIXES if representation.name in {"turtle", "rdfxml"} else None,
    )
    assert data is not None
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
    base = str(request.base_url).rstrip("/")
    has_view = slug in analytics_of(store).graph
    view = f"/viz/ego?slug={slug}&depth=1"
    return {
        "entity": entity,
        "proposals": catalogue_of(store).involving(slug),
        "view": view if has_view else None,
        "base_url": base,
        "permalink": f"{base}/id/{slug}",
        "snippet": (
            f'<iframe src="{base}{view}&embed=1" width="800" height="600" '
            f'title="Network around {html.escape(entity.label)}" loading="lazy"></iframe>'
        ),
    }


def _representation(accept: str | None, override: str | None) -> ResultFormat | None:
    """The RDF format asked for, or ``None`` for HTML.

    :raises NotAcceptableError: nothing offered fits.
    """
    if override == "html":
        return None
    if override:
        for fmt in _RDF:
            if fmt.name == override:
                return fmt
        raise NotAcceptableError(
            f"format {override!r} is not offered; choose html, " + ", ".join(f.name for f in _RDF)
        )
    offered = [f.media_type for f in _RDF] + [_HTML] + [a for f in _RDF for a in f.aliases]
    chosen = choose_media_type(accept, offered)
    if chosen is None:
        raise NotAcceptableError("an entity is offered as " + ", ".join(offered))
    if chosen == _HTML:
        return None
    return next(f for f in _RDF if chosen == f.media_type or chosen in f.aliases)


def _not_found(request: Request, message: str, *, html: bool) -> Response:
    if html:
        return render_page(request, "not_found.html", {"message": message}, status_code=404)
    return Response(f"{message}\n", status_code=404, media_type="text/plain; charset=utf-8")
