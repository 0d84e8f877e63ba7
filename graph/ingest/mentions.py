"""Finding the names of known entities in a document's lines, and resolving ambiguous ones.

A gazetteer hit counts only where it starts and ends on a word or morpheme boundary of the
line (graph.ingest.tokens) and, for an acronym, where its case matches. Of overlapping hits,
graph.ingest.nesting keeps the longest and the names nested in it that are mentions too. A
run of one-character country abbreviations (日米韓, 한미일) names each country
(graph.ingest.abbreviations); a reference without a name (同協定, 両国) is resolved to the
names before it (graph.ingest.anaphora; in English "both governments" after a pair of
countries) and numbered after the names.

A name several entities share is scored from its context: each alternative gets 1, plus 1
if the name is one of its labels in the document's language, plus, for each entity the graph
links to it that is named unambiguously nearby, 3 on the same line, 2 on the next or
previous line, 1 two lines away; plus 3 for the alternative whose linked entity is named
nearest to it in the same sentence, when that is less than half as far as the nearest
entity linked to another alternative ("2022年にインド太平洋戦略を発表した韓国": Korea's,
though the sentence began with the United States) — or, when its sentence names none, the
one linked to the last topic (a name followed by は) before it in the segment; plus 0.5 if
it is itself named unambiguously elsewhere in the document. Scores are then divided by
their sum; the best alternative is taken when it has at least 0.6 and 1.5 times the next
one, otherwise the mention is left for review with all alternatives and their scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from graph.ingest.abbreviations import (
    ABBREVIATIONS,
    KOREAN_ABBREVIATIONS,
    country_runs,
    korean_country_runs,
)
from graph.ingest.anaphora import (
    ANAPHOR,
    SCORE,
    UNSURE_SCORE,
    Anaphor,
    Named,
    find_anaphors,
    find_english_anaphors,
    resolve,
)
from graph.ingest.fold import fold_with_offsets
from graph.ingest.gazetteer import Gazetteer, exact_form
from graph.ingest.model import Alternative, ReviewItem
from graph.ingest.nesting import Hit, family_names, select_hits
from graph.ingest.segments import Segment, passage_for
from graph.ingest.tokens import LineTokens

__all__ = ["NameMatch", "find_names", "mention_items"]

CONTEXT_LINES = 2
NEAREST_BONUS = 3.0
RESOLVE_SHARE = 0.6
RESOLVE_MARGIN = 1.5


@dataclass(frozen=True)
class NameMatch:
    """A name of known entities found in the text: the segment it is in, offsets there,
    and the 1-based line where it begins."""

    segment: int
    line: int
    start: int
    end: int
    text: str
    key: str
    entities: tuple[str, ...]
    #: A reference without a name (同協定, 両国; graph.ingest.anaphora): ``key`` is its class
    #: word, ``entities`` empty until resolved.
    anaphor: bool = False


def _hits(line: str, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    folded, origin = fold_with_offsets(line)
    hits: list[tuple[int, int, str]] = []
    if not gazetteer.entries:
        return hits
    for last, key in gazetteer.automaton.iter(folded):
        first = last - len(key) + 1
        # A hit must begin and end on whole characters of the original line.
        if first > 0 and origin[first - 1] == origin[first]:
            continue
        if last + 1 < len(origin) and origin[last + 1] == origin[last]:
            continue
        hits.append((origin[first], origin[last] + 1, key))
    return hits


def _on_boundaries(name: str, starts: bool, ends: bool) -> bool:
    """Whether a hit counts: both ends on boundaries; for a name of three or more Chinese
    characters one end is enough (a tokenizer cuts rare characters such as 悅 in 尹錫悅
    wrongly, and so long a run of ideographs is seldom part of another word)."""
    if starts and ends:
        return True
    return (starts or ends) and len(name) >= 3 and all("\u4e00" <= c <= "\u9fff" for c in name)


def find_names(
    segments: list[Segment],
    gazetteer: Gazetteer,
    tokens_of: Callable[[int], LineTokens],
    language: str = "en",
) -> list[NameMatch]:
    """Every boundary-respecting, non-overlapping gazetteer hit in ``segments`` (and, in
    Japanese, every country named in an abbreviation run such as 日米韓, graph.ingest.
    abbreviations); ``tokens_of`` gives the tokens of a segment by its index."""
    found: list[NameMatch] = []
    for index, segment in enumerate(segments):
        text = segment.text
        hits = _hits(text, gazetteer)
        table = {"ja": ABBREVIATIONS, "ko": KOREAN_ABBREVIATIONS}.get(language, {})
        runs = any(c in table for c in text)
        maybe_anaphors = language == "ja" and ANAPHOR.search(text) is not None
        english = find_english_anaphors(index, text) if language == "en" else []
        if not hits and not runs and not maybe_anaphors and not english:
            continue
        boundaries = tokens_of(index).boundaries
        if maybe_anaphors or english:
            for anaphor in english or find_anaphors(index, text, boundaries):
                found.append(
                    NameMatch(
                        index,
                        segment.lines[anaphor.start],
                        anaphor.start,
                        anaphor.end,
                        text[anaphor.start : anaphor.end],
                        anaphor.word,
                        (),
                        anaphor=True,
                    )
                )
        valid: list[Hit] = []
        if runs:
            find_runs = country_runs if language == "ja" else korean_country_runs
            for offset, iri in find_runs(text, tokens_of(index), set(gazetteer.classes)):
                valid.append((offset, offset + 1, text[offset], (iri,)))
        for start, end, key in hits:
            if not _on_boundaries(text[start:end], start in boundaries, end in boundaries):
                continue
            surface = exact_form(text[start:end])
            entries = [
                e
                for e in gazetteer.entries[key]
                if not e.is_acronym or exact_form(e.name) == surface
            ]
            if entries:
                valid.append((start, end, key, tuple(sorted({e.entity for e in entries}))))
        selected = select_hits(valid, text, gazetteer)
        selected += family_names(selected, text, boundaries, gazetteer)
        for start, end, key, entities in sorted(selected):
            found.append(
                NameMatch(index, segment.lines[start], start, end, text[start:end], key, entities)
            )
    found.sort(key=lambda m: (m.segment, m.start))
    return found


def _scores(
    match: NameMatch,
    gazetteer: Gazetteer,
    language: str,
    nearby: dict[str, float],
    in_document: set[str],
    nearest: str | None = None,
) -> dict[str, float]:
    raw: dict[str, float] = {}
    for entity in match.entities:
        score = NEAREST_BONUS if entity == nearest else 0.0
        score += 1.0
        if any(e.entity == entity and e.language == language for e in gazetteer.entries[match.key]):
            score += 1.0
        links = gazetteer.neighbours.get(entity, set())
        score += sum(weight for other, weight in nearby.items() if other in links)
        if entity in in_document:
            score += 0.5
        raw[entity] = score
    total = sum(raw.values())
    return {entity: score / total for entity, score in raw.items()}


def _nearest_in_sentence(
    match: NameMatch, names: list[Named], text: str, gazetteer: Gazetteer
) -> str | None:
    """The alternative of an ambiguous ``match`` whose linked entity is named nearest to it in
    its sentence, if less than half as far as any entity linked to another alternative."""
    distances: dict[str, int] = {}
    for name in names:
        distance = name.start - match.end if name.start >= match.end else match.start - name.end
        if distance < 0:
            continue  # a name inside or over the match itself
        between = text[min(name.end, match.end) : max(name.start, match.start)]
        if any(mark in between for mark in "。！？!?"):
            continue  # another sentence (a Japanese segment may hold several)
        for entity in match.entities:
            if name.entity in gazetteer.neighbours.get(entity, set()):
                distances[entity] = min(distances.get(entity, distance), distance)
    if not distances:
        return _last_topic(match, names, text, gazetteer)
    ranked = sorted(distances.items(), key=lambda kv: kv[1])
    if len(ranked) == 1 or 2 * ranked[0][1] < ranked[1][1]:
        return ranked[0][0]
    return None


def _last_topic(
    match: NameMatch, names: list[Named], text: str, gazetteer: Gazetteer
) -> str | None:
    """When the sentence names nothing linked to an alternative: the alternative linked to
    the last topic before it in the segment — a name followed by は, whose sentence's
    subject a Japanese sentence without one carries on ("韓国は…抑止力を増強し…。また、
    2022年のインド太平洋戦略の公表により…": Korea's)."""
    for name in reversed(names):
        if name.end > match.start or text[name.end : name.end + 1] != "は":
            continue
        linked = [e for e in match.entities if name.entity in gazetteer.neighbours.get(e, set())]
        if linked:
            return linked[0] if len(linked) == 1 else None
    return None


def mention_items(
    segments: list[Segment], matches: list[NameMatch], gazetteer: Gazetteer, language: str
) -> list[ReviewItem]:
    """One mention per line range and entity (or set of alternatives), numbered m1, m2 …"""
    unambiguous_by_line: dict[int, set[str]] = defaultdict(set)
    for match in matches:
        if len(match.entities) == 1:
            unambiguous_by_line[match.line].add(match.entities[0])
    in_document = set().union(*unambiguous_by_line.values()) if unambiguous_by_line else set()
    items: list[ReviewItem] = []
    seen: set[tuple[int, int, tuple[str, ...]]] = set()
    named = [
        Named(m.segment, m.start, m.end, m.text, m.entities[0])
        for m in matches
        if len(m.entities) == 1
    ]
    texts = [segment.text for segment in segments]
    by_segment: dict[int, list[Named]] = defaultdict(list)
    for name in named:
        by_segment[name.segment].append(name)
    countries = {n.entity: gazetteer.is_a(n.entity, "Country") for n in named}
    for match in matches:
        if match.anaphor:
            continue
        passage = passage_for(segments[match.segment], match.start, match.end)
        if (passage.line_start, passage.line_end, match.entities) in seen:
            continue
        seen.add((passage.line_start, passage.line_end, match.entities))
        item = ReviewItem(
            key=f"m{len(items) + 1}",
            kind="mention",
            status="AutoLinked",
            passages=[passage],
            text=match.text.strip(),
        )
        if len(match.entities) == 1:
            item.entity = match.entities[0]
        else:
            nearby: dict[str, float] = defaultdict(float)
            for number in range(match.line - CONTEXT_LINES, match.line + CONTEXT_LINES + 1):
                weight = CONTEXT_LINES + 1 - abs(number - match.line)
                for other in unambiguous_by_line.get(number, set()):
                    nearby[other] += weight
            nearest = _nearest_in_sentence(
                match, by_segment.get(match.segment, []), texts[match.segment], gazetteer
            )
            scores = _scores(match, gazetteer, language, nearby, in_document, nearest)
            ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
            item.alternatives = [Alternative(entity, round(score, 3)) for entity, score in ranked]
            best, runner_up = ranked[0][1], ranked[1][1]
            if best >= RESOLVE_SHARE and best >= RESOLVE_MARGIN * runner_up:
                item.entity = ranked[0][0]
            else:
                item.status = "NeedsReview"
        items.append(item)
    anaphors = [m for m in matches if m.anaphor]
    return items + _anaphor_items(
        segments, anaphors, named, countries, unambiguous_by_line, seen, len(items), language
    )


def _anaphor_items(
    segments: list[Segment],
    anaphors: list[NameMatch],
    named: list[Named],
    countries: dict[str, bool],
    named_on_line: dict[int, set[str]],
    seen: set[tuple[int, int, tuple[str, ...]]],
    numbered: int,
    language: str,
) -> list[ReviewItem]:
    """The mentions of the resolved anaphors (graph.ingest.anaphora), numbered after the
    ``numbered`` mentions of names (so that adding a rule of anaphora does not renumber
    them); none where the entity is named on the anaphor's lines anyway."""
    texts = [segment.text for segment in segments]
    items: list[ReviewItem] = []
    for match in anaphors:
        anaphor = Anaphor(match.segment, match.start, match.end, match.key)
        resolution = resolve(anaphor, named, texts, countries, language)
        if resolution is None:
            continue
        passage = passage_for(segments[match.segment], match.start, match.end)
        lines = range(passage.line_start, passage.line_end + 1)
        for entity in resolution.entities:
            place = (passage.line_start, passage.line_end, (entity,))
            if place in seen or any(entity in named_on_line.get(n, set()) for n in lines):
                continue
            seen.add(place)
            items.append(
                ReviewItem(
                    key=f"m{numbered + len(items) + 1}",
                    kind="mention",
                    status="AutoLinked" if resolution.sure else "NeedsReview",
                    passages=[passage],
                    text=match.text,
                    entity=entity if resolution.sure else None,
                    alternatives=[Alternative(entity, SCORE if resolution.sure else UNSURE_SCORE)],
                )
            )
    return items
