"""Small, typed views of RDF terms for the API and pages: labels, references, passages.

>>> ref_of(ox.NamedNode("https://w3id.org/policygraph/id/kor"), None).slug
'kor'
>>> ref_of(ox.NamedNode("https://w3id.org/policygraph/ontology#Host"), None).name
'Host'
"""

from __future__ import annotations

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.document_language import UNSTATED_LANGUAGE
from graph.iris import ONTOLOGY_NS, slug_of
from graph.store.port import GraphStore

__all__ = [
    "Label",
    "Passage",
    "TermRef",
    "label_of",
    "ref_of",
    "sparql_order",
    "text_of",
    "titled_ref",
]

_FIRST_LABEL = "SELECT ?x ?label WHERE { ?x rdfs:label ?label } ORDER BY ?label LIMIT 1"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Label(_Model):
    """A language-tagged text (``lang`` is empty for a plain string)."""

    value: str
    lang: str = ""


class TermRef(_Model):
    """A reference to an IRI with a readable name: an entity (``slug``) or a ``pg:`` term."""

    iri: str
    #: The entity's slug, when the IRI is an entity IRI.
    slug: str | None = None
    #: The local name of an ontology term (``Country``, ``memberOf``), else ``None``.
    name: str | None = None
    #: Its English label (or any label), else ``None``.
    label: str | None = None


class Passage(_Model):
    """Evidence: a line range of a document and the exact quote, or a whole source."""

    quote: str | None = None
    line_start: int | None = None
    line_end: int | None = None
    document: TermRef | None = None
    #: The date an outside source's fact was true (background facts).
    as_of: str | None = None
    #: The language the quote is written in: its document's (:mod:`graph.document_language`).
    language: str = UNSTATED_LANGUAGE


def sparql_order(term: object) -> tuple[int, str]:
    """A term's place in SPARQL's ``ORDER BY``: unbound, blank nodes, IRIs, then literals —
    for sorting in Python what the engine would sort more slowly.

    >>> terms = [ox.Literal("a"), ox.NamedNode("urn:b"), None, ox.BlankNode("c")]
    >>> [str(term) for term in sorted(terms, key=sparql_order)]
    ['None', '_:c', '<urn:b>', '"a"']
    """
    if term is None:
        return (0, "")
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    if isinstance(term, ox.NamedNode):
        return (2, term.value)
    return (3, str(term))


def text_of(term: object) -> str | None:
    """The lexical value of a literal or IRI, ``None`` for an unbound variable."""
    if isinstance(term, ox.Literal | ox.NamedNode | ox.BlankNode):
        return term.value
    return None


def label_of(term: object) -> Label | None:
    """A :class:`Label` from a literal, ``None`` otherwise."""
    if isinstance(term, ox.Literal):
        return Label(value=term.value, lang=term.language or "")
    return None


def ref_of(term: ox.NamedNode, label: object) -> TermRef:
    """A :class:`TermRef` for ``term``, with ``label`` (a literal or ``None``)."""
    iri = term.value
    name = iri[len(ONTOLOGY_NS) :] if iri.startswith(ONTOLOGY_NS) else None
    return TermRef(iri=iri, slug=slug_of(iri), name=name, label=text_of(label))


def titled_ref(
    store: GraphStore, term: ox.NamedNode, english: object, read: dict[str, str | None]
) -> TermRef:
    """:func:`ref_of` ``term`` with its English label, else its first label — an ingested
    document may be titled in its own language only; ``read`` keeps the labels looked up
    (one query per term)."""
    if english is not None:
        return ref_of(term, english)
    if term.value not in read:
        solutions = store.query(_FIRST_LABEL, bindings={"x": term})
        assert isinstance(solutions, ox.QuerySolutions)
        read[term.value] = next((text_of(row["label"]) for row in solutions), None)
    return ref_of(term, None).model_copy(update={"label": read[term.value]})
