"""The IRIs of the public contract: entities, named graphs and the prefixes queries use.

>>> entity_iri("kor")
'https://w3id.org/policygraph/id/kor'
>>> graph_iri("inferred")
'https://w3id.org/policygraph/graph/inferred'
>>> slug_of("https://w3id.org/policygraph/id/aukus-pillar-2")
'aukus-pillar-2'
"""

from __future__ import annotations

import re

__all__ = [
    "ENTITY_BASE",
    "GRAPH_BASE",
    "GRAPH_NAMES",
    "ONTOLOGY_NS",
    "PREFIXES",
    "SLUG_PATTERN",
    "entity_iri",
    "graph_iri",
    "is_slug",
    "slug_of",
]

ONTOLOGY_NS = "https://w3id.org/policygraph/ontology#"
ENTITY_BASE = "https://w3id.org/policygraph/id/"
GRAPH_BASE = "https://w3id.org/policygraph/graph/"

#: The named graphs a build writes, in load order.
GRAPH_NAMES = ("ontology", "curated", "background", "inferred")

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: Prefixes known to every query run through policygraph (CLI, API, named queries).
PREFIXES: dict[str, str] = {
    "pg": ONTOLOGY_NS,
    "id": ENTITY_BASE,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "sh": "http://www.w3.org/ns/shacl#",
}


def entity_iri(slug: str) -> str:
    """The IRI of the entity with this slug."""
    return ENTITY_BASE + slug


def graph_iri(name: str) -> str:
    """The IRI of a named graph (``ontology``, ``curated``, ``background``, ``inferred`` …)."""
    return GRAPH_BASE + name


def is_slug(text: str) -> bool:
    """Whether ``text`` is a well-formed slug (lowercase kebab-case).

    >>> is_slug("aukus-pillar-2"), is_slug("AUKUS"), is_slug("a--b")
    (True, False, False)
    """
    return bool(SLUG_PATTERN.fullmatch(text))


def slug_of(iri: str) -> str | None:
    """The slug of an entity IRI, or ``None`` for any other IRI."""
    if iri.startswith(ENTITY_BASE):
        return iri[len(ENTITY_BASE) :]
    return None
