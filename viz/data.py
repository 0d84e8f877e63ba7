"""What every view reads from the store, read once per store and kept while it is unchanged.

The projection, the evidence and memberships, and the centrality of every entity cost a
few hundred milliseconds to read; a view of a small neighbourhood costs a few. So they are
cached per store object and read again when the store's size changes (a rebuilt store is a
new object anyway).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import networkx as nx
import pyoxigraph as ox

from graph.analysis import Evidence, Provenance, degree_centrality, project, read_provenance
from graph.errors import UnknownEntityError
from graph.iris import is_slug
from graph.store.port import GraphStore
from viz.layout import Position

__all__ = ["GraphData", "Term", "graph_data"]

# A membership's role, dates and status (a membership without pg:status is active).
_TERMS = """
SELECT ?member ?framework ?role ?from ?until ?status WHERE {
    ?m a pg:Membership ; pg:member ?member ; pg:framework ?framework .
    OPTIONAL { ?m pg:role ?role }
    OPTIONAL { ?m pg:startDate ?from }
    OPTIONAL { ?m pg:endDate ?until }
    OPTIONAL { ?m pg:status ?status }
}
"""


@dataclass(frozen=True)
class Term:
    """One membership of a member in a framework: role, start, end (``""``: open) and status."""

    role: str = "Member"
    start: str = ""
    end: str = ""
    status: str = "Active"


@dataclass
class GraphData:
    """The projection of a store with what the views need around it."""

    graph: nx.MultiDiGraph
    provenance: Provenance
    #: Degree centrality of every entity in the whole graph (sizes nodes in every view).
    centrality: dict[str, float]
    #: Evidence of each (member, framework) pair of the memberships.
    membership_evidence: dict[tuple[str, str], tuple[Evidence, ...]]
    #: Evidence of each (person, organisation) pair of the affiliations.
    affiliation_evidence: dict[tuple[str, str], tuple[Evidence, ...]]
    #: The largest centrality (sizes are relative to it).
    max_centrality: float = 0.0
    #: The memberships of each (member, framework) pair: role, dates and status.
    terms: dict[tuple[str, str], tuple[Term, ...]] = field(default_factory=dict)
    #: Layouts computed once and reused (the overview's), by name.
    layouts: dict[str, dict[str, Position]] = field(default_factory=dict)

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
        node = self.graph.nodes[slug]
        if lang == "ja" and node.get("label_ja"):
            return str(node["label_ja"])
        if lang == "ko" and self.provenance.labels_ko.get(slug):
            return self.provenance.labels_ko[slug]
        return str(node.get("label") or slug)


_CACHE: WeakKeyDictionary[GraphStore, tuple[int, GraphData]] = WeakKeyDictionary()
_LOCK = threading.Lock()


def graph_data(store: GraphStore) -> GraphData:
    """The :class:`GraphData` of ``store``, from the cache while the store is unchanged."""
    size = len(store)
    with _LOCK:
        cached = _CACHE.get(store)
    if cached is not None and cached[0] == size:
        return cached[1]
    data = _read(store)
    with _LOCK:
        _CACHE[store] = (size, data)
    return data


def _read(store: GraphStore) -> GraphData:
    graph = project(store)
    provenance = read_provenance(store)
    by_membership: dict[tuple[str, str], list[Evidence]] = {}
    for m in provenance.memberships:
        by_membership.setdefault((m.member, m.framework), []).extend(m.evidence)
    by_affiliation: dict[tuple[str, str], list[Evidence]] = {}
    for a in provenance.affiliations:
        by_affiliation.setdefault((a.person, a.organization), []).extend(a.evidence)
    centrality = degree_centrality(graph)
    return GraphData(
        graph=graph,
        provenance=provenance,
        centrality=centrality,
        max_centrality=max(centrality.values(), default=0.0),
        membership_evidence={k: _unique(v) for k, v in by_membership.items()},
        affiliation_evidence={k: _unique(v) for k, v in by_affiliation.items()},
        terms=_terms(store),
    )


def _terms(store: GraphStore) -> dict[tuple[str, str], tuple[Term, ...]]:
    found: dict[tuple[str, str], set[Term]] = {}
    solutions = store.query(_TERMS)
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
