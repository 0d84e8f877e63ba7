"""The graph as the exchange formats carry it: entities as nodes, relations as edges that
keep their role, dates, status and evidence.

Nodes are the entities (IRIs under ``id/``) with a ``pg:`` class. Each carries its slug
(``id``), its most specific class (``type``), its labels in English, Japanese and Korean
(``label``, ``label_ja``, ``label_ko``; the English one falls back to the slug), its English
comment (``description``), whether its member list is ``Complete`` or ``Partial``
(``member_list``, empty when not stated) and its ``degree``: the edges of the export that
start or end at it.

Edges are of three kinds:

* a ``pg:Membership`` node is one edge member → framework, relation ``membership``, with
  its ``role`` (``Member`` when none is stated: the build reads no role as membership),
  ``start_date``, ``end_date`` (as stated: ``1949``, ``2023-11`` or ``2024-06-19``) and
  ``status`` (``Active`` when none is stated, as the vocabulary says);
* a ``pg:Affiliation`` node is one edge person → organisation, relation ``affiliation``,
  with the position as ``role`` (English, else Japanese) and ``status`` ``Ended`` for a
  former position, else ``Active``;
* every other ``pg:`` relation between two entities is an edge named by the property's
  local name (``involves``, ``partOf`` …) with no role, dates or status. Of a relation and
  the broader ones materialised from it (``proposesJoining`` and ``concerns``) only the
  narrowest is kept, and ``memberOf``/``affiliatedWith`` are left out where a membership or
  affiliation node already joins the pair.

``evidence`` counts the passages (or outside sources) cited for an edge: a membership's or
affiliation's own; for a direct relation, those of its subject, since the graph records
evidence per entity, not per statement.

Nodes and edges come in slug order, so two exports of one store are identical.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import asdict, dataclass, replace

import networkx as nx
import pyoxigraph as ox

from graph.iris import ENTITY_BASE, ONTOLOGY_NS
from graph.store.port import GraphStore

__all__ = ["ExchangeEdge", "ExchangeGraph", "ExchangeNode", "read_exchange_graph", "spell"]

_ENTITY = f'STRSTARTS(STR(?x), "{ENTITY_BASE}")'
_PG = f'STRSTARTS(STR(?c), "{ONTOLOGY_NS}")'

_TYPES = f"SELECT ?x ?c WHERE {{ ?x a ?c . FILTER ({_ENTITY} && {_PG}) }}"
_SUBCLASSES = f"""
SELECT ?x ?c WHERE {{
    ?x rdfs:subClassOf+ ?c .
    FILTER (STRSTARTS(STR(?x), "{ONTOLOGY_NS}") && {_PG} && ?x != ?c)
}}"""
_SUBPROPERTIES = f"""
SELECT ?x ?c WHERE {{
    ?x rdfs:subPropertyOf+ ?c .
    FILTER (STRSTARTS(STR(?x), "{ONTOLOGY_NS}") && {_PG} && ?x != ?c)
}}"""
_TEXTS = f"""
SELECT ?x ?p ?text WHERE {{
    VALUES ?p {{ rdfs:label rdfs:comment }}
    ?x ?p ?text .
    FILTER ({_ENTITY} && LANG(?text) IN ("en", "ja", "ko"))
}}"""
_MEMBER_LISTS = f"SELECT ?x ?c WHERE {{ ?x pg:memberList ?c . FILTER ({_ENTITY} && {_PG}) }}"
_EVIDENCE = f"""
SELECT ?x (COUNT(DISTINCT ?passage) AS ?n) WHERE {{
    ?x pg:evidence ?passage . FILTER ({_ENTITY})
}} GROUP BY ?x"""
_RELATIONS = f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
    ?s ?p ?o .
    FILTER (STRSTARTS(STR(?p), "{ONTOLOGY_NS}") && ?p != pg:evidence
            && STRSTARTS(STR(?s), "{ENTITY_BASE}") && STRSTARTS(STR(?o), "{ENTITY_BASE}"))
}}"""
_MEMBERSHIPS = """
SELECT ?node ?source ?target ?role ?start ?end ?status (COUNT(DISTINCT ?passage) AS ?n) WHERE {
    ?node a pg:Membership ; pg:member ?source ; pg:framework ?target .
    OPTIONAL { ?node pg:role ?role }
    OPTIONAL { ?node pg:startDate ?start }
    OPTIONAL { ?node pg:endDate ?end }
    OPTIONAL { ?node pg:status ?status }
    OPTIONAL { ?node pg:evidence ?passage }
} GROUP BY ?node ?source ?target ?role ?start ?end ?status"""
_AFFILIATIONS = """
SELECT ?node ?source ?target ?former (SAMPLE(?en) AS ?role) (SAMPLE(?ja) AS ?roleJa)
       (COUNT(DISTINCT ?passage) AS ?n) WHERE {
    ?node a pg:Affiliation ; pg:person ?source ; pg:organization ?target .
    OPTIONAL { ?node pg:position ?en FILTER (LANG(?en) = "en") }
    OPTIONAL { ?node pg:position ?ja FILTER (LANG(?ja) = "ja") }
    OPTIONAL { ?node pg:former ?former }
    OPTIONAL { ?node pg:evidence ?passage }
} GROUP BY ?node ?source ?target ?former"""


