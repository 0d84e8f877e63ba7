"""The typed networkx projection of the store: entities as nodes, ``pg:`` relations as edges.

Nodes are the entities (IRIs under ``id/``) with a ``pg:`` type; each carries its slug,
English and Japanese labels, its most specific ``pg:`` class and, for a framework or
grouping, whether its member list is ``Complete`` or ``Partial`` (``pg:memberList``). Edges are the ``pg:``
object properties between two such entities, keyed by predicate, so two relations between
the same pair stay distinct; ``pg:evidence`` links to source documents are provenance, not
relations, and are left out, as are the review items of ingested documents (``pg:ReviewItem``:
mentions and candidates), whose outcome the documents' ``pg:mentions`` carry.

A few small queries (types, the ``pg:`` class hierarchy, labels) and one per ``pg:``
predicate for the edges; the most specific class is chosen in Python, which is several times
faster than asking the engine for it with ``FILTER NOT EXISTS``. The rows are kept or left
out in Python too (an IRI under ``id/``, a label in English or Japanese): the engine's
``STRSTARTS(STR(?s), …)`` on every quad took most of the projection's time at a million
triples (the edges: 7.1 CPU s as one filtered scan of the store, 2.9 s so).

The graph is a frozen ``networkx.MultiDiGraph`` kept in integer arrays
(:class:`~graph.analysis.compact.CompactGraph`: 20 MB at a million triples where networkx's
dicts took 194 MB), with the same nodes, relations and order.

A served store has one :class:`Projection` — the graph, the evidence around it and the degree
centrality — that the analytics and the views both read (:func:`projection_of`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import TypeGuard

import networkx as nx
import pyoxigraph as ox

from graph.analysis.compact import CompactGraph
from graph.analysis.provenance import Provenance, read_provenance
from graph.ingest.model import REVIEW_ITEM
from graph.iris import ENTITY_BASE, ONTOLOGY_NS
from graph.memo import Memo, remembered
from graph.store.port import GraphStore

__all__ = ["Projection", "project", "projection_of", "simple_undirected"]

_TYPES = "SELECT ?x ?type WHERE { ?x a ?type FILTER (isIRI(?x)) }"

_SUBCLASSES = f"""
SELECT DISTINCT ?narrower ?broader
WHERE {{
    ?narrower rdfs:subClassOf ?direct .  # a path from a bound node (Virtuoso needs one)
    ?direct rdfs:subClassOf* ?broader .
    FILTER (STRSTARTS(STR(?narrower), "{ONTOLOGY_NS}") && STRSTARTS(STR(?broader), "{ONTOLOGY_NS}")
            && ?narrower != ?broader)
}}
"""

_LABELS = "SELECT ?x ?label WHERE { ?x rdfs:label ?label }"

#: The labels the nodes carry, by language tag.
_LABEL_LANGUAGES = frozenset({"en", "ja"})

_MEMBER_LISTS = f"""
SELECT ?x ?list
WHERE {{
    ?x <{ONTOLOGY_NS}memberList> ?list .
    FILTER (STRSTARTS(STR(?x), "{ENTITY_BASE}") && STRSTARTS(STR(?list), "{ONTOLOGY_NS}"))
}}
"""

#: Mentions and candidates of ingested documents: what an analyst reviews, not entities of
#: the graph (a document's ``pg:mentions`` carry what its reviewed items say).
_REVIEW_ITEM = REVIEW_ITEM

#: Every predicate of the store: the ``pg:`` ones are read one at a time for the edges.
_PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"

#: The subjects and objects of one predicate (written in by :func:`_edges`).
_EDGES_OF = "SELECT ?s ?o WHERE {{ ?s {0} ?o }}"

#: Links to evidence: provenance, not relations.
_EVIDENCE = f"{ONTOLOGY_NS}evidence"


def project(store: GraphStore) -> CompactGraph:
    """The entity graph of ``store`` as a frozen ``networkx.MultiDiGraph`` kept in arrays
    (:class:`~graph.analysis.compact.CompactGraph`).

    Node keys are slugs; node attributes ``label``, ``label_ja``, ``type`` and
    ``member_list`` (``Complete``, ``Partial``, or empty when not stated); edge keys and
    the ``predicate`` attribute are the ``pg:`` local names (``memberOf`` …). Nodes and
    edges are in slug order, so two projections of one store are equal.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor a pg:Country ; rdfs:label "Korea"@en ;'
    ...          ' pg:memberOf id:ip4 . id:ip4 a pg:Minilateral } }')
    >>> g = project(s)
    >>> sorted(g.nodes), list(g.edges(keys=True))
    (['ip4', 'kor'], [('kor', 'ip4', 'memberOf')])
    """
    broader: dict[str, set[str]] = {}
    for row in _select(store, _SUBCLASSES):
        broader.setdefault(row["narrower"].value, set()).add(row["broader"].value)
    types: dict[str, set[str]] = {}
    for x, kind in _select(store, _TYPES):
        if _named(x, ENTITY_BASE) and _named(kind, ONTOLOGY_NS):
            types.setdefault(x.value, set()).add(kind.value)
    labels: dict[tuple[str, str], str] = {}
    for x, label in _select(store, _LABELS):
        if (
            type(label) is ox.Literal
            and label.language in _LABEL_LANGUAGES
            and _named(x, ENTITY_BASE)
        ):
            key = (x.value, label.language)
            # Several labels in one language: keep the smallest, so the choice is stable.
            if key not in labels or label.value < labels[key]:
                labels[key] = label.value

    member_lists: dict[str, str] = {}
    for row in _select(store, _MEMBER_LISTS):
        # Two statements (a conflict): Partial wins, so a list is never overstated.
        stated = row["list"].value[len(ONTOLOGY_NS) :]
        if member_lists.get(row["x"].value) != "Partial":
            member_lists[row["x"].value] = stated

    def nodes() -> Iterator[tuple[str, dict[str, str]]]:
        for iri in sorted(types):
            held = types[iri]
            if any(t == _REVIEW_ITEM or _REVIEW_ITEM in broader.get(t, ()) for t in held):
                continue  # an ingested document's review bookkeeping, not an actor or framework
            # The most specific classes: no other class of the entity is narrower; of two
            # equally specific ones keep the first in IRI order.
            specific = sorted(t for t in held if not any(t in broader.get(n, ()) for n in held))
            slug = iri[len(ENTITY_BASE) :]
            yield (
                slug,
                {
                    "type": specific[0][len(ONTOLOGY_NS) :],
                    "label": labels.get((iri, "en"), slug),
                    "label_ja": labels.get((iri, "ja"), ""),
                    "member_list": member_lists.get(iri, ""),
                },
            )

    edges = _edges(store)
    return CompactGraph.build(nodes(), edges)


def simple_undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """The projection as a simple undirected graph, the one the measures are computed on.

    Direction is dropped and parallel relations collapse into one edge: two entities joined
    by ``memberOf`` and ``partOf``, or by relations in both directions, are joined once, with
    weight 1; self-loops are left out. Node attributes are kept; nodes and edges keep the projection's order, so
    seeded algorithms give the same answer on two projections of one store. Linear in the
    size of the graph.

    >>> g = nx.MultiDiGraph()
    >>> g.add_edges_from([("kor", "ip4", "memberOf"), ("ip4", "kor", "involves"),
    ...                   ("kor", "ip4", "partOf")])
    [...]
    >>> simple = simple_undirected(g)
    >>> type(simple).__name__, simple.number_of_edges()
    ('Graph', 1)
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    return simple


