"""Counting what is in a store: quads per named graph and entities per class."""

from __future__ import annotations

import pyoxigraph as ox

from graph.iris import ONTOLOGY_NS
from graph.store.port import GraphStore

__all__ = ["class_counts", "graph_sizes"]


def class_counts(store: GraphStore) -> dict[str, int]:
    """Distinct instances of each ``pg:`` class (after type closure), largest first.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update("INSERT DATA { GRAPH <urn:g> { id:jpn a pg:Country . id:kor a pg:Country } }")
    >>> class_counts(s)
    {'Country': 2}
    """
    result = store.query(
        f"""SELECT ?class (COUNT(DISTINCT ?x) AS ?n)
        WHERE {{ ?x a ?class FILTER STRSTARTS(STR(?class), "{ONTOLOGY_NS}") }}
        GROUP BY ?class ORDER BY DESC(?n) ?class"""
    )
    assert isinstance(result, ox.QuerySolutions)
    return {row["class"].value[len(ONTOLOGY_NS) :]: int(row["n"].value) for row in result}


def graph_sizes(store: GraphStore) -> dict[str, int]:
    """Quads in each named graph, by short name (``curated``, ``inferred`` …).

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update("INSERT DATA { GRAPH <https://w3id.org/policygraph/graph/curated> { id:a id:b id:c } }")
    >>> graph_sizes(s)
    {'curated': 1}
    """
    result = store.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    assert isinstance(result, ox.QuerySolutions)
    return {row["g"].value.rsplit("/", 1)[-1]: int(row["n"].value) for row in result}