@dataclass(frozen=True)
class ExchangeNode:
    """An entity: its slug, class, names in three languages, comment and degree."""

    id: str
    type: str
    label: str
    label_ja: str
    label_ko: str
    description: str
    member_list: str
    degree: int = 0


@dataclass(frozen=True)
class ExchangeEdge:
    """A relation between two entities with what qualifies it (empty where not stated)."""

    id: str
    source: str
    target: str
    relation: str
    role: str = ""
    start_date: str = ""
    end_date: str = ""
    status: str = ""
    evidence: int = 0


@dataclass(frozen=True)
class ExchangeGraph:
    """The nodes and edges every exchange format writes."""

    nodes: list[ExchangeNode]
    edges: list[ExchangeEdge]

    def to_networkx(self) -> nx.MultiDiGraph:
        """A ``MultiDiGraph`` keyed by slug, edges keyed by their ``id``, with every field
        of :class:`ExchangeNode` and :class:`ExchangeEdge` as an attribute."""
        graph = nx.MultiDiGraph()
        for node in self.nodes:
            fields = asdict(node)
            graph.add_node(fields.pop("id"), **fields)
        for edge in self.edges:
            fields = asdict(edge)
            graph.add_edge(fields.pop("source"), fields.pop("target"), key=edge.id, **fields)
        return graph


def read_exchange_graph(store: GraphStore) -> ExchangeGraph:
    """The exchange graph of ``store`` (see the module's docstring)."""
    entities = _entities(store)
    edges = [e for e in _edges(store) if e.source in entities and e.target in entities]
    degree = Counter([e.source for e in edges] + [e.target for e in edges])
    nodes = [replace(node, degree=degree[slug]) for slug, node in sorted(entities.items())]
    return ExchangeGraph(nodes, edges)


def spell(start: str, end: str) -> tuple[str | None, str | None]:
    """A membership's dates as full ISO dates for a timeline: a year or month stated as a
    start begins on its first day, stated as an end finishes on its last.

    >>> spell("1949", "2023-02")
    ('1949-01-01', '2023-02-28')
    >>> spell("", "2019")
    (None, '2019-12-31')
    """
    return (_day(start, first=True) if start else None, _day(end, first=False) if end else None)


def _day(stated: str, *, first: bool) -> str:
    parts = stated.split("-")
    if len(parts) >= 3:
        return stated[:10]
    year = int(parts[0])
    month = int(parts[1]) if len(parts) == 2 else (1 if first else 12)
    day = 1 if first else calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}"


