"""The proposal finder: a selection of facet values -> one SPARQL query, and counts.

A :class:`Selection` holds, per facet, the values chosen (entity slugs, or ``pg:`` local
names for ``ask``, ``level`` and ``status``). :func:`selection_sparql` turns it into the
SELECT a reader can open in the workbench; :func:`matching_proposals` runs the same text,
so the finder's rows and the workbench's rows are one query's answer.

Facets, and the pattern each value adds (``?proposal`` is the proposal):

=============  ==================================================================
``actor``      it involves the actor (all of them, or any with ``actors=any``)
``framework``  it concerns the framework (all, or any with ``frameworks=any``)
``member_of``  it concerns a framework the actor is a member of — today
               (``pg:memberOf``), or as of ``as_of`` from the ``pg:Membership`` nodes
               by the rule that materialises ``pg:memberOf``: a role that implies
               membership, not proposed, started by the date and not ended before it,
               of a framework not proposed, and not ended or suspended on or before it
``ask``        it asks for that (``proposesJoining`` … ``callsOn``)
``topic``      it addresses the topic
``part``       its section is part of that part (chapter) of the report
``section``    it is in that section (a chapter slug also matches its sections)
``level``      where the report states it (``pg:level``)
``status``     it concerns a framework of that status (no ``pg:status`` is ``Active``)
``document``   it has a passage (``pg:evidence/pg:inDocument``) in the document — in
               any one of the documents given
=============  ==================================================================

Dates may be years (``"2022"``) or months: they are compared at their own precision, so
a membership that started in 2022 counts all through 2022, one that ended in 2024 too,
and a framework suspended in 2020 counts as suspended from 2020-01-01.
A membership without a start date counts at any date.

Counts follow the selection: a value of a facet whose values combine with "all" counts the
proposals the whole selection keeps that also have the value; a value of an "any" or a
one-value facet counts what the selection without that facet keeps.

>>> s = Selection(actor=("jpn", "kor"), member_of=("aus",))
>>> print(constraints(s))
?proposal pg:involves id:jpn .
?proposal pg:involves id:kor .
?proposal pg:concerns ?memberFramework3 . id:aus pg:memberOf ?memberFramework3 .
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

import pyoxigraph as ox

from graph.errors import UsageError
from graph.iris import ENTITY_BASE, ONTOLOGY_NS, is_slug
from graph.memo import Memo
from graph.query.facet_index import FacetIndex, actor_memberships, bit_set
from graph.query.wording import ASK_KINDS, LEVELS
from graph.store.port import GraphStore

__all__ = [
    "FACETS",
    "STATUSES",
    "FacetCount",
    "FacetSpec",
    "Mode",
    "Selection",
    "constraints",
    "describe_selection",
    "facet_counts",
    "matching_proposals",
    "resolve_selection",
    "selection_bits",
    "selection_sparql",
]

#: The longest value a facet takes (a name or a slug).
MOST_CHARACTERS = 200

#: The ``pg:`` classes the values of each entity facet are names of.
ENTITY_CLASSES: dict[str, tuple[str, ...]] = {
    "actor": ("Actor",),
    "framework": ("Framework",),
    "member_of": ("Actor",),
    "topic": ("Topic",),
    "part": ("Chapter",),
    "section": ("Section", "Chapter"),
}

Mode = Literal["all", "any"]

#: The values ``status`` takes, in the order of a framework's life.
STATUSES = ("Proposed", "Active", "Suspended", "Ended")


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its URL parameter, what a page calls it, and the pattern of a value.

    ``pattern`` has ``{v}`` for the value's term and ``{n}`` for a number that keeps the
    helper variables of two values apart; ``count`` is the pattern that binds ``?value``
    (by default ``pattern`` with ``?value`` for ``{v}``).
    """

    name: str
    title: str
    pattern: str
    #: ``entity``: values are slugs; ``term``: ``pg:`` local names from ``terms``.
    kind: Literal["entity", "term"] = "entity"
    terms: tuple[str, ...] = ()
    #: Several values at once (else a page offers one).
    multi: bool = True
    #: The reader picks "all of them" or "any of them" (else ``combine``).
    has_mode: bool = False
    #: How several values combine when the reader does not pick.
    combine: Mode = "all"
    count: str | None = None

    def match(self, value: str, n: int) -> str:
        """The pattern for one value term (``id:kor``, ``pg:Proposed`` or ``?v1``)."""
        return self.pattern.format(v=value, n=n)

    def counting(self, n: int) -> str:
        """The pattern that binds ``?value`` to each value a proposal has."""
        return (self.count or self.pattern).format(v="?value", n=n)


