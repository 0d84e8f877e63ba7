"""Conversion from pyoxigraph to rdflib terms (for pyshacl) — the only place that does it.

>>> import pyoxigraph as ox
>>> to_rdflib(ox.Literal("한국", language="ko"))
rdflib.term.Literal('한국', lang='ko')
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import rdflib

__all__ = ["quads_to_rdflib_graph", "to_rdflib"]

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
RdflibTerm = rdflib.URIRef | rdflib.BNode | rdflib.Literal


def to_rdflib(term: OxTerm | ox.Triple | ox.DefaultGraph) -> RdflibTerm:
    """The rdflib term for a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"no rdflib equivalent for {term!r}")


def quads_to_rdflib_graph(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """One rdflib graph holding the triples of all the quads (graph names dropped)."""
    graph = rdflib.Graph()
    for quad in quads:
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph
