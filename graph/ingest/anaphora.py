"""References a Japanese text makes without a name: 同協定, 同プログラム, 同国 ("the said
agreement, programme, country") and 両国 ("both countries"), resolved to the entities named
just before.

- 同 + a class word (協定, 宣言, プログラム, 会議 …) on word boundaries stands for the nearest
  name before it, in the same sentence or the ``WINDOW`` sentences before, that contains the
  class word itself (同声明 → …共同声明, 同プログラム → …プログラム) and names one entity;
  同国 for the nearest country named. When the class word also occurs without a name between
  that name and the anaphor (大学院生中心のプログラム … 同プログラム: which programme?), or
  another country is named beside the nearest one (同国), the resolution is unsure and the
  mention is left for review with the entity as its one alternative.
- 両国 stands for the two countries named last, when they are named as a pair (日韓,
  日本と韓国, 米国・中国: at most a joining word between them, in one sentence, and not a
  third joined to them as in 日米韓): each is a mention. Otherwise none — "ロシアのウクライナ
  侵攻 … 両国" names two countries, but not as the pair the text goes on about.

In English, "both governments", "the two governments" (or countries, nations) stand for a
pair of countries written just before (Japan and Korea, Japan and the Republic of Korea, the
United States/Japan: at most "and", a comma, a slash or a dash and "the" between them, not
a third joined to them as in "the United States, Japan and Korea"), in the same line before
it or on the line before (``ENGLISH_WINDOW``). Otherwise none.

本 / 当 + a class word (本報告書, 当会議) usually mean the document or occasion itself, which
is no entity of the graph: they are not resolved. Korean anaphors are not read.
A resolved anaphor is linked with a lower score than a name (``SCORE``), as its one
alternative, so that a reviewer can tell it from a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ANAPHOR",
    "ENGLISH_ANAPHOR",
    "ENGLISH_WINDOW",
    "SCORE",
    "UNSURE_SCORE",
    "WINDOW",
    "Anaphor",
    "Resolution",
    "find_english_anaphors",
    "resolve",
]

#: 同 + a class word; 両国.
ANAPHOR = re.compile(
    r"同(?P<word>協定|条約|宣言|声明|プログラム|フォーラム|会議|会合|構想|戦略|制度|基金|"
    r"枠組み|イニシアチブ|イニシアティブ|機構|機関|財団|報告書|政権|国)|(?P<both>両国)"
)
#: "both governments", "the two countries" … (a pair of countries named just before).
ENGLISH_ANAPHOR = re.compile(r"\b(?:[Bb]oth|[Tt]he two) (?:governments|countries|nations)\b")
#: How many sentences before the anaphor's own are searched.
WINDOW = 2
#: How many lines before an English anaphor's own are searched.
ENGLISH_WINDOW = 1
#: The score of a resolved anaphor's entity, and of an unsure one's.
SCORE = 0.7
UNSURE_SCORE = 0.5
BOTH = "両国"


@dataclass(frozen=True)
class Anaphor:
    """An anaphor in a segment: its offsets and the class word (``BOTH`` for 両国)."""

    segment: int
    start: int
    end: int
    word: str


@dataclass(frozen=True)
class Named:
    """A name found before: its segment, offsets, text and the one entity it names."""

    segment: int
    start: int
    end: int
    text: str
    entity: str


@dataclass(frozen=True)
class Resolution:
    """The entities an anaphor stands for, and whether that is sure."""

    entities: tuple[str, ...]
    sure: bool


def find_anaphors(segment: int, text: str, boundaries: frozenset[int]) -> list[Anaphor]:
    """The anaphors of a segment's ``text`` standing on word boundaries (so 共同声明 holds
    none).

    >>> [a.word for a in find_anaphors(0, "同協定と両国", frozenset({0, 1, 3, 4, 6}))]
    ['協定', '両国']
    >>> find_anaphors(0, "共同声明", frozenset({0, 2, 4}))
    []
    """
    found = []
    for match in ANAPHOR.finditer(text):
        if match.start() in boundaries and match.end() in boundaries:
            word = match.group("word") or BOTH
            found.append(Anaphor(segment, match.start(), match.end(), word))
    return found


def find_english_anaphors(segment: int, text: str) -> list[Anaphor]:
    """The English anaphors of a segment's ``text`` ("both governments" …), as ``BOTH``.

    >>> [(a.start, a.end) for a in find_english_anaphors(0, "Both governments agreed.")]
    [(0, 16)]
    >>> find_english_anaphors(0, "both governmental bodies")
    []
    """
    return [Anaphor(segment, m.start(), m.end(), BOTH) for m in ENGLISH_ANAPHOR.finditer(text)]


def resolve(
    anaphor: Anaphor,
    named: list[Named],
    texts: list[str],
    is_country: dict[str, bool],
    language: str = "ja",
) -> Resolution | None:
    """What ``anaphor`` stands for, given the unambiguous names ``named`` (in text order),
    the segments' ``texts`` and which entities are countries; None when nothing fits."""
    window = ENGLISH_WINDOW if language == "en" else WINDOW
    before = [
        n
        for n in named
        if anaphor.segment - window <= n.segment < anaphor.segment
        or (n.segment == anaphor.segment and n.end <= anaphor.start)
    ]
    if anaphor.word == BOTH:
        joint = _ENGLISH_PAIR_JOINT if language == "en" else _PAIR_JOINT
        return _both_countries(before, is_country, texts, joint)
    if anaphor.word == "国":
        countries = [n for n in before if is_country.get(n.entity)]
        if not countries:
            return None
        last = countries[-1]
        others = {n.entity for n in countries if n.segment == last.segment} - {last.entity}
        return Resolution((last.entity,), not others)
    fitting = [n for n in before if anaphor.word in n.text]
    if not fitting:
        return None
    last = fitting[-1]
    between = ANAPHOR.sub("", _text_between(last, anaphor, texts))  # 同声明 … 同声明 is one
    return Resolution((last.entity,), anaphor.word not in between)


