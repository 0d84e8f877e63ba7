"""Derived triples: what the build adds to the ``inferred`` named graph.

- type closure over ``rdfs:subClassOf`` (a ``pg:Minilateral`` is also a ``pg:Framework``);
- super-properties in ``pg:`` from sub-properties (``pg:proposesJoining`` … ``pg:actsThrough``
  yield ``pg:concerns``, ``pg:callsOn`` yields ``pg:involves``), where the value fits the
  super-property's range: a ``pg:actsThrough`` channel that is an organisation and not a
  framework is not a ``pg:concerns`` value;
- lifecycle dates of a framework from the dated events that concern it: a ``pg:Founding``
  gives ``pg:foundedOn``, ``pg:Signing`` ``pg:signedOn``, ``pg:EntryIntoForce``
  ``pg:inForceFrom``, ``pg:Suspension`` ``pg:suspendedOn``, ``pg:Termination`` ``pg:endedOn``;
- ``pg:memberOf`` from active memberships of active frameworks or groupings: the role implies
  membership (``pg:Member``, ``pg:Founder``, ``pg:Chair``, or no role), the membership has
  no ``pg:status`` other than ``pg:Active`` and no ``pg:endDate`` before ``today``, and the
  framework has no ``pg:status`` other than ``pg:Active`` (so nobody is a current member of
  a proposed, suspended or ended framework);
- ``pg:affiliatedWith`` from ``pg:Affiliation`` nodes not marked ``pg:former true``;
- ``pg:mentions`` from an ingested document to the entity of each of its review items
  (``pg:mention`` or ``pg:candidate``) linked automatically or accepted (docs/ingest.md):
  an item waiting for review or rejected adds nothing.

An end date is in the past when it is before ``today`` at its own precision: an end in
``"2026"^^xsd:gYear`` or ``"2026-12"^^xsd:gYearMonth`` still holds on 2026-12-05.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.iris import graph_iri
from graph.store.port import GraphStore

__all__ = ["LIFECYCLE_DATES", "RULES", "Derived", "derive", "materialise"]

#: Event type -> the framework's date property that an event of that type gives.
LIFECYCLE_DATES: dict[str, str] = {
    "Founding": "foundedOn",
    "Signing": "signedOn",
    "EntryIntoForce": "inForceFrom",
    "Suspension": "suspendedOn",
    "Termination": "endedOn",
}

_LIFECYCLE_VALUES = " ".join(
    f"(pg:{event_type} pg:{prop})" for event_type, prop in LIFECYCLE_DATES.items()
)

#: One CONSTRUCT per rule; each sees the union of the graphs loaded so far. ``$today`` stands
#: for the build's date, written in as a ``"YYYY-MM-DD"`` literal (Oxigraph binds variables
#: of a CONSTRUCT only in its template, so the date cannot be a parameter).
RULES: dict[str, str] = {
    # The class pairs first (the ontology's few), then one hash join with the typed nodes
    # and one anti-join (MINUS) with the types already stated: at 1M triples a quarter of
    # the CPU of following rdfs:subClassOf+ and testing NOT EXISTS node by node.
    "type closure": """
        CONSTRUCT { ?x a ?super }
        WHERE {
            {
                SELECT DISTINCT ?class ?super
                WHERE {
                    ?class rdfs:subClassOf+ ?super .
                    FILTER (isIRI(?super) && ?super != ?class)
                }
            }
            ?x a ?class .
            MINUS { ?x a ?super }
        }""",
    "sub-properties": """
        CONSTRUCT { ?s ?super ?o }
        WHERE {
            ?sub rdfs:subPropertyOf+ ?super .
            FILTER (isIRI(?sub) && isIRI(?super) && ?sub != ?super)
            FILTER (STRSTARTS(STR(?super), STR(pg:)))
            ?s ?sub ?o .
            FILTER NOT EXISTS {
                ?super rdfs:range ?range .
                FILTER (isIRI(?range))
                FILTER NOT EXISTS { ?o a/rdfs:subClassOf* ?range }
            }
            FILTER NOT EXISTS { ?s ?super ?o }
        }""",
    "lifecycle dates": f"""
        CONSTRUCT {{ ?framework ?dateProperty ?date }}
        WHERE {{
            VALUES (?eventType ?dateProperty) {{ {_LIFECYCLE_VALUES} }}
            ?event pg:eventType ?eventType ; pg:concerns ?framework ; pg:date ?date .
            ?framework a/rdfs:subClassOf* pg:Framework .
        }}""",
    "memberOf": """
        CONSTRUCT { ?actor pg:memberOf ?framework }
        WHERE {
            ?m a pg:Membership ; pg:member ?actor ; pg:framework ?framework .
            OPTIONAL { ?m pg:role ?role }
            FILTER (!BOUND(?role) || EXISTS { ?role pg:impliesMembership true })
            FILTER NOT EXISTS { ?m pg:status ?status . FILTER (?status != pg:Active) }
            FILTER NOT EXISTS {
                ?m pg:endDate ?end .
                FILTER (STR(?end) < SUBSTR($today, 1, STRLEN(STR(?end))))
            }
            FILTER NOT EXISTS { ?framework pg:status ?state . FILTER (?state != pg:Active) }
        }""",
    "affiliatedWith": """
        CONSTRUCT { ?person pg:affiliatedWith ?organization }
        WHERE {
            ?a a pg:Affiliation ; pg:person ?person ; pg:organization ?organization .
            FILTER NOT EXISTS { ?a pg:former true }
        }""",
    "mentions": """
        CONSTRUCT { ?document pg:mentions ?entity }
        WHERE {
            ?document pg:mention|pg:candidate ?item .
            ?item pg:entity ?entity ; pg:reviewStatus ?status .
            FILTER (?status IN (pg:AutoLinked, pg:Accepted))
        }""",
}


@dataclass
class Derived:
    """What the rules derive, and the CPU seconds each rule took (its thread's)."""

    quads: list[ox.Quad]
    cpu: dict[str, float] = field(default_factory=dict)


def materialise(store: GraphStore, today: dt.date | None = None) -> list[ox.Quad]:
    """The derived quads for everything in ``store``, in the ``inferred`` graph.

    :param today: the date against which membership end dates count as past (default: the
        day of the build).

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { pg:Minilateral rdfs:subClassOf pg:Framework .'
    ...          ' id:quad a pg:Minilateral } }')
    >>> [q.object.value.rsplit("#")[-1] for q in materialise(s)]
    ['Framework']
    """
    return derive(store, today).quads


def derive(store: GraphStore, today: dt.date | None = None) -> Derived:
    """:func:`materialise`, with the CPU time of each rule (a build runs it in a thread of
    its own, beside the validation)."""
    day = f'"{(today or dt.date.today()).isoformat()}"'
    inferred = ox.NamedNode(graph_iri("inferred"))
    quads: dict[ox.Quad, None] = {}  # in order, once each (two rules may derive the same)
    cpu: dict[str, float] = {}
    for name, sparql in RULES.items():
        started = time.thread_time()
        result = store.query(sparql.replace("$today", day))
        assert isinstance(result, ox.QueryTriples)
        quads.update(
            (ox.Quad(triple.subject, triple.predicate, triple.object, inferred), None)
            for triple in result
        )
        cpu[name] = time.thread_time() - started
    return Derived(list(quads), cpu)
