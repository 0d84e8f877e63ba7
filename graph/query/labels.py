"""Names for IRIs, like the Wikidata Query Service's label service: each IRI's
``rdfs:label`` in the language asked for, else English, else any label.

The workbench asks ``/api/labels`` for the IRIs of its results; ``policygraph query
--labels`` puts a label column beside each IRI column. IRIs are checked by Oxigraph and
passed as ``VALUES`` terms it serialises, so a hostile string cannot change the query.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor rdfs:label "Korea"@en, "韓国"@ja } }')
>>> kor = "https://w3id.org/policygraph/id/kor"
>>> labels_of(s, [kor], "ja"), labels_of(s, [kor], "ko"), labels_of(s, ["not an iri"])
({'https://w3id.org/policygraph/id/kor': '韓国'}, {'https://w3id.org/policygraph/id/kor': 'Korea'}, {})
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pyoxigraph as ox

from graph.store.port import GraphStore

__all__ = ["LABEL_LANGUAGES", "MAX_IRIS", "LabelLanguage", "labels_of"]

LabelLanguage = Literal["en", "ja", "ko"]
#: The languages a label can be asked in.
LABEL_LANGUAGES: tuple[LabelLanguage, ...] = ("en", "ja", "ko")
#: IRIs one call names at most (the rest are left unnamed).
MAX_IRIS = 2000

_QUERY = "SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }}"


def labels_of(store: GraphStore, iris: Iterable[str], lang: LabelLanguage = "en") -> dict[str, str]:
    """IRI → its label in ``lang`` (else English, else any); IRIs without a label, and
    strings that are not IRIs, are left out."""
    nodes: dict[str, ox.NamedNode] = {}
    for iri in iris:
        if len(nodes) >= MAX_IRIS:
            break
        try:
            nodes.setdefault(iri, ox.NamedNode(iri))
        except ValueError:
            continue
    if not nodes:
        return {}
    result = store.query(_QUERY.format(values=" ".join(str(n) for n in nodes.values())))
    assert isinstance(result, ox.QuerySolutions)
    ranked: dict[str, tuple[int, str]] = {}
    for row in result:
        label = row["l"]
        if not isinstance(label, ox.Literal):
            continue
        rank = _rank(label.language or "", lang)
        iri = row["s"].value
        if iri not in ranked or (rank, label.value) < ranked[iri]:
            ranked[iri] = (rank, label.value)
    return {iri: value for iri, (_, value) in ranked.items()}


def _rank(tag: str, lang: str) -> int:
    """0 for the language asked for, 1 for English, 2 for any other."""
    base = tag.split("-")[0].lower()
    return 0 if base == lang else 1 if base == "en" else 2
