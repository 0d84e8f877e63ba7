"""What the graph says about one entity: labels, types, relations, memberships, evidence,
and what its kind calls for — a framework's status, lifecycle and member list
(:mod:`graph.query.lifecycle`), a proposal's asks and structure, a place's events and
proposals (:mod:`graph.query.asks`).

The description behind ``GET /api/entities/{slug}`` and the entity page ``/id/{slug}``.
The slug is checked, and its IRI written into each query in place of ``?e``
(:mod:`graph.query.about`): Oxigraph applied a bound ``?e`` after planning, so each query
read every membership or passage of the store (1–3 s per page at 1M triples).
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.document_language import document_languages, quote_language
from graph.errors import UnknownEntityError
from graph.ingest.model import REVIEW_ITEM
from graph.iris import entity_iri
from graph.query.about import entity, select_about
from graph.query.asks import PlaceFacts, ProposalStructure, place_facts, proposal_structure
from graph.query.lifecycle import Lifecycle, MemberList, lifecycles, member_lists
from graph.query.people import PersonHere, people_of
from graph.query.terms import Label, Passage, TermRef, label_of, ref_of, text_of, titled_ref
from graph.query.wording import inverse_phrase
from graph.store.port import GraphStore

__all__ = [
    "Affiliation",
    "EntityDescription",
    "Membership",
    "Relation",
    "describe_entity",
]

#: The kinds of entity that have people: members or staff with positions.
_WITH_PEOPLE = frozenset({"Organization", "Grouping", "Framework"})

_EN_LABEL = 'OPTIONAL {{ {0} rdfs:label {1} FILTER (langMatches(lang({1}), "en")) }}'

_OWN = """
SELECT ?e ?p ?o ?typeLabel WHERE {
    ?e ?p ?o .
    FILTER (?p IN (rdfs:label, skos:altLabel, rdfs:comment, rdf:type, pg:date))
    OPTIONAL { ?o rdfs:label ?typeLabel FILTER (?p = rdf:type && langMatches(lang(?typeLabel), "en")) }
}"""

# A document's review items (its mentions and candidates) are bookkeeping, not relations:
# left out on both sides, as the views' projection leaves them out. Relations are sorted
# in Python (by predicate, then the other end's IRI): Oxigraph's ORDER BY took two thirds
# of the query for a hub's 6,875 incoming relations at 1M triples.
_OUTGOING = f"""
SELECT DISTINCT ?e ?p ?o ?pLabel ?oLabel WHERE {{
    ?e ?p ?o .
    FILTER (isIRI(?o) && ?p != rdf:type)
    FILTER NOT EXISTS {{ ?o a <{REVIEW_ITEM}> }}
    {_EN_LABEL.format("?p", "?pLabel")}
    {_EN_LABEL.format("?o", "?oLabel")}
}}"""

_INCOMING = f"""
SELECT DISTINCT ?e ?p ?s ?pLabel ?sLabel WHERE {{
    ?s ?p ?e .
    FILTER (isIRI(?s))
    FILTER NOT EXISTS {{ ?s a <{REVIEW_ITEM}> }}
    {_EN_LABEL.format("?p", "?pLabel")}
    {_EN_LABEL.format("?s", "?sLabel")}
}}"""

_MEMBERSHIPS = f"""
SELECT ?e ?m ?member ?framework ?role ?start ?end ?memberLabel ?frameworkLabel ?roleLabel
    ?status ?statusLabel
