"""``/documents``: the review queue of ingested documents, on the web.

* ``GET /documents`` — every ingested document with its counts (linked mentions, open
  candidates, ambiguous links);
* ``GET /documents/{slug}`` — its text with numbered, anchored lines (``#L12``) and the names
  marked, the open candidates and ambiguous links with their alternatives and scores, and the
  decisions taken;
* ``POST /documents/{slug}/items/{key}/{action}`` — a decision (``accept``, ``reject``,
  ``link`` with ``{"entity": …}``, ``create`` with ``{"labels": {"en": …, "ja": …},
  "class": …, "slug": …}`` for an entity candidate or ``{"titles": {"ja": …, "en": …},
  "asks": …, "slug": …}`` for a proposal candidate), made by :mod:`graph.ingest.review` —
  validated by the shapes, written atomically to the document's Turtle and served at once. It needs
  ``Authorization: Bearer <POLICYGRAPH_UPDATE_TOKEN>`` as every write (401 without, 403 when
  wrong or when the server is read-only);
* ``GET /documents/co-mentions`` — pairs of entities linked on the same lines of documents;
* ``GET /documents/search?q=…&document=…`` — the lines of the documents (or of one) that
  contain a text;
* ``GET /documents/proposals?document=…&entity=…&status=…`` — the documents' proposal
  candidates, with the entities linked on their lines;
* ``GET /api/documents?entity=…`` — the documents (and passages) that mention an entity, as
  JSON (the entity page lists them from it).

The documents are read from the server's data directories (``POLICYGRAPH_DATA``). What they
add to the graph is served at once by a server of a store on disk — after a decision here,
and within a second of one from the command line (serving/documents.py) — and is built
into the store by the next ``policygraph build``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import asdict
from typing import Annotated, Any

import anyio.to_thread
import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ContextDep, SettingsDep
from api.document_view import (
    co_mentions,
    counts,
    find_document,
    linked_entity,
    marked_lines,
    proposal_candidates,
    read_record,
    read_source,
    records,
    search_lines,
)
from api.pages import render_page
from graph.errors import (
    DataSyntaxError,
    EditRejectedError,
    PolicyGraphError,
    StoreError,
    UnknownEntityError,
    ValidationError,
)
from graph.ingest import review
from graph.ingest.gazetteer import MATCHED_CLASSES
from graph.ingest.model import DocumentRecord, ReviewItem
from graph.iris import ENTITY_BASE, ONTOLOGY_NS, is_slug
from graph.query.in_documents import curated_copy
from graph.store.port import GraphStore
from serving.context import StoreContext
from serving.edits import check_update_token
from serving.settings import Settings

__all__ = ["router"]

router = APIRouter(tags=["documents"])

_LOG = logging.getLogger(__name__)

#: One decision at a time: each reads, changes and rewrites a document's whole file.
_DECISIONS = threading.Lock()

_ACTIONS = ("accept", "reject", "link", "create")

#: The most pairs the co-mention view draws (the table lists up to 200).
_DRAWN_PAIRS = 80

#: The most matching lines a search shows.
_SEARCH_LINES = 200

_CLASSES = f"""
SELECT DISTINCT ?class WHERE {{
  ?class rdfs:subClassOf* ?root VALUES ?root {{ {" ".join(f"pg:{c}" for c in MATCHED_CLASSES)} }}
}}"""


class Decision(BaseModel):
    """What a ``link`` or ``create`` decision needs (``accept`` and ``reject``: nothing)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    entity: str | None = Field(default=None, max_length=300, description="link: the entity")
    labels: dict[str, str] = Field(
        default_factory=dict, description="create: labels by language (en, ja, ko)"
    )
    class_name: str | None = Field(
        default=None, alias="class", max_length=100, description="create: e.g. Person"
    )
    slug: str | None = Field(default=None, max_length=200, description="create: its slug")
    titles: dict[str, str] = Field(
        default_factory=dict,
        description="create from a proposal candidate: titles by language (ja and en)",
    )
    asks: str | None = Field(
        default=None,
        max_length=1000,
        description="create from a proposal candidate: what it asks, in English",
    )


