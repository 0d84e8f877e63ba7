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
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.iris import graph_iri
from graph.store.port import GraphStore

if TYPE_CHECKING:
    from graph.store.oxigraph import OxigraphStore

__all__ = ["LIFECYCLE_DATES", "RULES", "Derived", "derive", "derive_changes", "materialise"]

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


# Deriving again after a change ----------------------------------------------------------

_PG = "https://w3id.org/policygraph/ontology#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
#: A change of one of these may change what every rule reads: derive everything again.
_HIERARCHY = {f"{_RDFS}subClassOf", f"{_RDFS}subPropertyOf", f"{_RDFS}range"}


@dataclass(frozen=True)
class _Reads:
    """What a rule of :data:`RULES` reads and derives (the predicates, full IRIs)."""

    predicates: frozenset[str]
    #: The classes whose ``rdf:type`` triples it reads: ``None`` for any class.
    types: frozenset[str] | None
    derives: frozenset[str]


def _pg(*names: str) -> frozenset[str]:
    return frozenset(_PG + name for name in names)


#: The rules whose inputs are fixed; "type closure" and "sub-properties" are read below.
_FIXED: dict[str, _Reads] = {
    "lifecycle dates": _Reads(
        _pg("eventType", "concerns", "date"), None, _pg(*LIFECYCLE_DATES.values())
    ),
    "memberOf": _Reads(
        _pg("member", "framework", "role", "impliesMembership", "status", "endDate"),
        _pg("Membership"),
        _pg("memberOf"),
    ),
    "affiliatedWith": _Reads(
        _pg("person", "organization", "former"), _pg("Affiliation"), _pg("affiliatedWith")
    ),
    "mentions": _Reads(
        _pg("mention", "candidate", "entity", "reviewStatus"), frozenset(), _pg("mentions")
    ),
}

_SUPER_PROPERTIES = """
    SELECT DISTINCT ?sub ?super WHERE {
        ?sub rdfs:subPropertyOf+ ?super .
        FILTER (isIRI(?sub) && isIRI(?super) && ?sub != ?super)
        FILTER (STRSTARTS(STR(?super), STR(pg:)))
    }"""


def derive_changes(
    store: OxigraphStore, changed: Collection[ox.Triple], today: dt.date | None = None
) -> tuple[set[ox.Quad], set[ox.Quad]] | None:
    """What changes in the ``inferred`` graph of ``store`` — whose data is already the
    data after a change of the triples ``changed`` (added or removed), and whose
    ``inferred`` graph is still the one derived from the data before — so that it equals
    :func:`materialise` of the data after: the quads to remove and to add.

    Only the rules that read a changed predicate run again (the types changed: those whose
    classes they read), and the type closure only for the nodes whose types changed; a
    rule's old quads are those of the predicates it alone derives. ``None`` if that cannot
    be said: the class or property hierarchy changed, or two rules derive the same
    predicate (derive everything again then).
    """
    inferred_iri = graph_iri("inferred")
    data = [g for g in store.graph_names() if g != inferred_iri]
    if any(t.predicate.value in _HIERARCHY for t in changed):
        return None
    rules = dict(_FIXED)
    pairs = store.query(_SUPER_PROPERTIES, default_graphs=data)
    assert isinstance(pairs, ox.QuerySolutions)
    subs, supers = set(), set()
    for row in pairs:
        subs.add(row["sub"].value)
        supers.add(row["super"].value)
    rules["sub-properties"] = _Reads(frozenset(subs | supers), None, frozenset(supers))
    derived = [reads.derives for reads in rules.values()] + [frozenset({_RDF_TYPE})]
    if sum(map(len, derived)) != len(frozenset().union(*derived)):
        return None  # two rules derive the same predicate: whose old quad is it?
    typed = {t.subject for t in changed if t.predicate.value == _RDF_TYPE}
    classes = {t.object.value for t in changed if t.predicate.value == _RDF_TYPE}  # type: ignore[union-attr]
    predicates = {t.predicate.value for t in changed}
    inferred = ox.NamedNode(inferred_iri)

    def old(predicate: str, subject: ox.NamedNode | None = None) -> set[ox.Quad]:
        found = store.raw.quads_for_pattern(subject, ox.NamedNode(predicate), None, inferred)
        return set(found)

    day = f'"{(today or dt.date.today()).isoformat()}"'
    removed: set[ox.Quad] = set()
    added: set[ox.Quad] = set()

    def run(sparql: str) -> set[ox.Quad]:
        result = store.query(sparql.replace("$today", day), default_graphs=data)
        assert isinstance(result, ox.QueryTriples)
        return {ox.Quad(t.subject, t.predicate, t.object, inferred) for t in result}

    for name, reads in rules.items():
        reads_types = reads.types is None or bool(classes & reads.types)
        if not (predicates & reads.predicates or (typed and reads_types)):
            continue
        new = run(RULES[name])
        was = {q for predicate in reads.derives for q in old(predicate)}
        removed |= was - new
        added |= new - was
    if typed:  # the type closure, of the nodes whose types changed
        nodes = sorted(typed, key=str)
        if all(isinstance(node, ox.NamedNode) for node in nodes):
            anchors = " ".join(str(node) for node in nodes)
            # The first WHERE is the rule's own: the nodes bound before its patterns.
            sparql = RULES["type closure"].replace(
                "WHERE {", f"WHERE {{ VALUES ?x {{ {anchors} }}", 1
            )
            was = {q for node in nodes for q in old(_RDF_TYPE, node)}  # type: ignore[arg-type]
        else:  # blank nodes cannot be listed in VALUES: every node
            sparql = RULES["type closure"]
            was = old(_RDF_TYPE)
        new = run(sparql)
        removed |= was - new
        added |= new - was
    return removed, added