_ASKS = " ".join(f"pg:{kind}" for kind in ASK_KINDS)
_MEMBER_AS_OF = """\
?proposal pg:concerns ?memberFramework{n} .
?membership{n} a pg:Membership ; pg:member {v} ; pg:framework ?memberFramework{n} .
OPTIONAL {{ ?membership{n} pg:role ?role{n} }}
FILTER (!BOUND(?role{n}) || EXISTS {{ ?role{n} pg:impliesMembership true }})
FILTER NOT EXISTS {{ ?membership{n} pg:status ?state{n} FILTER (?state{n} NOT IN (pg:Active, pg:Ended)) }}
FILTER NOT EXISTS {{ ?membership{n} pg:status pg:Ended FILTER NOT EXISTS {{ ?membership{n} pg:endDate ?anyEnd{n} }} }}
FILTER NOT EXISTS {{ ?membership{n} pg:startDate ?start{n} FILTER (STR(?start{n}) > SUBSTR("{d}", 1, STRLEN(STR(?start{n})))) }}
FILTER NOT EXISTS {{ ?membership{n} pg:endDate ?end{n} FILTER (STR(?end{n}) < SUBSTR("{d}", 1, STRLEN(STR(?end{n})))) }}
FILTER NOT EXISTS {{ ?memberFramework{n} pg:status pg:Proposed }}
FILTER NOT EXISTS {{ ?memberFramework{n} pg:status ?life{n} FILTER (?life{n} IN (pg:Ended, pg:Suspended)) FILTER NOT EXISTS {{ ?memberFramework{n} pg:endedOn|pg:suspendedOn ?lifeDate{n} }} }}
FILTER NOT EXISTS {{ ?memberFramework{n} pg:endedOn ?ended{n} FILTER (STR(?ended{n}) <= SUBSTR("{d}", 1, STRLEN(STR(?ended{n})))) }}
FILTER NOT EXISTS {{ ?memberFramework{n} pg:status pg:Suspended ; pg:suspendedOn ?suspended{n} FILTER (STR(?suspended{n}) <= SUBSTR("{d}", 1, STRLEN(STR(?suspended{n})))) }}"""

#: The facets, in the order a page shows them.
FACETS: dict[str, FacetSpec] = {
    spec.name: spec
    for spec in (
        FacetSpec("actor", "Actors", "?proposal pg:involves {v} .", has_mode=True),
        FacetSpec(
            "member_of",
            "Concerns a framework this actor belongs to",
            "?proposal pg:concerns ?memberFramework{n} . {v} pg:memberOf ?memberFramework{n} .",
        ),
        FacetSpec("framework", "Frameworks", "?proposal pg:concerns {v} .", has_mode=True),
        FacetSpec(
            "ask",
            "Asks to",
            "?proposal {v} ?asked{n} .",
            kind="term",
            terms=tuple(ASK_KINDS),
            count=f"?proposal ?value ?asked{{n}} . VALUES ?value {{{{ {_ASKS} }}}}",
        ),
        FacetSpec("topic", "Topics", "?proposal pg:addresses {v} ."),
        FacetSpec(
            "part",
            "Part",
            "?proposal pg:inSection/pg:partOf {v} .",
            multi=False,
            count="?proposal pg:inSection/pg:partOf ?value . ?value a pg:Chapter .",
        ),
        FacetSpec(
            "section",
            "Section",
            "?proposal pg:inSection/pg:partOf* {v} .",
            multi=False,
            count="?proposal pg:inSection ?value .",
        ),
        FacetSpec(
            "level",
            "Level",
            "?proposal pg:level {v} .",
            kind="term",
            terms=tuple(LEVELS),
            multi=False,
        ),
        FacetSpec(
            "status",
            "Concerns a framework that is",
            "?proposal pg:concerns ?statusFramework{n} . ?statusFramework{n} a pg:Framework . "
            "OPTIONAL {{ ?statusFramework{n} pg:status ?status{n} }} "
            "FILTER (COALESCE(?status{n}, pg:Active) = {v})",
            kind="term",
            terms=STATUSES,
            multi=False,
            count="?proposal pg:concerns ?statusFramework{n} . "
            "?statusFramework{n} a pg:Framework . "
            "OPTIONAL {{ ?statusFramework{n} pg:status ?status{n} }} "
            # VALUES, not BIND (… AS ?value): Virtuoso 7 loses a bound ?value in an OPTIONAL
            "VALUES ?value {{ pg:Proposed pg:Active pg:Suspended pg:Ended }} "
            "FILTER (COALESCE(?status{n}, pg:Active) = ?value)",
        ),
        FacetSpec(
            "document",
            "Documents",
            "?proposal pg:evidence/pg:inDocument {v} .",
            combine="any",
        ),
    )
}


