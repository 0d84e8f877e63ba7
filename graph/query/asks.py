"""What a proposal asks for and where it sits; what happened and was proposed at a place.

A proposal's asks are its ``pg:proposesJoining``, ``pg:proposesCreating``,
``pg:proposesStrengthening``, ``pg:modelledOn``, ``pg:actsThrough`` and ``pg:callsOn``
relations, grouped by kind in that order; its structure is its ``pg:level``, the
``pg:ordinal`` the report prints, the recommendation it is a point of
(``pg:subProposalOf``) and its own points; a proposal made from an ingested document names
that document (``pg:inDocument``) and the lines of its passages there. Slugs are bound as
IRIs, never spliced.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('''INSERT DATA { GRAPH <urn:g> {
...   id:p a pg:Proposal ; pg:level pg:ChapterRecommendation ; pg:ordinal 3 ;
...       pg:proposesJoining id:cptpp ; pg:callsOn id:kor ; pg:location id:busan .
...   id:p-1 a pg:Proposal ; pg:subProposalOf id:p ; pg:ordinal 1 .
...   id:ev a pg:Event ; pg:location id:busan ; pg:date "2025"^^xsd:gYear } }''')
>>> p = proposal_structure(s, "p")
>>> p.level.name, p.ordinal, [(a.kind, [t.slug for t in a.terms]) for a in p.asks]
('ChapterRecommendation', 3, [('proposesJoining', ['cptpp']), ('callsOn', ['kor'])])
>>> [c.proposal.slug for c in p.sub_proposals], [x.slug for x in p.locations]
(['p-1'], ['busan'])
>>> [x.proposal.slug for x in proposal_structure(s, "p-1").parents]
['p']
>>> s.update('''INSERT DATA { GRAPH <urn:g> {
...   id:note a pg:Document ; rdfs:label "メモ"@ja .
...   id:q a pg:Proposal ; pg:inDocument id:note ;
...       pg:evidence [ pg:inDocument id:note ; pg:lineStart 4 ; pg:lineEnd 5 ] } }''')
>>> q = proposal_structure(s, "q")
>>> q.document.slug, q.document.label, q.document_lines, p.document
('note', 'メモ', ['4–5'], None)
>>> here = place_facts(s, "busan")
>>> [(e.term.slug, e.date) for e in here.events], [x.slug for x in here.proposals]
([('ev', '2025')], ['p'])
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.iris import ONTOLOGY_NS
from graph.query.bound import Bindings, entity, select_bound
from graph.query.terms import TermRef, ref_of, text_of
from graph.query.wording import ASK_KINDS
from graph.store.port import GraphStore

__all__ = [
    "Ask",
    "DatedRef",
    "PlaceFacts",
    "ProposalRef",
    "ProposalStructure",
    "place_facts",
    "proposal_structure",
]

_EN = 'OPTIONAL {{ {0} rdfs:label {1} FILTER (langMatches(lang({1}), "en")) }}'

_ASKS = f"""
SELECT ?p ?rel ?o ?oLabel WHERE {{
    ?p ?rel ?o .
    FILTER (?rel IN ({", ".join(f"pg:{name}" for name in ASK_KINDS)}))
    {_EN.format("?o", "?oLabel")}
}} ORDER BY ?rel ?o"""

_SHAPE = f"""
SELECT ?p ?level ?levelLabel ?ordinal WHERE {{
    {{ ?p pg:level ?level {_EN.format("?level", "?levelLabel")} }}
    UNION {{ ?p pg:ordinal ?ordinal }}
}}"""

# The recommendations this proposal is a point of (up), and its own points (down).
_FAMILY = f"""
SELECT ?p ?way ?other ?otherLabel ?ordinal ?level ?levelLabel WHERE {{
    {{ ?p pg:subProposalOf ?other BIND ("up" AS ?way) }}
    UNION {{ ?other pg:subProposalOf ?p BIND ("down" AS ?way) }}
    OPTIONAL {{ ?other pg:ordinal ?ordinal }}
    OPTIONAL {{ ?other pg:level ?level {_EN.format("?level", "?levelLabel")} }}
    {_EN.format("?other", "?otherLabel")}
}} ORDER BY ?way ?ordinal ?other"""

# The document a proposal made from an ingested document comes from, its titles, and the
# lines of the proposal's passages in it.
_SOURCE = """
SELECT ?p ?doc ?docLabel ?start ?end WHERE {
    ?p pg:inDocument ?doc .
    OPTIONAL { ?doc rdfs:label ?docLabel }
    OPTIONAL { ?p pg:evidence ?e . ?e pg:inDocument ?doc ; pg:lineStart ?start
               OPTIONAL { ?e pg:lineEnd ?end } }
}"""

_LOCATIONS = f"""
SELECT ?p ?place ?placeLabel WHERE {{
    ?p pg:location ?place .
    {_EN.format("?place", "?placeLabel")}
}} ORDER BY ?place"""

_HERE = f"""
SELECT ?x ?thing ?thingLabel ?event ?proposal ?date WHERE {{
    ?thing pg:location ?x .
    OPTIONAL {{ ?thing a pg:Event BIND (true AS ?event) }}
    OPTIONAL {{ ?thing a pg:Proposal BIND (true AS ?proposal) }}
    OPTIONAL {{ ?thing pg:date ?date }}
    {_EN.format("?thing", "?thingLabel")}
}} ORDER BY ?date ?thing"""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Ask(_Model):
    """What a proposal asks for of one kind: the frameworks (or actors) it names."""

    #: The ``pg:`` property: ``proposesJoining``, ``proposesCreating``,
    #: ``proposesStrengthening``, ``modelledOn``, ``actsThrough`` or ``callsOn``.
    kind: str
    #: What a page calls the kind ("join", "calls on"), in English and Japanese.
    label: str
    label_ja: str
    terms: list[TermRef]


class ProposalRef(_Model):
    """Another proposal, with the number the report prints for it and its level."""

    proposal: TermRef
    ordinal: int | None = None
    level: TermRef | None = None


class ProposalStructure(_Model):
    """A proposal's place in the report and what it asks for."""

    #: ``OverviewPoint``, ``SummaryProposal``, ``ChapterRecommendation`` or ``SubProposal``.
    level: TermRef | None = None
    #: The number the report prints for it within its section ("(3)" → 3).
    ordinal: int | None = None
    #: Non-empty kinds of ask, in the order of :data:`graph.query.wording.ASK_KINDS`.
    asks: list[Ask] = []
    #: The recommendations it is a point of (``pg:subProposalOf``).
    parents: list[ProposalRef] = []
    #: Its own points, by ordinal.
    sub_proposals: list[ProposalRef] = []
    #: The places it is about (``pg:location``).
    locations: list[TermRef] = []
    #: The ingested document it was made from (``pg:inDocument``), titled in English where
    #: it has an English title; ``None`` for the report's proposals.
    document: TermRef | None = None
    #: The line ranges of its passages in that document (``"4"``, ``"4–5"``), in order.
    document_lines: list[str] = []

    @property
    def empty(self) -> bool:
        """Whether the graph says none of this about the proposal."""
        return not (
            self.level or self.ordinal is not None or self.asks or self.parents
            or self.sub_proposals or self.locations
        )  # fmt: skip


