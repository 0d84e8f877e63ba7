"""Queries about one entity with the entity's IRI written into the query text.

Oxigraph applies a bound variable (:mod:`graph.query.bound`) after planning the query, so
a pattern such as ``?m pg:member ?e`` is evaluated for every membership of the store and
only then filtered on the entity: at 1M triples that is half a second per pattern, for any
entity. Written into the text, the IRI is where the engine starts. The IRI comes from a
checked slug (:func:`graph.query.bound.entity`), so it holds no character SPARQL would
read as anything but the IRI.

The variable is replaced in the query's WHERE group only, and bound again at the group's
end (``BIND (<iri> AS ?e)``), so the rows still carry it and the projection, ``GROUP BY``
and ``ORDER BY`` name it as before: the same solutions as the bound form.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea"@en } }')
>>> kor = entity("kor")
>>> [(row["e"].value[-3:], row["l"].value)
...  for row in select_about(s, "SELECT ?e ?l WHERE { ?e rdfs:label ?l } ORDER BY ?e", kor)]
[('kor', 'Korea')]
>>> print(about_text("SELECT ?e WHERE { ?e pg:memberOf ?every }", "e", kor))
SELECT ?e WHERE { <https://w3id.org/policygraph/id/kor> pg:memberOf ?every
    BIND (<https://w3id.org/policygraph/id/kor> AS ?e) }
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph.errors import QuerySyntaxError
from graph.query.bound import entity
from graph.store.port import GraphStore

__all__ = ["about_text", "entity", "select_about"]

#: A comment: ``#`` at the start of a line or after white space (never inside an IRI such
#: as ``rdf-syntax-ns#``), to the end of the line.
_COMMENT = re.compile(r"(?m)(^|\s)#[^\n]*$")


def about_text(sparql: str, name: str, node: ox.NamedNode) -> str:
    """``sparql`` with ``node`` in place of the variable ``name`` in its WHERE group, and
    bound to it at the group's end.

    :raises QuerySyntaxError: the query has no group to write into.
    """
    text = _COMMENT.sub(r"\1", sparql)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise QuerySyntaxError("expected a query with a WHERE group")
    variable = re.compile(rf"[?$]{re.escape(name)}(?![\w\u00b7\u0300-\u036f\u203f-\u2040])")
    body = variable.sub(str(node), text[start + 1 : end]).rstrip()
    return f"{text[: start + 1]}{body}\n    BIND ({node} AS ?{name}) {text[end:]}"


def select_about(
    store: GraphStore, sparql: str, node: ox.NamedNode, name: str = "e"
) -> ox.QuerySolutions:
    """The solutions of the SELECT ``sparql`` with the variable ``name`` standing for the
    entity ``node`` (an IRI from :func:`entity`), written into the query.

    :raises QuerySyntaxError: the query does not parse so written, or is not a SELECT.
    """
    result = store.query(about_text(sparql, name, node))
    if not isinstance(result, ox.QuerySolutions):
        raise QuerySyntaxError("expected a SELECT query")
    return result
