"""``/analysis``: centrality, communities, brokers and the framework overlap as a heat map,
plus the explained shortest paths between two entities (``?source=&target=``).

The measures come from the served store's context (:mod:`serving.analytics`); the page is bounded
work (:mod:`api.heavy`): a few at once, cached by its parameters, 503 past the queue.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import PageContextDep
from api.entity_names import ParamNameError, choice_links, problem_sentence, resolve_params
from api.heavy import Busy, busy_response, lanes_of
from api.pages import render_page
from api.security import page_headers
from graph.analysis import explain_paths
from graph.errors import UnknownEntityError
from serving.context import StoreContext

__all__ = ["heat_class", "router"]

router = APIRouter(tags=["pages"], include_in_schema=False)

#: The classes the page offers as filters.
TYPES = ("Actor", "Country", "Organization", "Person", "Framework", "Proposal", "Topic")
_HEAT_FRAMEWORKS = 24
Measure = Literal["degree", "betweenness", "eigenvector"]


def heat_class(value: float) -> str:
    """The CSS class of a heat-map cell: ``h0`` (none) to ``h7`` (identical sets).

    >>> heat_class(0.0), heat_class(0.01), heat_class(0.5), heat_class(1.0)
    ('h0', 'h1', 'h4', 'h7')
    """
    return f"h{0 if value <= 0 else min(7, max(1, math.ceil(value * 7)))}"


@router.get("/analysis", response_class=HTMLResponse, summary="Network analysis")
async def analysis_page(
    request: Request,
    context: PageContextDep,
    type: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]*$", max_length=60, description="A pg: class.")
    ] = None,
    top: Annotated[int, Query(ge=1, le=500)] = 20,
    by: Measure = "degree",
    source: Annotated[str | None, Query(max_length=200)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    include_partial: Annotated[
        bool, Query(description="Also compare frameworks whose member lists are partial.")
    ] = False,
) -> Response:
    """The tables of the measures and the overlap heat map, computed in a thread of the
    app's bounded lane and cached by the parameters (:mod:`api.heavy`)."""

    def page() -> bytes:
        body = _page(request, context, type, top, by, source, target, include_partial).body
        return bytes(body)

    async def in_thread() -> bytes:
        return await anyio.to_thread.run_sync(page)

    key = ("analysis", type or "", top, by, source or "", target or "", include_partial)
    try:
        body = await lanes_of(request.app).queries.run(context, key, in_thread)
    except Busy as exc:
        return busy_response(exc)
    return HTMLResponse(body, headers=page_headers())


def _page(
    request: Request,
    context: StoreContext,
    type: str | None,
    top: int,
    by: Measure,
    source: str | None,
    target: str | None,
    include_partial: bool = False,
) -> HTMLResponse:
    analytics = context.analytics
    types = [type] if type else None
    matrix = analytics.overlap(include_partial=include_partial)
    left_out = matrix.partial_left_out
    shown = min(len(matrix.frameworks), _HEAT_FRAMEWORKS)
    paths, path_error, path_choices = [], None, []
    if source and target:
        # Names, aliases or slugs; an ambiguous or unknown one: its choices under the form.
        try:
            found = resolve_params(
                context.labels, {"source": ([source], None), "target": ([target], None)}
            )
            source, target = found["source"][0], found["target"][0]
            paths = explain_paths(analytics.graph, source, target, provenance=analytics.provenance)
        except ParamNameError as exc:
            path_error = problem_sentence(exc)
            path_choices = choice_links(request, exc, anchor="#h-paths")
        except UnknownEntityError as exc:
            path_error = str(exc)
    return render_page(
        request,
        "analysis.html",
        {
            "types": TYPES,
            "type": type or "",
            "top": top,
            "by": by,
            "centrality": analytics.centrality(types=types, top=top, by=by),
            "communities": analytics.communities(types=types, top=min(top, 15)),
            "brokers": analytics.brokers(types=types or ("Actor",), top=top),
            "betweenness_pivots": analytics.betweenness_pivots,
            "label": analytics.label,
            "place": analytics.provenance.place,
            "quote_language": analytics.provenance.language_of,
            "heat": {
                "frameworks": matrix.frameworks[:shown],
                "members": [len(m) for m in matrix.members[:shown]],
                "values": [row[:shown] for row in matrix.values[:shown]],
                "total": len(matrix.frameworks),
            },
            "pairs": analytics.overlap_pairs(include_partial=include_partial),
            "include_partial": include_partial,
            "partial_left_out": left_out,
            "heat_class": heat_class,
            "source": source or "",
            "target": target or "",
            "paths": paths,
            "path_error": path_error,
            "path_choices": path_choices,
        },
    )
