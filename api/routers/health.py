"""``GET /healthz``: is the server up, and how big is the graph it serves."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import StoreDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The server answers and serves this many triples."""

    status: str
    triples: int


@router.get("/healthz", response_model=Health)
def healthz(store: StoreDep) -> Health:
    """Liveness and size: the number of quads in the served dataset."""
    return Health(status="ok", triples=len(store))
