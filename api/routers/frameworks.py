"""``/api/frameworks``: every framework with its members and their roles."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from graph.query.frameworks import FrameworkSummary, list_frameworks

router = APIRouter(prefix="/api/frameworks", tags=["frameworks"])


@router.get("", response_model=list[FrameworkSummary], summary="List frameworks")
def get_frameworks(store: StoreDep) -> list[FrameworkSummary]:
    """Frameworks (IPEF, CPTPP, AUKUS …), their kinds, parents, members and roles."""
    return list_frameworks(store)
