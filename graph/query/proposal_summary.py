"""A proposal as the proposal lists show it: its names, place and what it names."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from graph.query.terms import TermRef

__all__ = ["ProposalSummary"]


class ProposalSummary(BaseModel):
    """A proposal with its section and what it involves, concerns and addresses."""

    model_config = ConfigDict(frozen=True)

    slug: str
    iri: str
    label: str
    label_ja: str | None = None
    #: Its place among the report's summary bullets, where it has one.
    summary_order: int | None = None
    section: TermRef | None = None
    #: The ingested document a proposal made from it comes from (it has no section then).
    document: TermRef | None = None
    involves: list[TermRef] = []
    concerns: list[TermRef] = []
    addresses: list[TermRef] = []
    #: Where in the report it is stated (``ChapterRecommendation`` …), by local name.
    level: str | None = None
    #: The number the report prints for it within its section.
    ordinal: int | None = None
    #: What it asks for, by kind (``proposesJoining``, … ``callsOn``), non-empty kinds only,
    #: in the order of :data:`graph.query.wording.ASK_KINDS`.
    asks: dict[str, list[TermRef]] = {}
    #: The recommendation it is a point of.
    sub_proposal_of: list[TermRef] = []
    #: The places it is about.
    locations: list[TermRef] = []
