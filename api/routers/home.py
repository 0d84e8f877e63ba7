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

from api.analytics import analytics_of
from api.catalogue import catalogue_of
from api.deps import LabelIndexDep, StoreDep
from api.pages import render_page
from api.store_cache import PerStore
from graph.query.cards import EntityCard, entity_cards
from graph.query.frameworks import FrameworkSummary, list_frameworks
from graph.query.search import SearchHit
from graph.stats import class_counts
from graph.store.port import GraphStore

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)

#: The classes whose sizes the home page shows.
_SIZES = ("Actor", "Framework", "Proposal", "Topic", "Event", "Passage")
_RESULTS = 200

cards_of: PerStore[dict[str, EntityCard]] = PerStore(entity_cards)
frameworks_of: PerStore[list[FrameworkSummary]] = PerStore(list_frameworks)
class_counts_of: PerStore[dict[str, int]] = PerStore(class_counts)


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
def home(request: Request, store: StoreDep) -> HTMLResponse:
    """Search, frameworks, the report's outline, the most central actors, the graph's size."""
    analytics = analytics_of(store)
    counts = class_counts_of(store)
    frameworks = sorted(frameworks_of(store), key=lambda f: (-f.full_members, f.label.casefold()))
    catalogue = catalogue_of(store)
    by_section: dict[str, list[object]] = {}
    for proposal in catalogue.proposals:
        if proposal.section and proposal.section.slug:
            by_section.setdefault(proposal.section.slug, []).append(proposal)
    return render_page(
        request,
        "home.html",
        {
            "triples": len(store),
            "sizes": [(name, counts.get(name, 0)) for name in _SIZES],
            "frameworks": [f for f in frameworks if f.full_members][:16],
            "framework_total": len(frameworks),
            "outline": catalogue.outline,
            "by_section": by_section,
            "central": analytics.most_connected(types=["Actor"], top=10),
        },
    )


@router.get("/search", response_class=HTMLResponse, summary="Search results")
def search(
    request: Request,
    store: StoreDep,
    index: LabelIndexDep,
    q: Annotated[str, Query(max_length=200, description="Text to find in names.")] = "",
) -> HTMLResponse:
    """Entities whose names match ``q`` (en/ja/ko, aliases, close spellings), by class."""
    groups: list[ResultGroup] = []
    total = 0
    if q.strip():
        hits = index.search(q)
        total = len(hits)
        groups = _grouped(hits[:_RESULTS], store, index.name_of)
    return render_page(
        request, "search.html", {"q": q, "groups": groups, "total": total, "shown": _RESULTS}
    )


def _grouped(
    hits: list[SearchHit], store: GraphStore, name_of: Callable[[str], str]
) -> list[ResultGroup]:
    nodes = analytics_of(store).graph.nodes
    cards = cards_of(store)
    grouped: dict[str, list[Result]] = {}
    for hit in hits:
        node = nodes.get(hit.slug)
        kind = str(node["type"]) if node else (hit.types[-1] if hit.types else "Other")
        card = cards.get(hit.slug, EntityCard())
        grouped.setdefault(kind, []).append(
            Result(hit.slug, name_of(hit.slug), hit.matched, card.labels, card.description)
        )
    return [ResultGroup(kind, results) for kind, results in grouped.items()]
