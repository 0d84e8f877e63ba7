"""Entity search over labels and alternative names (en/ja/ko), ranked and typo-tolerant.

Ranking: an exact match beats a prefix match beats a substring match; for Latin-script
queries a close spelling (rapidfuzz similarity ≥ :data:`FUZZY_CUTOFF`) comes last. Within
one kind of match, actors, frameworks and places (:data:`PRINCIPAL_CLASSES`) come before
proposals, events and statistics, and better-connected entities (more statements) before
less connected ones: "Vision Group" finds the Japan–Korea Vision Group, which the report's
twenty members belong to, before the East Asia Vision Group it mentions once.
Matching ignores case, width, accents' composition (NFKC + casefold) and the kind of dash
("Japan-Korea" finds "Japan–Korea").

>>> index = LabelIndex([("kor", "Republic of Korea", "en", ("Country",)),
...                     ("jpn", "Japan", "en", ("Country",)), ("jpn", "日本", "ja", ("Country",))])
>>> [(h.slug, h.match) for h in index.search("japn")]
[('jpn', 'fuzzy')]
>>> [(h.slug, h.match) for h in index.search("日本")]
[('jpn', 'exact')]
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox
from rapidfuzz import fuzz

from graph.iris import ENTITY_BASE, ONTOLOGY_NS
from graph.store.port import GraphStore

__all__ = [
    "FUZZY_CUTOFF",
    "PRINCIPAL_CLASSES",
    "SEARCH_LANGUAGES",
    "LabelIndex",
    "SearchHit",
    "normalise",
]

#: Languages whose labels are searched.
SEARCH_LANGUAGES = ("en", "ja", "ko")
#: The least rapidfuzz similarity (0–100) that counts as a typo-tolerant match.
FUZZY_CUTOFF = 80.0
#: The classes whose names a search puts first among matches of one kind.
PRINCIPAL_CLASSES = frozenset({"Actor", "Framework", "Place"})
#: Dashes and minus signs a query or label may use interchangeably (NFKC keeps them apart).
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63", "-"))

MatchKind = Literal["exact", "prefix", "substring", "fuzzy", "all"]
_RANK: dict[MatchKind, int] = {"exact": 0, "prefix": 1, "substring": 2, "fuzzy": 3, "all": 4}

# One branch per property (each read from its index): ``FILTER (?property IN (…))`` read
# every triple of the store.
_LABELS = f"""
SELECT DISTINCT ?e ?property ?label ?type WHERE {{
    {{ ?e rdfs:label ?label BIND (rdfs:label AS ?property) }}
    UNION {{ ?e skos:altLabel ?label BIND (skos:altLabel AS ?property) }}
    FILTER (STRSTARTS(STR(?e), "{ENTITY_BASE}"))
    FILTER (lang(?label) = "" || langMatches(lang(?label), "en")
            || langMatches(lang(?label), "ja") || langMatches(lang(?label), "ko"))
    OPTIONAL {{ ?e a ?type FILTER (STRSTARTS(STR(?type), "{ONTOLOGY_NS}")) }}
}}"""

#: How many statements name each entity, as subject and as object (its weight in the
#: ranking is their sum). Entity IRIs are picked out of the groups in Python: a filter on
#: ``STR(?e)`` in the query read the text of every subject and object of the store.
_WEIGHTS = (
    "SELECT ?e (COUNT(*) AS ?n) WHERE { ?e ?p ?o } GROUP BY ?e",
    "SELECT ?e (COUNT(*) AS ?n) WHERE { ?s ?p ?e FILTER (isIRI(?e)) } GROUP BY ?e",
)


@dataclass(frozen=True)
class SearchHit:
    """One entity found: which label matched, how, and how closely."""

    slug: str
    matched: str
    lang: str
    match: MatchKind
    score: float
    types: tuple[str, ...]
    weight: int = 0

    @property
    def principal(self) -> bool:
        """Whether the entity is an actor, a framework or a place."""
        return not PRINCIPAL_CLASSES.isdisjoint(self.types)


@dataclass(frozen=True)
class _Entry:
    slug: str
    label: str
    lang: str
    key: str
    latin: bool
    types: tuple[str, ...]


def normalise(text: str) -> str:
    """The form labels and queries are compared in: NFKC, case-folded, spaces collapsed,
    every dash a hyphen.

    >>> normalise("  ＡＵＫＵＳ  Pillar II ") == normalise("aukus pillar ii")
    True
    >>> normalise("Japan–Korea")
    'japan-korea'
    """
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_DASHES)
    return " ".join(folded.split())


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin letter (typos are tolerated there)."""
    if text.isascii():  # the common case, without naming each character
        return any(ch.isalpha() for ch in text)
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


