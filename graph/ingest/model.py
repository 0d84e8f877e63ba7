"""What ingesting a document produces: the document record and its review items.

These are plain values; :mod:`graph.ingest.turtle` writes them as the document's Turtle and
reads them back, :mod:`graph.ingest.review` changes them on an analyst's decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from graph.iris import ONTOLOGY_NS

__all__ = [
    "REVIEW_ITEM",
    "STATUSES",
    "Alternative",
    "DocumentRecord",
    "ItemKind",
    "NewEntity",
    "NewProposal",
    "Passage",
    "ReviewItem",
    "Status",
]

Status = Literal["AutoLinked", "NeedsReview", "Accepted", "Rejected"]
ItemKind = Literal["mention", "entity", "proposal"]

#: The class of a document's review items (``pg:Mention``, ``pg:EntityCandidate``,
#: ``pg:ProposalCandidate``): a review's bookkeeping, not entities of the graph. The views'
#: projection and an entity's relations leave them out; a document's ``pg:mentions`` and the
#: entities and proposals created in review carry what was decided.
REVIEW_ITEM = f"{ONTOLOGY_NS}ReviewItem"

#: Every review status, as the local names of their ``pg:`` terms.
STATUSES: tuple[Status, ...] = ("AutoLinked", "NeedsReview", "Accepted", "Rejected")

#: The letter of an item's short key (``m12``, ``c3``, ``p4``) for each kind.
KEY_LETTER: dict[ItemKind, str] = {"mention": "m", "entity": "c", "proposal": "p"}


@dataclass(frozen=True, order=True)
class Passage:
    """A locator into the document's ``source.txt``: 1-based lines and an exact quote."""

    line_start: int
    line_end: int
    quote: str


@dataclass(frozen=True)
class Alternative:
    """One entity an ambiguous name may stand for, with its score from the context."""

    entity: str
    score: float


@dataclass
class ReviewItem:
    """A mention, entity candidate or proposal candidate, and where it stands."""

    key: str
    kind: ItemKind
    status: Status
    passages: list[Passage]
    text: str | None = None
    entity: str | None = None
    alternatives: list[Alternative] = field(default_factory=list)
    suggested_class: str | None = None
    cues: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        """Waiting for an analyst's decision."""
        return self.status == "NeedsReview"

    @property
    def best_alternative(self) -> Alternative | None:
        """The alternative with the highest score (the first of equals)."""
        return max(self.alternatives, key=lambda a: a.score, default=None)


@dataclass
class NewEntity:
    """An entity an analyst created from a candidate, defined in the document's Turtle."""

    slug: str
    type_iri: str
    labels: dict[str, str]
    passages: list[Passage]


@dataclass
class NewProposal:
    """A proposal an analyst made from a proposal candidate, defined in the document's
    Turtle: titles and what it asks in the analyst's words, the candidate's passages as
    evidence, and what it involves, concerns, addresses or is about (``pg:involves``,
    ``pg:concerns``, ``pg:addresses``, ``pg:location`` → entity IRIs): the entities linked
    on the candidate's lines."""

    slug: str
    titles: dict[str, str]
    passages: list[Passage]
    asks: str | None = None
    relations: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class DocumentRecord:
    """An ingested document: its metadata, its review items, and the entities and proposals
    created in review."""

    slug: str
    title: str
    language: str
    sha256: str
    date: str | None = None
    publisher: str | None = None
    url: str | None = None
    items: list[ReviewItem] = field(default_factory=list)
    created: list[NewEntity] = field(default_factory=list)
    proposals: list[NewProposal] = field(default_factory=list)

    def evidence_of(self, slug: str) -> set[Passage]:
        """The passages of the entity or proposal ``slug`` that was created in this
        document's review: its evidence (empty for any other)."""
        made: list[NewEntity | NewProposal] = [*self.created, *self.proposals]
        return {p for thing in made if thing.slug == slug for p in thing.passages}

    def item(self, key: str) -> ReviewItem | None:
        """The item with this short key (``m12``) or full slug (``<doc>-m12``)."""
        short = key.removeprefix(f"{self.slug}-")
        return next((item for item in self.items if item.key == short), None)
