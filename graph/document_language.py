"""The language a passage's quote is written in: that of its document (``dcterms:language``).

``policygraph ingest`` states the language of every document it registers (``ja``, ``en``
or ``ko``); the documents curated by hand state none, and the one they quote — the report —
is written in Japanese, so a quote of a document that states no language is Japanese.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:note a pg:Document ; dcterms:language "en" .'
...          ' id:report a pg:Document } }')
>>> languages = document_languages(s)
>>> quote_language(languages, "https://w3id.org/policygraph/id/note"), quote_language(languages, None)
('en', 'ja')
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from graph.store.port import GraphStore

__all__ = ["UNSTATED_LANGUAGE", "document_languages", "quote_language"]

#: The language of a quote whose document states none: the report's.
UNSTATED_LANGUAGE = "ja"

_LANGUAGES = """
SELECT ?document ?language WHERE { ?document a pg:Document ; dcterms:language ?language }
ORDER BY ?document ?language"""


def document_languages(store: GraphStore) -> dict[str, str]:
    """The language each document states, by document IRI (its first, if several)."""
    rows = store.query(_LANGUAGES)
    assert isinstance(rows, ox.QuerySolutions)
    found: dict[str, str] = {}
    for row in rows:
        document, language = row["document"], row["language"]
        if isinstance(document, ox.NamedNode) and isinstance(language, ox.Literal):
            found.setdefault(document.value, language.value.strip().lower())
    return found


def quote_language(languages: Mapping[str, str], document: str | None) -> str:
    """The language of a quote of ``document`` (an IRI; ``None``: a passage naming no
    document, as the report's in older data)."""
    return (languages.get(document) if document else None) or UNSTATED_LANGUAGE