@dataclass(frozen=True)
class Selection:
    """The values chosen per facet, how actors and frameworks combine, and the date of
    ``member_of``."""

    actor: tuple[str, ...] = ()
    framework: tuple[str, ...] = ()
    member_of: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    part: tuple[str, ...] = ()
    section: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    document: tuple[str, ...] = ()
    actors: Mode = "all"
    frameworks: Mode = "all"
    as_of: date | None = None

    def values(self, facet: str) -> tuple[str, ...]:
        """The values chosen for ``facet``."""
        chosen: tuple[str, ...] = getattr(self, facet)
        return chosen

    def mode(self, facet: str) -> Mode:
        """How the values of ``facet`` combine."""
        if facet == "actor":
            return self.actors
        if facet == "framework":
            return self.frameworks
        return FACETS[facet].combine if facet in FACETS else "all"

    def without(self, facet: str, value: str | None = None) -> Selection:
        """This selection without ``value`` for ``facet`` (without any, by default)."""
        kept = tuple(v for v in self.values(facet) if value is not None and v != value)
        return replace(self, **{facet: kept})  # type: ignore[arg-type]

    def is_empty(self) -> bool:
        """Whether nothing is chosen."""
        return not any(self.values(name) for name in FACETS)

    def params(self) -> list[tuple[str, str]]:
        """The selection as URL parameters (a permalink), in the order of :data:`FACETS`."""
        found = [(name, value) for name in FACETS for value in self.values(name)]
        if self.actors != "all" and self.actor:
            found.append(("actors", self.actors))
        if self.frameworks != "all" and self.framework:
            found.append(("frameworks", self.frameworks))
        if self.as_of and self.member_of:
            found.append(("as_of", self.as_of.isoformat()))
        return found

    def param_dict(self) -> dict[str, str | list[str]]:
        """:meth:`params` as a dict: a repeated parameter's values as a list."""
        found: dict[str, list[str]] = {}
        for key, value in self.params():
            found.setdefault(key, []).append(value)
        return {key: values[0] if len(values) == 1 else values for key, values in found.items()}

    def checked(self) -> Selection:
        """This selection after checking every value (entity values are names or slugs,
        made slugs by :func:`resolve_selection`).

        :raises UsageError: a value is too long, or not one of its facet's terms.
        """
        for name, spec in FACETS.items():
            for value in self.values(name):
                if len(value) > MOST_CHARACTERS:
                    raise UsageError(f"{name}: a value is longer than {MOST_CHARACTERS} characters")
                if spec.kind == "term" and value not in spec.terms:
                    raise UsageError(f"{name}: {value!r} is not one of {', '.join(spec.terms)}")
        return self

    @classmethod
    def of(cls, params: Mapping[str, Sequence[str]], as_of: date | None = None) -> Selection:
        """A selection from URL parameters (each a list of values), checked.

        :raises UsageError: as :meth:`checked`, or a mode is neither ``all`` nor ``any``.
        """
        modes: dict[str, Mode] = {}
        for key in ("actors", "frameworks"):
            given = list(params.get(key, ()))
            mode = given[-1] if given else "all"
            if mode not in ("all", "any"):
                raise UsageError(f"{key}: {mode!r} is neither 'all' nor 'any'")
            modes[key] = "any" if mode == "any" else "all"
        chosen = {
            name: tuple(dict.fromkeys(v.strip() for v in params.get(name, ()) if v.strip()))
            for name in FACETS
        }
        return cls(**chosen, **modes, as_of=as_of).checked()  # type: ignore[arg-type]


