"""``/api/proposals``: the report's proposals, filtered by actor, framework, topic, section."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import StoreDep
from graph.iris import SLUG_PATTERN
from graph.query.proposals import ProposalSummary, list_proposals

router = APIRouter(prefix="/api/proposals", tags=["proposals"])


def _slug(description: str) -> object:
    return Query(pattern=SLUG_PATTERN.pattern, max_length=200, description=description)


@router.get("", response_model=list[ProposalSummary], summary="List proposals")
def get_proposals(
    store: StoreDep,
    actor: Annotated[str | None, _slug("An actor the proposal involves, e.g. kor.")] = None,
    framework: Annotated[str | None, _slug("A framework it concerns, e.g. aukus-pillar-2.")] = None,
    topic: Annotated[str | None, _slug("A topic it addresses.")] = None,
    section: Annotated[str | None, _slug("Its section, or a chapter of sections.")] = None,
) -> list[ProposalSummary]:
    """Proposals matching every filter given, in the report's summary order."""
    return list_proposals(store, actor=actor, framework=framework, topic=topic, section=section)