class DatedRef(_Model):
    """An entity (an event) and its date, if any."""

    term: TermRef
    date: str | None = None


class PlaceFacts(_Model):
    """What the graph locates at a place."""

    events: list[DatedRef] = []
    proposals: list[TermRef] = []


def proposal_structure(store: GraphStore, slug: str) -> ProposalStructure:
    """The structure and asks of the proposal ``slug`` (empty for anything else).

    :raises UnknownEntityError: ``slug`` is not a well-formed slug.
    """
    bound = {"p": entity(slug)}
    grouped: dict[str, dict[str, TermRef]] = {}
    for row in select_bound(store, _ASKS, bound):
        name = row["rel"].value[len(ONTOLOGY_NS) :]
        if isinstance(other := row["o"], ox.NamedNode):
            grouped.setdefault(name, {}).setdefault(other.value, ref_of(other, row["oLabel"]))
    level: TermRef | None = None
    ordinal: int | None = None
    for row in select_bound(store, _SHAPE, bound):
        if isinstance(row["level"], ox.NamedNode) and level is None:
            level = ref_of(row["level"], row["levelLabel"])
        if (number := _int(row["ordinal"])) is not None and ordinal is None:
            ordinal = number
    family: dict[str, dict[str, ProposalRef]] = {"up": {}, "down": {}}
    for row in select_bound(store, _FAMILY, bound):
        kind = row["level"]
        family[str(text_of(row["way"]))].setdefault(
            row["other"].value,
            ProposalRef(
                proposal=ref_of(row["other"], row["otherLabel"]),
                ordinal=_int(row["ordinal"]),
                level=ref_of(kind, row["levelLabel"]) if isinstance(kind, ox.NamedNode) else None,
            ),
        )
    document, lines = _source(store, bound)
    places = {
        row["place"].value: ref_of(row["place"], row["placeLabel"])
        for row in select_bound(store, _LOCATIONS, bound)
        if isinstance(row["place"], ox.NamedNode)
    }
    return ProposalStructure(
        level=level,
        ordinal=ordinal,
        asks=[
            Ask(kind=name, label=en, label_ja=ja, terms=list(grouped[name].values()))
            for name, (en, ja) in ASK_KINDS.items()
            if name in grouped
        ],
        parents=_by_ordinal(family["up"].values()),
        sub_proposals=_by_ordinal(family["down"].values()),
        locations=list(places.values()),
        document=document,
        document_lines=lines,
    )