#: How a sentence words each facet: (after "proposals that …", in a title "proposals …").
_PHRASES = {
    "actor": ("involve {}", "involving {}"),
    "framework": ("concern {}", "concerning {}"),
    "member_of": ("concern a framework {} belongs to", "concerning a framework {} belongs to"),
    "ask": ("ask to {}", "asking to {}"),
    "topic": ("address {}", "addressing {}"),
    "part": ("are in {}", "in {}"),
    "section": ("are in {}", "in {}"),
    "level": ("are stated as {}", "stated as {}"),
    "status": ("concern a framework that is {}", "concerning a framework that is {}"),
    "document": ("have a passage in {}", "with a passage in {}"),
}


def describe_selection(
    selection: Selection, name_of: Callable[[str, str], str], *, title: bool = False
) -> list[str]:
    """``selection`` in words, one phrase per facet ("involve Japan and Korea"), or for a
    title ("involving Japan and Korea"); ``name_of(facet, value)`` names a value.

    >>> describe_selection(Selection(actor=("jpn", "kor"), actors="any", member_of=("aus",)),
    ...                    lambda facet, value: value.upper())
    ['involve JPN or KOR', 'concern a framework AUS belongs to (today)']
    """
    phrases = []
    for name in FACETS:
        names = [name_of(name, value) for value in selection.values(name)]
        if not names:
            continue
        phrase = _PHRASES[name][1 if title else 0]
        if name == "member_of":
            when = f"as of {selection.as_of.isoformat()}" if selection.as_of else "today"
            phrases += [f"{phrase.format(n)} ({when})" for n in names]
            continue
        joiner = " or " if selection.mode(name) == "any" else " and "
        phrases.append(phrase.format(joiner.join(names)))
    return phrases


def resolve_selection(
    store: GraphStore, selection: Selection, memo: Memo | None = None
) -> Selection:
    """``selection`` with every entity value (a name in English, Japanese or Korean, an
    alias or a slug) made the slug of the entity it names, among its facet's classes; a
    chapter given as a section becomes a part; a document value must name a document.

    :raises EntityNameError: a value names several entities or none (its ``text`` is the
        value; its ``candidates`` the choices).
    """
    from graph.query.in_documents import resolve_documents
    from graph.query.resolve import resolve_entity

    changes: dict[str, tuple[str, ...]] = {}
    for name, classes in ENTITY_CLASSES.items():
        if values := selection.values(name):
            slugs = (resolve_entity(store, value, classes=classes, memo=memo) for value in values)
            changes[name] = tuple(dict.fromkeys(slugs))
    # A chapter given as a section (as the home page's outline links it) is a part.
    chapters = tuple(slug for slug in changes.get("section", ()) if _is_chapter(store, slug))
    if chapters:
        changes["section"] = tuple(s for s in changes["section"] if s not in chapters)
        changes["part"] = tuple(dict.fromkeys((*changes.get("part", ()), *chapters)))
    if documents := selection.values("document"):
        changes["document"] = resolve_documents(store, documents, memo)
    return replace(selection, **changes)  # type: ignore[arg-type]


def _is_chapter(store: GraphStore, slug: str) -> bool:
    return bool(store.query(f"ASK {{ {_term(FACETS['section'], slug)} a pg:Chapter }}"))


def _term(spec: FacetSpec, value: str) -> str:
    if spec.kind == "entity":
        if not is_slug(value):  # never spliced: names go through resolve_selection first
            raise UsageError(f"{value!r} is not a slug (lowercase kebab-case)")
        return f"id:{value}"
    return f"pg:{value}"


