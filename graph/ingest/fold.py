"""Folding text for name matching: width, case, old and new character forms, separators.

A name and a text match when their folded forms are equal. Folding works one character at a
time and keeps, for each folded character, the offset of the character it came from, so a
match in the folded text maps back to the exact span of the original.

>>> fold("Ｊａｐａｎ・韓國")
'japan韓国'
>>> folded, origin = fold_with_offsets("ＵＳ－Japan")
>>> folded, origin[:3]
('usjapan', [0, 1, 3])
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_char", "fold_with_offsets"]

#: Old (traditional) character forms that names are still written in, and their modern forms.
_VARIANTS = str.maketrans(
    {
        "國": "国",
        "會": "会",
        "學": "学",
        "臺": "台",
        "灣": "湾",
        "濟": "済",
        "關": "関",
        "與": "与",
        "對": "対",
        "體": "体",
        "鬪": "闘",
        "戰": "戦",
        "條": "条",
        "圓": "円",
        "廣": "広",
        "澤": "沢",
        "邊": "辺",
        "邉": "辺",
        "髙": "高",
        "﨑": "崎",
        "嶋": "島",
        "櫻": "桜",
        "惠": "恵",
        "眞": "真",
        "齋": "斎",
        "齊": "斉",
    }
)

#: Characters dropped when folding: spaces, middle dots, hyphens and dashes, quotation marks,
#: so that "日米・韓", "US-Japan" and "US–Japan" fold alike. The katakana long vowel mark ー is kept.
_DROPPED = frozenset(
    " \t\u3000・･·‧∙"  # spaces, middle dots
    "-‐‑‒–—―−﹣－"  # hyphens, dashes, minus signs
    "'’‘`"  # apostrophes
    "."  # full stops in abbreviations (U.S., U.K.)
    '「」『』“”"〈〉《》'  # quotation marks: 「包括的戦略的パートナーシップ」 条約
)


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """The folded form of one character: '' for a separator, else NFKC, case-folded, with
    old character forms replaced by the modern ones (possibly several characters)."""
    if char in _DROPPED:
        return ""
    folded = unicodedata.normalize("NFKC", char).casefold().translate(_VARIANTS)
    return "".join(c for c in folded if c not in _DROPPED)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the offset in ``text`` it came from."""
    parts: list[str] = []
    origin: list[int] = []
    for offset, char in enumerate(text):
        folded = fold_char(char)
        parts.append(folded)
        origin.extend([offset] * len(folded))
    return "".join(parts), origin


def fold(text: str) -> str:
    """The folded form of ``text`` (a name or a line)."""
    return "".join(fold_char(char) for char in text)