class LabelIndex:
    """Every entity's labels and alternative names, ready to search."""

    def __init__(
        self,
        labels: Iterable[tuple[str, str, str, tuple[str, ...]]],
        names: Mapping[str, str] | None = None,
        weights: Mapping[str, int] | None = None,
    ) -> None:
        """Index ``(slug, label, lang, types)`` tuples (``types``: ``pg:`` local names).

        ``names`` gives each slug's display name (its English ``rdfs:label``); ``weights``
        how many statements name it (more: ranked earlier among equal matches).
        """
        self.entries = [
            _Entry(slug, label, lang, normalise(label), is_latin(label), types)
            for slug, label, lang, types in labels
        ]
        self.names: dict[str, str] = dict(names or {})
        self.weights: dict[str, int] = dict(weights or {})

    def name_of(self, slug: str) -> str:
        """The display name of ``slug``: its English label, else its first label."""
        if slug in self.names:
            return self.names[slug]
        return next((e.label for e in self.entries if e.slug == slug), slug)

    @classmethod
    def from_store(cls, store: GraphStore) -> LabelIndex:
        """Read the labels (``rdfs:label``, ``skos:altLabel``) of every entity in ``store``."""
        result = store.query(_LABELS)
        assert isinstance(result, ox.QuerySolutions)
        labels: dict[tuple[str, str, str], set[str]] = {}
        names: dict[str, str] = {}
        for row in result:
            label, type_ = row["label"], row["type"]
            key = (row["e"].value[len(ENTITY_BASE) :], label.value, label.language or "")
            if row["property"].value.endswith("#label") and key[2].startswith("en"):
                names.setdefault(key[0], label.value)
            types = labels.setdefault(key, set())
            if type_ is not None:
                types.add(type_.value[len(ONTOLOGY_NS) :])
        weights: dict[str, int] = {}
        for query in _WEIGHTS:
            counts = store.query(query)
            assert isinstance(counts, ox.QuerySolutions)
            for row in counts:
                named = row["e"]
                if isinstance(named, ox.NamedNode) and named.value.startswith(ENTITY_BASE):
                    slug = named.value[len(ENTITY_BASE) :]
                    weights[slug] = weights.get(slug, 0) + int(row["n"].value)
        entries = ((*key, tuple(sorted(types))) for key, types in sorted(labels.items()))
        return cls(entries, names, weights)

    def search(
        self, query: str = "", *, type: str | None = None, lang: str | None = None
    ) -> list[SearchHit]:
        """The entities matching ``query`` best first (all of them when it is empty).

        ``type`` keeps entities of that ``pg:`` class (subclasses included, the store
        holding the type closure); ``lang`` keeps labels in that language.
        """
        wanted = normalise(query)
        fuzzy = len(wanted) >= 3 and is_latin(wanted)
        best: dict[str, SearchHit] = {}
        for entry in self.entries:
            if (type and type not in entry.types) or (lang and not entry.lang.startswith(lang)):
                continue
            hit = self._match(entry, wanted, fuzzy, self.weights.get(entry.slug, 0))
            if hit is None:
                continue
            current = best.get(entry.slug)
            if current is None or _order(hit) < _order(current):
                best[entry.slug] = hit
        return sorted(best.values(), key=_order)

    @staticmethod
    def _match(entry: _Entry, wanted: str, fuzzy: bool, weight: int) -> SearchHit | None:
        kind: MatchKind | None = None
        score = 100.0
        if not wanted:
            kind = "all"
        elif entry.key == wanted:
            kind = "exact"
        elif entry.key.startswith(wanted):
            kind = "prefix"
        elif wanted in entry.key:
            kind = "substring"
        elif fuzzy and entry.latin:
            # The whole label counts fully; one of its words a little less.
            whole = fuzz.ratio(wanted, entry.key)
            word = max((fuzz.ratio(wanted, w) for w in entry.key.split()), default=0.0)
            kind = "fuzzy" if max(whole, word) >= FUZZY_CUTOFF else None
            score = max(whole, 0.95 * word)
        if kind is None:
            return None
        return SearchHit(entry.slug, entry.label, entry.lang, kind, score, entry.types, weight)


def _order(hit: SearchHit) -> tuple[int, float, bool, int, int, bool, str, str]:
    """Sort key: match kind, closeness, actors/frameworks/places first, more connected
    first, shorter label, English first, then label and slug."""
    return (
        _RANK[hit.match],
        -hit.score,
        not hit.principal,
        -hit.weight,
        len(hit.matched),
        hit.lang != "en",
        normalise(hit.matched),
        hit.slug,
    )