def _source(store: GraphStore, bound: Bindings) -> tuple[TermRef | None, list[str]]:
    """The document a proposal names with ``pg:inDocument`` (the first by IRI, should it
    name several) and its passages' line ranges there."""
    titles: dict[str, dict[str, str]] = {}
    ranges: dict[str, set[tuple[int, int]]] = {}
    for row in select_bound(store, _SOURCE, bound):
        if not isinstance(doc := row["doc"], ox.NamedNode):
            continue
        found = titles.setdefault(doc.value, {})
        if isinstance(title := row["docLabel"], ox.Literal):
            found.setdefault(title.language or "", title.value)
        if (start := _int(row["start"])) is not None:
            ranges.setdefault(doc.value, set()).add((start, _int(row["end"]) or start))
    if not titles:
        return None, []
    iri = min(titles)
    title = titles[iri].get("en") or next((t for _, t in sorted(titles[iri].items())), None)
    lines = [str(a) if a == b else f"{a}–{b}" for a, b in sorted(ranges.get(iri, ()))]
    return ref_of(ox.NamedNode(iri), ox.Literal(title) if title else None), lines


def place_facts(store: GraphStore, slug: str) -> PlaceFacts:
    """The events and proposals located at ``slug`` (``pg:location``), events by date.

    :raises UnknownEntityError: ``slug`` is not a well-formed slug.
    """
    events: dict[str, DatedRef] = {}
    proposals: dict[str, TermRef] = {}
    for row in select_bound(store, _HERE, {"x": entity(slug)}):
        thing = row["thing"]
        if not isinstance(thing, ox.NamedNode):
            continue
        ref = ref_of(thing, row["thingLabel"])
        if row["proposal"] is not None:
            proposals.setdefault(thing.value, ref)
        elif row["event"] is not None:
            events.setdefault(thing.value, DatedRef(term=ref, date=text_of(row["date"])))
    return PlaceFacts(events=list(events.values()), proposals=list(proposals.values()))


def _by_ordinal(refs: Iterable[ProposalRef]) -> list[ProposalRef]:
    return sorted(refs, key=lambda r: (r.ordinal is None, r.ordinal or 0, r.proposal.iri))


def _int(term: object) -> int | None:
    text = text_of(term)
    return int(text) if text is not None and text.lstrip("-").isdigit() else None
