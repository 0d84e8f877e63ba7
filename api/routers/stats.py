"""``/api/stats``: how big the graph is — quads per named graph, entities per class."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import ContextDep
from graph.stats import graph_sizes

router = APIRouter(prefix="/api/stats", tags=["stats"])


class GraphStats(BaseModel):
    """The size of the served dataset."""

    quads: int
    #: Quads per named graph (``curated``, ``inferred`` …).
    graphs: dict[str, int]
    #: Distinct instances per ``pg:`` class, type closure included, largest first.
    classes: dict[str, int]


@router.get("", response_model=GraphStats, summary="Graph statistics")
def get_stats(context: ContextDep) -> GraphStats:
    """Quads per named graph and entities per class (read once per served store)."""
    graphs = context.memo.get("graph_sizes", lambda: graph_sizes(context.store))
    return GraphStats(quads=context.triples, graphs=graphs, classes=context.class_counts)
