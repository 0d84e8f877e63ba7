"""One-character country abbreviations in compounds: 日韓, 日米韓, 中露 (Japanese), 한일,
한미일, 북러 (Korean).

Japanese writes the countries of a bilateral or trilateral relation as a run of one-character
abbreviations (日 Japan, 韓 Korea, 米 the United States …). A run of two or more of them
that begins and ends on morpheme boundaries names each of those countries; a single one
does not (日 in 18日, 中 in 期間中, 仏 in 仏教 are not countries), unless it is a morpheme of
its own directly before a proper name (米バイデン政権). A run inside a word the dictionary
knows as a proper noun (中米 Central America, 中日新聞) and 朝日 are not countries either. Korean writes 한일, 한미일, 한중일
the same way; there a proper noun (Kiwi NNP) made only of such syllables names the countries.
"""

from __future__ import annotations

from graph.ingest.tokens import LineTokens
from graph.iris import entity_iri

__all__ = ["ABBREVIATIONS", "KOREAN_ABBREVIATIONS", "country_runs", "korean_country_runs"]

#: One-character abbreviation → the country's slug (ISO 3166-1 alpha-3, lowercased).
ABBREVIATIONS: dict[str, str] = {
    "日": "jpn",
    "韓": "kor",
    "米": "usa",
    "中": "chn",
    "露": "rus",
    "英": "gbr",
    "仏": "fra",
    "豪": "aus",
    "加": "can",
    "印": "ind",
    "独": "deu",
    "伊": "ita",
    "朝": "prk",
}

#: One-syllable Korean abbreviation → the country's slug.
KOREAN_ABBREVIATIONS: dict[str, str] = {
    "한": "kor",
    "일": "jpn",
    "미": "usa",
    "중": "chn",
    "러": "rus",
    "북": "prk",
    "호": "aus",
}

#: Runs that are words, not country pairs: 朝日 (the morning sun; the Asahi).
_NOT_COUNTRIES = frozenset({"朝日"})


def korean_country_runs(text: str, tokens: LineTokens, known: set[str]) -> list[tuple[int, str]]:
    """``(offset, entity IRI)`` for each country of a Korean abbreviation compound.

    >>> from graph.ingest.tokens import LineTokens, NameSpan
    >>> tokens = LineTokens(frozenset({0, 3}), (NameSpan(0, 3, None),))
    >>> known = {entity_iri(s) for s in ("jpn", "kor", "usa")}
    >>> [slug[-3:] for _, slug in korean_country_runs("한미일 협력", tokens, known)]
    ['kor', 'usa', 'jpn']
    """
    found: list[tuple[int, str]] = []
    for name in tokens.names:
        word = text[name.start : name.end]
        if len(word) >= 2 and all(c in KOREAN_ABBREVIATIONS for c in word):
            for offset in range(name.start, name.end):
                iri = entity_iri(KOREAN_ABBREVIATIONS[text[offset]])
                if iri in known:
                    found.append((offset, iri))
    return found


def country_runs(text: str, tokens: LineTokens, known: set[str]) -> list[tuple[int, str]]:
    """``(offset, entity IRI)`` for each abbreviation in a run that names countries in
    ``text``; only countries whose IRI is in ``known``.

    >>> from graph.ingest.tokens import LineTokens
    >>> tokens = LineTokens(frozenset({0, 2, 3, 5}), ())
    >>> known = {entity_iri(s) for s in ("jpn", "kor", "usa")}
    >>> [slug[-3:] for _, slug in country_runs("日米韓の協力", tokens, known)]
    ['jpn', 'usa', 'kor']
    """
    found: list[tuple[int, str]] = []
    index = 0
    while index < len(text):
        if text[index] not in ABBREVIATIONS:
            index += 1
            continue
        end = index
        while end < len(text) and text[end] in ABBREVIATIONS:
            end += 1
        whole = index in tokens.boundaries and end in tokens.boundaries
        inside_proper = any(a <= index and end <= b for a, b in tokens.proper_words)
        whole = whole and not inside_proper and text[index:end] not in _NOT_COUNTRIES
        before_name = (
            end - index == 1
            and whole
            and any(name.start == end for name in tokens.names)
            and index + 1 in tokens.boundaries
        )
        if whole and (end - index >= 2 or before_name):
            for offset in range(index, end):
                iri = entity_iri(ABBREVIATIONS[text[offset]])
                if iri in known:
                    found.append((offset, iri))
        index = end
    return found
