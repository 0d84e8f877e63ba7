"""Queries with parameters: values bound to variables by Oxigraph, never spliced into text.

Binding follows SEP-0007 (``substitutions`` of pyoxigraph): each ``?name`` of the query is
replaced by a term. A SELECT must project the variables it binds (``SELECT *`` does).

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea"@en } }')
>>> rows = query_bound(s, "SELECT ?x ?l WHERE { ?x rdfs:label ?l }", {"x": entity("kor")})
>>> [row["l"].value for row in rows]
['Korea']
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from graph.errors import QuerySyntaxError, UnknownEntityError
from graph.iris import entity_iri, is_slug
from graph.store.port import GraphStore, QueryResult

__all__ = ["Bindings", "entity", "query_bound", "select_bound"]

#: Variable name (without ``?``) → the term bound to it.
Bindings = Mapping[str, ox.NamedNode | ox.Literal]


def entity(slug: str) -> ox.NamedNode:
    """The IRI of the entity ``slug``, after checking the slug is well formed.

    :raises UnknownEntityError: ``slug`` is not lowercase kebab-case.
    """
    if not is_slug(slug):
        raise UnknownEntityError(f"{slug!r} is not a slug (lowercase kebab-case)")
    return ox.NamedNode(entity_iri(slug))


def query_bound(store: GraphStore, sparql: str, bindings: Bindings) -> QueryResult:
    """Run ``sparql`` on ``store`` with ``bindings`` substituted for its variables.

    The default graph is the union of all graphs, as for every policygraph query.

    :raises QuerySyntaxError: the query does not parse, or a SELECT does not project a
        bound variable.
    """
    return store.query(sparql, bindings=bindings)


def select_bound(store: GraphStore, sparql: str, bindings: Bindings) -> ox.QuerySolutions:
    """:func:`query_bound` for a SELECT: its solutions.

    :raises QuerySyntaxError: as :func:`query_bound`, or the query is not a SELECT.
    """
    result = query_bound(store, sparql, bindings)
    if not isinstance(result, ox.QuerySolutions):
        raise QuerySyntaxError("expected a SELECT query")
    return result
