"""The labels of many IRIs at once, as lists and facets show them.

A label looked up in the query that lists the IRIs (an ``OPTIONAL`` on each row) is read
once per row: at 1M triples the proposals' summaries read 205,188 labels of far fewer
entities. Asked once per IRI instead, in batches of :data:`ASKED_AT_ONCE`.

>>> from graph.iris import ENTITY_BASE
>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea"@en, "한국"@ko .'
...          ' id:doc rdfs:label "文書"@ja, "ぶんしょ"@ja } }')
>>> labels = term_labels(s, [ENTITY_BASE + "kor", ENTITY_BASE + "doc", ENTITY_BASE + "none"])
>>> labels[ENTITY_BASE + "kor"], labels[ENTITY_BASE + "doc"], ENTITY_BASE + "none" in labels
(('Korea', 'Korea'), (None, 'ぶんしょ'), False)

Labels kept in ``read`` are not asked again:

>>> s.update('DELETE WHERE { GRAPH <urn:g> { id:kor rdfs:label ?label } }')
>>> read = {ENTITY_BASE + "kor": ("Korea", "Korea")}
>>> term_labels(s, [ENTITY_BASE + "kor", ENTITY_BASE + "none"], read)
{'https://w3id.org/policygraph/id/kor': ('Korea', 'Korea')}
>>> read[ENTITY_BASE + "none"]
(None, None)
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from graph.store.port import GraphStore

__all__ = ["ASKED_AT_ONCE", "TermLabels", "term_labels"]

#: IRIs whose labels one query asks for (a query's text stays a few hundred kB).
ASKED_AT_ONCE = 5000

#: An IRI's English label, and its English label or else any label, by IRI.
TermLabels = dict[str, tuple[str | None, str | None]]


def term_labels(
    store: GraphStore, iris: Iterable[str], read: TermLabels | None = None
) -> TermLabels:
    """Each IRI's English label, and its English label or else any label (an ingested
    document may be titled in its own language only); of several, the smallest, so that
    the choice is the same at every read. IRIs with no label are left out.

    ``read`` keeps the labels asked for before (``(None, None)`` for an IRI with none):
    they are not asked again, and the ones asked now are added. The proposal catalogue's
    summaries and facet index name mostly the same entities (at 5M triples, reading
    their labels took each 6.7 and 8.8 CPU s).
    """
    kept: TermLabels = {} if read is None else read
    english: dict[str, str] = {}
    other: dict[str, str] = {}
    wanted = set(iris)
    asked = sorted(wanted - kept.keys())
    for at in range(0, len(asked), ASKED_AT_ONCE):
        terms = " ".join(str(ox.NamedNode(iri)) for iri in asked[at : at + ASKED_AT_ONCE])
        query = (
            f"SELECT ?value ?label WHERE {{ VALUES ?value {{ {terms} }} ?value rdfs:label ?label }}"
        )
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        for value, text in result:
            if not isinstance(text, ox.Literal) or value is None:
                continue
            iri, language = value.value, (text.language or "").lower()
            found = english if language == "en" or language.startswith("en-") else other
            if (known := found.get(iri)) is None or text.value < known:
                found[iri] = text.value
    for iri in asked:
        kept[iri] = (english.get(iri), english.get(iri, other.get(iri)))
    return {iri: labels for iri in wanted if (labels := kept[iri]) != (None, None)}
