"""``GET /viz/{view}``: the network views as HTML pages, iframe embeds, SVG or PNG.

The views are the functions of :mod:`viz.views`; this router only reads parameters and
picks the representation. An unknown slug is a :class:`~graph.errors.UnknownEntityError`
(404 through the app's handler); an unknown view, a depth outside 1–3, a missing slug or
an unknown ``lang``/``format`` is 422. ``embed=1`` gives the page without its chrome, for
an ``<iframe>``; the full page shows the iframe snippet and this URL as its permalink.

>>> [route.path for route in router.routes]
['/viz/{view}']
"""

from __future__ import annotations

import html
import re
from enum import StrEnum
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import StoreDep

__all__ = ["ViewName", "router"]

router = APIRouter(prefix="/viz", tags=["views"])


class ViewName(StrEnum):
    """The views there are."""

    ego = "ego"
    frameworks = "frameworks"
    proposals = "proposals"
    path = "path"
    overview = "overview"


_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
_MEDIA = {"html": "text/html; charset=utf-8", "svg": "image/svg+xml", "png": "image/png"}
_EXAMPLES = {
    ViewName.ego: "/viz/ego?slug=kor&depth=2",
    ViewName.path: "/viz/path?source=kor&target=aukus-pillar-2",
}


@router.get(
    "/{view}",
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in _MEDIA.values()}},
        404: {"description": "no entity has a slug given"},
        422: {"description": "unknown view or a parameter out of range"},
    },
)
def draw_view(
    view: ViewName,
    request: Request,
    store: StoreDep,
    slug: Annotated[
        list[str] | None, Query(description="ego: the centre; frameworks: one or more.")
    ] = None,
    depth: Annotated[int, Query(ge=1, le=3, description="ego: hops, 1–3.")] = 1,
    type: Annotated[
        list[str] | None, Query(description="ego: keep only these classes or groups.")
    ] = None,
    section: Annotated[str | None, Query(description="proposals: a section or chapter.")] = None,
    actor: Annotated[str | None, Query(description="proposals: an actor involved.")] = None,
    framework: Annotated[str | None, Query(description="proposals: a framework.")] = None,
    topic: Annotated[str | None, Query(description="proposals: a topic.")] = None,
    source: Annotated[str | None, Query(description="path: one end.")] = None,
    target: Annotated[str | None, Query(description="path: the other end.")] = None,
    lang: Annotated[Literal["en", "ja"], Query(description="Language of node labels.")] = "en",
    format: Annotated[
        Literal["html", "svg", "png"], Query(description="html, svg or png.")
    ] = "html",
    embed: Annotated[bool, Query(description="html without the page's chrome.")] = False,
) -> Response:
    """Draw one view; see :mod:`viz.views` for what each shows."""
    from viz import views
    from viz.settings import VizSettings

    settings: VizSettings | None = getattr(request.app.state, "viz_settings", None)
    if settings is None:
        settings = request.app.state.viz_settings = VizSettings()
    limit = settings.max_nodes
    slugs = slug or []
    if view is ViewName.ego:
        if len(slugs) != 1:
            raise _missing("ego takes exactly one slug", view)
        drawn = views.ego(store, slugs[0], depth, type or (), lang=lang, max_nodes=limit)
    elif view is ViewName.frameworks:
        drawn = views.frameworks(store, slugs, lang=lang, max_nodes=limit)
    elif view is ViewName.proposals:
        drawn = views.proposals(
            store, section=section, actor=actor, framework=framework, topic=topic, lang=lang,
            max_nodes=limit,
        )  # fmt: skip
    elif view is ViewName.path:
        if not source or not target:
            raise _missing("path takes a source and a target", view)
        drawn = views.path(store, source, target, lang=lang, max_nodes=limit)
    else:
        drawn = views.overview(store, lang=lang, max_nodes=limit)
    if format == "html":
        from viz.html import render_html

        base = str(request.base_url).rstrip("/")
        page = render_html(drawn, embed=embed, base_url=base)
        headers = {"X-Content-Type-Options": "nosniff"}
        # The page's own policy (its <meta>), sent as a header too so it holds from the
        # first byte; frame-ancestors is left open: the embed is for other sites' iframes.
        if policy := _META_CSP.search(page):
            headers["Content-Security-Policy"] = html.unescape(policy[1])
        return HTMLResponse(page, headers=headers)
    from viz.static import render_static

    return Response(
        render_static(drawn, format),
        media_type=_MEDIA[format],
        headers={"X-Content-Type-Options": "nosniff"},
    )


def _missing(message: str, view: ViewName) -> HTTPException:
    example = _EXAMPLES.get(view)
    return HTTPException(422, message + (f", for example {example}" if example else ""))