def _spec(name: str, selection: Selection) -> FacetSpec:
    spec = FACETS[name]
    if name == "member_of" and selection.as_of is not None:
        day = selection.as_of.isoformat()
        return replace(spec, pattern=_MEMBER_AS_OF.replace("{d}", day))
    return spec


def constraints(selection: Selection) -> str:
    """The graph patterns of ``selection``, one line per value (or per "any" group)."""
    lines: list[str] = []
    n = 0
    for name in FACETS:
        values = selection.values(name)
        if not values:
            continue
        spec = _spec(name, selection)
        terms = [_term(spec, v) for v in values]
        if selection.mode(name) == "any" and len(terms) > 1:
            n += 1
            lines.append(
                f"VALUES ?{name}{n} {{ {' '.join(terms)} }} {spec.match(f'?{name}{n}', n)}"
            )
            continue
        for term in terms:
            n += 1
            lines.append(spec.match(term, n))
    return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else line for line in text.splitlines())


def selection_sparql(selection: Selection) -> str:
    """The SELECT whose rows are the proposals of ``selection`` with their English labels,
    with its prefixes, as a reader would write it in the workbench."""
    body = constraints(selection)
    return (
        f"PREFIX pg: <{ONTOLOGY_NS}>\n"
        f"PREFIX id: <{ENTITY_BASE}>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT DISTINCT ?proposal ?label WHERE {\n"
        "    ?proposal a pg:Proposal .\n"
        + (_indent(body) + "\n" if body else "")
        + '    OPTIONAL { ?proposal rdfs:label ?label FILTER (langMatches(lang(?label), "en")) }\n'
        "}\nORDER BY ?proposal"
    )


