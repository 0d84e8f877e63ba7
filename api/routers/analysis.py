"""``/api/analysis/{measure}`` and ``/api/paths``: the network measures of
:mod:`graph.analysis` over HTTP, computed once per store (:mod:`api.analytics`).

* ``centrality`` — degree, betweenness and eigenvector of each entity (``by`` ranks);
* ``communities`` — seeded Louvain communities, largest first;
* ``overlap`` — the Jaccard overlap of the frameworks' member sets, as a matrix;
* ``brokers`` — entities that bridge communities (by default actors);
* ``/api/paths?source=&target=&max=`` — the shortest connections, explained relation by
  relation with evidence.

``type`` keeps entities of a ``pg:`` class or its subclasses (repeatable); an unknown class
is 400, an unknown slug 404.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.analytics import analytics_of
from api.deps import StoreDep
from graph.analysis import Evidence
from graph.iris import SLUG_PATTERN

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


class PathEvidence(BaseModel):
    """A passage of the report (line range and quote) or an outside source."""

    lines: str
    quote: str
    source: str
    as_of: str


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


@router.get("/api/analysis/centrality", response_model=list[CentralityRow], summary="Centrality")
def centrality(
    store: StoreDep,
    types: TypeParam = None,
    top: TopParam = None,
    by: Annotated[
        Literal["degree", "betweenness", "eigenvector"], Query(description="Rank by.")
    ] = "degree",
) -> list[CentralityRow]:
    """Degree, betweenness and eigenvector centrality, most central first."""
    rows = analytics_of(store).centrality(types=types, top=top, by=by)
    return [CentralityRow(**vars(row)) for row in rows]


@router.get("/api/analysis/communities", response_model=list[CommunityRow], summary="Communities")
def communities(
    store: StoreDep, types: TypeParam = None, top: TopParam = None
) -> list[CommunityRow]:
    """Louvain communities (seeded, reproducible), largest first."""
    analytics = analytics_of(store)
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


@router.get("/api/analysis/brokers", response_model=list[BrokerRow], summary="Brokers")
def brokers(store: StoreDep, types: TypeParam = None, top: TopParam = None) -> list[BrokerRow]:
    """Entities bridging communities (by default actors), best brokers first."""
    found = analytics_of(store).brokers(types=types or ("Actor",), top=top)
    return [BrokerRow(**vars(b)) for b in found]


@router.get("/api/analysis/overlap", response_model=OverlapResult, summary="Framework overlap")
def overlap(store: StoreDep, types: TypeParam = None) -> OverlapResult:
    """The Jaccard overlap of the member sets of frameworks with two or more members."""
    analytics = analytics_of(store)
    matrix = analytics.overlap(types=types)
    return OverlapResult(
        frameworks=list(matrix.frameworks),
        labels=[analytics.label(f) for f in matrix.frameworks],
        members=[len(m) for m in matrix.members],
        values=[list(row) for row in matrix.values],
        pairs=[OverlapPair(**vars(p)) for p in matrix.pairs()],
    )


def _slug(description: str) -> object:
    return Query(pattern=SLUG_PATTERN.pattern, max_length=200, description=description)


@router.get("/api/paths", response_model=PathsResult, summary="Explained paths")
def paths(
    store: StoreDep,
    source: Annotated[str, _slug("One end, e.g. kor.")],
    target: Annotated[str, _slug("The other end, e.g. aukus-pillar-2.")],
    max: Annotated[int, Query(ge=1, le=10, description="At most this many paths.")] = 3,
) -> PathsResult:
    """The shortest connections from ``source`` to ``target``, each relation with evidence."""
    from graph.analysis import explain_paths

    analytics = analytics_of(store)
    found = explain_paths(
        analytics.graph, source, target, provenance=analytics.provenance, max_paths=max
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
                                evidence=[_evidence(e) for e in r.evidence],
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


def _evidence(e: Evidence) -> PathEvidence:
    return PathEvidence(lines=e.lines, quote=e.quote, source=e.source, as_of=e.as_of)
