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

import bisect
import itertools
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pyoxigraph as ox
from rapidfuzz import fuzz, process

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


@dataclass(frozen=True, slots=True)
class _Entry:
    slug: str
    label: str
    lang: str
    key: str
    latin: bool
    types: tuple[str, ...]


class _Held:
    """One object for equal texts and type tuples of an index's entries, and an entry's
    key its label where normalising leaves the label as it is: at 5M triples the index's
    653,469 entries held a slug, a language and a tuple of types each."""

    def __init__(self) -> None:
        self._texts: dict[str, str] = {}
        self._types: dict[tuple[str, ...], tuple[str, ...]] = {}

    def text(self, value: str) -> str:
        """The one object held for the text ``value``."""
        return self._texts.setdefault(value, value)

    def entry(self, slug: str, label: str, lang: str, types: tuple[str, ...]) -> _Entry:
        """The entry of one label, its texts and types held once."""
        label, key = self.text(label), normalise(label)
        kept = self._types.get(types)
        if kept is None:
            kept = self._types[types] = tuple(self.text(t) for t in types)
        return _Entry(
            self.text(slug), label, self.text(lang), self.text(key), is_latin(label), kept
        )


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
        held = _Held()
        self.entries = [held.entry(slug, label, lang, types) for slug, label, lang, types in labels]
        self.names: dict[str, str] = {held.text(s): held.text(n) for s, n in (names or {}).items()}
        self.weights: dict[str, int] = {held.text(s): n for s, n in (weights or {}).items()}
        self._prepare()

    def __getstate__(self) -> dict[str, object]:
        """The labels, names and weights: what :meth:`_prepare` makes from them is made
        again when the index is read back (the warm caches hold no NumPy arrays). The
        entries go as columns: 653,469 of them at 5M triples took 5.9 s to read back one
        object at a time, 1.6 s so."""
        entries = self.entries
        columns = (
            [e.slug for e in entries],
            [e.label for e in entries],
            [e.lang for e in entries],
            [e.key for e in entries],
            bytes(e.latin for e in entries),
            [e.types for e in entries],
        )
        return {"columns": columns, "names": self.names, "weights": self.weights}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # The texts and tuples held once when kept are held once when read back (pickle
        # keeps an object met twice as one).
        slugs, labels, langs, keys, latin, types = state["columns"]
        self.entries = [
            _Entry(*row)
            for row in zip(slugs, labels, langs, keys, map(bool, latin), types, strict=True)
        ]
        self.names, self.weights = state["names"], state["weights"]
        self._prepare()

    def _prepare(self) -> None:
        """Make what :meth:`search` reads besides the entries."""
        # What finds the entries a query matches without a Python step per entry (0.3 s a
        # search at 1M triples, most of the search page's time once warm): the labels in
        # one text to find a query in, and for typo-tolerant matching each distinct word
        # once, every label and word scored in one call (rapidfuzz's cdist, in C).
        self._keys = keys = [entry.key for entry in self.entries]
        self._text = "\n".join(keys)  # a normalised key holds no line break
        # Where each key starts in the text, as 64-bit integers (not an int object each).
        self._starts = array("q", itertools.accumulate((len(k) + 1 for k in keys[:-1]), initial=0))
        words: dict[str, int] = {}
        # Each entry's words as positions among the distinct ones; a label without words
        # has the one past the end, whose score is 0 (as ``max(..., default=0.0)``).
        word_ids = [[words.setdefault(w, len(words)) for w in key.split()] for key in keys]
        self._words = list(words)
        flat = [ids or [len(words)] for ids in word_ids]
        self._word_ids = np.fromiter(itertools.chain.from_iterable(flat), dtype=np.intp)
        self._word_starts = np.fromiter(
            itertools.accumulate((len(ids) for ids in flat[:-1]), initial=0), dtype=np.intp
        )
        self._latin = np.fromiter((entry.latin for entry in self.entries), dtype=bool)

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
                names.setdefault(key[0], key[1])
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
        close = self._closeness(wanted) if fuzzy else None
        best: dict[str, SearchHit] = {}
        for i in self._candidates(wanted, close):
            entry = self.entries[i]
            if (type and type not in entry.types) or (lang and not entry.lang.startswith(lang)):
                continue
            hit = _match(entry, wanted, close, i, self.weights.get(entry.slug, 0))
            if hit is None:
                continue
            current = best.get(entry.slug)
            if current is None or _order(hit) < _order(current):
                best[entry.slug] = hit
        return sorted(best.values(), key=_order)

    def _candidates(self, wanted: str, close: _Closeness | None) -> Iterable[int]:
        """The positions of the entries that may match ``wanted``, in order: every entry
        for an empty query, else those holding it and those close enough to it."""
        if not wanted or not self.entries:
            return range(len(self.entries))
        found: set[int] = set()
        at = self._text.find(wanted)
        while at >= 0:
            i = bisect.bisect_right(self._starts, at) - 1
            found.add(i)
            if i + 1 >= len(self._starts):
                break
            at = self._text.find(wanted, self._starts[i + 1])
        if close is not None:
            near = self._latin & (np.maximum(close.whole, close.word) >= FUZZY_CUTOFF)
            found.update(int(i) for i in np.flatnonzero(near))
        return sorted(found)

    def _closeness(self, wanted: str) -> _Closeness:
        """How close ``wanted`` is to each entry's label, and to its closest word."""
        whole = process.cdist([wanted], self._keys, scorer=fuzz.ratio, dtype=np.float64)[0]
        words = process.cdist([wanted], self._words, scorer=fuzz.ratio, dtype=np.float64)[0]
        scores = np.append(words, 0.0)[self._word_ids]
        if not len(scores):
            return _Closeness(whole, np.zeros(0))
        return _Closeness(whole, np.maximum.reduceat(scores, self._word_starts))


@dataclass(frozen=True)
class _Closeness:
    """``fuzz.ratio`` of a query and each entry's label (``whole``) and of the query and
    the closest word of each entry's label (``word``; 0 for a label without words)."""

    whole: npt.NDArray[np.float64]
    word: npt.NDArray[np.float64]


def _match(
    entry: _Entry, wanted: str, close: _Closeness | None, position: int, weight: int
) -> SearchHit | None:
    """How ``entry`` (at ``position`` in the index) matches ``wanted``; ``close``: the
    similarities of the labels and their closest words, when typos are tolerated."""
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
    elif close is not None and entry.latin:
        # The whole label counts fully; one of its words a little less.
        whole, word = float(close.whole[position]), float(close.word[position])
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
