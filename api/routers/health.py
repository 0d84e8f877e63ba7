"""``GET /healthz``: is the server up, how big is the graph it serves, are its caches warm."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import StoreDep
from api.warmup import is_warm
from graph.sandbox import network_sandbox

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The server answers and serves this many triples."""

    status: str
    triples: int
    #: Whether the caches behind the pages are filled (first visits are fast from then on).
    warm: bool
    #: "seccomp": the query and update workers cannot open network connections; "guard only".
    sandbox: str = Field(default_factory=network_sandbox)


@router.get("/healthz", response_model=Health)
def healthz(store: StoreDep) -> Health:
    """Liveness and size: the number of quads in the served dataset, and whether the
    pages' caches are warm."""
    return Health(status="ok", triples=len(store), warm=is_warm(store))
