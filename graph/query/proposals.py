"""The report's proposals, filtered by actor, framework, topic and section.

Filters are slugs, checked and bound as IRIs (:mod:`graph.query.bound`); the proposals are
picked from the summaries of every proposal, read by one fixed query. ``section`` also
matches a chapter (the proposals of all its sections).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pyoxigraph as ox

from graph.iris import ENTITY_BASE
from graph.memo import Memo, remembered
from graph.query.bound import entity, select_bound
from graph.query.finder import Selection, matching_proposals
from graph.query.proposal_summary import ProposalSummary
from graph.query.proposal_table import ProposalTable, Ref, SummaryRow, ref_row
from graph.query.term_labels import TermLabels, term_labels
from graph.query.terms import ref_of, text_of
from graph.query.wording import ASK_KINDS
from graph.store.port import GraphStore

__all__ = ["ProposalSummary", "ProposalTable", "every_proposal", "find_proposals", "list_proposals"]

#: A section or chapter and every part of it, for the ``section`` filter.
_PARTS = "SELECT ?part ?section WHERE { ?part pg:partOf* ?section }"

#: The relations a summary lists: the old four, then the asks, the parent and the places.
#: A proposal made from an ingested document names it (``inDocument``) instead of a section.
_RELATIONS = ("involves", "concerns", "addresses", "inSection", "inDocument", *ASK_KINDS,
              "subProposalOf", "location")  # fmt: skip

#: The filters matched against a relation of the summaries.
_FILTERED = (("actor", "involves"), ("framework", "concerns"), ("topic", "addresses"))

#: Each proposal with each of its labels (the English and the Japanese are kept).
_LABELS = "SELECT ?p ?label WHERE { ?p a pg:Proposal OPTIONAL { ?p rdfs:label ?label } }"
#: A proposal's own values besides its labels, in the order of :func:`_summary`'s fields.
_VALUES = ("summaryOrder", "level", "ordinal")


def list_proposals(
    store: GraphStore,
    *,
    actor: str | None = None,
    framework: str | None = None,
    topic: str | None = None,
    section: str | None = None,
    memo: Memo | None = None,
) -> list[ProposalSummary]:
    """The proposals matching every filter given (slugs), in summary order then by slug:
    picked from the summaries of every proposal (:func:`every_proposal`, kept in ``memo``).
    A proposal is in exactly one section (``pg:inSection`` is functional), so its summary's
    section decides, among the parts of the one asked for (a query walking ``pg:partOf``
    from it). A query joining the filters took 0.6–0.7 CPU s at 1M triples for a section of
    six proposals: Oxigraph planned it before the section was bound and walked up from
    every proposal's section.

    :raises UnknownEntityError: a filter is not a well-formed slug.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:p1 a pg:Proposal ; rdfs:label "P"@en ;'
    ...          ' pg:involves id:kor . id:p2 a pg:Proposal } }')
    >>> [p.slug for p in list_proposals(s, actor="kor")], len(list_proposals(s))
    (['p1'], 2)
    """
    given = {"actor": actor, "framework": framework, "topic": topic, "section": section}
    wanted = {name: entity(slug) for name, slug in given.items() if slug}
    table = every_proposal(store, memo)
    kept = set(range(len(table)))
    if "section" in wanted:
        rows = select_bound(store, _PARTS, {"section": wanted["section"]})
        kept.intersection_update(table.naming("section", {row["part"].value for row in rows}))
    for name, relation in _FILTERED:
        if name in wanted:
            kept.intersection_update(table.naming(relation, {wanted[name].value}))
    return [table[at] for at in sorted(kept)]


def find_proposals(
    store: GraphStore, selection: Selection, memo: Memo | None = None
) -> list[ProposalSummary]:
    """The proposals the finder's ``selection`` keeps, in summary order then by slug.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:p1 a pg:Proposal ; pg:involves id:jpn, id:kor .'
    ...          ' id:p2 a pg:Proposal ; pg:involves id:kor } }')
    >>> [p.slug for p in find_proposals(s, Selection(actor=("jpn", "kor")))]
    ['p1']
    """
    matched = {ENTITY_BASE + slug for slug in matching_proposals(store, selection)}
    return _summaries(store, matched, memo)


def _summaries(store: GraphStore, matched: set[str], memo: Memo | None) -> list[ProposalSummary]:
    """The summaries of the proposals ``matched`` (IRIs), copies the caller may change.

    The summaries of every proposal are read once per ``memo`` (a served store's): reading
    them took the all-proposals view two thirds of its 135 ms.
    """
    if not matched:
        return []
    table = every_proposal(store, memo)
    return [table[at] for at, iri in enumerate(table.iris) if iri in matched]


def every_proposal(
    store: GraphStore, memo: Memo | None = None, labels: TermLabels | None = None
) -> ProposalTable:
    """The summaries of every proposal, in summary order then by slug: the table kept in
    ``memo``, shared with every caller (each summary asked of it is made then, a model the
    caller may change). The proposal catalogue reads it. Read now, the labels of what they
    name are kept in ``labels`` (:func:`term_labels`).
    """
    return remembered(memo, "proposal_summaries", lambda: _read_summaries(store, labels))


def _read_summaries(store: GraphStore, read: TermLabels | None = None) -> ProposalTable:
    """The summaries of every proposal, in summary order then by slug.

    Three reads: the proposals' own fields, what they name, and the labels of what they
    name. One query joining them all (each name's label on each of its rows) took 13.3
    CPU s at 1M triples and 81.9 at 5M (37,664 and 188,145 proposals), the engine looking
    a label up again for each of 205,188 rows and decoding each proposal's fields again on
    each of its rows.
    """
    found = _own_fields(store)
    named: list[tuple[str, str, str]] = []  # (proposal, relation, what it names)
    for name in _RELATIONS:
        for iri, o in _subjects(store, name, found):
            if isinstance(o, ox.NamedNode):
                named.append((iri, name, o.value))
    labels = term_labels(store, {target for _, _, target in named}, read)
    documents = {(iri, target) for iri, name, target in named if name == "inDocument"}
    related: dict[str, dict[str, dict[str, Ref]]] = {}
    # One reference per entity and label, shared by every proposal naming it: at 1M
    # triples 205,188 rows name far fewer entities.
    refs_seen: dict[tuple[str, str | None], Ref] = {}
    for iri, name, target in named:
        refs = related.setdefault(iri, {}).setdefault(name, {})
        if target in refs:
            continue
        # The English label; a document named by ``inDocument`` titled only in other
        # languages: its smallest title.
        english, titled = labels.get(target, (None, None))
        label = titled if (iri, target) in documents else english
        key = (target, label)
        ref = refs_seen.get(key)
        if ref is None:
            ref = refs_seen[key] = ref_row(target, label)
        refs[target] = ref
    # Each relation's entities by IRI, sorted here: an ORDER BY over every row took the
    # engine two thirds of the query's time at 1M triples (10 of 15 CPU seconds).
    for relations in related.values():
        for name, refs in relations.items():
            if len(refs) > 1:
                relations[name] = dict(sorted(refs.items()))
    rows = [_summary(iri, fields, related.get(iri, {})) for iri, fields in found.items()]
    return ProposalTable.of_rows(
        sorted(rows, key=lambda row: (row[3] is None, row[3], row[0][len(ENTITY_BASE) :]))
    )


def _own_fields(store: GraphStore) -> dict[str, list[object]]:
    """Each proposal's English and Japanese label (texts), then its values of
    :data:`_VALUES` (terms), by IRI; the first of several, ``None`` for none.

    Read apart: a query binding them all in ``OPTIONAL`` patterns took 1.7 CPU s at 1M
    triples and 11.2 at 5M, these 1.0 at 1M.
    """
    found: dict[str, list[object]] = {}
    labels = store.query(_LABELS)
    assert isinstance(labels, ox.QuerySolutions)
    for p, label in labels:
        assert p is not None
        fields = found.get(iri := p.value) or found.setdefault(iri, [None] * (2 + len(_VALUES)))
        if not isinstance(label, ox.Literal) or not (language := label.language):
            continue
        at = {"en": 0, "ja": 1}.get(language.lower().split("-", 1)[0])  # as langMatches
        if at is not None and fields[at] is None:
            fields[at] = label.value
    for at, name in enumerate(_VALUES, start=2):
        for iri, value in _subjects(store, name, found):
            if (fields := found[iri])[at] is None:
                fields[at] = value
    return found


def _subjects(
    store: GraphStore, relation: str, kept: Mapping[str, object]
) -> Iterator[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
    """The subjects of the ``pg:`` property ``relation`` that are in ``kept`` (IRIs), each
    with a value: every subject read, the proposals kept here (joined to ``?p a
    pg:Proposal`` in the query, the relations took three times as long)."""
    rows = store.query(f"SELECT ?p ?o WHERE {{ ?p pg:{relation} ?o }}")
    assert isinstance(rows, ox.QuerySolutions)
    for p, o in rows:
        if p is not None and o is not None and (iri := p.value) in kept:
            yield iri, o


#: The table's relation of each relation read (:data:`_RELATIONS`).
_NAMED = {"inSection": "section", "inDocument": "document", "involves": "involves",
          "concerns": "concerns", "addresses": "addresses", "subProposalOf": "sub_proposal_of",
          "location": "locations", **{kind: f"asks:{kind}" for kind in ASK_KINDS}}  # fmt: skip
#: The relations of which a summary keeps the first reference only.
_ONE = ("inSection", "inDocument")


def _summary(iri: str, fields: list[object], related: dict[str, dict[str, Ref]]) -> SummaryRow:
    """The row of one proposal's summary (:meth:`ProposalTable.of_rows`)."""
    label, ja, order_term, level, ordinal_term = fields
    order = text_of(order_term)
    ordinal = text_of(ordinal_term)
    named: list[tuple[str, Ref]] = []
    for read, refs in related.items():
        found = list(refs.values())
        named.extend((_NAMED[read], ref) for ref in (found[:1] if read in _ONE else found))
    slug = iri[len(ENTITY_BASE) :]
    return (
        iri,
        str(label or slug),
        ja if isinstance(ja, str) else None,
        int(order) if order and order.isdigit() else None,
        ref_of(level, None).name if isinstance(level, ox.NamedNode) else None,
        int(ordinal) if ordinal and ordinal.isdigit() else None,
        named,
    )
