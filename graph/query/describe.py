"""The Linked-Data description of an entity, as triples built by one Oxigraph CONSTRUCT.

It holds the entity's own triples, the triples that point at it from other entities, its
membership and affiliation nodes, the evidence passages of both, and the labels of
everything it links to, so a client can show it without further requests.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.errors import UnknownEntityError
from graph.query.bound import entity, query_bound
from graph.store.port import GraphStore

__all__ = ["describe_triples"]

_ROLE = "pg:member|pg:framework|pg:person|pg:organization"

_DESCRIBE = f"""
CONSTRUCT {{
    ?e ?p ?o .
    ?s ?inbound ?e .
    ?node ?nodeP ?nodeO .
    ?passage ?passageP ?passageO .
    ?linked rdfs:label ?linkedLabel .
}} WHERE {{
    {{ ?e ?p ?o }}
    UNION {{ ?s ?inbound ?e FILTER (isIRI(?s)) }}
    UNION {{
        ?node {_ROLE} ?e ; ?nodeP ?nodeO .
        FILTER EXISTS {{ ?node a ?nodeType FILTER (?nodeType IN (pg:Membership, pg:Affiliation)) }}
    }}
    UNION {{
        {{ ?e pg:evidence ?passage }} UNION {{ ?holder {_ROLE} ?e ; pg:evidence ?passage }}
        FILTER (isBlank(?passage))
        ?passage ?passageP ?passageO .
    }}
    UNION {{
        {{ ?e ?via ?linked }} UNION {{ ?linked ?via ?e }}
        UNION {{ ?holder {_ROLE} ?e ; ?via ?linked }}
        UNION {{ ?e pg:evidence/pg:inDocument ?linked }}
        FILTER (isIRI(?linked) && ?linked != ?e)
        ?linked rdfs:label ?linkedLabel .
    }}
}}"""


def describe_triples(store: GraphStore, slug: str) -> list[ox.Triple]:
    """The triples describing the entity ``slug`` (no duplicates, in Oxigraph's order).

    :raises UnknownEntityError: the entity has no triples of its own.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor pg:memberOf id:ip4 .'
    ...          ' id:ip4 rdfs:label "IP4"@en } }')
    >>> sorted(str(t.object) for t in describe_triples(s, "kor"))
    ['"IP4"@en', '<https://w3id.org/policygraph/id/ip4>']
    """
    result = query_bound(store, _DESCRIBE, {"e": entity(slug)})
    assert isinstance(result, ox.QueryTriples)
    triples = list(dict.fromkeys(result))
    subject = entity(slug)
    if not any(t.subject == subject for t in triples):
        raise UnknownEntityError(f"no entity has the slug {slug!r}")
    return triples
