"""``/proposals``: the proposal browser — facets with counts, the list, the drawn view.

Filters are slugs (``section`` also takes a chapter); each facet counts the proposals the
other filters keep. The current filter is drawn by the ``proposals`` view of ``/viz``.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.catalogue import FILTERS, catalogue_of
from api.deps import StoreDep
from api.pages import render_page
from graph.iris import SLUG_PATTERN
from graph.query.wording import ASK_KINDS, LEVELS

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)


def _slug(description: str) -> object:
    return Query(pattern=SLUG_PATTERN.pattern, max_length=200, description=description)


@router.get("/proposals", response_class=HTMLResponse, summary="The proposal browser")
def proposals_page(
    request: Request,
    store: StoreDep,
    section: Annotated[str | None, _slug("A section or chapter.")] = None,
    actor: Annotated[str | None, _slug("An actor the proposal involves.")] = None,
    framework: Annotated[str | None, _slug("A framework it concerns.")] = None,
    topic: Annotated[str | None, _slug("A topic it addresses.")] = None,
) -> HTMLResponse:
    """The proposals matching every filter given, with facets and the drawn view."""
    chosen = {"section": section, "actor": actor, "framework": framework, "topic": topic}
    catalogue = catalogue_of(store)
    selected = catalogue.select(chosen)
    given = {name: chosen[name] for name in FILTERS if chosen[name]}
    query = urlencode(given)
    return render_page(
        request,
        "proposals.html",
        {
            "chosen": chosen,
            "given": given,
            "labels": catalogue.labels,
            "facets": catalogue.facets(chosen),
            "proposals": selected,
            "total": len(catalogue.proposals),
            "details": catalogue.details,
            "ask_kinds": ASK_KINDS,
            "levels": LEVELS,
            "view": "/viz/proposals" + (f"?{query}" if query else ""),
            "embed": "/viz/proposals?" + urlencode({**given, "embed": "1"}),
        },
    )
