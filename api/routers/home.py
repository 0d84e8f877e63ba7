"""The explorer's front door: ``/`` (search box and entry points) and ``/search?q=``.

Search reuses the ranking of ``/api/entities`` (:class:`graph.query.search.LabelIndex`);
results are grouped by the entity's most specific class, best group first. ``document``
(repeatable) limits the results to the entities in any of those documents — mentioned
there, or with a passage there (:mod:`graph.query.in_documents`); the page lists the
documents with how many of the results are in each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import PageContextDep, PageLabelIndexDep
from api.pages import render_page
from graph.query.cards import EntityCard
from graph.query.in_documents import resolve_documents
from graph.query.resolve import AmbiguousEntityError, EntityNameError
from graph.query.search import LabelIndex, SearchHit
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


@dataclass(frozen=True)
class DocumentChoice:
    """A document the search can be limited to: how many results are in it, and whether
    it is chosen."""

    slug: str
    title: str
    count: int
    chosen: bool


@dataclass(frozen=True)
class Refused:
    """A document value that names no document or several, and the documents it may mean."""

    text: str
    ambiguous: bool
    options: list[tuple[str, str]]  #: (title, slug)


@router.get("/", response_class=HTMLResponse, summary="The explorer's home page")
def home(request: Request, context: PageContextDep) -> HTMLResponse:
    """Search, frameworks, the report's outline, the most central actors, the graph's size."""
    analytics = context.analytics
    counts = context.class_counts
    frameworks = sorted(context.frameworks, key=lambda f: (-f.full_members, f.label.casefold()))
    catalogue = context.catalogue
    return render_page(
        request,
        "home.html",
        {
            "triples": context.triples,
            "sizes": [(name, counts.get(name, 0)) for name in _SIZES],
            "frameworks": [f for f in frameworks if f.full_members][:16],
            "framework_total": len(frameworks),
            "outline": catalogue.outline,
            "by_section": context.section_links,  # made at warm-up
            "from_documents": catalogue.from_documents(),
            "central": analytics.most_connected(types=["Actor"], top=10),
        },
    )


@router.get("/search", response_class=HTMLResponse, summary="Search results")
def search(
    request: Request,
    context: PageContextDep,
    index: PageLabelIndexDep,
    q: Annotated[str, Query(max_length=200, description="Text to find in names.")] = "",
    document: Annotated[
        list[str] | None,
        Query(max_length=50, description="Only entities in one of these documents."),
    ] = None,
) -> HTMLResponse:
    """Entities whose names match ``q`` (en/ja/ko, aliases, close spellings), by class;
    with ``document``, only those in one of the documents (every one with an empty ``q``).

    A document value that names no document (404) or several (300) is left out, and the
    page says so with the documents it may mean."""
    chosen, refused = _chosen_documents(context, index, document or [])
    by_document = context.entities_by_document  # read at warm-up
    groups: list[ResultGroup] = []
    total = 0
    hits: list[SearchHit] = []
    if q.strip() or chosen:
        hits = index.search(q)
    found = {hit.slug for hit in hits}
    documents = [
        DocumentChoice(slug, index.name_of(slug), len(found & inside), slug in chosen)
        for slug, inside in by_document.items()
    ]
    if chosen:
        inside = frozenset().union(*(by_document.get(slug, frozenset()) for slug in chosen))
        hits = [hit for hit in hits if hit.slug in inside]
    if hits:
        total = len(hits)
        groups = _grouped(hits[:_RESULTS], context, index.name_of)
    status = 200
    if refused:
        status = 300 if any(r.ambiguous for r in refused) else 404
    return render_page(
        request,
        "search.html",
        {
            "q": q, "groups": groups, "total": total, "shown": _RESULTS,
            "documents": documents, "chosen": [index.name_of(slug) for slug in chosen],
            "refused": refused,
        },
        status_code=status,
    )  # fmt: skip


def _chosen_documents(
    context: StoreContext, index: LabelIndex, values: list[str]
) -> tuple[tuple[str, ...], list[Refused]]:
    """The slugs of the documents ``values`` name, and the values that name none or several."""
    chosen: list[str] = []
    refused: list[Refused] = []
    for value in dict.fromkeys(v.strip() for v in values if v.strip()):
        try:
            chosen += resolve_documents(context.store, [value], context.memo)
        except EntityNameError as exc:
            options = [(c.label or c.slug, c.slug) for c in exc.candidates]
            refused.append(Refused(value, isinstance(exc, AmbiguousEntityError), options))
    return tuple(dict.fromkeys(chosen)), refused


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