class Projection:
    """The entity graph of one store and what every reader derives from it, each once.

    ``graph`` is :func:`project`'s, frozen: it is shared by the analytics, the views and the
    threads serving them, so nothing may add to it (``networkx`` raises if anything tries).
    ``provenance`` is :func:`~graph.analysis.provenance.read_provenance`'s. The derived
    tables are computed on first use and kept.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor a pg:Country ; pg:memberOf id:ip4 .'
    ...          ' id:ip4 a pg:Minilateral ; rdfs:label "IP4"@en } }')
    >>> p = Projection.read(s)
    >>> p.label("ip4"), p.degree["kor"], p.max_degree
    ('IP4', 1.0, 1.0)
    """

    def __init__(self, graph: nx.MultiDiGraph, provenance: Provenance) -> None:
        self.graph: nx.MultiDiGraph = graph if nx.is_frozen(graph) else nx.freeze(graph)
        self.provenance = provenance

    @classmethod
    def read(cls, store: GraphStore) -> Projection:
        """The projection of ``store``, read now (a handful of queries and one scan)."""
        return cls(project(store), read_provenance(store))

    @cached_property
    def degree(self) -> dict[str, float]:
        """Degree centrality of every entity (neighbours, not edges; see
        :func:`graph.analysis.centrality.degree_centrality`)."""
        from graph.analysis.centrality import degree_centrality  # it builds on this module

        return degree_centrality(self.graph)

    @cached_property
    def max_degree(self) -> float:
        """The largest degree centrality (``0.0`` for an empty graph)."""
        return max(self.degree.values(), default=0.0)

    def label(self, slug: str, lang: str = "en") -> str:
        """The entity's label in ``lang`` (``en``, ``ja`` or ``ko``), falling back to
        English, then to the slug (also for a slug that is not in the graph)."""
        node = self.graph.nodes.get(slug)
        if not node:
            return slug
        if lang == "ja" and node.get("label_ja"):
            return str(node["label_ja"])
        if lang == "ko" and self.provenance.labels_ko.get(slug):
            return self.provenance.labels_ko[slug]
        return str(node.get("label") or slug)