def _both_countries(
    before: list[Named], is_country: dict[str, bool], texts: list[str], joint: re.Pattern[str]
) -> Resolution | None:
    countries = [n for n in before if is_country.get(n.entity)]
    if len(countries) < 2:
        return None
    *rest, first, second = countries
    if first.entity == second.entity or not _joined(first, second, texts, joint):
        return None
    if rest and _joined(rest[-1], first, texts, joint):
        return None  # 日米韓, "the United States, Japan and Korea": three countries, not two
    return Resolution(tuple(sorted({first.entity, second.entity})), True)


#: What may stand between two countries named as a pair: nothing (日韓), と, ・, および …
#: (not や, which lists examples: 中国やアメリカに比べて)
_PAIR_JOINT = re.compile(r"(?:と|・|、|および|及び|,|\s)?")
#: In English: "and", a comma, a slash or a dash, and "the" before the second name
#: ("Japan and the Republic of Korea", "the Japan–Korea summit").
_ENGLISH_PAIR_JOINT = re.compile(r"\s*(?:and|,|/|-|–|—)?\s*(?:the\s+)?")


def _joined(first: Named, second: Named, texts: list[str], joint: re.Pattern[str]) -> bool:
    """Whether two names are written as a pair (日韓, 日本と韓国, 米国・中国, Japan and
    Korea): in one segment, with at most a joining word between them."""
    if first.segment != second.segment:
        return False
    return joint.fullmatch(texts[first.segment][first.end : second.start]) is not None


def _text_between(name: Named, anaphor: Anaphor, texts: list[str]) -> str:
    if name.segment == anaphor.segment:
        return texts[name.segment][name.end : anaphor.start]
    parts = [texts[name.segment][name.end :]]
    parts += texts[name.segment + 1 : anaphor.segment]
    parts.append(texts[anaphor.segment][: anaphor.start])
    return "".join(parts)
