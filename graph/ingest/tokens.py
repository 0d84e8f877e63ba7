"""Word and morpheme boundaries, and proper names, from a real tokenizer per language.

Japanese: SudachiPy with its core dictionary (mode C for proper-noun tags, its mode A split
for the finest boundaries); Korean: kiwipiepy (NNP proper nouns); English: word boundaries
and capitalised phrases. Each tokenizer is loaded once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Protocol

__all__ = ["LineTokens", "NameSpan", "Tokenizer", "tokenizer_for"]


@dataclass(frozen=True)
class NameSpan:
    """A proper name found by the tokenizer: offsets in the line and the class its tag
    suggests (``Person``, ``Place``, ``Organization``), if any."""

    start: int
    end: int
    suggested_class: str | None


@dataclass(frozen=True)
class LineTokens:
    """What a tokenizer says about one line: where words begin and end, and proper names."""

    boundaries: frozenset[int]
    names: tuple[NameSpan, ...]
    #: Spans of words the dictionary knows as proper nouns of any kind (中米 Central
    #: America, 朝日新聞), where a country abbreviation is not one.
    proper_words: tuple[tuple[int, int], ...] = ()


class Tokenizer(Protocol):
    """Splits a line into words (morphemes) and finds proper names."""

    def analyse(self, line: str) -> LineTokens:
        """The boundaries and proper names of ``line``."""
        ...


_SUDACHI_CLASSES = {"人名": "Person", "地名": "Place", "組織": "Organization"}


class JapaneseTokenizer:
    """SudachiPy, core dictionary."""

    def __init__(self) -> None:
        from sudachipy import Dictionary, SplitMode

        self._mode_a = SplitMode.A
        self._tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)

    def analyse(self, line: str) -> LineTokens:
        boundaries: set[int] = {0, len(line)}
        names: list[NameSpan] = []
        proper: list[tuple[int, int]] = []
        for morpheme in self._tokenizer.tokenize(line):
            begin, end = morpheme.begin(), morpheme.end()
            boundaries.update((begin, end))
            boundaries.update(a.begin() for a in morpheme.split(self._mode_a))
            pos = morpheme.part_of_speech()
            if pos[:2] == ("名詞", "固有名詞"):
                proper.append((begin, end))
            kind = _SUDACHI_CLASSES.get(pos[2]) if pos[:2] == ("名詞", "固有名詞") else None
            if kind is None:
                continue
            previous = names[-1] if names else None
            if previous and previous.end == begin and previous.suggested_class == kind:
                names[-1] = NameSpan(previous.start, end, kind)  # 姓 + 名, 地名 + 地名
            else:
                names.append(NameSpan(begin, end, kind))
        return LineTokens(frozenset(boundaries), tuple(names), tuple(proper))


class KoreanTokenizer:
    """kiwipiepy; NNP tokens (runs of them) are proper names, of no particular class.

    Kiwi cuts names it does not know: 김규판 → 김 (NNP) 규 판 (NNG), 박영준 → 박영 (NNP) 준
    (NNG), 동아시아연구원 → 동아시아 (NNP) 연구원 (NNG). A name therefore runs on over the nouns
    written against it in the same word (eojeol) — not over particles and endings (한국국제
    교류재단과 is 한국국제교류재단)."""

    def __init__(self) -> None:
        from kiwipiepy import Kiwi

        self._kiwi = Kiwi()

    def analyse(self, line: str) -> LineTokens:
        boundaries: set[int] = {0, len(line)}
        names: list[NameSpan] = []
        extending = tailed = False
        for token in self._kiwi.tokenize(line):
            start, end = token.start, token.start + token.len
            boundaries.update((start, end))
            previous = names[-1] if names else None
            if extending and previous and previous.end == start and token.tag in _NAME_TAIL:
                names[-1] = NameSpan(previous.start, end, None)
                tailed = tailed or token.tag != "NNP"
                continue
            extending = token.tag == "NNP"
            if token.tag != "NNP":
                continue
            spaced = line[previous.end : start].strip() == "" if previous else False
            if previous and not tailed and spaced and start - previous.end <= 1:
                names[-1] = NameSpan(previous.start, end, None)
            else:
                names.append(NameSpan(start, end, None))
            tailed = False
        return LineTokens(frozenset(boundaries), tuple(names))


#: Kiwi tags of what may finish a proper name written in one word with it: nouns, a noun
#: suffix, foreign letters and numbers.
_NAME_TAIL = frozenset({"NNP", "NNG", "NNB", "XSN", "SL", "SN"})


# A capitalised word, an acronym, or a run of them, possibly joined by one "of", "for", "on"
# (Ministry of Foreign Affairs; but not across "of the": Hanako Yamada of the Forum).
_CAPITALISED = re.compile(
    r"\b(?:[A-Z][\w'’&.-]*[\w])(?:\s+(?:(?:of|for|on|de)\s+)?[A-Z][\w'’&.-]*[\w])*"
)
_WORD_EDGE = re.compile(r"\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“(]\s*)$")
#: Capitalised words that are not names on their own.
_COMMON = frozenset(
    [
        "A",
        "An",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "We",
        "Our",
        "They",
        "Their",
        "He",
        "She",
        "His",
        "Her",
        "In",
        "On",
        "At",
        "By",
        "For",
        "From",
        "To",
        "Of",
        "And",
        "But",
        "Or",
        "If",
        "As",
        "When",
        "While",
        "Since",
        "After",
        "Before",
        "Both",
        "All",
        "Some",
        "Many",
        "Most",
        "Such",
        "However",
        "Moreover",
        "Furthermore",
        "Therefore",
        "Thus",
        "Also",
        "Yet",
        "Still",
        "Today",
        "Now",
        "There",
        "Here",
        "What",
        "Which",
        "Who",
        "Why",
        "How",
        "One",
        "Two",
        "Three",
        "First",
        "Second",
        "Third",
        "New",
        "Mr",
        "Ms",
        "Mrs",
        "Dr",
    ]
)


class EnglishTokenizer:
    """Word boundaries; capitalised phrases (not a lone common or sentence-initial word)."""

    def analyse(self, line: str) -> LineTokens:
        boundaries = frozenset(m.start() for m in _WORD_EDGE.finditer(line)) | {0, len(line)}
        names: list[NameSpan] = []
        for match in _CAPITALISED.finditer(line):
            words = [w for w in re.finditer(r"\S+", match.group())]
            first = next((i for i, w in enumerate(words) if w.group() not in _COMMON), None)
            if first is None:
                continue
            start, end = match.start() + words[first].start(), match.end()
            text = line[start:end]
            opening = bool(_SENTENCE_START.search(line[:start])) and not text.isupper()
            if first == len(words) - 1 and (len(text) < 3 or opening):
                continue  # a single word, short or a capitalised one opening a sentence
            names.append(NameSpan(start, end, None))
        return LineTokens(boundaries, tuple(names))


@cache
def tokenizer_for(language: str) -> Tokenizer:
    """The tokenizer for ``ja``, ``ko`` or ``en`` (loaded once per process)."""
    if language == "ja":
        return JapaneseTokenizer()
    if language == "ko":
        return KoreanTokenizer()
    return EnglishTokenizer()