def _names(
    context: StoreContext, slugs: Iterable[str], documents: Iterable[DocumentRecord]
) -> tuple[dict[str, str], set[str]]:
    """The display name of each entity of ``slugs``, and those the served store holds.

    An entity created in a review is in the store only after the next build: its name is
    then its label in the document, marked "(new)".
    """
    wanted = set(slugs)
    in_store = _in_store(context.store, wanted)
    created = {e.slug: e.labels for d in documents for e in d.created if e.slug in wanted}
    created |= {p.slug: p.titles for d in documents for p in d.proposals if p.slug in wanted}
    index = context.labels
    names: dict[str, str] = {}
    for slug in wanted:
        if slug in in_store:
            names[slug] = index.name_of(slug)
        elif slug in created:
            labels = created[slug]
            names[slug] = (labels.get("en") or next(iter(labels.values()), slug)) + " (new)"
        else:
            names[slug] = slug
    return names, in_store


def _item_entities(record: DocumentRecord) -> set[str]:
    """The slugs of every entity the document's items name (alternatives too)."""
    iris = {i.entity for i in record.items} | {
        a.entity for i in record.items for a in i.alternatives
    }
    return {iri.removeprefix(ENTITY_BASE) for iri in iris if iri is not None}


def _in_store(store: GraphStore, slugs: Iterable[str]) -> set[str]:
    """Those of ``slugs`` the served store describes (an entity created in a document is
    there only after the next build)."""
    values = " ".join(f"<{ENTITY_BASE}{s}>" for s in sorted(set(slugs)) if is_slug(s))
    if not values:
        return set()
    rows = store.query(
        f"SELECT ?e WHERE {{ VALUES ?e {{ {values} }} FILTER EXISTS {{ ?e a ?t }} }}"
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {row["e"].value.removeprefix(ENTITY_BASE) for row in rows}


def _classes(store: GraphStore) -> list[str]:
    """The classes a new entity may have (local names, sorted)."""
    rows = store.query(_CLASSES)
    assert isinstance(rows, ox.QuerySolutions)
    found = (row["class"] for row in rows)
    return sorted(c.value.removeprefix(ONTOLOGY_NS) for c in found if isinstance(c, ox.NamedNode))


@router.get("/documents", response_class=HTMLResponse, summary="The ingested documents")
def documents_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    """Every ingested document with its counts, and a link to its review page."""
    problems: list[str] = []
    rows = [(record, counts(record)) for record in records(settings.data, problems)]
    return render_page(request, "documents.html", {"rows": rows, "problems": problems})


def _problem_page(request: Request, exc: PolicyGraphError) -> HTMLResponse:
    """The page for a document that is not there (404) or cannot be read (500)."""
    missing = isinstance(exc, UnknownEntityError)
    context = {"title": "No such document" if missing else "This document cannot be read"}
    context["message"] = str(exc)
    return render_page(
        request, "documents_problem.html", context, status_code=404 if missing else 500
    )


@router.get(
    "/documents/co-mentions", response_class=HTMLResponse, summary="Entities mentioned together"
)
def co_mentions_page(
    request: Request,
    settings: SettingsDep,
    context: ContextDep,
    entity: Annotated[str, Query(max_length=200, description="Only pairs with it.")] = "",
    document: Annotated[str, Query(max_length=200, description="Only this document.")] = "",
) -> HTMLResponse:
    """Pairs of entities linked on the same lines, over all documents (or one), most first."""
    chosen = list(records(settings.data))
    if document:
        chosen = [r for r in chosen if r.slug == document]
        if not chosen:
            return _problem_page(request, UnknownEntityError(f"no ingested document {document!r}"))
    pairs = co_mentions(chosen)
    if entity:
        pairs = [p for p in pairs if entity in (p.first, p.second)]
    shown = {slug for p in pairs[:200] for slug in (p.first, p.second)}
    names, in_store = _names(context, shown, chosen)
    drawn = pairs[:_DRAWN_PAIRS]
    graph = {
        "nodes": [
            {"id": s, "label": names[s], "page": s in in_store}
            for s in sorted({x for p in drawn for x in (p.first, p.second)})
        ],
        "edges": [{"from": p.first, "to": p.second, "value": p.lines} for p in drawn],
    }
    page: dict[str, Any] = {"pairs": pairs[:200], "total": len(pairs), "names": names}
    page |= {"graph": graph, "in_store": in_store}
    page |= {"entity": entity, "document": document, "documents": [r.slug for r in chosen]}
    return render_page(request, "documents_co_mentions.html", page)


@router.get("/documents/search", response_class=HTMLResponse, summary="Search the documents' text")
def search_page(
    request: Request,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=200, description="Text to find.")] = "",
    document: Annotated[str, Query(max_length=200, description="Only this document.")] = "",
) -> HTMLResponse:
    """The lines of the ingested documents (or of one) that contain ``q``, width and case
    ignored, each linked to its place in the document."""
    if document:
        try:
            chosen = [read_record(find_document(settings.data, document), document)]
        except (UnknownEntityError, DataSyntaxError) as exc:
            return _problem_page(request, exc)
    else:
        chosen = list(records(settings.data))
    results: list[tuple[DocumentRecord, list[tuple[int, list[Any]]]]] = []
    shown = 0
    for record in chosen:
        if shown >= _SEARCH_LINES:
            break
        data_dir = find_document(settings.data, record.slug)
        hits = search_lines(read_source(data_dir, record.slug), q)[: _SEARCH_LINES - shown]
        if hits:
            results.append((record, hits))
            shown += len(hits)
    context = {"q": q, "document": document, "results": results, "shown": shown}
    return render_page(request, "documents_search.html", context | {"limit": _SEARCH_LINES})


