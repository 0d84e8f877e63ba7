"""``policygraph coverage``: how much of the report the graph covers, part by part.

Each part (``pg:Chapter``) and section of a document spans the lines from its heading in
the body of the text to the next heading; the lines before the first part are the front
matter (summary and introduction), and the last section runs to the end of the text
(annexes and member list included). For every span the report counts the proposals placed
in it, the actors and frameworks it *introduces* (whose first evidence passage lies in it)
and the passages that point into it. It also lists every entity without evidence and
every actor, framework, proposal or topic without an English or Japanese label.

Its :class:`Depth` counts the knowledge the December 2026 additions record: places, events
by type, proposals by level (with printed numbers and parents), frameworks by status and
with lifecycle dates, what proposals ask for, and member lists marked complete or partial;
it lists the proposals with no level and the member lists marked neither way.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.iris import slug_of
from graph.store.port import GraphStore

__all__ = ["Coverage", "Depth", "Span", "coverage", "depth"]

_DIVISIONS = """
SELECT ?division ?kind ?order ?label ?parent (MAX(?line) AS ?heading)
WHERE {
    VALUES ?kind { pg:Chapter pg:Section }
    ?division a ?kind ; pg:order ?order ; pg:partOf ?parent ; pg:evidence/pg:lineStart ?line .
    OPTIONAL { ?division rdfs:label ?label FILTER (LANG(?label) = "en") }
    FILTER EXISTS { ?division pg:partOf* ?doc . ?doc pg:sha256 ?sha }
}
GROUP BY ?division ?kind ?order ?label ?parent
ORDER BY ?heading
"""

_FIRST_MENTIONS = """
SELECT ?entity ?kind (MIN(?line) AS ?first)
WHERE {
    VALUES ?kind { pg:Actor pg:Framework }
    ?entity a ?kind ; pg:evidence/pg:lineStart ?line .
}
GROUP BY ?entity ?kind
"""

_PROPOSALS = "SELECT ?section (COUNT(?p) AS ?n) WHERE { ?p a pg:Proposal ; pg:inSection ?section } GROUP BY ?section"

_PASSAGE_LINES = "SELECT ?line WHERE { ?p a pg:Passage ; pg:lineStart ?line }"

_WITHOUT_EVIDENCE = """
SELECT DISTINCT ?entity WHERE {
    VALUES ?kind { pg:Actor pg:Framework pg:Proposal pg:Event pg:Statistic pg:Membership pg:Affiliation }
    ?entity a ?kind .
    FILTER NOT EXISTS { ?entity pg:evidence ?any }
} ORDER BY ?entity
"""

_WITHOUT_LABEL = """
SELECT DISTINCT ?entity ?lang WHERE {
    VALUES ?kind { pg:Actor pg:Framework pg:Proposal pg:Topic }
    VALUES ?lang { "en" "ja" }
    ?entity a ?kind .
    FILTER NOT EXISTS { ?entity rdfs:label ?label FILTER (LANG(?label) = ?lang) }
} ORDER BY ?entity ?lang
"""


_COUNTS = {
    "places": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pg:Place }",
    "events": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pg:Event }",
    "events_with_location": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pg:Event ; pg:location ?p }",
    "proposals_with_ordinal": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a pg:Proposal ; pg:ordinal ?o }",
    "sub_proposals_with_parent": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x pg:subProposalOf ?p }",
    "frameworks_with_lifecycle": """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
        VALUES ?date { pg:foundedOn pg:signedOn pg:inForceFrom pg:suspendedOn pg:endedOn }
        ?x a pg:Framework ; ?date ?d }""",
}

_GROUPED = {
    "events_by_type": """SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?x a pg:Event . OPTIONAL { ?x pg:eventType ?type }
        BIND (COALESCE(?type, "untyped") AS ?key) } GROUP BY ?key""",
    "proposals_by_level": """SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?x a pg:Proposal . OPTIONAL { ?x pg:level ?level }
        BIND (COALESCE(?level, "no level") AS ?key) } GROUP BY ?key""",
    "frameworks_by_status": """SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?x a pg:Framework . OPTIONAL { ?x pg:status ?status }
        BIND (COALESCE(?status, pg:Active) AS ?key) } GROUP BY ?key""",
    "lifecycle_dates": """SELECT ?key (COUNT(*) AS ?n) WHERE {
        VALUES ?key { pg:foundedOn pg:signedOn pg:inForceFrom pg:suspendedOn pg:endedOn }
        ?x ?key ?d } GROUP BY ?key""",
    "asks": """SELECT ?key (COUNT(*) AS ?n) WHERE {
        VALUES ?key { pg:proposesJoining pg:proposesCreating pg:proposesStrengthening
                      pg:modelledOn pg:actsThrough pg:callsOn }
        ?x ?key ?y } GROUP BY ?key""",
    "member_lists": """SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE {
        { ?x a pg:Framework } UNION { ?x a pg:Grouping }
        { ?x pg:memberList ?list } UNION { ?m a pg:Membership ; pg:framework ?x }
        OPTIONAL { ?x pg:memberList ?marked }
        BIND (COALESCE(?marked, "unmarked") AS ?key) } GROUP BY ?key""",
}

_WITHOUT_LEVEL = """
SELECT ?x WHERE { ?x a pg:Proposal FILTER NOT EXISTS { ?x pg:level ?level } } ORDER BY ?x
"""

_UNMARKED_MEMBER_LISTS = """
SELECT DISTINCT ?x WHERE {
    ?m a pg:Membership ; pg:framework ?x .
    FILTER NOT EXISTS { ?x pg:memberList ?list }
} ORDER BY ?x
"""


@dataclass
class Depth:
    """How much of the December 2026 vocabulary the graph uses (counts of entities or
    triples; grouped counts keyed by the term's local name)."""

    places: int = 0
    events: int = 0
    events_with_location: int = 0
    events_by_type: dict[str, int] = field(default_factory=dict)
    proposals_by_level: dict[str, int] = field(default_factory=dict)
    proposals_with_ordinal: int = 0
    sub_proposals_with_parent: int = 0
    frameworks_by_status: dict[str, int] = field(default_factory=dict)
    frameworks_with_lifecycle: int = 0
    lifecycle_dates: dict[str, int] = field(default_factory=dict)
    asks: dict[str, int] = field(default_factory=dict)
    member_lists: dict[str, int] = field(default_factory=dict)
    without_level: list[str] = field(default_factory=list)
    unmarked_member_lists: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The depth figures as lines of text, for the ``coverage`` table."""

        def grouped(counts: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"

        return [
            f"places: {self.places}; events: {self.events} "
            f"({self.events_with_location} located), by type: {grouped(self.events_by_type)}",
            f"proposals by level: {grouped(self.proposals_by_level)}; "
            f"with a printed number: {self.proposals_with_ordinal}; "
            f"sub-proposals with a parent: {self.sub_proposals_with_parent}",
            f"frameworks by status: {grouped(self.frameworks_by_status)}; "
            f"with lifecycle dates: {self.frameworks_with_lifecycle} "
            f"({grouped(self.lifecycle_dates)})",
            f"what proposals ask: {grouped(self.asks)}",
            f"member lists: {grouped(self.member_lists)}",
            f"proposals without a level: {', '.join(self.without_level) or 'none'}",
            f"member lists marked neither complete nor partial: "
            f"{', '.join(self.unmarked_member_lists) or 'none'}",
        ]


def _local(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value.rsplit("#", 1)[-1]
    return term.value if isinstance(term, ox.Literal) else _name(term)


def depth(store: GraphStore) -> Depth:
    """Count places, typed events, proposal levels, statuses, lifecycles, asks, member lists.

    >>> from graph.store import OxigraphStore
    >>> depth(OxigraphStore.memory()).lines()[0]
    'places: 0; events: 0 (0 located), by type: none'
    """
    found = Depth()
    for name, sparql in _COUNTS.items():
        row = next(iter(_rows(store, sparql)))
        setattr(found, name, int(row["n"].value))
    for name, sparql in _GROUPED.items():
        setattr(
            found,
            name,
            {_local(r["key"]): int(r["n"].value) for r in _rows(store, sparql)},
        )
    found.without_level = [_name(r["x"]) for r in _rows(store, _WITHOUT_LEVEL)]
    found.unmarked_member_lists = [_name(r["x"]) for r in _rows(store, _UNMARKED_MEMBER_LISTS)]
    return found


@dataclass
class Span:
    """One part or section (or the front matter) and what the graph holds for it."""

    name: str
    label: str
    first_line: int
    last_line: int | None
    proposals: int = 0
    actors: int = 0
    frameworks: int = 0
    passages: int = 0
    sections: list[Span] = field(default_factory=list)

    def holds(self, line: int) -> bool:
        """Whether ``line`` falls in this span."""
        return self.first_line <= line and (self.last_line is None or line <= self.last_line)


@dataclass
class Coverage:
    """The whole report: front matter, parts with their sections, and the gaps."""

    spans: list[Span]
    without_evidence: list[str]
    without_label: list[str]
    depth: Depth = field(default_factory=Depth)


def _rows(store: GraphStore, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _name(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if isinstance(term, ox.NamedNode):
        return slug_of(term.value) or term.value
    return "a blank node" if isinstance(term, ox.BlankNode) else str(term)


def coverage(store: GraphStore) -> Coverage:
    """Count proposals, first mentions and passages per part and section.

    >>> from graph.store import OxigraphStore
    >>> coverage(OxigraphStore.memory()).spans[0].name
    'front matter'
    """
    parts: list[Span] = []
    for row in _rows(store, _DIVISIONS):
        label = row["label"].value if row["label"] is not None else ""
        span = Span(_name(row["division"]), label, int(row["heading"].value), None)
        if row["kind"].value.endswith("#Chapter"):
            parts.append(span)
        elif parts:
            parts[-1].sections.append(span)
    ordered = [s for part in parts for s in [part, *part.sections]]
    for current, following in itertools.pairwise(ordered):
        current.last_line = following.first_line - 1
    for part in parts:
        part.last_line = part.sections[-1].last_line if part.sections else part.last_line
        if part.sections:
            part.sections[0].first_line = part.first_line
    front = Span(
        "front matter", "summary and introduction", 1, (parts[0].first_line - 1) if parts else None
    )
    spans = [front, *parts]
    leaves = [front] + [s for part in parts for s in (part.sections or [part])]

    proposals = {_name(r["section"]): int(r["n"].value) for r in _rows(store, _PROPOSALS)}
    for part in parts:
        for section in part.sections:
            section.proposals = proposals.get(section.name, 0)
        part.proposals = sum(s.proposals for s in part.sections)

    def leaf_for(line: int) -> Span | None:
        return next((s for s in leaves if s.holds(line)), None)

    firsts: Counter[tuple[str, str]] = Counter()
    for row in _rows(store, _FIRST_MENTIONS):
        leaf = leaf_for(int(row["first"].value))
        if leaf is not None:
            firsts[(leaf.name, row["kind"].value.rsplit("#", 1)[-1])] += 1
    passages: Counter[str] = Counter()
    for row in _rows(store, _PASSAGE_LINES):
        leaf = leaf_for(int(row["line"].value))
        if leaf is not None:
            passages[leaf.name] += 1
    for leaf in leaves:
        leaf.actors = firsts[(leaf.name, "Actor")]
        leaf.frameworks = firsts[(leaf.name, "Framework")]
        leaf.passages = passages[leaf.name]
    for part in parts:
        if part.sections:
            part.actors = sum(s.actors for s in part.sections)
            part.frameworks = sum(s.frameworks for s in part.sections)
            part.passages = sum(s.passages for s in part.sections)

    return Coverage(
        spans=spans,
        without_evidence=[_name(r["entity"]) for r in _rows(store, _WITHOUT_EVIDENCE)],
        without_label=[
            f"{_name(r['entity'])} (no @{r['lang'].value})" for r in _rows(store, _WITHOUT_LABEL)
        ],
        depth=depth(store),
    )
