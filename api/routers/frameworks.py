"""``/api/frameworks``: every framework with its members and their roles."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContextDep
from graph.query.frameworks import FrameworkSummary

router = APIRouter(prefix="/api/frameworks", tags=["frameworks"])


@router.get("", response_model=list[FrameworkSummary], summary="List frameworks")
def get_frameworks(context: ContextDep) -> list[FrameworkSummary]:
    """Frameworks (IPEF, CPTPP, AUKUS …), their kinds, parents, members and roles (read
    once per served store)."""
    return context.frameworks