@router.get(
    "/documents/proposals",
    response_class=HTMLResponse,
    summary="Recommendation-like sentences of the documents",
)
def proposals_page(
    request: Request,
    settings: SettingsDep,
    context: ContextDep,
    document: Annotated[str, Query(max_length=200, description="Only this document.")] = "",
    entity: Annotated[str, Query(max_length=200, description="Linked on the same lines.")] = "",
    status: Annotated[
        list[str] | None, Query(description="NeedsReview, Accepted or Rejected (repeatable).")
    ] = None,
) -> HTMLResponse:
    """The proposal candidates of the documents (or of one), with the entities linked on
    their lines; filtered by an entity and by review status."""
    if document:
        try:
            chosen = [read_record(find_document(settings.data, document), document)]
        except (UnknownEntityError, DataSyntaxError) as exc:
            return _problem_page(request, exc)
    else:
        chosen = list(records(settings.data))
    statuses = [s for s in (status or []) if s in ("NeedsReview", "Accepted", "Rejected")]
    found = proposal_candidates(chosen, entity.strip(), statuses)
    names, in_store = _names(context, {slug for c in found for slug in c.entities}, chosen)
    page = {"found": found, "names": names, "in_store": in_store}
    page |= {"document": document, "entity": entity}
    page |= {"statuses": statuses, "documents": [r.slug for r in records(settings.data)]}
    return render_page(request, "documents_proposals.html", page)


@router.get("/documents/{slug}", response_class=HTMLResponse, summary="Review a document")
def document_page(
    request: Request, slug: str, settings: SettingsDep, context: ContextDep
) -> HTMLResponse:
    """The document's text with its mentions marked, its open items and its decisions."""
    try:
        data_dir = find_document(settings.data, slug)
        record = read_record(data_dir, slug)
    except (UnknownEntityError, DataSyntaxError) as exc:
        return _problem_page(request, exc)
    lines = marked_lines(read_source(data_dir, slug), record.items)
    names, in_store = _names(context, _item_entities(record), [record])
    page: dict[str, Any] = {
        "record": record,
        "counts": counts(record),
        "lines": lines,
        "open_items": review.open_items(record),
        "to_write": [
            i
            for i in record.items
            if i.kind == "proposal" and i.status == "Accepted" and not i.entity
        ],
        "decided": [i for i in record.items if i.status in ("Accepted", "Rejected")],
        "names": names,
        "in_store": in_store,
        "classes": _classes(context.store),
        "updates": settings.update_token is not None,
        # Only a web address becomes a link (never javascript: or data:).
        "url_is_web": (record.url or "").partition(":")[0].lower() in ("http", "https"),
        "slug_of": lambda iri: iri.removeprefix(ENTITY_BASE) if iri else None,
        "linked": linked_entity,
    }
    return render_page(request, "documents_page.html", page)


