"""What every view reads from the store, read once per served store and kept.

The graph, its evidence and the degree centrality of every entity are the store's shared
:class:`~graph.analysis.projection.Projection` (the analytics read the same one); the views
add the evidence of each membership and affiliation and the membership terms. Reading them
costs a few hundred milliseconds on the report, a view of a small neighbourhood a few; so
a served store's are kept in its memo (:class:`serving.context.StoreContext`), read once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import pyoxigraph as ox

from graph.analysis import Evidence, Provenance
from graph.analysis.projection import Projection, projection_of
from graph.errors import UnknownEntityError
from graph.iris import is_slug
from graph.memo import Memo, remembered
from graph.query.membership_facts import MEMBERSHIP_FACTS
from graph.store.port import GraphStore
from viz.layout import Position

__all__ = ["GraphData", "Term", "graph_data"]


@dataclass(frozen=True)
class Term:
    """One membership of a member in a framework: role, start, end (``""``: open) and status."""

    role: str = "Member"
    start: str = ""
    end: str = ""
    status: str = "Active"


@dataclass
class GraphData:
    """The shared projection of a store with what the views need around it."""

    projection: Projection
    #: Evidence of each (member, framework) pair of the memberships.
    membership_evidence: dict[tuple[str, str], tuple[Evidence, ...]]
    #: Evidence of each (person, organisation) pair of the affiliations.
    affiliation_evidence: dict[tuple[str, str], tuple[Evidence, ...]]
    #: The memberships of each (member, framework) pair: role, dates and status.
    terms: dict[tuple[str, str], tuple[Term, ...]] = field(default_factory=dict)
    #: Layouts computed once and reused, by name: only the overview's (one entry).
    layouts: dict[str, dict[str, Position]] = field(default_factory=dict)

    def __getstate__(self) -> dict[str, object]:
        """Its fields for pickling, the layouts copied first: a view may add one in another
        thread while the warm caches are written (``serving.warm_cache.keep``)."""
        state = dict(self.__dict__)
        state["layouts"] = dict(self.layouts)
        return state

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The entity graph (the projection's, frozen)."""
        return self.projection.graph

    @property
    def provenance(self) -> Provenance:
        """Evidence of memberships and affiliations, Korean labels …"""
        return self.projection.provenance

    @property
    def centrality(self) -> dict[str, float]:
        """Degree centrality of every entity in the whole graph (sizes nodes in every view)."""
        return self.projection.degree

    @cached_property
    def max_centrality(self) -> float:
        """The largest centrality (sizes are relative to it)."""
        return self.projection.max_degree

    def require(self, slug: str) -> str:
        """``slug`` if an entity has it.

        :raises UnknownEntityError: it is malformed or no entity has it.
        """
        if not is_slug(slug) or slug not in self.graph:
            shown = slug if len(slug) <= 60 else slug[:57] + "..."
            raise UnknownEntityError(f"no entity has the slug {shown!r}")
        return slug

    def label(self, slug: str, lang: str = "en") -> str:
        """The entity's label in ``lang`` (``en``, ``ja`` or ``ko``), falling back to English."""
        return self.projection.label(slug, lang)


def graph_data(store: GraphStore, memo: Memo | None = None) -> GraphData:
    """The :class:`GraphData` of ``store``: kept in ``memo`` (a served store's), or read
    now without one."""
    return remembered(memo, "graph_data", lambda: _read(store, memo))


def _read(store: GraphStore, memo: Memo | None) -> GraphData:
    projection = projection_of(store, memo)
    provenance = projection.provenance
    by_membership: dict[tuple[str, str], list[Evidence]] = {}
    for m in provenance.memberships:
        by_membership.setdefault((m.member, m.framework), []).extend(m.evidence)
    by_affiliation: dict[tuple[str, str], list[Evidence]] = {}
    for a in provenance.affiliations:
        by_affiliation.setdefault((a.person, a.organization), []).extend(a.evidence)
    return GraphData(
        projection=projection,
        membership_evidence={k: _unique(v) for k, v in by_membership.items()},
        affiliation_evidence={k: _unique(v) for k, v in by_affiliation.items()},
        terms=_terms(store),
    )


def _terms(store: GraphStore) -> dict[tuple[str, str], tuple[Term, ...]]:
    found: dict[tuple[str, str], set[Term]] = {}
    # A membership's role, dates and status (a membership without pg:status is active).
    solutions = store.query(MEMBERSHIP_FACTS)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        member, framework = _local(row["member"]), _local(row["framework"])
        if member and framework:
            term = Term(
                role=_local(row["role"]) or "Member",
                start=_value(row["from"]),
                end=_value(row["until"]),
                status=_local(row["status"]) or "Active",
            )
            found.setdefault((member, framework), set()).add(term)
    return {k: tuple(sorted(v, key=lambda t: (t.start, t.role))) for k, v in found.items()}


def _local(term: object) -> str:
    """The last segment of an IRI (a slug or a ``pg:`` local name), or ``""``."""
    if isinstance(term, ox.NamedNode):
        return term.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return ""


def _value(term: object) -> str:
    return term.value if isinstance(term, ox.Literal) else ""


def _unique(items: list[Evidence]) -> tuple[Evidence, ...]:
    return tuple(sorted(set(items), key=Evidence.sort_key))
