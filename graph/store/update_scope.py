"""Whether a SPARQL update only adds or removes given triples of the edits graph.

An update evaluated by :mod:`graph.store.update_worker` runs on a *scratch copy* holding
the context graphs (ontology, curated, background) so that its ``WHERE`` can read them
and a write to them can be seen and refused. At a million triples that copy alone took
13 CPU seconds, more than the update's time limit. An update made only of ``INSERT DATA``
and ``DELETE DATA`` whose every quad is in the edits graph reads nothing and can write
nowhere else, so its effect on the edits graph is the same on a scratch copy holding the
edits graph alone: :func:`edits_data_only` says whether an update is one, and
:func:`context_needed` whether the scratch copy needs the context graphs (a small store's
are copied all the same: importing and running the parser, about 0.25 s, costs more).

The update is parsed with rdflib's SPARQL parser. Oxigraph still evaluates it, and on the
small scratch copy any quad it writes outside the edits graph is still seen and refused;
should the two parsers ever disagree, the worst case is a ``DELETE DATA`` of a context
triple accepted as a change of nothing instead of refused.
"""

from __future__ import annotations

import itertools

import pyoxigraph as ox

from graph.iris import PREFIXES
from graph.store.edits import EDITS_GRAPH

__all__ = ["SMALL_STORE", "context_needed", "edits_data_only"]

#: Quads below which a store's context graphs are copied for every update: about 5 µs a
#: quad, less than parsing the update would cost.
SMALL_STORE = 50_000

_DATA_OPERATIONS = {"InsertData", "DeleteData"}
_PREAMBLE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def edits_data_only(sparql: str, base_iri: str | None = None) -> bool:
    """Whether ``sparql`` is only ``INSERT DATA`` / ``DELETE DATA`` of quads of the edits
    graph, without blank nodes (an update that does not parse here is not).

    >>> edits_data_only(f"INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ id:a rdfs:label 'A' }} }}")
    True
    >>> edits_data_only("INSERT DATA { id:a rdfs:label 'A' }")  # the default graph
    False
    >>> edits_data_only(f"DELETE {{ GRAPH <{EDITS_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}")
    False
    """
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate
    from rdflib.term import BNode, URIRef

    try:
        update = translateUpdate(parseUpdate(_PREAMBLE + sparql), base=base_iri)
    except Exception:  # rdflib raises many kinds; Oxigraph gives the error
        return False
    edits = URIRef(EDITS_GRAPH)
    for operation in update.algebra:
        if operation.name not in _DATA_OPERATIONS or operation.triples:
            return False  # a WHERE, a graph operation, or triples of the default graph
        for graph, triples in (operation.quads or {}).items():
            if graph != edits:
                return False
            if any(isinstance(term, BNode) for triple in triples for term in triple):
                return False
    return True


def context_needed(store: ox.Store, sparql: str, base_iri: str | None = None) -> bool:
    """Whether the scratch copy for ``sparql`` on ``store`` gets the context graphs: unless
    the store is large and the update is :func:`edits_data_only`."""
    size = sum(1 for _ in itertools.islice(store, SMALL_STORE))
    return size < SMALL_STORE or not edits_data_only(sparql, base_iri)
