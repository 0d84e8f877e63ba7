"""``/api/proposals``: the report's proposals, filtered by the finder's facets.

The parameters are those of the proposal finder (``/proposals``): :func:`selection_of`
reads them for both routes. A repeated parameter gives several values; ``actors`` and
``frameworks`` say whether a proposal needs all of them or any one; several ``document``
values keep a proposal with a passage in any one of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from api.deps import ContextDep
from graph.errors import UsageError
from graph.query.finder import FACETS, MOST_CHARACTERS, Mode, Selection, resolve_selection
from graph.query.proposals import ProposalSummary, find_proposals

__all__ = ["SelectionDep", "finder_selection", "router", "selection_of"]

router = APIRouter(prefix="/api/proposals", tags=["proposals"])

#: The most values a facet takes in one request.
_MOST_VALUES = 50


def _values(description: str) -> object:
    return Query(max_length=_MOST_VALUES, description=description)


def _terms(facet: str) -> str:
    return ", ".join(FACETS[facet].terms)


def selection_of(
    actor: Annotated[
        list[str] | None,
        _values("Actors it involves (slugs or names), e.g. actor=jpn&actor=Korea."),
    ] = None,
    actors: Annotated[
        Mode, Query(description="all: it involves every actor given; any: at least one.")
    ] = "all",
    framework: Annotated[
        list[str] | None, _values("Frameworks it concerns (slugs), e.g. aukus-pillar-2.")
    ] = None,
    frameworks: Annotated[
        Mode, Query(description="all: it concerns every framework given; any: at least one.")
    ] = "all",
    member_of: Annotated[
        list[str] | None,
        _values("It concerns a framework this actor belongs to (a slug), e.g. aus."),
    ] = None,
    as_of: Annotated[
        date | None,
        Query(
            description="member_of as of this date (YYYY-MM-DD), from the memberships' "
            "dates and status; without it, current membership (pg:memberOf)."
        ),
    ] = None,
    ask: Annotated[
        list[str] | None, _values(f"What it asks for, every one given: {_terms('ask')}.")
    ] = None,
    topic: Annotated[list[str] | None, _values("Topics it addresses (slugs).")] = None,
    part: Annotated[list[str] | None, _values("The part (chapter) of the report.")] = None,
    section: Annotated[
        list[str] | None, _values("Its section (a chapter matches its sections too).")
    ] = None,
    level: Annotated[
        list[str] | None, _values(f"Where the report states it: {_terms('level')}.")
    ] = None,
    status: Annotated[
        list[str] | None,
        _values(f"It concerns a framework of this status: {_terms('status')}."),
    ] = None,
    document: Annotated[
        list[str] | None,
        _values(
            "It has a passage in one of these documents (slugs or titles), e.g. "
            "document=jkvg2025 (the report) or an ingested document's slug."
        ),
    ] = None,
) -> Selection:
    """The finder's selection from the request's parameters.

    :raises HTTPException: 422, a value is not a slug or not one of its facet's terms.
    :raises UsageError: a value is too long (400).
    """
    given = {
        "actor": actor, "framework": framework, "member_of": member_of, "ask": ask,
        "topic": topic, "part": part, "section": section, "level": level, "status": status,
        "document": document, "actors": [actors], "frameworks": [frameworks],
    }  # fmt: skip
    _refuse_long_values(given)
    try:
        return Selection.of({k: v for k, v in given.items() if v}, as_of)
    except UsageError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


def _refuse_long_values(params: Mapping[str, Sequence[str | None] | None]) -> None:
    """A value longer than the finder takes is refused with 400 and one line, as ``/search``
    and ``/api/entities`` refuse one (the handler of :class:`UsageError`)."""
    for name, values in params.items():
        if any(value and len(value) > MOST_CHARACTERS for value in values or ()):
            raise UsageError(f"{name}: a value is longer than {MOST_CHARACTERS} characters")


#: The parameters the old single-valued filters of ``/viz/proposals`` cover.
_SIMPLE = ("section", "actor", "framework", "topic")


def finder_selection(request: Request) -> Selection | None:
    """The finder's selection of a ``/viz/proposals`` URL that needs more than the view's
    own filters (one section, actor, framework, topic each); else ``None``.

    :raises HTTPException: 422, as :func:`selection_of`.
    :raises UsageError: a value is too long (400).
    """
    query = request.query_params
    names = [*FACETS, "actors", "frameworks", "as_of"]
    if all(key in _SIMPLE and len(query.getlist(key)) == 1 for key in names if key in query):
        return None
    _refuse_long_values({key: query.getlist(key) for key in names})
    try:
        as_of = date.fromisoformat(query["as_of"]) if query.get("as_of") else None
        return Selection.of({key: query.getlist(key) for key in names}, as_of)
    except (UsageError, ValueError) as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


#: The selection a route filters by.
SelectionDep = Annotated[Selection, Depends(selection_of)]


@router.get("", response_model=list[ProposalSummary], summary="List proposals")
def get_proposals(context: ContextDep, selection: SelectionDep) -> list[ProposalSummary]:
    """Proposals matching every facet given, in the report's summary order.

    Actors, frameworks, topics, parts, sections and documents are taken by slug or by name
    (English, Japanese, Korean, an alias): a name of several entities is 400, of none (or a
    document value that is no document) 404, each listing the closest entities. Several
    documents keep the proposals with a passage in any one of them. The rows are those of the finder (``/proposals``) and of
    its "open in the workbench" query.
    """
    store, memo = context.store, context.memo
    return find_proposals(store, resolve_selection(store, selection, memo), memo)