def projection_of(store: GraphStore, memo: Memo | None = None) -> Projection:
    """The shared :class:`Projection` of ``store``: kept in ``memo`` (a served store's, see
    :class:`serving.context.StoreContext`), or read now without one.

    The analytics and the views both ask here, so a served store's graph is read and held
    once.

    >>> from graph.memo import Memo
    >>> from graph.store import OxigraphStore
    >>> s, memo = OxigraphStore.memory(), Memo()
    >>> projection_of(s, memo) is projection_of(s, memo)
    True
    """
    return remembered(memo, "projection", lambda: Projection.read(store))


def _edges(store: GraphStore) -> Iterator[tuple[str, str, str]]:
    """Subject, predicate and object (slugs and the predicate's local name) of every
    ``pg:`` relation between two IRIs under ``id/`` but ``pg:evidence``; one stated in
    several graphs may come more than once (:meth:`CompactGraph.build` keeps it once)."""
    predicates = sorted(
        (p for (p,) in _select(store, _PREDICATES) if _named(p, ONTOLOGY_NS)),
        key=lambda p: p.value,
    )
    for predicate in predicates:
        if predicate.value == _EVIDENCE:
            continue
        name = predicate.value[len(ONTOLOGY_NS) :]
        for s, o in _select(store, _EDGES_OF.format(predicate)):
            # Inline, not _named: this runs for every pg: statement (650,000 at 1M triples).
            if type(o) is ox.NamedNode and type(s) is ox.NamedNode:
                subject, obj = s.value, o.value
                if subject.startswith(ENTITY_BASE) and obj.startswith(ENTITY_BASE):
                    yield subject[len(ENTITY_BASE) :], name, obj[len(ENTITY_BASE) :]


def _named(term: object, base: str) -> TypeGuard[ox.NamedNode]:
    """Whether ``term`` is an IRI starting with ``base``."""
    return type(term) is ox.NamedNode and term.value.startswith(base)


def _select(store: GraphStore, sparql: str) -> ox.QuerySolutions:
    """The solutions of ``sparql``; each unpacks as its values, in the SELECT's order."""
    solutions = store.query(sparql)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions
