"""Entity search over labels and alternative names (en/ja/ko), ranked and typo-tolerant.

Ranking: an exact match beats a prefix match beats a substring match; for Latin-script
queries a close spelling (rapidfuzz similarity ≥ :data:`FUZZY_CUTOFF`) comes last.
Matching ignores case, width and accents' composition (NFKC + casefold).

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

__all__ = ["FUZZY_CUTOFF", "SEARCH_LANGUAGES", "LabelIndex", "SearchHit"]

#: Languages whose labels are searched.
SEARCH_LANGUAGES = ("en", "ja", "ko")
#: The least rapidfuzz similarity (0–100) that counts as a typo-tolerant match.
FUZZY_CUTOFF = 80.0

MatchKind = Literal["exact", "prefix", "substring", "fuzzy", "all"]
_RANK: dict[MatchKind, int] = {"exact": 0, "prefix": 1, "substring": 2, "fuzzy": 3, "all": 4}

_LABELS = f"""
SELECT DISTINCT ?e ?property ?label ?type WHERE {{
    ?e ?property ?label .
    FILTER (?property IN (rdfs:label, skos:altLabel))
    FILTER (STRSTARTS(STR(?e), "{ENTITY_BASE}"))
    FILTER (lang(?label) = "" || langMatches(lang(?label), "en")
            || langMatches(lang(?label), "ja") || langMatches(lang(?label), "ko"))
    OPTIONAL {{ ?e a ?type FILTER (STRSTARTS(STR(?type), "{ONTOLOGY_NS}")) }}
}}"""


@dataclass(frozen=True)
class SearchHit:
    """One entity found: which label matched, how, and how closely."""

    slug: str
    matched: str
    lang: str
    match: MatchKind
    score: float
    types: tuple[str, ...]


@dataclass(frozen=True)
class _Entry:
    slug: str
    label: str
    lang: str
    key: str
    latin: bool
    types: tuple[str, ...]


def normalise(text: str) -> str:
    """The form labels and queries are compared in: NFKC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin letter (typos are tolerated there)."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


class LabelIndex:
    """Every entity's labels and alternative names, ready to search."""

    def __init__(
        self,
        labels: Iterable[tuple[str, str, str, tuple[str, ...]]],
        names: Mapping[str, str] | None = None,
    ) -> None:
        """Index ``(slug, label, lang, types)`` tuples (``types``: ``pg:`` local names).

        ``names`` gives each slug's display name (its English ``rdfs:label``).
        """
        self.entries = [
            _Entry(slug, label, lang, normalise(label), is_latin(label), types)
            for slug, label, lang, types in labels
        ]
        self.names: dict[str, str] = dict(names or {})

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
        return cls(((*key, tuple(sorted(types))) for key, types in sorted(labels.items())), names)

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
            hit = self._match(entry, wanted, fuzzy)
            if hit is None:
                continue
            current = best.get(entry.slug)
            if current is None or _order(hit) < _order(current):
                best[entry.slug] = hit
        return sorted(best.values(), key=_order)

    @staticmethod
    def _match(entry: _Entry, wanted: str, fuzzy: bool) -> SearchHit | None:
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
        return SearchHit(entry.slug, entry.label, entry.lang, kind, score, entry.types)


def _order(hit: SearchHit) -> tuple[int, float, int, int, str, str]:
    """Sort key: match kind, closeness, shorter label, English first, then label and slug."""
    return (
        _RANK[hit.match],
        -hit.score,
        len(hit.matched),
        hit.lang != "en",
        normalise(hit.matched),
        hit.slug,
    )
