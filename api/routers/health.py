"""``GET /healthz``: is the server up, how big is the graph it serves, are its caches warm,
and do the explorer's pages show it yet (or the graph as before an edit, while it warms)."""

from __future__ import annotations

from typing import Literal

import anyio.to_thread
from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from api.deps import ContextDep
from graph.sandbox import network_sandbox
from serving.context import StoreContext
from serving.publish import Publication

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The server answers and serves this many triples."""

    status: str
    triples: int
    #: Whether the caches of the newest store (the one SPARQL answers on) are filled and
    #: the explorer's pages read them (after an edit, once the store they read before is
    #: let go of).
    warm: bool
    #: "current": the explorer's pages show the newest store; "previous": they show the
    #: last warm one (the graph as before an edit) until the newest is warm.
    pages: Literal["current", "previous"] = "current"
    #: "seccomp": the query and update workers cannot open network connections; "guard only".
    sandbox: str = Field(default_factory=network_sandbox)


@router.get("/healthz", response_model=Health)
async def healthz(request: Request, context: ContextDep) -> Health:
    """Liveness and size: the number of quads in the served dataset, whether its caches
    are warm, and which store the explorer's pages show. Answered on the event loop: the
    size is read once, at warm-up (on a remote store a ``COUNT(*)``), so nothing here
    waits."""
    publication: Publication | None = getattr(request.app.state, "publication", None)
    settled = publication is None or publication.settled()
    warm = context.warm.is_set() and settled
    triples = context.triples if context.warm.is_set() else await _triples(context)
    behind = publication is not None and publication.behind() is not None
    return Health(
        status="ok", triples=triples, warm=warm, pages="previous" if behind else "current"
    )


async def _triples(context: StoreContext) -> int:
    """The size of a store still warming, read in a thread (it may be a remote count)."""
    return await anyio.to_thread.run_sync(lambda: context.triples)
