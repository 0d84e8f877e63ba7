"""The Linked-Data description of an entity, as triples built by one Oxigraph CONSTRUCT.

It holds the entity's own triples, the triples that point at it from other entities, its
membership and affiliation nodes, the evidence passages of both, and the labels of
everything it links to, so a client can show it without further requests.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph.errors import UnknownEntityError
from graph.query.bound import entity
from graph.store.port import GraphStore

__all__ = ["describe_triples"]

#: The entity's variable in :data:`_DESCRIBE` (not ``?evidence``-like longer names).
_ENTITY = re.compile(r"\?e\b")

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
    """The triples describing the entity ``slug`` (no duplicates; its own first, then by
    subject, predicate and object).

    :raises UnknownEntityError: the entity has no triples of its own.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor pg:memberOf id:ip4 .'
    ...          ' id:ip4 rdfs:label "IP4"@en } }')
    >>> sorted(str(t.object) for t in describe_triples(s, "kor"))
    ['"IP4"@en', '<https://w3id.org/policygraph/id/ip4>']
    """
    subject = entity(slug)  # a checked slug: the IRI holds no character SPARQL would read
    # The IRI is written into the query rather than bound: Oxigraph applies a bound variable
    # after planning, so each branch read the whole store (Korea's description: 1 s).
    result = store.query(_ENTITY.sub(str(subject), _DESCRIBE))
    assert isinstance(result, ox.QueryTriples)
    # In one order, the entity's own triples first: the engine's order changes from one
    # evaluation to the next, and a document's bytes should not (a HEAD's Content-Length).
    triples = sorted(
        set(result),
        key=lambda t: (t.subject != subject, str(t.subject), str(t.predicate), str(t.object)),
    )
    if not any(t.subject == subject for t in triples):
        raise UnknownEntityError(f"no entity has the slug {slug!r}")
    return triples
