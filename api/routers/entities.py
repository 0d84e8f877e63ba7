"""``/api/entities``: search entities by name (limited to documents if asked); describe one
entity."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from api.deps import ContextDep, LabelIndexDep, StoreDep
from graph.iris import SLUG_PATTERN, entity_iri
from graph.query.entity import EntityDescription, describe_entity
from graph.query.in_documents import entities_in, resolve_documents
from graph.query.resolve import specific_type
from graph.query.search import MatchKind

router = APIRouter(prefix="/api/entities", tags=["entities"])

_ERROR: dict[int | str, dict[str, Any]] = {
    404: {"description": "No entity has this slug", "content": {"application/json": {}}}
}


class EntityHit(BaseModel):
    """An entity found by a search, and the label that matched."""

    slug: str
    iri: str
    label: str
    matched: str
    lang: str
    match: MatchKind
    types: list[str]
    type: str = ""


class EntitySearch(BaseModel):
    """One page of search results, best first."""

    total: int
    limit: int
    offset: int
    results: list[EntityHit]


@router.get("", response_model=EntitySearch, summary="Search entities by name")
def search_entities(
    index: LabelIndexDep,
    context: ContextDep,
    q: Annotated[
        str, Query(max_length=200, description="Text to find in labels and other names.")
    ] = "",
    type: Annotated[
        str | None,
        Query(pattern=r"^[A-Z][A-Za-z0-9]*$", description="A pg: class, e.g. Country."),
    ] = None,
    lang: Annotated[
        Literal["en", "ja", "ko"] | None, Query(description="Match labels in this language.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    document: Annotated[
        list[str] | None,
        Query(
            max_length=50,
            description="Only entities mentioned in, or with a passage in, one of these "
            "documents (slugs or titles), e.g. document=jkvg2025.",
        ),
    ] = None,
) -> EntitySearch:
    """Search ``rdfs:label`` and ``skos:altLabel`` (en, ja, ko): exact matches first, then
    prefixes, then substrings, then (Latin script) close spellings; within each, actors,
    frameworks and places first, then the better connected (``type``: the most specific
    class). A ``document`` that names no document is 404, one naming several 400."""
    hits = index.search(q, type=type, lang=lang)
    if wanted := [value.strip() for value in document or () if value.strip()]:
        store, memo = context.store, context.memo
        inside = entities_in(store, resolve_documents(store, wanted, memo), memo)
        hits = [hit for hit in hits if hit.slug in inside]
    page = hits[offset : offset + limit]
    return EntitySearch(
        total=len(hits),
        limit=limit,
        offset=offset,
        results=[
            EntityHit(
                slug=hit.slug,
                iri=entity_iri(hit.slug),
                label=index.name_of(hit.slug),
                matched=hit.matched,
                lang=hit.lang,
                match=hit.match,
                types=list(hit.types),
                type=specific_type(hit.types),
            )
            for hit in page
        ],
    )


@router.get(
    "/{slug}", response_model=EntityDescription, responses=_ERROR, summary="Describe an entity"
)
def get_entity(
    slug: Annotated[str, Path(pattern=SLUG_PATTERN.pattern, max_length=200)], store: StoreDep
) -> EntityDescription:
    """Labels, types, description, relations both ways, memberships, affiliations, evidence."""
    return describe_entity(store, slug)
