"""``/api/analysis/{measure}`` and ``/api/paths``: the network measures of
:mod:`graph.analysis` over HTTP, computed once per served store (:class:`serving.context.StoreContext`).

* ``centrality`` — degree, betweenness and eigenvector of each entity (``by`` ranks);
* ``communities`` — seeded Louvain communities, largest first;
* ``overlap`` — the Jaccard overlap of the frameworks' member sets, as a matrix; member
  lists marked partial are left out (and named, with a ``note``) unless
  ``include_partial=true``;
* ``brokers`` — entities that bridge communities (by default actors);
* ``/api/paths?source=&target=&max=`` — the shortest connections, explained relation by
  relation with evidence.

``type`` keeps entities of a ``pg:`` class or its subclasses (repeatable); an unknown class
is 400, an unknown slug 404. Each answer is bounded work (:mod:`api.heavy`): computed in a
thread, a few at once, cached by its parameters; past the queue, 503 with ``Retry-After``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, TypeAdapter

from api.deps import ContextDep
from api.heavy import Busy, busy_response, lanes_of
from graph.analysis import Evidence, Provenance, partial_note
from graph.iris import SLUG_PATTERN
from serving.context import StoreContext

__all__ = ["router"]

router = APIRouter(tags=["analysis"])

TypeParam = Annotated[
    list[str] | None,
    Query(
        alias="type",
        max_length=20,
        description="Keep entities of this pg: class or its subclasses (repeatable).",
    ),
]
TopParam = Annotated[int | None, Query(ge=1, le=10_000, description="The first N rows.")]


class CentralityRow(BaseModel):
    """The centralities of one entity, each in [0, 1]."""

    slug: str
    label: str
    type: str
    degree: float
    betweenness: float
    eigenvector: float


class CommunityRow(BaseModel):
    """A community: its number (1 = largest), its most central member, its members."""

    number: int
    label: str
    label_text: str
    size: int
    members: list[str]


class BrokerRow(BaseModel):
    """An entity whose ties reach into several communities."""

    slug: str
    label: str
    type: str
    communities: int
    participation: float
    betweenness: float
    score: float


class OverlapPair(BaseModel):
    """Two frameworks, their shared members and the Jaccard index of their member sets."""

    first: str
    second: str
    shared: int
    union: int
    jaccard: float


class OverlapResult(BaseModel):
    """The overlap matrix: ``values[i][j]`` is the Jaccard index of frameworks i and j."""

    frameworks: list[str]
    labels: list[str]
    members: list[int]
    values: list[list[float]]
    pairs: list[OverlapPair]
    #: Frameworks left out because their member lists are partial (``include_partial``
    #: false), by slug.
    partial_left_out: list[str] = []
    #: One line saying what was left out, or ``None`` when nothing was.
    note: str | None = None


class PathEvidence(BaseModel):
    """A passage of a document (line range and quote) or an outside source."""

    lines: str
    quote: str
    source: str
    as_of: str
    #: The slug of the passage's document (``pg:inDocument``); empty for an outside source.
    document: str = ""
    #: That document's title (English where it has one).
    document_title: str = ""


class PathRelation(BaseModel):
    """One relation of a step, with its direction along the path."""

    subject: str
    predicate: str
    object: str
    forward: bool
    evidence: list[PathEvidence]


class PathStep(BaseModel):
    """From one entity to the next, and every relation between them."""

    start: str
    end: str
    relations: list[PathRelation]


class PathResult(BaseModel):
    """One shortest connection, explained."""

    nodes: list[str]
    labels: list[str]
    steps: list[PathStep]


class PathsResult(BaseModel):
    """The shortest connections between two entities, shortest first."""

    source: str
    target: str
    paths: list[PathResult]


async def _bounded(
    request: Request,
    context: StoreContext,
    key: Hashable,
    compute: Callable[[], BaseModel | list[Any]],
) -> Response:
    """``compute()`` as JSON, computed in a thread of the app's bounded lane (a few at once,
    cached by ``key``; 503 with ``Retry-After`` past the queue)."""

    def encoded() -> bytes:
        value = compute()
        if isinstance(value, BaseModel):
            return value.model_dump_json().encode()
        return _ROWS.dump_json(value)

    async def in_thread() -> bytes:
        return await anyio.to_thread.run_sync(encoded)

    try:
        body = await lanes_of(request.app).queries.run(context, key, in_thread)
    except Busy as exc:
        return busy_response(exc)
    return Response(body, media_type="application/json")


_ROWS: TypeAdapter[list[Any]] = TypeAdapter(list[Any])


def _types(types: list[str] | None) -> tuple[str, ...]:
    return tuple(sorted(set(types or ())))


@router.get("/api/analysis/centrality", response_model=list[CentralityRow], summary="Centrality")
async def centrality(
    request: Request,
    context: ContextDep,
    types: TypeParam = None,
    top: TopParam = None,
    by: Annotated[
        Literal["degree", "betweenness", "eigenvector"], Query(description="Rank by.")
    ] = "degree",
) -> Response:
    """Degree, betweenness and eigenvector centrality, most central first."""

    def compute() -> list[CentralityRow]:
        rows = context.analytics.centrality(types=types, top=top, by=by)
        return [CentralityRow(**vars(row)) for row in rows]

    return await _bounded(request, context, ("centrality", _types(types), top, by), compute)


@router.get("/api/analysis/communities", response_model=list[CommunityRow], summary="Communities")
async def communities(
    request: Request, context: ContextDep, types: TypeParam = None, top: TopParam = None
) -> Response:
    """Louvain communities (seeded, reproducible), largest first."""

    def compute() -> list[CommunityRow]:
        analytics = context.analytics
        return [
            CommunityRow(
                number=c.number,
                label=c.label,
                label_text=analytics.label(c.label),
                size=c.size,
                members=list(c.members),
            )
            for c in analytics.communities(types=types, top=top)
        ]

    return await _bounded(request, context, ("communities", _types(types), top), compute)


@router.get("/api/analysis/brokers", response_model=list[BrokerRow], summary="Brokers")
async def brokers(
    request: Request, context: ContextDep, types: TypeParam = None, top: TopParam = None
) -> Response:
    """Entities bridging communities (by default actors), best brokers first."""

    def compute() -> list[BrokerRow]:
        found = context.analytics.brokers(types=types or ("Actor",), top=top)
        return [BrokerRow(**vars(b)) for b in found]

    return await _bounded(request, context, ("brokers", _types(types), top), compute)


IncludePartialParam = Annotated[
    bool,
    Query(description="Also compare frameworks whose member lists are marked partial."),
]


@router.get("/api/analysis/overlap", response_model=OverlapResult, summary="Framework overlap")
async def overlap(
    request: Request,
    context: ContextDep,
    types: TypeParam = None,
    include_partial: IncludePartialParam = False,
) -> Response:
    """The Jaccard overlap of the member sets of frameworks with two or more members;
    partial member lists are left out (and named) unless ``include_partial=true``."""

    def compute() -> OverlapResult:
        analytics = context.analytics
        matrix = analytics.overlap(types=types, include_partial=include_partial)
        left_out = matrix.partial_left_out
        return OverlapResult(
            frameworks=list(matrix.frameworks),
            labels=[analytics.label(f) for f in matrix.frameworks],
            members=[len(m) for m in matrix.members],
            values=[list(row) for row in matrix.values],
            pairs=[OverlapPair(**vars(p)) for p in matrix.pairs()],
            partial_left_out=list(left_out),
            note=partial_note(len(left_out), "include_partial=true") if left_out else None,
        )

    key = ("overlap", _types(types), include_partial)
    return await _bounded(request, context, key, compute)


def _slug(description: str) -> object:
    return Query(pattern=SLUG_PATTERN.pattern, max_length=200, description=description)


@router.get("/api/paths", response_model=PathsResult, summary="Explained paths")
async def paths(
    request: Request,
    context: ContextDep,
    source: Annotated[str, _slug("One end, e.g. kor.")],
    target: Annotated[str, _slug("The other end, e.g. aukus-pillar-2.")],
    max: Annotated[int, Query(ge=1, le=10, description="At most this many paths.")] = 3,
) -> Response:
    """The shortest connections from ``source`` to ``target``, each relation with evidence."""
    return await _bounded(
        request,
        context,
        ("paths", source, target, max),
        lambda: explained(context, source, target, max),
    )


def explained(context: StoreContext, source: str, target: str, most: int) -> PathsResult:
    """The ``most`` shortest connections from ``source`` to ``target``, explained."""
    from graph.analysis import explain_paths

    analytics = context.analytics
    found = explain_paths(
        analytics.graph, source, target, provenance=analytics.provenance, max_paths=most
    )
    return PathsResult(
        source=source,
        target=target,
        paths=[
            PathResult(
                nodes=list(path.nodes),
                labels=[analytics.label(n) for n in path.nodes],
                steps=[
                    PathStep(
                        start=step.start,
                        end=step.end,
                        relations=[
                            PathRelation(
                                subject=r.subject,
                                predicate=r.predicate,
                                object=r.object,
                                forward=r.forward,
                                evidence=[_evidence(e, analytics.provenance) for e in r.evidence],
                            )
                            for r in step.relations
                        ],
                    )
                    for step in path.steps
                ],
            )
            for path in found
        ],
    )


def _evidence(e: Evidence, provenance: Provenance) -> PathEvidence:
    return PathEvidence(
        lines=e.lines,
        quote=e.quote,
        source=e.source,
        as_of=e.as_of,
        document=e.document,
        document_title=provenance.document(e.document).title("en") if e.document else "",
    )
