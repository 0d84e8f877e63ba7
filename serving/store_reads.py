"""What a served store's pages read from the store alone, once: :class:`StoreReads`.

These reads need neither the projection nor the server's settings, only the store and a
:class:`~graph.memo.Memo` to keep them in — so a child process that opens the store's
directory can make them as well as the server can (:mod:`serving.store_lane`), and hand
back the same values. :class:`serving.context.StoreContext` is a :class:`StoreReads` with
the projection, the edits and the warm-up around it.

>>> from graph.store import OxigraphStore
>>> reads = StoreReads(OxigraphStore.memory())
>>> reads.triples, reads.class_counts
(0, {})
>>> [name for name, _ in reads.store_lane()][:2]
['store size', 'proposal catalogue']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from graph.memo import Memo
from graph.query.cards import EntityCards, entity_cards
from graph.query.frameworks import FrameworkSummary, list_frameworks
from graph.query.in_documents import entities_by_document
from graph.query.ontology_terms import OntologyTerm, ontology_terms
from graph.query.resolve import label_index
from graph.query.search import LabelIndex
from graph.stats import class_counts
from graph.store.port import GraphStore
from serving.catalogue import ProposalCatalogue

__all__ = ["StoreReads", "WarmStep"]

#: A step of the warm-up: its name in the log, and what it reads.
WarmStep: TypeAlias = tuple[str, Callable[[], object]]


class StoreReads:
    """The values read once from ``store`` alone, each kept in ``memo`` under its key."""

    def __init__(self, store: GraphStore, memo: Memo | None = None) -> None:
        self.store = store
        self.memo = Memo() if memo is None else memo

    @property
    def triples(self) -> int:
        """The number of quads served (read once: the store does not change)."""
        return self.memo.get("triples", lambda: len(self.store))

    @property
    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs that hold data (every query's guard reads them)."""
        return self.memo.get("graph_names", self.store.graph_names)

    @property
    def labels(self) -> LabelIndex:
        """The label index (search, name resolution)."""
        return label_index(self.store, self.memo)

    @property
    def catalogue(self) -> ProposalCatalogue:
        """Every proposal with what the proposal browser filters and shows."""
        return self.memo.get("catalogue", lambda: ProposalCatalogue.read(self.store, self.memo))

    @property
    def cards(self) -> EntityCards:
        """The entity cards of the home page and search, by slug."""
        return self.memo.get("cards", lambda: entity_cards(self.store))

    @property
    def entities_by_document(self) -> dict[str, frozenset[str]]:
        """The entities in each document (the search page counts its results in each)."""
        return entities_by_document(self.store, self.memo)

    @property
    def frameworks(self) -> list[FrameworkSummary]:
        """Every framework with its member counts."""
        return self.memo.get("frameworks", lambda: list_frameworks(self.store))

    @property
    def class_counts(self) -> dict[str, int]:
        """How many entities each class has."""
        return self.memo.get("class_counts", lambda: class_counts(self.store))

    @property
    def ontology_terms(self) -> list[OntologyTerm]:
        """The ontology's classes and properties (the workbench's completions)."""
        return self.memo.get("ontology_terms", lambda: ontology_terms(self.store))

    def store_lane(self) -> list[WarmStep]:
        """The warm-up's reads of the store alone, in order, each named as its log line
        names it: what :mod:`serving.store_lane` makes in a child process."""
        return [
            ("store size", lambda: self.triples),
            ("proposal catalogue", lambda: self.catalogue),
            ("label index", lambda: self.labels),
            ("framework table", lambda: self.frameworks),
            ("documents' entities", lambda: self.entities_by_document),
            ("entity cards", lambda: self.cards),
            ("class counts", lambda: self.class_counts),
            ("ontology terms", lambda: self.ontology_terms),
        ]
