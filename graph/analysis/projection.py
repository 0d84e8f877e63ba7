"""The typed networkx projection of the store: entities as nodes, ``pg:`` relations as edges.

Nodes are the entities (IRIs under ``id/``) with a ``pg:`` type; each carries its slug,
English and Japanese labels and its most specific ``pg:`` class. Edges are the ``pg:``
object properties between two such entities, keyed by predicate, so two relations between
the same pair stay distinct.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from graph.iris import ENTITY_BASE, ONTOLOGY_NS
from graph.store.port import GraphStore

__all__ = ["EntityNode", "project"]

_NODES = f"""
SELECT ?x ?type ?en ?ja
WHERE {{
    ?x a ?type .
    FILTER (STRSTARTS(STR(?x), "{ENTITY_BASE}") && STRSTARTS(STR(?type), "{ONTOLOGY_NS}"))
    FILTER NOT EXISTS {{
        ?x a ?narrower . ?narrower rdfs:subClassOf+ ?type .
        FILTER (STRSTARTS(STR(?narrower), "{ONTOLOGY_NS}") && ?narrower != ?type)
    }}
    OPTIONAL {{ ?x rdfs:label ?en FILTER (LANG(?en) = "en") }}
    OPTIONAL {{ ?x rdfs:label ?ja FILTER (LANG(?ja) = "ja") }}
}}
ORDER BY ?x ?type
"""

_EDGES = f"""
SELECT DISTINCT ?s ?p ?o
WHERE {{
    ?s ?p ?o .
    FILTER (STRSTARTS(STR(?p), "{ONTOLOGY_NS}")
            && STRSTARTS(STR(?s), "{ENTITY_BASE}") && STRSTARTS(STR(?o), "{ENTITY_BASE}"))
}}
ORDER BY ?s ?p ?o
"""


@dataclass(frozen=True)
class EntityNode:
    """What a node of the projection carries."""

    slug: str
    type: str
    label: str
    label_ja: str


def project(store: GraphStore) -> nx.MultiDiGraph:
    """The entity graph of ``store`` as a ``networkx.MultiDiGraph``.

    Node keys are slugs; node attributes ``label``, ``label_ja``, ``type``; edge keys and
    the ``predicate`` attribute are the ``pg:`` local names (``memberOf`` …).

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor a pg:Country ; rdfs:label "Korea"@en ;'
    ...          ' pg:memberOf id:ip4 . id:ip4 a pg:Minilateral } }')
    >>> g = project(s)
    >>> sorted(g.nodes), list(g.edges(keys=True))
    (['ip4', 'kor'], [('kor', 'ip4', 'memberOf')])
    """
    graph = nx.MultiDiGraph()
    nodes = store.query(_NODES)
    assert isinstance(nodes, ox.QuerySolutions)
    for row in nodes:
        slug = row["x"].value[len(ENTITY_BASE) :]
        if slug in graph:
            continue  # two equally specific types: keep the first, in IRI order
        en, ja = row["en"], row["ja"]
        graph.add_node(
            slug,
            type=row["type"].value[len(ONTOLOGY_NS) :],
            label=en.value if en is not None else slug,
            label_ja=ja.value if ja is not None else "",
        )
    edges = store.query(_EDGES)
    assert isinstance(edges, ox.QuerySolutions)
    for row in edges:
        source = row["s"].value[len(ENTITY_BASE) :]
        target = row["o"].value[len(ENTITY_BASE) :]
        if source in graph and target in graph:
            predicate = row["p"].value[len(ONTOLOGY_NS) :]
            graph.add_edge(source, target, key=predicate, predicate=predicate)
    return graph
