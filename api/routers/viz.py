"""``GET /viz/{view}``: the network views as HTML pages, iframe embeds, SVG or PNG.

The views are the functions of :mod:`viz.views`; this router only reads parameters and
picks the representation. Entities are named by slug, IRI, name or alias
(:mod:`api.entity_names`; ``/viz/ego/Korea`` redirects to ``/viz/ego?slug=kor``): an
ambiguous or unknown name is a page of choices (300 / 404) for ``format=html``, else the
app's error (400 / 404); an unknown view, a depth outside 1–3, a missing slug or
an unknown ``lang``/``format``, more than 50 slugs or 20 types is 422. ``embed=1`` gives the
page without its chrome, for an ``<iframe>``; the full page shows the iframe snippet and its
permalink, both on the server's public URL (``public_url``), never on the request's
``Host``. Views and figures are bounded work (:mod:`api.heavy`): a few at once, cached.

>>> [route.path for route in router.routes]
['/viz/memberships', '/viz/{view}', '/viz/ego/{name}', '/viz/path/{source}/{target}']
"""

from __future__ import annotations

import html
import re
from enum import StrEnum
from typing import Annotated, Literal
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import PageContextDep
from api.entity_names import (
    ParamNameError,
    choices_page,
    first,
    name_problem,
    resolve_params,
    view_wanted,
)
from api.heavy import Busy, busy_response, lanes_of
from api.render_pool import shared_render_pool
from api.routers.proposals import finder_selection
from serving.context import StoreContext
from serving.settings import Settings
from viz.figure import FigureOptions, FigureText, figure_text
from viz.view import View

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
_MEDIA = {
    "html": "text/html; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
#: The most slugs a view takes (frameworks: one or more).
_MOST_SLUGS = 50
_EXAMPLES = {
    ViewName.ego: "/viz/ego?slug=kor&depth=2",
    ViewName.path: "/viz/path?source=kor&target=aukus-pillar-2",
}


#: The options every figure takes, for both view routes (the CLI's twins: cli/viz.py).
_Embed = Annotated[bool, Query(description="html without the page's chrome.")]
_Aspect = Annotated[Literal["16:9", "4:3", "1:1", "a4"], Query(description="Figures: the aspect.")]
_Title = Annotated[
    str | None, Query(max_length=300, description="Figures: the title (default generated).")
]
_Subtitle = Annotated[
    str | None, Query(max_length=300, description="Figures: a line under the title.")
]
_Caption = Annotated[
    str | None, Query(max_length=300, description="Figures: a caption above the source.")
]


@router.get(
    "/memberships",
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in _MEDIA.values()}},
        404: {"description": "no entity has an actor's slug"},
        422: {"description": "no actor, too many, or a parameter out of range"},
        503: {"description": "busy with other figures: try again after Retry-After seconds"},
    },
)
async def draw_memberships(
    request: Request,
    context: PageContextDep,
    actor: Annotated[
        list[str],
        Query(min_length=1, max_length=12, description="The actors (slugs, names or aliases)."),
    ],
    as_of: Annotated[
        str | None, Query(max_length=10, description="The date (YYYY-MM-DD); today.")
    ] = None,
    form: Annotated[
        Literal["network", "matrix"],
        Query(description="network: actors and frameworks; matrix: a table, role in the cell."),
    ] = "network",
    lang: Annotated[
        Literal["en", "ja", "ko"],
        Query(description="Language of labels and the page's words."),
    ] = "en",
    format: Annotated[
        Literal["html", "svg", "png", "pdf", "pptx"],
        Query(description="html, svg, png (300 dpi), pdf or pptx (one slide; network only)."),
    ] = "html",
    embed: _Embed = False,
    aspect: _Aspect = "16:9",
    title: _Title = None,
    subtitle: _Subtitle = None,
    caption: _Caption = None,
    highlight: Annotated[
        list[str] | None,
        Query(max_length=20, description="Network figures: ring these entities."),
    ] = None,
) -> Response:
    """Chosen actors against the frameworks they belong to on a date: shared frameworks in
    the middle, roles and dates on the lines, proposed/suspended/ended dashed; or the
    matrix (actors × frameworks). See :func:`viz.views.memberships` and :mod:`viz.matrix`.
    Figures take an aspect, title, subtitle and caption like every view's."""
    from viz import views
    from viz.figure import figure_size
    from viz.matrix import matrix, render_matrix_html, render_matrix_static
    from viz.memberships import parse_as_of
    from viz.settings import VizSettings

    settings: VizSettings | None = getattr(request.app.state, "viz_settings", None)
    if settings is None:
        settings = request.app.state.viz_settings = VizSettings()
    limit = settings.max_nodes
    day = parse_as_of(as_of)  # a bad date is a UsageError (400) before any work
    # Actors by slug, IRI, name or alias; an ambiguous or unknown one: a page of choices.
    try:
        wanted = {"actor": (actor, None)}
        found = await anyio.to_thread.run_sync(lambda: resolve_params(context.labels, wanted))
    except ParamNameError as exc:
        return name_problem(request, exc, html=format == "html")
    actor = found["actor"]
    dated = day if as_of else None
    if form == "matrix" and (format == "pptx" or highlight):
        raise HTTPException(422, "the matrix is html, svg, png or pdf, without highlight")
    figure = FigureOptions(aspect, title, subtitle, caption, tuple(highlight or ()), lang)
    view_lang = figure.view_lang if form == "network" else lang
    server: Settings = request.app.state.settings
    base = server.public_base_url()
    lanes = lanes_of(request.app)

    def network() -> View:
        return views.memberships(
            context.store, actor, as_of=dated, lang=view_lang, max_nodes=limit, memo=context.memo
        )

    async def draw() -> bytes:
        def page() -> bytes:
            from viz.html import render_html

            if form == "matrix":
                table = matrix(context.store, actor, as_of=dated, lang=lang, memo=context.memo)
                if format == "html":
                    return render_matrix_html(table, embed=embed, base_url=base).encode("utf-8")
                return render_matrix_static(
                    table, format, size=figure_size(aspect), title=title,
                    subtitle=subtitle or "", caption=caption or "",
                )  # fmt: skip
            return render_html(network(), embed=embed, base_url=base).encode("utf-8")

        return await anyio.to_thread.run_sync(page)

    async def draw_figure() -> bytes:
        def prepare() -> tuple[View, FigureText]:
            drawn = network()
            return drawn, figure_text(drawn, context.store, figure, context.memo)

        drawn, words = await anyio.to_thread.run_sync(prepare)
        renderers = shared_render_pool(server.render_workers, server.render_timeout)
        assert format != "html"
        return await renderers.render(drawn, format, words)

    key = ("viz", "memberships", tuple(actor), day, form, lang, format,
           embed if format == "html" else False, limit,
           figure if format != "html" else None)  # fmt: skip
    try:
        if format == "html":
            body = await lanes.queries.run(context, key, draw)
        elif form == "matrix":
            # A table has no layout to compute: drawn in a thread of the figures' lane.
            body = await lanes.renders.run(context, key, draw)
        else:
            body = await lanes.renders.run(context, key, draw_figure)
    except Busy as exc:
        return busy_response(exc)
    return _drawn_response(body, format)


@router.get(
    "/{view}",
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in _MEDIA.values()}},
        404: {"description": "no entity has a slug given"},
        422: {"description": "unknown view or a parameter out of range"},
        503: {"description": "busy with other figures: try again after Retry-After seconds"},
    },
)
async def draw_view(
    view: ViewName,
    request: Request,
    context: PageContextDep,
    slug: Annotated[
        list[str] | None,
        Query(max_length=_MOST_SLUGS, description="ego: the centre; frameworks: one or more."),
    ] = None,
    depth: Annotated[int, Query(ge=1, le=3, description="ego: hops, 1–3.")] = 1,
    type: Annotated[
        list[str] | None,
        Query(max_length=20, description="ego: keep only these classes or groups."),
    ] = None,
    section: Annotated[
        str | None, Query(max_length=200, description="proposals: a section or chapter.")
    ] = None,
    actor: Annotated[str | None, Query(max_length=200, description="proposals: an actor.")] = None,
    framework: Annotated[
        str | None, Query(max_length=200, description="proposals: a framework.")
    ] = None,
    topic: Annotated[str | None, Query(max_length=200, description="proposals: a topic.")] = None,
    source: Annotated[str | None, Query(max_length=200, description="path: one end.")] = None,
    target: Annotated[str | None, Query(max_length=200, description="path: the other end.")] = None,
    lang: Annotated[
        Literal["en", "ja", "ko"], Query(description="Language of the page or figure.")
    ] = "en",
    format: Annotated[
        Literal["html", "svg", "png", "pdf", "pptx"],
        Query(description="html, svg, png (300 dpi), pdf or pptx (one slide)."),
    ] = "html",
    embed: _Embed = False,
    aspect: _Aspect = "16:9",
    title: _Title = None,
    subtitle: _Subtitle = None,
    caption: _Caption = None,
    highlight: Annotated[
        list[str] | None, Query(max_length=20, description="Figures: entities to ring (slugs).")
    ] = None,
) -> Response:
    """Draw one view; see :mod:`viz.views` for what each shows. Figures (svg, png, pdf,
    pptx) take an aspect, title, subtitle, caption and highlighted entities
    (:class:`viz.figure.FigureOptions`); pages and figures speak ``lang`` (en, ja or ko).

    Views are computed a few at a time and static figures drawn in child processes
    (:mod:`api.heavy`): past the queue the answer is 503 with ``Retry-After``; the same
    parameters asked again are answered from the cache.
    """
    from viz import views
    from viz.settings import VizSettings

    settings: VizSettings | None = getattr(request.app.state, "viz_settings", None)
    if settings is None:
        settings = request.app.state.viz_settings = VizSettings()
    limit = settings.max_nodes
    slugs = slug or []
    kinds = tuple(sorted(set(type or ())))
    if view is ViewName.ego and len(slugs) != 1:
        raise _missing("ego takes exactly one slug", view)
    if view is ViewName.path and (not source or not target):
        raise _missing("path takes a source and a target", view)
    figure = FigureOptions(aspect, title, subtitle, caption, tuple(highlight or ()), lang)
    lang = figure.view_lang  # type: ignore[assignment]
    # Entities by slug, IRI, name or alias; an ambiguous or unknown one: a page of choices.
    given = {"source": source, "target": target, "section": section, "actor": actor}
    wanted = view_wanted(view.value, slugs, **given, framework=framework, topic=topic)
    try:
        found = await anyio.to_thread.run_sync(lambda: resolve_params(context.labels, wanted))
    except ParamNameError as exc:
        return name_problem(request, exc, html=format == "html")
    slugs = found["slug"]
    source, target, section, actor, framework, topic = (
        first(found, p) for p in ("source", "target", "section", "actor", "framework", "topic")
    )
    # The proposal finder's facets (several actors, member_of …): api.routers.proposals.
    finder = finder_selection(request) if view is ViewName.proposals else None

    store, memo = context.store, context.memo

    def compute_view() -> View:
        if view is ViewName.ego:
            return views.ego(store, slugs[0], depth, kinds, lang=lang, max_nodes=limit, memo=memo)
        if view is ViewName.frameworks:
            return views.frameworks(store, slugs, lang=lang, max_nodes=limit, memo=memo)
        if view is ViewName.proposals:
            return views.proposals(
                store, section=section, actor=actor, framework=framework, topic=topic,
                lang=lang, max_nodes=limit, selection=finder, memo=memo,
            )  # fmt: skip
        if view is ViewName.path:
            assert source and target
            return views.path(store, source, target, lang=lang, max_nodes=limit, memo=memo)
        return views.overview(store, lang=lang, max_nodes=limit, memo=memo)

    server: Settings = request.app.state.settings
    base = server.public_base_url()
    lanes = lanes_of(request.app)

    async def draw_page() -> bytes:
        def page() -> bytes:
            from viz.html import render_html

            return render_html(compute_view(), embed=embed, base_url=base).encode("utf-8")

        return await anyio.to_thread.run_sync(page)

    async def draw_figure() -> bytes:
        def prepare() -> tuple[View, FigureText]:
            drawn = compute_view()
            return drawn, figure_text(drawn, context.store, figure, context.memo)

        drawn, words = await anyio.to_thread.run_sync(prepare)
        renderers = shared_render_pool(server.render_workers, server.render_timeout)
        assert format != "html"
        return await renderers.render(drawn, format, words)

    key = (
        "viz", view.value, tuple(slugs), depth if view is ViewName.ego else None,
        kinds, section, actor, framework, topic, source, target, lang, format,
        embed if format == "html" else False, limit, finder and tuple(finder.params()),
        figure if format != "html" else None,
    )  # fmt: skip
    try:
        if format == "html":
            body = await lanes.queries.run(context, key, draw_page)
        else:
            body = await lanes.renders.run(context, key, draw_figure)
    except Busy as exc:
        return busy_response(exc)
    return _drawn_response(body, format)


