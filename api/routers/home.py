"""The explorer's front door: ``/`` (search box and entry points) and ``/search?q=``.

Search reuses the ranking of ``/api/entities`` (:class:`graph.query.search.LabelIndex`);
results are grouped by the entity's most specific class, best group first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import ContextDep, LabelIndexDep
from api.pages import render_page
from graph.query.cards import EntityCard
from graph.query.search import SearchHit
from serving.context import StoreContext

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)

#: The classes whose sizes the home page shows.
_SIZES = ("Actor", "Framework", "Proposal", "Topic", "Event", "Passage")
_RESULTS = 200


@dataclass(frozen=True)
class Result:
    """A search result as the page shows it."""

    slug: str
    label: str
    matched: str
    labels: dict[str, str]
    description: str | None


@dataclass(frozen=True)
class ResultGroup:
    """The results of one class."""

    type: str
    results: list[Result]


@router.get("/", response_class=HTMLResponse, summary="The explorer's home page")
def home(request: Request, context: ContextDep) -> HTMLResponse:
    """Search, frameworks, the report's outline, the most central actors, the graph's size."""
    analytics = context.analytics
    counts = context.class_counts
    frameworks = sorted(context.frameworks, key=lambda f: (-f.full_members, f.label.casefold()))
    catalogue = context.catalogue
    by_section: dict[str, list[object]] = {}
    for proposal in catalogue.proposals:
        if proposal.section and proposal.section.slug:
            by_section.setdefault(proposal.section.slug, []).append(proposal)
    return render_page(
        request,
        "home.html",
        {
            "triples": context.triples,
            "sizes": [(name, counts.get(name, 0)) for name in _SIZES],
            "frameworks": [f for f in frameworks if f.full_members][:16],
            "framework_total": len(frameworks),
            "outline": catalogue.outline,
            "by_section": by_section,
            "from_documents": [p for p in catalogue.proposals if p.document and not p.section],
            "central": analytics.most_connected(types=["Actor"], top=10),
        },
    )


@router.get("/search", response_class=HTMLResponse, summary="Search results")
def search(
    request: Request,
    context: ContextDep,
    index: LabelIndexDep,
    q: Annotated[str, Query(max_length=200, description="Text to find in names.")] = "",
) -> HTMLResponse:
    """Entities whose names match ``q`` (en/ja/ko, aliases, close spellings), by class."""
    groups: list[ResultGroup] = []
    total = 0
    if q.strip():
        hits = index.search(q)
        total = len(hits)
        groups = _grouped(hits[:_RESULTS], context, index.name_of)
    return render_page(
        request, "search.html", {"q": q, "groups": groups, "total": total, "shown": _RESULTS}
    )


def _grouped(
    hits: list[SearchHit], context: StoreContext, name_of: Callable[[str], str]
) -> list[ResultGroup]:
    nodes = context.analytics.graph.nodes
    cards = context.cards
    grouped: dict[str, list[Result]] = {}
    for hit in hits:
        node = nodes.get(hit.slug)
        kind = str(node["type"]) if node else (hit.types[-1] if hit.types else "Other")
        card = cards.get(hit.slug, EntityCard())
        grouped.setdefault(kind, []).append(
            Result(hit.slug, name_of(hit.slug), hit.matched, card.labels, card.description)
        )
    return [ResultGroup(kind, results) for kind, results in grouped.items()]