def _select(store: GraphStore, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return result


def matching_proposals(store: GraphStore, selection: Selection) -> list[str]:
    """The slugs of the proposals ``selection`` keeps, by slug (the workbench query's rows).

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:p1 a pg:Proposal ; pg:involves id:jpn, id:kor .'
    ...          ' id:p2 a pg:Proposal ; pg:involves id:kor } }')
    >>> matching_proposals(s, Selection(actor=("jpn", "kor")))
    ['p1']
    >>> matching_proposals(s, Selection(actor=("jpn", "kor"), actors="any"))
    ['p1', 'p2']
    """
    rows = _select(store, selection_sparql(selection))
    found: dict[str, None] = {}
    for row in rows:
        node = row["proposal"]
        if isinstance(node, ox.NamedNode) and node.value.startswith(ENTITY_BASE):
            found.setdefault(node.value[len(ENTITY_BASE) :])
    return list(found)


@dataclass(frozen=True)
class FacetCount:
    """A value of a facet (a slug or a ``pg:`` local name), its English label if it has
    one, and how many proposals choosing it would give."""

    value: str
    label: str | None
    count: int


def _local(node: ox.NamedNode) -> str | None:
    for base in (ENTITY_BASE, ONTOLOGY_NS):
        if node.value.startswith(base):
            return node.value[len(base) :]
    return None


def selection_bits(store: GraphStore, selection: Selection, index: FacetIndex) -> int:
    """The proposals ``selection`` keeps, as a bit set of ``index``'s numbers: the rows of
    :func:`matching_proposals`, from the sets each value keeps.

    :raises UsageError: an entity value is not a slug (as :func:`constraints`).
    """
    kept = index.everything
    for name in FACETS:
        values = selection.values(name)
        if not values:
            continue
        spec = _spec(name, selection)
        for value in values:
            _term(spec, value)  # refused as the query refuses it
        day = selection.as_of.isoformat() if name == "member_of" and selection.as_of else ""
        sets = [index.selected_by(store, name, value, day) for value in values]
        if selection.mode(name) == "any":
            union = 0
            for found in sets:
                union |= found
            kept &= union
        else:
            for found in sets:
                kept &= found
    return kept


def facet_counts(
    store: GraphStore, selection: Selection, name: str, index: FacetIndex | None = None
) -> list[FacetCount]:
    """The values of the facet ``name`` and their counts under ``selection``, most first.

    A chosen value that no proposal has still comes back (with 0), so a page can show it.
    With the store's ``index`` (:class:`~graph.query.facet_index.FacetIndex`) the counts
    are bits counted in Python, not a query: the same numbers.
    """
    spec = _spec(name, selection)
    base = selection if spec.multi and selection.mode(name) == "all" else selection.without(name)
    if index is not None and not (name == "member_of" and selection.as_of is not None):
        return _ranked(_indexed_counts(store, base, name, index), selection, name)
    if name == "member_of" and selection.as_of is None:
        return _ranked(_member_of_counts(store, base), selection, name)
    # An ingested document may have a title in its own language only.
    named = name == "document"
    other = "\n    OPTIONAL { ?value rdfs:label ?other }" if named else ""
    label = "COALESCE(?l, ?other)" if named else "?l"
    sparql = (
        f"SELECT ?value (COUNT(DISTINCT ?proposal) AS ?n) (SAMPLE({label}) AS ?label) WHERE {{\n"
        "    ?proposal a pg:Proposal .\n"
        + _indent(constraints(base))
        + "\n    "
        + spec.counting(99)
        + '\n    OPTIONAL { ?value rdfs:label ?l FILTER (langMatches(lang(?l), "en")) }'
        + other
        + "\n} GROUP BY ?value"
    )
    counts: list[FacetCount] = []
    for row in _select(store, sparql):
        node, n, label = row["value"], row["n"], row["label"]
        if not isinstance(node, ox.NamedNode) or (value := _local(node)) is None:
            continue
        if spec.kind == "term" and value not in spec.terms:
            continue
        text = label.value if isinstance(label, ox.Literal) else None
        counts.append(FacetCount(value, text, int(n.value) if n is not None else 0))
    return _ranked(counts, selection, name)


def _indexed_counts(
    store: GraphStore, base: Selection, name: str, index: FacetIndex
) -> list[FacetCount]:
    """The facet's counts under ``base``: the bits each value shares with ``base``'s."""
    within = selection_bits(store, base, index)
    values = index.facets[name]
    found = index.counts(name, within)
    return [FacetCount(v, values.labels.get(v), n) for v, n in found.items() if n]


def _ranked(counts: list[FacetCount], selection: Selection, name: str) -> list[FacetCount]:
    """``counts`` with the chosen values no proposal has (0), most first, then by name,
    then by value (two sections of many reports share a name)."""
    seen = {c.value for c in counts}
    counts += [FacetCount(v, None, 0) for v in selection.values(name) if v not in seen]
    return sorted(counts, key=lambda c: (-c.count, (c.label or c.value).casefold(), c.value))


_CONCERNED = """SELECT ?proposal ?concernedFramework WHERE {{
    ?proposal a pg:Proposal .
{constraints}
    ?proposal pg:concerns ?concernedFramework .
}}"""


def _member_of_counts(store: GraphStore, base: Selection) -> list[FacetCount]:
    """The ``member_of`` facet's counts under ``base``: for each actor, the proposals that
    concern a framework it is a member of.

    The same counts as the facet's SPARQL, counted here: the engine joined every proposal
    with every member of each framework it concerns (at 1M triples, 91 CPU s for the
    unfiltered page). Each framework's proposals are a bit set; an actor's count is the
    number of bits in the union of its frameworks' sets.
    """
    proposals: dict[str, int] = {}
    concerned: dict[str, list[int]] = {}
    for row in _select(store, _CONCERNED.format(constraints=_indent(constraints(base)))):
        number = proposals.setdefault(row["proposal"].value, len(proposals))
        concerned.setdefault(row["concernedFramework"].value, []).append(number)
    bits = {framework: bit_set(numbers) for framework, numbers in concerned.items()}
    frameworks, labels = actor_memberships(store)
    counts: list[FacetCount] = []
    for value, theirs in frameworks.items():
        union = 0
        for framework in theirs:
            union |= bits.get(framework, 0)
        if union:
            counts.append(FacetCount(value, labels.get(value), union.bit_count()))
    return counts
