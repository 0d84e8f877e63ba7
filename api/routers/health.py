"""``GET /healthz``: is the server up, how big is the graph it serves, are its caches warm."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import ContextDep
from graph.sandbox import network_sandbox
from serving.context import StoreContext

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
async def healthz(context: ContextDep) -> Health:
    """Liveness and size: the number of quads in the served dataset, and whether the
    pages' caches are warm. Answered on the event loop: the size is read once, at warm-up
    (on a remote store a ``COUNT(*)``), so nothing here waits."""
    triples = context.triples if context.warm.is_set() else await _triples(context)
    return Health(status="ok", triples=triples, warm=context.warm.is_set())


async def _triples(context: StoreContext) -> int:
    """The size of a store still warming, read in a thread (it may be a remote count)."""
    return await anyio.to_thread.run_sync(lambda: context.triples)