WHERE {{
    # The type and the ends inside each branch: joined after the UNION they were read for
    # every membership of the store (half a second at 1M triples, for any entity).
    {{ ?m pg:member ?e ; a pg:Membership ; pg:member ?member ; pg:framework ?framework }}
    UNION {{ ?m pg:framework ?e ; a pg:Membership ; pg:member ?member ; pg:framework ?framework }}
    OPTIONAL {{ ?m pg:role ?role {_EN_LABEL.format("?role", "?roleLabel")} }}
    OPTIONAL {{ ?m pg:status ?status {_EN_LABEL.format("?status", "?statusLabel")} }}
    OPTIONAL {{ ?m pg:startDate ?start }}
    OPTIONAL {{ ?m pg:endDate ?end }}
    {_EN_LABEL.format("?member", "?memberLabel")}
    {_EN_LABEL.format("?framework", "?frameworkLabel")}
}} ORDER BY ?framework ?member ?start ?end ?m"""

_AFFILIATIONS = f"""
SELECT ?e ?a ?person ?organization ?position ?former ?personLabel ?organizationLabel
WHERE {{
    {{ ?a pg:person ?e }} UNION {{ ?a pg:organization ?e }}
    ?a a pg:Affiliation ; pg:person ?person ; pg:organization ?organization .
    OPTIONAL {{ ?a pg:position ?position }}
    OPTIONAL {{ ?a pg:former ?former }}
    {_EN_LABEL.format("?person", "?personLabel")}
    {_EN_LABEL.format("?organization", "?organizationLabel")}
}} ORDER BY ?organization ?person ?a"""

# Evidence of the entity itself and of the membership/affiliation nodes it takes part in.
# One branch per role: a path alternative (pg:member|pg:framework) towards the entity's IRI
# read every membership of the store (0.45 s at 1M triples; a branch each, none).
_EVIDENCE = f"""
SELECT ?e ?holder ?ev ?quote ?start ?end ?doc ?docLabel ?asOf WHERE {{
    {{ ?e pg:evidence ?ev BIND (?e AS ?holder) }}
    UNION {{ ?holder pg:member ?e ; a pg:Membership ; pg:evidence ?ev }}
    UNION {{ ?holder pg:framework ?e ; a pg:Membership ; pg:evidence ?ev }}
    UNION {{ ?holder pg:person ?e ; a pg:Affiliation ; pg:evidence ?ev }}
    UNION {{ ?holder pg:organization ?e ; a pg:Affiliation ; pg:evidence ?ev }}
    OPTIONAL {{ ?ev pg:quote ?quote }}
    OPTIONAL {{ ?ev pg:lineStart ?start }}
    OPTIONAL {{ ?ev pg:lineEnd ?end }}
    OPTIONAL {{ ?ev pg:inDocument ?inDoc {_EN_LABEL.format("?inDoc", "?inDocLabel")} }}
    OPTIONAL {{ ?ev pg:asOf ?asOf }}
    # The document's label is asked of a variable bound by a pattern, not by the BIND below:
    # Oxigraph scanned every English label for each row of a BIND-bound one (10 s for an
    # actor with 1,337 memberships at 1M triples; 0.4 s so).
    # (No test of ?inDoc in this FILTER: Virtuoso then lost the passages' lines.)
    OPTIONAL {{ ?ev rdfs:label ?evLabel FILTER (isIRI(?ev) && langMatches(lang(?evLabel), "en")) }}
    BIND (IF(BOUND(?inDoc), ?inDoc, IF(isIRI(?ev), ?ev, ?unbound)) AS ?doc)
    BIND (IF(BOUND(?inDoc), ?inDocLabel, ?evLabel) AS ?docLabel)
}} ORDER BY ?holder ?start ?end ?quote"""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Relation(_Model):
    """All the targets (or sources) of one predicate."""

    predicate: TermRef
    terms: list[TermRef]
    #: For an incoming relation, how a page names it from this side ("members" for
    #: ``memberOf``), in English, Japanese and Korean; ``None`` for outgoing or unknown ones.
    inverse: str | None = None
    inverse_ja: str | None = None
    inverse_ko: str | None = None


class Membership(_Model):
    """A ``pg:Membership`` node: who, in what, with which role, when, on what evidence."""

    member: TermRef
    framework: TermRef
    role: TermRef | None = None
    start_date: str | None = None
    end_date: str | None = None
    #: ``pg:status`` (``Proposed``, ``Suspended`` …); ``None``: none stated, i.e. active.
    status: TermRef | None = None
    evidence: list[Passage] = []


class Affiliation(_Model):
    """A ``pg:Affiliation`` node: a person's position in an organisation."""

    person: TermRef
    organization: TermRef
    position: list[Label] = []
    former: bool = False
    evidence: list[Passage] = []


