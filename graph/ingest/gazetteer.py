"""The gazetteer: every name of every actor, framework, place, event and topic in the store,
folded (graph.ingest.fold) and compiled into one Aho–Corasick automaton (pyahocorasick).

Built once per ingest from the store, with the graph's links between entities, which the
disambiguation of a name shared by several entities uses.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.ingest.fold import fold, fold_char
from graph.iris import ENTITY_BASE
from graph.store.port import GraphStore

__all__ = ["Gazetteer", "NameEntry", "load_gazetteer"]

#: The classes whose instances are looked for in a document's text.
MATCHED_CLASSES = ("Actor", "Framework", "Place", "Event", "Topic")
#: Finer classes the matcher also needs to know (a person's family name in a statement's
#: name, a country inside an organisation's name).
KNOWN_SUBCLASSES = ("Person", "Country", "Organization")

_CLASS_VALUES = " ".join(f"pg:{c}" for c in MATCHED_CLASSES)

_NAMES = f"""
SELECT DISTINCT ?entity ?name WHERE {{
    VALUES ?class {{ {_CLASS_VALUES} }}
    ?entity a ?class ; rdfs:label|skos:altLabel|skos:hiddenLabel|skos:prefLabel ?name .
    FILTER (isIRI(?entity) && STRSTARTS(STR(?entity), "{ENTITY_BASE}"))
    FILTER (lang(?name) IN ("en", "ja", "ko", ""))
}}
"""

_LINKS = f"""
SELECT DISTINCT ?a ?b WHERE {{
    ?a ?p ?b .
    FILTER (isIRI(?b) && STRSTARTS(STR(?a), "{ENTITY_BASE}") && STRSTARTS(STR(?b), "{ENTITY_BASE}") && ?a != ?b)
}}
"""

_TYPES = f"""
SELECT DISTINCT ?entity ?class WHERE {{
    VALUES ?class {{ {_CLASS_VALUES} {" ".join(f"pg:{c}" for c in KNOWN_SUBCLASSES)} }}
    ?entity a ?class .
}}
"""


@dataclass(frozen=True)
class NameEntry:
    """One name of one entity: the entity's IRI, the name as the graph writes it, its
    language tag ('' for none)."""

    entity: str
    name: str
    language: str

    @property
    def is_acronym(self) -> bool:
        """An all-capitals Latin name (``US``, ``MOFA``, ``G7``), matched with its case."""
        letters = [c for c in self.name if c.isalpha()]
        return bool(letters) and all(c.isascii() and c.isupper() for c in letters)


def exact_form(text: str) -> str:
    """A name's width-folded form with its case kept and separators dropped, for acronyms.

    >>> exact_form("U.S."), exact_form("ＵＳ")
    ('US', 'US')
    """
    return "".join(c for c in unicodedata.normalize("NFKC", text) if fold_char(c))


@dataclass
class Gazetteer:
    """Folded name → its entries; the automaton over the folded names; links and classes."""

    entries: dict[str, list[NameEntry]]
    automaton: Any
    neighbours: dict[str, set[str]] = field(default_factory=dict)
    classes: dict[str, set[str]] = field(default_factory=dict)
    _names: dict[str, dict[str, set[str]]] = field(default_factory=dict, repr=False)

    def entities(self, key: str) -> list[str]:
        """The entities a folded name may stand for, sorted."""
        return sorted({e.entity for e in self.entries.get(key, [])})

    def names_of(self, entity: str, language: str) -> list[str]:
        """The names of ``entity`` in ``language`` as the graph writes them, sorted."""
        if not self._names:
            for found in self.entries.values():
                for entry in found:
                    by_language = self._names.setdefault(entry.entity, {})
                    by_language.setdefault(entry.language, set()).add(entry.name)
        return sorted(self._names.get(entity, {}).get(language, set()))

    def is_a(self, entity: str, kind: str) -> bool:
        """Whether ``entity`` is of the class ``kind`` (a local name: ``Person``)."""
        return kind in self.classes.get(entity, set())


def _rows(store: GraphStore, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return result


def load_gazetteer(store: GraphStore, min_length: int = 2) -> Gazetteer:
    """The names in ``store`` compiled for matching; folded names shorter than
    ``min_length`` characters are left out (a single character is not a name)."""
    import ahocorasick

    entries: dict[str, list[NameEntry]] = defaultdict(list)
    for row in _rows(store, _NAMES):
        name = row["name"]
        assert isinstance(name, ox.Literal)
        key = fold(name.value)
        if len(key) >= min_length:
            entries[key].append(NameEntry(row["entity"].value, name.value, name.language or ""))
    automaton = ahocorasick.Automaton()
    for key in entries:
        automaton.add_word(key, key)
    if entries:
        automaton.make_automaton()
    neighbours: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, _LINKS):
        a, b = row["a"].value, row["b"].value
        neighbours[a].add(b)
        neighbours[b].add(a)
    classes: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, _TYPES):
        classes[row["entity"].value].add(row["class"].value.rsplit("#", 1)[-1])
    return Gazetteer(dict(entries), automaton, dict(neighbours), dict(classes))