def _missing(message: str, view: ViewName) -> HTTPException:
    example = _EXAMPLES.get(view)
    return HTTPException(422, message + (f", for example {example}" if example else ""))


#: An entity in a view's path: a slug, IRI, name or alias.
_Name = Annotated[str, Path(max_length=200, description="A name, alias or slug: Korea, 韓国, kor.")]


@router.get("/ego/{name}", response_class=Response, summary="An entity's view, by name")
async def ego_by_name(name: _Name, request: Request, context: PageContextDep) -> Response:
    """``/viz/ego/Korea``, ``/viz/ego/韓国``: redirects to ``/viz/ego?slug=kor`` (the other
    parameters kept); an ambiguous or unknown name is a page of choices (300 / 404)."""
    return await _by_name(request, context, "ego", {"slug": name})


@router.get("/path/{source}/{target}", response_class=Response, summary="A path, by names")
async def path_by_names(
    source: _Name, target: _Name, request: Request, context: PageContextDep
) -> Response:
    """``/viz/path/Korea/AUKUS Pillar II``: redirects to ``/viz/path?source=…&target=…``."""
    return await _by_name(request, context, "path", {"source": source, "target": target})


async def _by_name(
    request: Request, context: StoreContext, view: str, names: dict[str, str]
) -> Response:
    wanted = {param: ([value], None) for param, value in names.items()}
    try:
        found = await anyio.to_thread.run_sync(lambda: resolve_params(context.labels, wanted))
    except ParamNameError as exc:
        return choices_page(request, exc, base=f"/viz/{view}", fixed=names)
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in names]
    query = [(param, slugs[0]) for param, slugs in found.items()] + kept
    return RedirectResponse(f"/viz/{view}?{urlencode(query)}", status_code=302)


def _drawn_response(body: bytes, format: str) -> Response:
    """A drawn view or figure as its response. A page also sends its own policy (its
    <meta>) as a header, so it holds from the first byte; frame-ancestors is left open: the
    embed is for other sites' iframes."""
    headers = {"X-Content-Type-Options": "nosniff"}
    if format == "html":
        page = body.decode("utf-8")
        if policy := _META_CSP.search(page):
            headers["Content-Security-Policy"] = html.unescape(policy[1])
        return HTMLResponse(page, headers=headers)
    return Response(body, media_type=_MEDIA[format], headers=headers)
