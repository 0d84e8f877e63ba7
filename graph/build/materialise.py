"""Derived triples: what the build adds to the ``inferred`` named graph.

- type closure over ``rdfs:subClassOf`` (a ``pg:Minilateral`` is also a ``pg:Framework``);
- ``pg:memberOf`` from ``pg:Membership`` nodes whose role implies membership (``pg:Member``,
  ``pg:Founder``, ``pg:Chair``, or no role) and that have no ``pg:endDate``;
- ``pg:affiliatedWith`` from ``pg:Affiliation`` nodes not marked ``pg:former true``.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.iris import graph_iri
from graph.store.port import GraphStore

__all__ = ["RULES", "materialise"]

#: One CONSTRUCT per rule; each sees the union of the graphs loaded so far.
RULES: dict[str, str] = {
    "type closure": """
        CONSTRUCT { ?x a ?super }
        WHERE {
            ?x a ?class .
            ?class rdfs:subClassOf+ ?super .
            FILTER (isIRI(?super) && ?super != ?class)
            FILTER NOT EXISTS { ?x a ?super }
        }""",
    "memberOf": """
        CONSTRUCT { ?actor pg:memberOf ?framework }
        WHERE {
            ?m a pg:Membership ; pg:member ?actor ; pg:framework ?framework .
            OPTIONAL { ?m pg:role ?role }
            FILTER NOT EXISTS { ?m pg:endDate ?end }
            FILTER (!BOUND(?role) || EXISTS { ?role pg:impliesMembership true })
        }""",
    "affiliatedWith": """
        CONSTRUCT { ?person pg:affiliatedWith ?organization }
        WHERE {
            ?a a pg:Affiliation ; pg:person ?person ; pg:organization ?organization .
            FILTER NOT EXISTS { ?a pg:former true }
        }""",
}


def materialise(store: GraphStore) -> list[ox.Quad]:
    """The derived quads for everything in ``store``, in the ``inferred`` graph.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { pg:Minilateral rdfs:subClassOf pg:Framework .'
    ...          ' id:quad a pg:Minilateral } }')
    >>> [q.object.value.rsplit("#")[-1] for q in materialise(s)]
    ['Framework']
    """
    inferred = ox.NamedNode(graph_iri("inferred"))
    quads: dict[tuple[str, str, str], ox.Quad] = {}
    for sparql in RULES.values():
        result = store.query(sparql)
        assert isinstance(result, ox.QueryTriples)
        for triple in result:
            quad = ox.Quad(triple.subject, triple.predicate, triple.object, inferred)
            quads[(str(triple.subject), str(triple.predicate), str(triple.object))] = quad
    return list(quads.values())