def _entities(store: GraphStore) -> dict[str, ExchangeNode]:
    broader: dict[str, set[str]] = {}
    for row in _select(store, _SUBCLASSES):
        broader.setdefault(row["x"].value, set()).add(row["c"].value)
    classes: dict[str, set[str]] = {}
    for row in _select(store, _TYPES):
        classes.setdefault(_slug(row["x"]), set()).add(row["c"].value)
    texts: dict[tuple[str, str, str], str] = {}
    for row in _select(store, _TEXTS):
        text = row["text"]
        key = (_slug(row["x"]), row["p"].value, text.language or "")
        if key not in texts or text.value < texts[key]:  # several: the smallest, stably
            texts[key] = text.value
    member_lists: dict[str, str] = {}
    for row in _select(store, _MEMBER_LISTS):
        # Two statements: Partial wins, so a list is never overstated.
        if member_lists.get(_slug(row["x"])) != "Partial":
            member_lists[_slug(row["x"])] = _local(row["c"])

    label = "http://www.w3.org/2000/01/rdf-schema#label"
    comment = "http://www.w3.org/2000/01/rdf-schema#comment"
    nodes = {}
    for slug, held in classes.items():
        # The most specific class; of two equally specific ones the first in IRI order.
        specific = sorted(c for c in held if not any(c in broader.get(n, ()) for n in held))
        nodes[slug] = ExchangeNode(
            id=slug,
            type=specific[0][len(ONTOLOGY_NS) :],
            label=texts.get((slug, label, "en"), slug),
            label_ja=texts.get((slug, label, "ja"), ""),
            label_ko=texts.get((slug, label, "ko"), ""),
            description=texts.get((slug, comment, "en"), ""),
            member_list=member_lists.get(slug, ""),
        )
    return nodes


def _edges(store: GraphStore) -> list[ExchangeEdge]:
    evidence = {_slug(row["x"]): int(row["n"].value) for row in _select(store, _EVIDENCE)}
    found: list[ExchangeEdge] = []
    for row in _select(store, _MEMBERSHIPS):
        found.append(
            ExchangeEdge(
                id="",
                source=_slug(row["source"]),
                target=_slug(row["target"]),
                relation="membership",
                role=_local(row["role"]) if row["role"] else "Member",
                start_date=row["start"].value if row["start"] else "",
                end_date=row["end"].value if row["end"] else "",
                status=_local(row["status"]) if row["status"] else "Active",
                evidence=int(row["n"].value),
            )
        )
    for row in _select(store, _AFFILIATIONS):
        position = row["role"] or row["roleJa"]
        former = row["former"] is not None and row["former"].value == "true"
        found.append(
            ExchangeEdge(
                id="",
                source=_slug(row["source"]),
                target=_slug(row["target"]),
                relation="affiliation",
                role=position.value if position else "",
                status="Ended" if former else "Active",
                evidence=int(row["n"].value),
            )
        )
    qualified = {(e.source, e.target) for e in found}
    direct = {
        (_slug(row["s"]), _local(row["p"]), _slug(row["o"])) for row in _select(store, _RELATIONS)
    }
    narrower: dict[str, set[str]] = {}
    for row in _select(store, _SUBPROPERTIES):
        narrower.setdefault(_local(row["c"]), set()).add(_local(row["x"]))
    for source, relation, target in direct:
        if relation in ("memberOf", "affiliatedWith") and (source, target) in qualified:
            continue
        if any((source, sub, target) in direct for sub in narrower.get(relation, ())):
            continue  # a narrower relation says the same and more
        found.append(ExchangeEdge("", source, target, relation, evidence=evidence.get(source, 0)))
    return _with_ids(found)


def _with_ids(edges: list[ExchangeEdge]) -> list[ExchangeEdge]:
    """Sorted, each with a readable id ``source--relation--target``, numbered from ``--2``
    when a pair has several edges of one relation (two memberships with different roles)."""
    ordered = sorted(edges, key=lambda e: (e.source, e.relation, e.target, e.role, e.start_date))
    seen: Counter[str] = Counter()
    named = []
    for edge in ordered:
        base = f"{edge.source}--{edge.relation}--{edge.target}"
        seen[base] += 1
        named.append(replace(edge, id=base if seen[base] == 1 else f"{base}--{seen[base]}"))
    return named


def _slug(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return term.value[len(ENTITY_BASE) :] if isinstance(term, ox.NamedNode) else ""


def _local(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    value = term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""
    return value[len(ONTOLOGY_NS) :] if value.startswith(ONTOLOGY_NS) else value


def _select(store: GraphStore, sparql: str) -> ox.QuerySolutions:
    solutions = store.query(sparql)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions
