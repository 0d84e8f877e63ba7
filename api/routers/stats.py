"""``/api/stats``: how big the graph is — quads per named graph, entities per class."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import StoreDep
from graph.stats import class_counts, graph_sizes

router = APIRouter(prefix="/api/stats", tags=["stats"])


class GraphStats(BaseModel):
    """The size of the served dataset."""

    quads: int
    #: Quads per named graph (``curated``, ``inferred`` …).
    graphs: dict[str, int]
    #: Distinct instances per ``pg:`` class, type closure included, largest first.
    classes: dict[str, int]


@router.get("", response_model=GraphStats, summary="Graph statistics")
def get_stats(store: StoreDep) -> GraphStats:
    """Quads per named graph and entities per class."""
    return GraphStats(quads=len(store), graphs=graph_sizes(store), classes=class_counts(store))
