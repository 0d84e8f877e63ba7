"""Keeping an analyst's decisions when a document is ingested again (``--replace``).

An item of the new ingest that is the same as an item of the old one — same kind, same
name or cues, same first passage (lines and quote) — takes over the old item's decision
(accepted or rejected, and the entity it was linked to); an entity created from it in review
or a proposal made from it is kept, with the new item's passages as its evidence. Items the
analyst had not decided on are found afresh.
"""

from __future__ import annotations

from dataclasses import replace

from graph.ingest.model import DocumentRecord, NewEntity, ReviewItem
from graph.iris import entity_iri

__all__ = ["carry_over"]

_DECIDED = ("Accepted", "Rejected")


def _identity(item: ReviewItem) -> tuple[object, ...]:
    first = item.passages[0] if item.passages else None
    return (item.kind, item.text, tuple(item.cues), first)


def carry_over(old: DocumentRecord, new: DocumentRecord) -> int:
    """Copy the decisions of ``old`` onto the same items of ``new``; the number kept."""
    decided = {_identity(i): i for i in old.items if i.status in _DECIDED}
    created = {entity_iri(e.slug): e for e in old.created}
    made = {entity_iri(p.slug): p for p in old.proposals}
    kept = 0
    for item in new.items:
        before = decided.get(_identity(item))
        if before is None:
            continue
        item.status = before.status
        item.entity = before.entity if before.entity is not None else item.entity
        if item.status == "Accepted" and item.entity in created:
            entity = created.pop(item.entity)
            new.created.append(
                NewEntity(entity.slug, entity.type_iri, entity.labels, list(item.passages))
            )
        if item.status == "Accepted" and item.entity in made:
            new.proposals.append(replace(made.pop(item.entity), passages=list(item.passages)))
        kept += 1
    return kept
