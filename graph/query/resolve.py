"""Names to entities: what every place that takes an entity calls.

:func:`resolve_entity` takes what a person types — a slug (``kor``), an IRI
(``https://w3id.org/policygraph/id/kor`` or ``id:kor``), a name in English, Japanese or
Korean (``rdfs:label``) or an alias (``skos:altLabel``: ``Korea``, ``韓国``, ``한국``, both
romanisations) — compared case-, width- and dash-insensitively (see
:func:`graph.query.search.normalise`), and answers with the entity's slug:

1. a slug or IRI of an existing entity is that entity;
2. else the one entity a name or alias is exactly, wins over partial matches of longer
   names ("AUKUS Pillar II" is ``aukus-pillar-2``, not the proposals that mention it);
3. else the one entity whose name starts with or contains the text;
4. otherwise :class:`AmbiguousEntityError` (several candidates) or
   :class:`NoSuchEntityError` (none; the closest names by rapidfuzz), each carrying the
   candidates ranked as the search ranks them, with class and English name.

``classes`` keeps entities of these ``pg:`` classes (subclasses included, as the built store
holds the type closure) among those a name may mean; a slug or IRI is taken as it is.

>>> from graph.query.search import LabelIndex
>>> index = LabelIndex(
...     [("kor", "Republic of Korea", "en", ("Actor", "Country")),
...      ("kor", "Korea", "en", ("Actor", "Country")),
...      ("kor", "韓国", "ja", ("Actor", "Country")),
...      ("jpn-mofa", "MOFA", "en", ("Actor", "Ministry")),
...      ("kor-mofa", "MOFA", "en", ("Actor", "Ministry"))],
...     names={"kor": "Republic of Korea", "jpn-mofa": "Ministry of Foreign Affairs of Japan",
...            "kor-mofa": "Ministry of Foreign Affairs of Korea"})
>>> resolve_in(index, "韓国"), resolve_in(index, "KOREA"), resolve_in(index, "id:kor")
('kor', 'kor', 'kor')
>>> try:
...     resolve_in(index, "mofa")
... except AmbiguousEntityError as exc:
...     print(exc)
'mofa' names 2 entities: jpn-mofa (Ministry of Foreign Affairs of Japan, Ministry), kor-mofa (Ministry of Foreign Affairs of Korea, Ministry)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.errors import PolicyGraphError, UnknownEntityError, UsageError
from graph.iris import ENTITY_BASE, SLUG_PATTERN
from graph.memo import Memo, remembered
from graph.query.search import PRINCIPAL_CLASSES, LabelIndex, SearchHit, normalise
from graph.store.port import GraphStore

__all__ = [
    "ACTORS",
    "FRAMEWORKS",
    "SECTIONS",
    "TOPICS",
    "AmbiguousEntityError",
    "Candidate",
    "EntityNameError",
    "NoSuchEntityError",
    "closest",
    "label_index",
    "resolve_each",
    "resolve_entity",
    "resolve_in",
    "specific_type",
]

#: The ``classes`` of the usual kinds of entity argument.
ACTORS = ("Actor",)
FRAMEWORKS = ("Framework",)
TOPICS = ("Topic",)
SECTIONS = ("Section", "Chapter")

#: Candidates an error names (the message says how many more there are).
MOST_CANDIDATES = 8
#: The least rapidfuzz WRatio (0–100) for a "closest match" suggestion.
SUGGEST_CUTOFF = 60.0
#: Classes too general to describe an entity when a more specific one is known, most
#: general first.
_GENERAL = ("Agent", "Concept", "Actor", "Framework", "Organization")


@dataclass(frozen=True)
class Candidate:
    """An entity a name may mean: its slug, English name, class and the label that matched."""

    slug: str
    label: str
    type: str
    matched: str

    def describe(self) -> str:
        """``slug (Name, Class)``, as errors list it."""
        details = ", ".join(part for part in (self.label, self.type) if part)
        return f"{self.slug} ({details})" if details else self.slug


class EntityNameError(PolicyGraphError):
    """A name that is not one entity: the text typed and the candidates, best first."""

    text: str
    candidates: tuple[Candidate, ...]
    #: The message without the list of candidates.
    headline: str


class AmbiguousEntityError(UsageError, EntityNameError):
    """A name fits several entities; ``candidates`` are the choices, best first."""

    def __init__(self, text: str, candidates: Iterable[Candidate]) -> None:
        self.text = text
        self.candidates = tuple(candidates)
        self.headline = f"{text!r} names {len(self.candidates)} entities"
        super().__init__(f"{self.headline}: {_listed(self)}")


class NoSuchEntityError(UnknownEntityError, EntityNameError):
    """No entity has this name or slug; ``candidates`` are the closest names (maybe none)."""

    def __init__(
        self,
        text: str,
        candidates: Iterable[Candidate],
        kind: str = "entity",
        message: str | None = None,
    ) -> None:
        self.text = text
        self.candidates = tuple(candidates)
        named = "has the slug" if SLUG_PATTERN.match(text) else "is called"
        message = self.headline = message or f"no {kind} {named} {text!r}"
        if self.candidates:
            message += f"; closest: {_listed(self)}"
        super().__init__(message)


def _listed(error: EntityNameError) -> str:
    shown = ", ".join(c.describe() for c in error.candidates[:MOST_CANDIDATES])
    more = len(error.candidates) - MOST_CANDIDATES
    return shown + (f" and {more} more" if more > 0 else "")


def label_index(store: GraphStore, memo: Memo | None = None) -> LabelIndex:
    """The label index of ``store``: kept in ``memo`` (read once), or read now without one.

    With a memo, one thread reads it while the others that need it wait (asleep): fifty
    requests arriving together at a fresh server once read it fifty times over, and the
    threads' fight for the interpreter lock held ``/healthz`` for seconds.
    """
    return remembered(memo, "label_index", lambda: LabelIndex.from_store(store))


def resolve_entity(
    store: GraphStore,
    text: str,
    *,
    classes: Collection[str] | None = None,
    memo: Memo | None = None,
) -> str:
    """The slug of the one entity ``text`` names (slug, IRI, name or alias; see module).

    Raises :class:`AmbiguousEntityError` (a :class:`~graph.errors.UsageError`: exit 2,
    HTTP 400) or :class:`NoSuchEntityError` (an :class:`~graph.errors.UnknownEntityError`:
    exit 2, HTTP 404), each with the candidates.
    """
    return resolve_in(label_index(store, memo), text, classes=classes)


def resolve_each(
    store: GraphStore,
    texts: Iterable[str],
    *,
    classes: Collection[str] | None = None,
    memo: Memo | None = None,
) -> list[str]:
    """:func:`resolve_entity` of each text, in order."""
    index = label_index(store, memo)
    return [resolve_in(index, text, classes=classes) for text in texts]


def resolve_in(index: LabelIndex, text: str, *, classes: Collection[str] | None = None) -> str:
    """:func:`resolve_entity` over an already read :class:`LabelIndex`."""
    wanted = text.strip()
    if not wanted:
        raise UsageError("an entity is needed: give its name or slug")
    kind = _kind(classes)
    slug = _as_slug(wanted)
    if slug is not None and _known(index, slug, None):
        return slug  # a slug is unambiguous: the caller checks its class if it must
    everything = index.search(wanted)
    hits = [hit for hit in everything if _fits(hit.types, classes)]
    for tier in (("exact",), ("prefix", "substring")):
        found = _unique_slugs(hit for hit in hits if hit.match in tier)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousEntityError(wanted, _candidates(index, hits, found))
        if tier == ("exact",) and classes:
            _refuse_other_class(index, wanted, everything, classes, kind)
    raise NoSuchEntityError(wanted, closest(index, wanted, classes=classes), kind)


def _refuse_other_class(
    index: LabelIndex,
    text: str,
    hits: list[SearchHit],
    classes: Collection[str],
    kind: str,
) -> None:
    """Say so when ``text`` is exactly an entity of another class than the one wanted."""
    exact = _unique_slugs(hit for hit in hits if hit.match == "exact")
    if len(exact) == 1:
        other = exact[0]
        types = tuple(t for e in index.entries if e.slug == other for t in e.types)
        found = _candidate(index, other, types, text)
        message = f"{text!r} is {other} ({found.label}), a {found.type}, not a {kind}"
        raise NoSuchEntityError(text, closest(index, text, classes=classes), kind, message)


def closest(
    index: LabelIndex, text: str, *, classes: Collection[str] | None = None, limit: int = 5
) -> list[Candidate]:
    """The entities whose names are closest to ``text`` (see :func:`_closeness`), best
    first; among equally close ones actors, frameworks and places, then the better
    connected."""
    wanted = normalise(text.replace("-", " ") if SLUG_PATTERN.match(text) else text)
    entries = [e for e in index.entries if _fits(e.types, classes)]
    matches = process.extract(
        wanted,
        [e.key for e in entries],
        scorer=_closeness,
        score_cutoff=SUGGEST_CUTOFF,
        limit=None,
    )
    best: dict[str, tuple[float, int]] = {}
    for _key, score, position in matches:
        slug = entries[position].slug
        if slug not in best or score > best[slug][0]:
            best[slug] = (score, position)

    def rank(slug: str) -> tuple[int, bool, int, str]:
        types = entries[best[slug][1]].types
        principal = not PRINCIPAL_CLASSES.isdisjoint(types)
        return (-round(best[slug][0]), not principal, -index.weights.get(slug, 0), slug)

    chosen = sorted(best, key=rank)[:limit]
    return [
        _candidate(index, s, entries[best[s][1]].types, entries[best[s][1]].label) for s in chosen
    ]


def _closeness(wanted: str, key: str, *, score_cutoff: float | None = None) -> float:
    """How close a name is to the text typed (0–100): the whole name, or one of its words
    (a little less), compared as rapidfuzz ratios — never a short name found inside the
    text ("AU" in "aukus pilar 2"), nor the text found inside a long name."""
    whole = max(fuzz.ratio(wanted, key), fuzz.token_sort_ratio(wanted, key))
    words = [w for w in key.split() if len(w) > 2]
    word = max((fuzz.ratio(wanted, w) for w in words), default=0.0) if " " not in wanted else 0.0
    score = max(whole, 0.9 * word)
    return score if score_cutoff is None or score >= score_cutoff else 0.0


def _as_slug(text: str) -> str | None:
    """The slug in an entity IRI, ``id:slug`` or a bare slug; ``None`` for anything else."""
    for prefix in (ENTITY_BASE, f"<{ENTITY_BASE}", "id:"):
        if text.startswith(prefix):
            text = text[len(prefix) :].rstrip(">")
            break
    return text if SLUG_PATTERN.match(text) else None


def _known(index: LabelIndex, slug: str, classes: Collection[str] | None) -> bool:
    types = {t for e in index.entries if e.slug == slug for t in e.types}
    if not types and slug not in index.names and slug not in index.weights:
        return False
    return _fits(tuple(types), classes)


def _fits(types: tuple[str, ...], classes: Collection[str] | None) -> bool:
    return not classes or not set(classes).isdisjoint(types)


def _unique_slugs(hits: Iterable[SearchHit]) -> list[str]:
    return list(dict.fromkeys(hit.slug for hit in hits))


def _candidates(index: LabelIndex, hits: list[SearchHit], slugs: list[str]) -> list[Candidate]:
    best = {hit.slug: hit for hit in reversed(hits)}  # the first (best) hit of each slug
    return [_candidate(index, s, best[s].types, best[s].matched) for s in slugs]


def _candidate(index: LabelIndex, slug: str, types: tuple[str, ...], matched: str) -> Candidate:
    return Candidate(slug, index.name_of(slug), specific_type(types), matched)


def specific_type(types: tuple[str, ...]) -> str:
    """The class that describes an entity best: a specific one (Country), not Actor."""
    specific = [t for t in types if t not in _GENERAL]
    general = [t for t in _GENERAL if t in types]
    return (specific or general[-1:] or [""])[0]


def _kind(classes: Collection[str] | None) -> str:
    if classes and len(classes) == 1:
        return next(iter(classes)).lower()
    return "entity"
