"""The ontology as served at ``/ontology``: its terms for the HTML list, its triples for RDF.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <https://w3id.org/policygraph/graph/ontology> {'
...          ' pg:Country a owl:Class ; rdfs:label "Country"@en ; rdfs:subClassOf pg:Actor } }')
>>> [(t.name, t.kind, t.parents) for t in ontology_terms(s)]
[('Country', 'Class', ['Actor'])]
"""

from __future__ import annotations

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.iris import ONTOLOGY_NS, graph_iri
from graph.query.terms import text_of
from graph.store.port import GraphStore

__all__ = ["OntologyTerm", "ontology_terms", "ontology_triples"]

_GRAPH = f"<{graph_iri('ontology')}>"

_TERMS = f"""
SELECT ?term ?kind ?en ?ja ?comment ?parent WHERE {{
    GRAPH {_GRAPH} {{
        ?term a ?kind .
        FILTER (STRSTARTS(STR(?term), STR(pg:)))
        FILTER (?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty,
                          owl:NamedIndividual, owl:AnnotationProperty))
        OPTIONAL {{ ?term rdfs:label ?en FILTER (langMatches(lang(?en), "en")) }}
        OPTIONAL {{ ?term rdfs:label ?ja FILTER (langMatches(lang(?ja), "ja")) }}
        OPTIONAL {{ ?term rdfs:comment ?comment FILTER (langMatches(lang(?comment), "en")) }}
        OPTIONAL {{ ?term rdfs:subClassOf|rdfs:subPropertyOf ?parent }}
    }}
}} ORDER BY ?kind ?term"""

_TRIPLES = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_GRAPH} {{ ?s ?p ?o }} }}"

_KIND_HEADINGS = {
    "Class": "Classes",
    "ObjectProperty": "Object properties",
    "DatatypeProperty": "Datatype properties",
    "AnnotationProperty": "Annotation properties",
    "NamedIndividual": "Individuals",
}


class OntologyTerm(BaseModel):
    """One term of the ``pg:`` vocabulary."""

    model_config = ConfigDict(frozen=True)

    iri: str
    name: str
    #: ``Class``, ``ObjectProperty``, ``DatatypeProperty``, ``AnnotationProperty`` or
    #: ``NamedIndividual``.
    kind: str
    label: str | None = None
    label_ja: str | None = None
    comment: str | None = None
    #: Local names (or IRIs, outside ``pg:``) of its superclasses or superproperties.
    parents: list[str] = []

    @property
    def kind_heading(self) -> str:
        """The kind as a heading over its terms (``Object properties`` …)."""
        return _KIND_HEADINGS.get(self.kind, self.kind)


def ontology_terms(store: GraphStore) -> list[OntologyTerm]:
    """The ``pg:`` terms of the ontology graph, classes first, each once."""
    result = store.query(_TERMS)
    assert isinstance(result, ox.QuerySolutions)
    terms: dict[str, OntologyTerm] = {}
    for row in result:
        iri = row["term"].value
        parent = text_of(row["parent"])
        term = terms.get(iri) or OntologyTerm(
            iri=iri,
            name=iri[len(ONTOLOGY_NS) :],
            kind=row["kind"].value.rsplit("#", 1)[-1],
            label=text_of(row["en"]),
            label_ja=text_of(row["ja"]),
            comment=text_of(row["comment"]),
        )
        if parent:
            short = parent[len(ONTOLOGY_NS) :] if parent.startswith(ONTOLOGY_NS) else parent
            if short not in term.parents:
                term = term.model_copy(update={"parents": [*term.parents, short]})
        terms[iri] = term
    return list(terms.values())


def ontology_triples(store: GraphStore) -> list[ox.Triple]:
    """The triples of the ontology graph."""
    result = store.query(_TRIPLES)
    assert isinstance(result, ox.QueryTriples)
    return list(result)
