"""Documents as a limit: which documents a reader may limit a search or the proposal finder
to, and which entities are in each.

An entity is *in* a document when the document mentions it (``pg:mentions``, materialised
from an ingested document's linked mentions), when one of its passages is there
(``pg:evidence/pg:inDocument``), or when a record with a passage there names it (the
member and framework of a ``pg:Membership``, the person and organisation of a
``pg:Affiliation``): the report's actors, frameworks and proposals are in ``jkvg2025`` by
their evidence; an ingested note's by its mentions. Review items are not entities.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:note a pg:Document ; pg:mentions id:kor .'
...          ' id:jpn pg:evidence [ pg:inDocument id:report ] . id:report a pg:Document .'
...          ' [] pg:member id:aus ; pg:role pg:Chair ; pg:evidence [ pg:inDocument id:report ] .'
...          ' id:note pg:mentions id:note-item-1 . id:note-item-1 a pg:ReviewItem } }')
>>> {doc: sorted(found) for doc, found in entities_by_document(s).items()}
{'note': ['kor'], 'report': ['aus', 'jpn']}
>>> resolve_documents(s, ["report", "id:note"])
('report', 'note')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeGuard

import pyoxigraph as ox

from graph.build.sources import document_graph
from graph.errors import UsageError
from graph.iris import ENTITY_BASE
from graph.memo import Memo, remembered
from graph.query.resolve import NoSuchEntityError, closest, label_index, resolve_in
from graph.store.port import GraphStore

__all__ = [
    "DOCUMENT_CLASSES",
    "MOST_CHARACTERS",
    "curated_copy",
    "document_names",
    "entities_by_document",
    "entities_in",
    "resolve_documents",
]

#: The ``pg:`` classes a document value is a name of.
DOCUMENT_CLASSES = ("Document",)
#: The longest document value taken (a title or a slug).
MOST_CHARACTERS = 200

# The three ways an entity is in a document, one query each; which rows name an entity (an
# IRI under id/, not a review item) is decided in Python: one query filtering the union with
# STRSTARTS(STR(…)) and FILTER NOT EXISTS took 6.1 CPU s at 1M triples, these 3.5 s.
_IN_DOCUMENTS = (
    "SELECT DISTINCT ?document ?entity WHERE { ?document pg:mentions ?entity }",
    """SELECT DISTINCT ?document ?entity WHERE {
        ?entity pg:evidence ?passage . ?passage pg:inDocument ?document
    }""",
    """SELECT DISTINCT ?document ?entity WHERE {
        ?record pg:evidence ?passage . ?passage pg:inDocument ?document .
        FILTER (isBlank(?record)) ?record ?relation ?entity
    }""",
)

_REVIEW_ITEMS = "SELECT ?item WHERE { ?item a pg:ReviewItem }"

_DOCUMENTS = "SELECT ?document WHERE { ?document a pg:Document }"

#: The documents with a text (a SHA-256) described outside ingested documents' own graphs.
_CURATED_TEXTS = f"""
SELECT ?document ?sha WHERE {{
    GRAPH ?g {{ ?document a pg:Document ; pg:sha256 ?sha }}
    FILTER (!STRSTARTS(STR(?g), "{document_graph("")}"))
}}"""


def _slug(node: ox.NamedNode) -> str:
    return node.value[len(ENTITY_BASE) :]


def _entity(term: object) -> TypeGuard[ox.NamedNode]:
    """Whether ``term`` is an entity's IRI (under ``id/``)."""
    return type(term) is ox.NamedNode and term.value.startswith(ENTITY_BASE)


def _select(store: GraphStore, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return result


def entities_by_document(store: GraphStore, memo: Memo | None = None) -> dict[str, frozenset[str]]:
    """Each document that mentions an entity or holds a passage, and the slugs of the
    entities in it (read once per ``memo``)."""

    def read() -> dict[str, frozenset[str]]:
        review = {item for (item,) in _select(store, _REVIEW_ITEMS)}
        found: dict[str, set[str]] = {}
        for sparql in _IN_DOCUMENTS:
            for document, thing in _select(store, sparql):
                if _entity(document) and _entity(thing) and thing not in review:
                    found.setdefault(_slug(document), set()).add(_slug(thing))
        return {doc: frozenset(slugs) for doc, slugs in sorted(found.items())}

    return remembered(memo, "entities_by_document", read)


def entities_in(
    store: GraphStore, documents: Iterable[str], memo: Memo | None = None
) -> frozenset[str]:
    """The slugs of the entities in any of ``documents`` (document slugs)."""
    by_document = entities_by_document(store, memo)
    return frozenset().union(*(by_document.get(doc, frozenset()) for doc in documents))


def _documents(store: GraphStore, memo: Memo | None) -> frozenset[str]:
    return remembered(
        memo,
        "document_slugs",
        lambda: frozenset(_slug(row["document"]) for row in _select(store, _DOCUMENTS)),
    )


def resolve_documents(
    store: GraphStore, values: Iterable[str], memo: Memo | None = None
) -> tuple[str, ...]:
    """The slugs of the documents ``values`` name (slugs, IRIs, titles or aliases), in order,
    each once.

    :raises UsageError: a value is longer than :data:`MOST_CHARACTERS`.
    :raises EntityNameError: a value names several documents (ambiguous), or none, or an
        entity that is not a document (with the closest documents as candidates).
    """
    values = list(values)
    if any(len(value) > MOST_CHARACTERS for value in values):
        raise UsageError(f"document: a value is longer than {MOST_CHARACTERS} characters")
    index = label_index(store, memo)
    documents = _documents(store, memo)
    found: list[str] = []
    for value in values:
        slug = resolve_in(index, value, classes=DOCUMENT_CLASSES)
        if slug not in documents:
            raise NoSuchEntityError(
                value,
                closest(index, value, classes=DOCUMENT_CLASSES),
                "document",
                f"{value!r} is not a document",
            )
        found.append(slug)
    return tuple(dict.fromkeys(found))


def document_names(store: GraphStore, lang: str = "en", memo: Memo | None = None) -> dict[str, str]:
    """Each document's title in ``lang`` (for ``ja`` and ``ko`` a label or alias in that
    language), else its display name (its English title, else its first) — an ingested document may be titled
    in its own language only. Read once per ``memo`` and language."""

    def read() -> dict[str, str]:
        index = label_index(store, memo)
        documents = _documents(store, memo)
        found: dict[str, str] = {}
        for entry in index.entries:
            if lang != "en" and entry.slug in documents and entry.lang.startswith(lang):
                found.setdefault(entry.slug, entry.label)
        return {slug: found.get(slug) or index.name_of(slug) for slug in sorted(documents)}

    return remembered(memo, ("document_names", lang), read)


def curated_copy(store: GraphStore, slug: str, sha256: str, memo: Memo | None = None) -> bool:
    """Whether the ingested document ``slug`` is a document the curated graph describes
    itself — the same slug, or the same text (SHA-256) as the report ingested again — whose
    passages an entity page shows as its evidence already."""

    def read() -> dict[str, str]:
        rows = _select(store, _CURATED_TEXTS)
        return {row["sha"].value: _slug(row["document"]) for row in rows}

    texts = remembered(memo, "curated_texts", read)
    return slug in texts.values() or (bool(sha256) and texts.get(sha256, slug) != slug)