class EntityDescription(_Model):
    """Everything the graph says about one entity."""

    slug: str
    iri: str
    #: The English label (or any label, or the slug).
    label: str
    labels: list[Label]
    alt_labels: list[Label]
    types: list[TermRef]
    #: ``rdfs:comment`` in each language.
    description: list[Label]
    #: ``pg:date`` (an event's day, month or year), earliest first.
    dates: list[str] = []
    outgoing: list[Relation]
    incoming: list[Relation]
    memberships: list[Membership]
    affiliations: list[Affiliation]
    evidence: list[Passage]
    #: A framework's status, lifecycle dates and events (``None`` for other entities).
    lifecycle: Lifecycle | None = None
    #: Whether the graph lists every member of a framework or grouping, and on what source.
    member_list: MemberList | None = None
    #: A proposal's level, ordinal, asks, parent and sub-proposals, places.
    proposal: ProposalStructure | None = None
    #: The events and proposals located at a place.
    place: PlaceFacts | None = None
    #: An organisation's, grouping's or framework's people: positions there and elsewhere.
    people: list[PersonHere] = []


def describe_entity(store: GraphStore, slug: str) -> EntityDescription:
    """The description of the entity ``slug``.

    :raises UnknownEntityError: no triple has the entity as its subject.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor a pg:Country ; rdfs:label "Korea"@en ;'
    ...          ' pg:memberOf id:ip4 } }')
    >>> d = describe_entity(s, "kor")
    >>> d.label, [t.name for t in d.types], [r.predicate.name for r in d.outgoing]
    ('Korea', ['Country'], ['memberOf'])
    """
    node = entity(slug)
    labels: list[Label] = []
    alt_labels: list[Label] = []
    comments: list[Label] = []
    types: dict[str, TermRef] = {}
    dates: list[str] = []
    for row in select_about(store, _OWN, node):
        predicate, value = row["p"].value, row["o"]
        if predicate.endswith("#type") and isinstance(value, ox.NamedNode):
            types.setdefault(value.value, ref_of(value, row["typeLabel"]))
        elif predicate.endswith("#date"):
            if (date := text_of(value)) is not None and date not in dates:
                dates.append(date)
        elif (label := label_of(value)) is not None:
            target = {"label": labels, "altLabel": alt_labels, "comment": comments}
            bucket = target[predicate.rsplit("#", 1)[-1]]
            if label not in bucket:
                bucket.append(label)
    if not (labels or types):
        raise UnknownEntityError(f"no entity has the slug {slug!r}")
    evidence = _evidence_by_holder(store, node)
    english = [label.value for label in labels if label.lang.startswith("en")]
    kinds = {t.name for t in types.values() if t.name}
    iri = entity_iri(slug)
    lifecycle = lifecycles(store, slug).get(iri)
    member_list = member_lists(store, slug).get(iri)
    here = place_facts(store, slug)
    return EntityDescription(
        slug=slug,
        iri=entity_iri(slug),
        label=(english or [label.value for label in labels] or [slug])[0],
        labels=labels,
        alt_labels=alt_labels,
        types=sorted(types.values(), key=lambda t: t.iri),
        description=comments,
        dates=sorted(dates),
        outgoing=_relations(select_about(store, _OUTGOING, node), "o", "oLabel"),
        incoming=_relations(select_about(store, _INCOMING, node), "s", "sLabel", incoming=True),
        memberships=_memberships(store, node, evidence),
        affiliations=_affiliations(store, node, evidence),
        evidence=evidence.get(iri, []),
        lifecycle=lifecycle or (Lifecycle() if "Framework" in kinds else None),
        member_list=member_list or (MemberList() if "Framework" in kinds else None),
        proposal=proposal_structure(store, slug) if "Proposal" in kinds else None,
        place=here if "Place" in kinds or here.events or here.proposals else None,
        people=people_of(store, slug) if kinds & _WITH_PEOPLE else [],
    )


