"""Candidates for what the graph lacks: unknown proper names and recommendation-like
sentences, each with its passage. Nothing here becomes a fact without an analyst's decision.

Names come from the tokenizer's own tags (Sudachi 固有名詞 人名/地名/組織, Kiwi NNP, English
capitalised phrases) where no known name was matched; one candidate per folded name, with
the passages of its first three occurrences. Sentences are recommendation-like when they
hold a cue such as べき, 必要がある, 提言, should, must, recommend, 해야.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from graph.ingest.fold import fold
from graph.ingest.mentions import NameMatch
from graph.ingest.model import Passage, ReviewItem
from graph.ingest.segments import MAX_QUOTE, Segment, passage_for
from graph.ingest.tokens import LineTokens

__all__ = ["CUES", "entity_candidates", "proposal_candidates"]

#: Words that make a sentence read like a recommendation, per language.
CUES: dict[str, re.Pattern[str]] = {
    "ja": re.compile(r"べき|必要がある|必要である|提言|求められる|望まれる"),
    "en": re.compile(
        r"\b(?:should|must|ought to|recommend(?:s|ed|ation|ations)?|urges?|calls? (?:on|for))\b",
        re.IGNORECASE,
    ),
    "ko": re.compile(r"해야|하여야|필요가 있|필요하다|제언|촉구|바람직"),
}

#: Where sentences end: after 。！？ in Japanese, after . ! ? and a space otherwise.
_SENTENCE = {
    "ja": re.compile(r"[^。！？]+[。！？]?"),
    "other": re.compile(r".+?(?:[.!?。](?=\s|$)|$)"),
}
MAX_PASSAGES = 3
MIN_NAME = 2


def entity_candidates(
    segments: list[Segment],
    tokens_of: Callable[[int], LineTokens],
    known: list[NameMatch],
) -> list[ReviewItem]:
    """Proper names outside every known-name match, one item per folded name, c1, c2 …"""
    taken: dict[int, list[tuple[int, int]]] = {}
    for match in known:
        taken.setdefault(match.segment, []).append((match.start, match.end))
    found: dict[str, list[tuple[int, int, int, str | None]]] = {}
    for index, segment in enumerate(segments):
        for name in tokens_of(index).names:
            key = fold(segment.text[name.start : name.end])
            if len(key) < MIN_NAME or not any(c.isalpha() for c in key):
                continue
            if any(name.start < end and start < name.end for start, end in taken.get(index, [])):
                continue
            found.setdefault(key, []).append((index, name.start, name.end, name.suggested_class))
    items: list[ReviewItem] = []
    for occurrences in found.values():
        index, start, end, _ = occurrences[0]
        classes = Counter(c for *_, c in occurrences if c)
        suggested = classes.most_common(1)[0][0] if classes else None
        passages = sorted(
            {passage_for(segments[i], s, e) for i, s, e, _ in occurrences[:MAX_PASSAGES]}
        )
        items.append(
            ReviewItem(
                key=f"c{len(items) + 1}",
                kind="entity",
                status="NeedsReview",
                passages=passages,
                text=segments[index].text[start:end].strip()[:MAX_QUOTE],
                suggested_class=(
                    f"https://w3id.org/policygraph/ontology#{suggested}" if suggested else None
                ),
            )
        )
    return items


def _quote_span(sentence_start: int, sentence_end: int, cue_end: int) -> tuple[int, int]:
    """The sentence, or its ``MAX_QUOTE`` characters ending a little after the cue."""
    if sentence_end - sentence_start <= MAX_QUOTE:
        return sentence_start, sentence_end
    last = min(sentence_end, max(cue_end + 10, sentence_start + MAX_QUOTE))
    return last - MAX_QUOTE, last


def proposal_candidates(segments: list[Segment], language: str) -> list[ReviewItem]:
    """Sentences with a recommendation cue, p1, p2 …, each with its passage."""
    cue = CUES.get(language, CUES["en"])
    sentence = _SENTENCE["ja" if language == "ja" else "other"]
    items: list[ReviewItem] = []
    for segment in segments:
        for found in sentence.finditer(segment.text):
            cues = list(cue.finditer(found.group()))
            if not cues:
                continue
            lead = len(found.group()) - len(found.group().lstrip())
            first, last = _quote_span(
                found.start() + lead,
                found.start() + len(found.group().rstrip()),
                found.start() + cues[0].end(),
            )
            passage = Passage(
                segment.lines[first], segment.lines[last - 1], segment.text[first:last]
            )
            items.append(
                ReviewItem(
                    key=f"p{len(items) + 1}",
                    kind="proposal",
                    status="NeedsReview",
                    passages=[passage],
                    cues=sorted({m.group() for m in cues}),
                )
            )
    return items
