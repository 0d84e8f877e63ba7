"""Edits describe data, never the vocabulary: the triples an edit may not hold.

The ``edits`` graph is served in one store with the ontology, and the server's inference
and its pages read classes and properties from that store. So one edits triple such as
``pg:Country rdfs:subClassOf pg:Framework`` would turn every country into a framework.
:func:`ontology_change` tells which triples would change what the ontology means:

* its subject is an ontology term: an IRI that is a subject in the ``ontology`` graph, or
  any IRI of the ``pg:`` vocabulary (:data:`~graph.iris.ONTOLOGY_NS`);
* its predicate relates classes or properties (``rdfs:subClassOf``, ``rdfs:subPropertyOf``,
  ``rdfs:domain``, ``rdfs:range``) or is an OWL axiom (any ``owl:`` predicate:
  ``owl:equivalentClass``, ``owl:inverseOf``, ``owl:sameAs`` …);
* it declares a class or a property (``rdf:type`` ``rdfs:Class``, ``rdf:Property``,
  ``owl:Class``, ``owl:ObjectProperty`` … any ``owl:`` type but the two that describe
  individuals, ``owl:NamedIndividual`` and ``owl:Thing``).

Vocabulary changes belong in the ontology's Turtle files, and a rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.iris import ONTOLOGY_NS

__all__ = ["ontology_change", "ontology_terms"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"

#: Predicates that relate classes or properties to each other.
_SCHEMA_PREDICATES = frozenset(
    RDFS + name for name in ("subClassOf", "subPropertyOf", "domain", "range")
)
#: Types that declare a class or a property.
_SCHEMA_TYPES = frozenset(
    [RDFS + "Class", RDFS + "Datatype", RDF + "Property", RDFS + "ContainerMembershipProperty"]
)
#: The OWL types an individual may have.
_INDIVIDUAL_TYPES = frozenset([OWL + "NamedIndividual", OWL + "Thing"])


def ontology_terms(ontology: Iterable[ox.Quad]) -> frozenset[str]:
    """The IRIs described by the ``ontology`` graph's quads (its subjects)."""
    return frozenset(q.subject.value for q in ontology if isinstance(q.subject, ox.NamedNode))


def ontology_change(triple: ox.Triple | ox.Quad, terms: frozenset[str]) -> str | None:
    """Why ``triple`` would change what the ontology means, or ``None`` if it would not.

    >>> pg = "https://w3id.org/policygraph/ontology#"
    >>> sub = ox.NamedNode(RDFS + "subClassOf")
    >>> ontology_change(ox.Triple(ox.NamedNode(pg + "Country"), sub, ox.NamedNode(pg + "Framework")), frozenset())
    'its subject <https://w3id.org/policygraph/ontology#Country> is an ontology term'
    >>> kor = ox.NamedNode("https://w3id.org/policygraph/id/kor")
    >>> ontology_change(ox.Triple(kor, ox.NamedNode(RDF + "type"), ox.NamedNode(pg + "Country")), frozenset()) is None
    True
    """
    subject, predicate, obj = triple.subject, triple.predicate, triple.object
    if isinstance(subject, ox.NamedNode) and (
        subject.value in terms or subject.value.startswith(ONTOLOGY_NS)
    ):
        return f"its subject <{subject.value}> is an ontology term"
    if predicate.value in _SCHEMA_PREDICATES or predicate.value.startswith(OWL):
        return f"<{predicate.value}> states what classes or properties mean"
    if (
        predicate.value == RDF + "type"
        and isinstance(obj, ox.NamedNode)
        and (
            obj.value in _SCHEMA_TYPES
            or (obj.value.startswith(OWL) and obj.value not in _INDIVIDUAL_TYPES)
        )
    ):
        return f"it declares a class or property (a <{obj.value}>)"
    return None
