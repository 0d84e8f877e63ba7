"""The pieces of text a document is analysed in, and passages cut from them.

Japanese text is broken mid-word at line ends (the report breaks "ウクライナ" across two
lines, with empty lines between), so a Japanese segment runs over lines, each stripped, empty
ones dropped, joined with no separator — exactly as the locator rules join lines — up to a
line that ends a sentence (。！？) or past ``MAX_SEGMENT`` characters. In English and Korean a
segment is one stripped line. Each character of a segment remembers its line, so any span of a
segment becomes a passage whose quote is an exact substring of its lines taken together.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.ingest.model import Passage

__all__ = ["MAX_QUOTE", "Segment", "passage_for", "segments_of"]

MAX_QUOTE = 80
MAX_SEGMENT = 1000
_SENTENCE_FINAL = ("。", "！", "？", "!", "?")


@dataclass(frozen=True)
class Segment:
    """Joined text and, for each of its characters, the 1-based line it came from."""

    text: str
    lines: tuple[int, ...]


def segments_of(lines: list[str], language: str) -> list[Segment]:
    """The segments of ``lines``: runs of lines up to a sentence end for Japanese, single
    lines otherwise.

    >>> [s.text for s in segments_of(["ウク", "", " ライナ。 ", "次"], "ja")]
    ['ウクライナ。', '次']
    >>> segments_of(["ウク", "", " ライナ "], "ja")[0].lines
    (1, 1, 3, 3, 3)
    """
    segments: list[Segment] = []
    text: list[str] = []
    owners: list[int] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        text.append(stripped)
        owners += [number] * len(stripped)
        if language != "ja" or stripped.endswith(_SENTENCE_FINAL) or len(owners) > MAX_SEGMENT:
            segments.append(Segment("".join(text), tuple(owners)))
            text, owners = [], []
    if text:
        segments.append(Segment("".join(text), tuple(owners)))
    return segments


def passage_for(segment: Segment, start: int, end: int, limit: int = MAX_QUOTE) -> Passage:
    """A passage quoting at most ``limit`` characters around ``segment.text[start:end]``
    (its start, if the span is longer), taken from the lines the span itself is on.

    >>> passage_for(Segment("日本と韓国は協力する", (1,) * 5 + (2,) * 5), 3, 7, limit=6)
    Passage(line_start=1, line_end=2, quote='と韓国は協力')
    >>> passage_for(Segment("日本と韓国は協力する", (1,) * 5 + (2,) * 5), 3, 5, limit=6)
    Passage(line_start=1, line_end=1, quote='日本と韓国')
    """
    owners = segment.lines
    low = owners.index(owners[start])
    high = len(owners) - owners[::-1].index(owners[end - 1])
    if high - low <= limit:
        first, last = low, high
    elif end - start >= limit:
        first, last = start, start + limit
    else:
        before = (limit - (end - start)) // 2
        first = max(low, min(start - before, high - limit))
        last = first + limit
    return Passage(owners[first], owners[last - 1], segment.text[first:last])
