"""Which of a line's overlapping name hits are mentions: the longest, and names nested in them.

Overlapping gazetteer hits keep the longest, then the leftmost ("日本国際問題研究所" is the
institute, not 日本). Inside the name kept, some shorter names are mentions too (``_NESTED``):
the actors in an event's, framework's or place's name (金大中・小渕共同宣言); the framework in
an event's name; in a framework's name, the framework it is part of or a version of
(AUKUSピラーⅡ → AUKUS, 日韓版「エラスムス」プログラム → Erasmus) or that a particle makes a
phrase about; the countries in an organisation's name (フランス国際経済研究センター → France);
and a person by family name in the name of a statement the graph links them to (河野談話 →
河野洋平). docs/ingest.md, *How names are found*, gives the reasons and the cost of each.
"""

from __future__ import annotations

import re

from graph.ingest.fold import fold
from graph.ingest.gazetteer import Gazetteer

__all__ = ["Hit", "family_names", "select_hits"]

#: A hit: start and end offsets in the segment, the folded name, the entities it may name.
Hit = tuple[int, int, str, tuple[str, ...]]


def _all_of(entities: tuple[str, ...], classes: frozenset[str], gazetteer: Gazetteer) -> bool:
    return all(gazetteer.classes.get(e, set()) & classes for e in entities)


#: What the name of an event, framework, place or organisation may name inside it: the actors
#: (金大中・小渕共同宣言, 日中韓首脳会議); for an event, the framework it concerns (New START
#: 条約の締結); for a framework, a framework it is part of or a version of (``_a_version_of``);
#: for an organisation, the countries (フランス国際経済研究センター).
_NESTED = {
    "Event": frozenset({"Actor", "Framework"}),
    "Framework": frozenset({"Actor", "Framework"}),
    "Place": frozenset({"Actor"}),
    "Organization": frozenset({"Country"}),
}


def select_hits(hits: list[Hit], text: str, gazetteer: Gazetteer) -> list[Hit]:
    """The longest hits that do not overlap, leftmost first among equals; plus the names
    nested in the name of an event, framework or place (``_NESTED``) — but not inside an
    actor's name (日本国際問題研究所 is an institute, not a mention of Japan).

    A shorter name of the outer entity itself inside its name (キャンパスアジア in
    キャンパスアジアプログラム) is no mention of its own, and the names inside it are not
    kept either (アジア there is no mention of Asia) — except country abbreviations
    (日中韓 in 日中韓+Xの協力)."""
    ordered = sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: list[Hit] = []
    for hit in ordered:
        if not _overlaps(hit, taken):
            taken.append(hit)
    inner: list[Hit] = []
    for outer in taken:
        kinds = [gazetteer.classes.get(e, set()) for e in outer[3]]
        parties = frozenset().union(*(_NESTED[k] for k in _NESTED if all(k in c for c in kinds)))
        if not parties:
            continue
        event = all("Event" in k for k in kinds)
        itself: list[Hit] = []
        for hit in ordered:
            if not (outer[0] <= hit[0] and hit[1] <= outer[1] and hit != outer):
                continue
            if set(hit[3]) <= set(outer[3]):
                if not _overlaps(hit, inner + itself):
                    itself.append(hit)
                continue
            abbreviation = len(hit[2]) == 1
            free = not _overlaps(hit, inner) and (abbreviation or not _overlaps(hit, itself))
            if not free or not _all_of(hit[3], parties, gazetteer):
                continue
            actor = _all_of(hit[3], frozenset({"Actor"}), gazetteer)
            if actor or event or _a_version_of(outer, hit, text, gazetteer):
                inner.append(hit)
    return sorted(taken + inner)


#: Particles after a name inside a longer name that make the longer one a phrase about it
#: (IP4諸国とNATO加盟国との協議体 names IP4).
_PARTICLES = frozenset("との")
#: What may stand between 版 ("version") and the name of the framework it is a version of.
_VERSION_MARK = re.compile(r"版[「『\"“]?$")


def _a_version_of(outer: Hit, hit: Hit, text: str, gazetteer: Gazetteer) -> bool:
    """Whether a framework named inside a framework's name is one it is part of (the graph
    links them: AUKUSピラーⅡ → AUKUS) or one it is a version of (日韓版「エラスムス」プログラム,
    日韓版シェンゲン制度), or that a particle makes a phrase about (IP4諸国とNATO加盟国との協議体)
    — not a framework whose name merely ends or begins another's (START in New START, the
    Trans-Pacific Partnership inside the CPTPP's full name, the Quad in Quad+)."""
    linked = any(
        inner in gazetteer.neighbours.get(entity, set()) for entity in outer[3] for inner in hit[3]
    )
    phrase = hit[1] < outer[1] and text[hit[1]] in _PARTICLES
    return linked or phrase or bool(_VERSION_MARK.search(text[outer[0] : hit[0]]))


def _overlaps(hit: Hit, others: list[Hit]) -> bool:
    return any(hit[0] < other[1] and other[0] < hit[1] for other in others)


def family_names(
    selected: list[Hit], text: str, boundaries: frozenset[int], gazetteer: Gazetteer
) -> list[Hit]:
    """The people named by their family name alone inside the name of a statement or event
    the graph links them to (河野談話 → 河野洋平, 菅談話 → 菅直人): the longest beginning of
    one of the person's Japanese names, short of the whole, that stands on word boundaries
    inside the outer name and overlaps no name already found there."""
    found: list[Hit] = []
    for start, end, _, entities in selected:
        if not all(gazetteer.is_a(e, "Framework") or gazetteer.is_a(e, "Event") for e in entities):
            continue
        people = sorted(
            {
                p
                for e in entities
                for p in gazetteer.neighbours.get(e, set())
                if gazetteer.is_a(p, "Person")
            }
        )
        inner = [
            h for h in selected if start <= h[0] and h[1] <= end and (h[0], h[1]) != (start, end)
        ]
        for person in people:
            for name in gazetteer.names_of(person, "ja"):
                hit = _family_name_in(name, text, start, end, boundaries)
                if hit and not any(hit[0] < h[1] and h[0] < hit[1] for h in inner + found):
                    found.append((hit[0], hit[1], fold(text[hit[0] : hit[1]]), (person,)))
                    break
    return found


def _family_name_in(
    name: str, text: str, start: int, end: int, boundaries: frozenset[int]
) -> tuple[int, int] | None:
    """Where the longest proper beginning of ``name`` stands on boundaries in ``text[start:end]``."""
    for length in range(len(name) - 1, 0, -1):
        prefix = name[:length]
        at = text.find(prefix, start, end)
        while at >= 0:
            if at in boundaries and at + length in boundaries:
                return at, at + length
            at = text.find(prefix, at + 1, end)
    return None
