"""What the proposal list leaves out: each proposal's summaries and its evidence.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:p a pg:Proposal ; rdfs:comment "Do it"@en ;'
...          ' pg:evidence [ pg:lineStart 3 ; pg:lineEnd 4 ; pg:quote "引用" ] } }')
>>> d = proposal_details(s)["p"]
>>> [x.value for x in d.summary], [(e.line_start, e.line_end, e.quote) for e in d.evidence]
(['Do it'], [(3, 4, '引用')])
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from itertools import product
from typing import Any

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.document_language import document_languages, quote_language
from graph.iris import ENTITY_BASE
from graph.query.term_labels import ASKED_AT_ONCE
from graph.query.terms import Label, Passage, label_of, text_of, titled_ref
from graph.store.port import GraphStore

__all__ = ["ProposalDetails", "proposal_details"]

_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

#: What a passage is read from: each evidence node's values, by property (every subject of
#: the property read, the proposals' evidence kept in Python).
_PASSAGE = ("quote", "lineStart", "lineEnd", "inDocument")

_ENGLISH = """SELECT ?doc ?label WHERE {{
    VALUES ?doc {{ {docs} }}
    ?doc rdfs:label ?label FILTER (langMatches(lang(?label), "en"))
}}"""


class ProposalDetails(BaseModel):
    """A proposal's summaries (by language) and its evidence passages, in line order."""

    model_config = ConfigDict(frozen=True)

    summary: list[Label] = []
    evidence: list[Passage] = []


def proposal_details(store: GraphStore) -> dict[str, ProposalDetails]:
    """The details of every proposal, by slug.

    Read by property (the proposals, their comments, their evidence, then each evidence
    value) and joined here: one query with an ``OPTIONAL`` per value of each evidence node
    took 4.8 CPU s at 1M triples and 30.1 at 5M. As that query did, a passage is made for
    each combination of its node's values (a node has one of each).
    """
    proposals = _select(store, "SELECT ?p WHERE { ?p a pg:Proposal }")
    kept = {
        p.value
        for (p,) in proposals
        if isinstance(p, ox.NamedNode) and p.value.startswith(ENTITY_BASE)
    }
    summaries: dict[str, list[Label]] = {}
    for iri, comment in _values(store, "rdfs:comment", kept):
        if (summary := label_of(comment)) is not None:
            held = summaries.setdefault(iri[len(ENTITY_BASE) :], [])
            if summary not in held:
                held.append(summary)
    evidence = [(iri, _key(node)) for iri, node in _values(store, "pg:evidence", kept)]
    nodes = {node for _, node in evidence}
    values: dict[str, dict[object, list[object]]] = {name: {} for name in _PASSAGE}
    for name, found in values.items():
        for node, value in _values(store, f"pg:{name}", nodes):
            found.setdefault(node, []).append(value)
    documents = {doc for docs in values["inDocument"].values() for doc in docs}
    english = _english_labels(store, documents)
    languages = document_languages(store)
    titles: dict[str, str | None] = {}
    rows: list[tuple[str, object, object, object, object, object]] = []
    for iri, node in evidence:
        for quote, start, end, doc in product(
            *(values[name].get(node) or [None] for name in _PASSAGE)
        ):
            labels: list[object] = [*english.get(doc, ())] or [None]
            for label in labels:
                rows.append((iri, quote, start, end, doc, label))
    passages: dict[str, list[Passage]] = {}
    for iri, quote, start, end, doc, label in sorted(rows, key=_in_order):
        passage = Passage(
            language=quote_language(languages, text_of(doc)),
            quote=text_of(quote),
            line_start=_int(start),
            line_end=_int(end),
            document=(
                titled_ref(store, doc, label, titles) if isinstance(doc, ox.NamedNode) else None
            ),
        )
        listed = passages.setdefault(iri[len(ENTITY_BASE) :], [])
        if passage not in listed:
            listed.append(passage)
    return {
        slug: ProposalDetails(summary=summaries.get(slug, []), evidence=passages.get(slug, []))
        for slug in summaries.keys() | passages.keys()
    }


def _values(store: GraphStore, prop: str, subjects: Container[object]) -> Iterator[tuple[Any, Any]]:
    """Each subject in ``subjects`` (an IRI's text, or a term) of ``prop`` with a value, in
    the store's order: every subject read, the wanted ones kept here (joined in the query
    to what picks them, the values took twice as long)."""
    for subject, value in _select(store, f"SELECT ?s ?o WHERE {{ ?s {prop} ?o }}"):
        if (key := _key(subject)) in subjects and value is not None:
            yield key, value


def _key(term: object) -> object:
    """An IRI's text, any other term itself: what a subject is looked up by."""
    return term.value if isinstance(term, ox.NamedNode) else term


def _english_labels(store: GraphStore, documents: set[object]) -> dict[object, list[ox.Literal]]:
    """The English labels of each of ``documents`` (IRIs), in the store's order."""
    found: dict[object, list[ox.Literal]] = {}  # keyed by the term, as the values are
    asked = sorted(doc.value for doc in documents if isinstance(doc, ox.NamedNode))
    for at in range(0, len(asked), ASKED_AT_ONCE):
        docs = " ".join(str(ox.NamedNode(iri)) for iri in asked[at : at + ASKED_AT_ONCE])
        for doc, label in _select(store, _ENGLISH.format(docs=docs)):
            if isinstance(label, ox.Literal):
                found.setdefault(doc, []).append(label)
    return found


def _select(store: GraphStore, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return result


def _in_order(row: tuple[str, object, object, object, object, object]) -> tuple[object, ...]:
    """The place of a passage's ``row`` (proposal, quote, start, end, …) in ``ORDER BY ?p
    ?start ?end ?quote``: unbound first, then numbers by value, then texts (Python's sort
    is stable, as the engine's)."""
    iri, quote, start, end = row[:4]
    return (iri, _sort_key(start), _sort_key(end), _sort_key(quote))


def _sort_key(term: object) -> tuple[int, int, str]:
    """SPARQL's order of terms: unbound, blank nodes, IRIs, literals."""
    if isinstance(term, ox.Literal):
        text = term.value
        number = term.datatype.value == _INTEGER and text.lstrip("-").isdigit()
        return (4, int(text), "") if number else (5, 0, text)
    if isinstance(term, ox.NamedNode):
        return (3, 0, term.value)
    if isinstance(term, ox.BlankNode):
        return (2, 0, term.value)
    return (0, 0, "")


def _int(term: object) -> int | None:
    text = text_of(term)
    return int(text) if text is not None and text.lstrip("-").isdigit() else None