def _decide(
    settings: Settings, context: StoreContext, slug: str, key: str, action: str, body: Decision
) -> ReviewItem:
    """Make the decision with the review functions, one at a time, and serve it: a server
    of a store on disk publishes a copy with the document's graph as the file now is
    (serving/documents.py). Blocks: call it in a thread.

    :raises UnknownEntityError: no such document, item, entity or action (404).
    :raises UsageError: the decision does not apply to the item (400).
    :raises EditRejectedError: the result would not conform to the shapes (422).
    """
    data_dir = find_document(settings.data, slug)
    store = context.store
    with _DECISIONS:
        try:
            if action == "accept":
                item = review.accept(data_dir, slug, key)
            elif action == "reject":
                item = review.reject(data_dir, slug, key)
            elif action == "link":
                item = review.link(data_dir, store, slug, key, body.entity or "")
            elif body.titles or body.asks:
                item = review.propose(
                    data_dir, store, slug, key, body.titles, body.asks, body.slug or None
                )
            else:
                item = review.create(
                    data_dir,
                    store,
                    slug,
                    key,
                    body.labels,
                    body.class_name or "",
                    body.slug or None,
                )
        except ValidationError as exc:
            if isinstance(exc, EditRejectedError):
                raise
            raise EditRejectedError(str(exc)) from exc
    if context.edits is not None:
        try:
            context.edits.refresh_documents()
        except StoreError as exc:  # written all the same: served after the next build
            _LOG.error("the decision on %s %s is written but not served: %s", slug, key, exc)
    return item


@router.post(
    "/documents/{slug}/items/{key}/{action}",
    summary="Decide on a mention or candidate",
    responses={
        401: {"description": "No bearer token"},
        403: {"description": "A wrong token, or the server is read-only"},
        404: {"description": "No such document, item, entity or decision"},
        422: {"description": "The result would not conform to the shapes"},
    },
)
async def decide(
    request: Request,
    slug: str,
    key: str,
    action: str,
    settings: SettingsDep,
    context: ContextDep,
    body: Decision | None = None,
) -> JSONResponse:
    """Accept, reject, link or create; written to the document's Turtle and served at once."""
    check_update_token(settings, request.headers.get("authorization"))
    if action not in _ACTIONS:
        raise UnknownEntityError(f"no decision {action!r}: accept, reject, link or create")
    decision = body or Decision()
    item = await anyio.to_thread.run_sync(
        lambda: _decide(settings, context, slug, key, action, decision)
    )
    entity = item.entity.removeprefix(ENTITY_BASE) if item.entity else None
    return JSONResponse({"item": item.key, "status": item.status, "entity": entity})


@router.get("/api/documents", summary="Documents, or those that mention an entity")
def documents_api(
    settings: SettingsDep,
    context: ContextDep,
    entity: Annotated[
        str, Query(max_length=200, description="An entity slug: its mentions only.")
    ] = "",
) -> dict[str, object]:
    """The ingested documents with their counts; with ``entity``, only those whose linked
    mentions name it, each with the passages (not the report ingested again, nor the
    passages of an entity created in a document's review: they are the entity's evidence)."""
    if entity and not is_slug(entity):
        raise UnknownEntityError(f"{entity!r} is not an entity slug")
    found: list[dict[str, object]] = []
    problems: list[str] = []
    for record in records(settings.data, problems):
        if entity and curated_copy(context.store, record.slug, record.sha256, context.memo):
            continue
        about: dict[str, object] = {
            "slug": record.slug,
            "title": record.title,
            "language": record.language,
            "date": record.date,
            "counts": asdict(counts(record)),
        }
        if entity:
            passages = sorted(
                {p for i in record.items if linked_entity(i) == entity for p in i.passages}
                - record.evidence_of(entity)
            )
            if not passages:
                continue
            about["passages"] = [asdict(p) for p in passages]
        found.append(about)
    return {"entity": entity or None, "documents": found, "unreadable": problems}