def _relations(
    rows: ox.QuerySolutions, other: str, other_label: str, *, incoming: bool = False
) -> list[Relation]:
    grouped: dict[str, tuple[TermRef, dict[str, TermRef]]] = {}
    # Both ends are IRIs, which SPARQL orders by their text: the order ORDER BY gave.
    for row in sorted(rows, key=lambda row: (row["p"].value, row[other].value)):
        predicate = grouped.setdefault(row["p"].value, (ref_of(row["p"], row["pLabel"]), {}))
        predicate[1].setdefault(row[other].value, ref_of(row[other], row[other_label]))
    return [
        Relation(
            predicate=p,
            terms=list(terms.values()),
            inverse=inverse_phrase(p.name or p.iri) if incoming else None,
            inverse_ja=inverse_phrase(p.name or p.iri, "ja") if incoming else None,
            inverse_ko=inverse_phrase(p.name or p.iri, "ko") if incoming else None,
        )
        for p, terms in grouped.values()
    ]


def _evidence_by_holder(store: GraphStore, node: ox.NamedNode) -> dict[str, list[Passage]]:
    """Passages keyed by the IRI or blank-node id of what they support."""
    found: dict[str, list[Passage]] = defaultdict(list)
    titles: dict[str, str | None] = {}
    languages = document_languages(store)
    for row in select_about(store, _EVIDENCE, node):
        doc = row["doc"]
        passage = Passage(
            language=quote_language(languages, text_of(doc)),
            quote=text_of(row["quote"]),
            line_start=_int(row["start"]),
            line_end=_int(row["end"]),
            document=(
                titled_ref(store, doc, row["docLabel"], titles)
                if isinstance(doc, ox.NamedNode)
                else None
            ),
            as_of=text_of(row["asOf"]),
        )
        passages = found[row["holder"].value]
        if passage not in passages:
            passages.append(passage)
    return found


def _memberships(
    store: GraphStore, node: ox.NamedNode, evidence: dict[str, list[Passage]]
) -> list[Membership]:
    memberships: dict[str, Membership] = {}
    for row in select_about(store, _MEMBERSHIPS, node):
        role, status = row["role"], row["status"]
        memberships.setdefault(
            row["m"].value,
            Membership(
                member=ref_of(row["member"], row["memberLabel"]),
                framework=ref_of(row["framework"], row["frameworkLabel"]),
                role=ref_of(role, row["roleLabel"]) if isinstance(role, ox.NamedNode) else None,
                start_date=text_of(row["start"]),
                end_date=text_of(row["end"]),
                status=(
                    ref_of(status, row["statusLabel"]) if isinstance(status, ox.NamedNode) else None
                ),
                evidence=evidence.get(row["m"].value, []),
            ),
        )
    return list(memberships.values())


def _affiliations(
    store: GraphStore, subject: ox.NamedNode, evidence: dict[str, list[Passage]]
) -> list[Affiliation]:
    rows_by_node: dict[str, list[ox.QuerySolution]] = defaultdict(list)
    for row in select_about(store, _AFFILIATIONS, subject):
        rows_by_node[row["a"].value].append(row)
    affiliations = []
    for node, rows in rows_by_node.items():
        positions: list[Label] = []
        for row in rows:
            if (position := label_of(row["position"])) and position not in positions:
                positions.append(position)
        first = rows[0]
        affiliations.append(
            Affiliation(
                person=ref_of(first["person"], first["personLabel"]),
                organization=ref_of(first["organization"], first["organizationLabel"]),
                position=positions,
                former=any(text_of(row["former"]) in {"true", "1"} for row in rows),
                evidence=evidence.get(node, []),
            )
        )
    return affiliations


def _int(term: object) -> int | None:
    text = text_of(term)
    return int(text) if text is not None and text.lstrip("-").isdigit() else None
