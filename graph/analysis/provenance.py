"""What the projection leaves out and the views show: evidence, membership roles, labels.

The projection keeps entity-to-entity edges only. The report's facts also live on n-ary
nodes (``pg:Membership`` with a role and dates, ``pg:Affiliation`` with a position) and on
``pg:Passage`` nodes (a line range and a quote). This module reads them in a few queries.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('''INSERT DATA { GRAPH <urn:g> {
...   id:kor rdfs:label "한국"@ko .
...   [] a pg:Membership ; pg:member id:kor ; pg:framework id:msp ; pg:role pg:Chair ;
...      pg:evidence [ a pg:Passage ; pg:lineStart 3 ; pg:lineEnd 4 ; pg:quote "MSP議長" ] .
... } }''')
>>> found = read_provenance(s)
>>> [(m.member, m.framework, m.role, m.evidence[0].lines) for m in found.memberships]
[('kor', 'msp', 'Chair', '3–4')]
>>> found.memberships[0].evidence[0].in_report  # a passage that names no document
True
>>> found.labels_ko
{'kor': '한국'}
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import pyoxigraph as ox

from graph.document_language import document_languages, quote_language
from graph.iris import ENTITY_BASE, ONTOLOGY_NS
from graph.query.membership_facts import MEMBERSHIP_FACTS
from graph.store.port import GraphStore

T = TypeVar("T")

__all__ = [
    "REPORT_SLUG",
    "STATED_BY_SUBJECT",
    "Affiliation",
    "DocumentName",
    "Evidence",
    "Membership",
    "Provenance",
    "labels_in",
    "read_provenance",
]

#: Relations whose evidence is their subject's: a proposal's passages state whom it involves,
#: what it concerns and addresses, and where it stands in the report (or which ingested
#: document it comes from).
STATED_BY_SUBJECT = frozenset({"involves", "concerns", "addresses", "inSection", "inDocument"})

#: The report's slug: its passages keep the report's own wording in captions and tooltips;
#: a passage in any other document is credited to that document by its title.
REPORT_SLUG = "jkvg2025"

# Every evidence link: the holder (an entity or an n-ary node) and a pg:Passage of a
# document or, for background facts, a pg:Document describing an outside source.
_EVIDENCE = """
SELECT ?h ?e ?start ?end ?quote ?document ?source ?asOf WHERE {
    ?h pg:evidence ?e .
    OPTIONAL { ?e pg:inDocument ?document }
    OPTIONAL { ?e pg:lineStart ?start }
    OPTIONAL { ?e pg:lineEnd ?end }
    OPTIONAL { ?e pg:quote ?quote }
    OPTIONAL { ?e rdfs:label ?source FILTER (LANG(?source) = "en") }
    OPTIONAL { ?e pg:asOf ?asOf }
}
"""

# The titles of the documents (the report, ingested ones, outside sources), in each language.
_TITLES = f"""
SELECT ?document ?title WHERE {{
    ?document a pg:Document ; rdfs:label ?title .
    FILTER (STRSTARTS(STR(?document), "{ENTITY_BASE}"))
}}
"""

_AFFILIATIONS = """
SELECT ?a ?person ?org ?position ?former WHERE {
    ?a a pg:Affiliation ; pg:person ?person ; pg:organization ?org .
    OPTIONAL { ?a pg:position ?position FILTER (LANG(?position) = "en") }
    OPTIONAL { ?a pg:former ?former }
}
"""

# The language written in (a literal); whether ?x is an entity is asked in Python: the
# engine's STRSTARTS(STR(?x), …) on every label was two thirds of the query at 1M triples.
_LABELS = "SELECT ?x ?label WHERE {{ ?x rdfs:label ?label FILTER (LANG(?label) = {0}) }}"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A passage of a document (line range and quote) or an outside source."""

    line_start: int | None = None
    line_end: int | None = None
    quote: str = ""
    #: The outside source's English label, for background facts.
    source: str = ""
    #: The day an outside source's fact held.
    as_of: str = ""
    #: The slug of the document the passage is in (``pg:inDocument``); empty when it names
    #: none (the report's passages in older data).
    document: str = ""

    @property
    def in_report(self) -> bool:
        """Whether this is a passage of the report (:data:`REPORT_SLUG`, or no document)."""
        return self.line_start is not None and self.document in ("", REPORT_SLUG)

    def sort_key(self) -> tuple[bool, bool, str, int, int, str, str, str]:
        """Passages first — the report's, then other documents' by slug — by line; then
        outside sources by name and date (every field: equal keys, equal evidence)."""
        return (
            self.line_start is None,
            not self.in_report,
            self.document,
            self.line_start or 0,
            self.line_end or 0,
            self.quote,
            self.source,
            self.as_of,
        )

    @property
    def lines(self) -> str:
        """The line range as text (``"14"``, ``"361–363"``), empty for an outside source."""
        if self.line_start is None:
            return ""
        if self.line_end is None or self.line_end == self.line_start:
            return str(self.line_start)
        return f"{self.line_start}–{self.line_end}"


@dataclass(frozen=True)
class DocumentName:
    """A document's titles (``rdfs:label``), by language, to credit its passages with.

    >>> note = DocumentName("note", (("ja", "試験用メモ"),))
    >>> note.title("ko"), DocumentName("x").title("en")
    ('試験用メモ', 'x')
    """

    slug: str
    #: ``(language, title)`` pairs, sorted.
    titles: tuple[tuple[str, str], ...] = ()

    def title(self, lang: str) -> str:
        """The title in ``lang``, else in English, else its only (or first) one, else the slug."""
        found = dict(self.titles)
        return found.get(lang) or found.get("en") or next(iter(found.values()), self.slug)


@dataclass(frozen=True, slots=True)
class Membership:
    """A ``pg:Membership`` node: who belongs to what, in which role, since when, and why."""

    member: str
    framework: str
    role: str | None = None
    start: str | None = None
    end: str | None = None
    evidence: tuple[Evidence, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Affiliation:
    """A ``pg:Affiliation`` node: a person's position in an organisation."""

    person: str
    organization: str
    position: str | None = None
    former: bool = False
    evidence: tuple[Evidence, ...] = field(default=())


@dataclass(frozen=True)
class Provenance:
    """Evidence, memberships, affiliations and extra labels of one store."""

    #: The evidence of every entity that has some (proposals above all), sorted by line.
    evidence: dict[str, tuple[Evidence, ...]]
    #: Every membership between two entities, ordered by member, framework, role.
    memberships: list[Membership]
    #: Every affiliation of a person with an organisation, ordered by person, organisation.
    affiliations: list[Affiliation]
    #: Every entity's Korean label.
    labels_ko: dict[str, str]
    #: The titles of every document, by slug.
    documents: dict[str, DocumentName] = field(default_factory=dict)
    #: The language each document states (``dcterms:language``), by document IRI.
    languages: dict[str, str] = field(default_factory=dict)

    def document(self, slug: str) -> DocumentName:
        """The titles of the document ``slug`` (none known: it is named by its slug)."""
        return self.documents.get(slug) or DocumentName(slug)

    def title_of(self, e: Evidence, lang: str = "en") -> str:
        """The title in ``lang`` of the document of a passage not in the report; else empty."""
        if e.line_start is None or e.in_report:
            return ""
        return self.document(e.document).title(lang)

    def language_of(self, e: Evidence) -> str:
        """The language of a passage's quote: its document's (:mod:`graph.document_language`).

        >>> p = Provenance({}, [], [], {}, languages={ENTITY_BASE + "n": "en"})
        >>> p.language_of(Evidence(3, 3, "a quote", document="n")), p.language_of(Evidence(3, 3))
        ('en', 'ja')
        """
        return quote_language(self.languages, ENTITY_BASE + e.document if e.document else None)

    def place(self, e: Evidence, lang: str = "en") -> str:
        """Where a passage is, in English: "report, line 3", "A note, lines 4–5" (its title
        in ``lang``); empty for an outside source.

        >>> p = Provenance({}, [], [], {}, {"n": DocumentName("n", (("en", "A note"),))})
        >>> p.place(Evidence(3, 3)), p.place(Evidence(4, 5, document="n")), p.place(Evidence())
        ('report, line 3', 'A note, lines 4–5', '')
        """
        if e.line_start is None:
            return ""
        where = "line" if e.line_start == (e.line_end or e.line_start) else "lines"
        return f"{self.title_of(e, lang) or 'report'}, {where} {e.lines}"

    def relation_evidence(self, source: str, predicate: str, target: str) -> tuple[Evidence, ...]:
        """The evidence of the relation ``source predicate target`` (``pg:`` local name).

        A proposal's relations (:data:`STATED_BY_SUBJECT`) have the proposal's passages;
        ``memberOf`` the evidence of every membership of the pair (the report's passages and
        the outside sources of background members), ``affiliatedWith`` that of the
        affiliations; any other relation none. Sorted, without duplicates.

        >>> p = Provenance(evidence={"p": (Evidence(3, 3, "q"),)}, memberships=[
        ...     Membership("kor", "msp", evidence=(Evidence(source="MSP site"),))],
        ...     affiliations=[], labels_ko={})
        >>> p.relation_evidence("p", "involves", "kor")[0].lines
        '3'
        >>> p.relation_evidence("kor", "memberOf", "msp")[0].source
        'MSP site'
        >>> p.relation_evidence("kor", "partOf", "msp")
        ()
        """
        if predicate in STATED_BY_SUBJECT:
            return self.evidence.get(source, ())
        if predicate == "memberOf":
            return self._pair_evidence[0].get((source, target), ())
        if predicate == "affiliatedWith":
            return self._pair_evidence[1].get((source, target), ())
        return ()

    @functools.cached_property
    def _pair_evidence(
        self,
    ) -> tuple[
        dict[tuple[str, str], tuple[Evidence, ...]], dict[tuple[str, str], tuple[Evidence, ...]]
    ]:
        members: dict[tuple[str, str], set[Evidence]] = {}
        for m in self.memberships:
            members.setdefault((m.member, m.framework), set()).update(m.evidence)
        affiliations: dict[tuple[str, str], set[Evidence]] = {}
        for a in self.affiliations:
            affiliations.setdefault((a.person, a.organization), set()).update(a.evidence)
        return (
            {k: tuple(sorted(v, key=Evidence.sort_key)) for k, v in members.items()},
            {k: tuple(sorted(v, key=Evidence.sort_key)) for k, v in affiliations.items()},
        )


def read_provenance(store: GraphStore) -> Provenance:
    """Read evidence, memberships, affiliations, Korean labels and documents' titles and
    languages in six queries.

    The n-ary nodes are blank nodes; their evidence is joined to them by the blank node's
    identifier, which is stable within one store.
    """
    # One object for equal values: a passage cited by many holders, a slug, a date or a
    # line number named in many rows (at millions of triples, hundreds of megabytes held
    # once instead of per row). Numbers apart: ``1 == True`` would give one for the other.
    shared: dict[object, object] = {}
    numbers: dict[int, int] = {}

    def once(value: T) -> T:
        if isinstance(value, int):
            return numbers.setdefault(value, value)  # type: ignore[return-value]
        return shared.setdefault(value, value)  # type: ignore[return-value]

    by_holder: dict[str, set[Evidence]] = {}
    for row in _select(store, _EVIDENCE):
        by_holder.setdefault(str(row["h"]), set()).add(once(_evidence(row, once)))

    def evidence_of(holder: object) -> tuple[Evidence, ...]:
        return tuple(sorted(by_holder.get(str(holder), ()), key=Evidence.sort_key))

    members: dict[str, Membership] = {}
    for row in _select(store, MEMBERSHIP_FACTS):
        member, framework = _slug(row["member"]), _slug(row["framework"])
        if member is not None and framework is not None:
            member, framework = once(member), once(framework)
            members.setdefault(
                str(row["m"]),
                Membership(
                    member=member,
                    framework=framework,
                    role=once(_local(row["role"])),
                    start=once(_text(row["from"])),
                    end=once(_text(row["until"])),
                    evidence=evidence_of(row["m"]),
                ),
            )
    affiliated: dict[str, Affiliation] = {}
    for row in _select(store, _AFFILIATIONS):
        person, org = _slug(row["person"]), _slug(row["org"])
        if person is not None and org is not None:
            person, org = once(person), once(org)
            affiliated.setdefault(
                str(row["a"]),
                Affiliation(
                    person=person,
                    organization=org,
                    position=once(_text(row["position"])),
                    former=_text(row["former"]) in ("true", "1"),
                    evidence=evidence_of(row["a"]),
                ),
            )
    entities = {
        holder[1 + len(ENTITY_BASE) : -1]: tuple(sorted(items, key=Evidence.sort_key))
        for holder, items in by_holder.items()
        if holder.startswith("<" + ENTITY_BASE)
    }
    return Provenance(
        evidence=dict(sorted(entities.items())),
        memberships=sorted(
            members.values(),
            key=lambda m: (
                m.member,
                m.framework,
                m.role or "",
                m.start or "",
                m.end or "",
                [e.sort_key() for e in m.evidence],
            ),
        ),
        affiliations=sorted(
            affiliated.values(),
            key=lambda a: (
                a.person,
                a.organization,
                a.position or "",
                a.former,
                [e.sort_key() for e in a.evidence],
            ),
        ),
        labels_ko=labels_in(store, "ko"),
        documents=_document_names(store),
        languages=document_languages(store),
    )


def _document_names(store: GraphStore) -> dict[str, DocumentName]:
    titles: dict[str, set[tuple[str, str]]] = {}
    for row in _select(store, _TITLES):
        slug = row["document"].value[len(ENTITY_BASE) :]
        titles.setdefault(slug, set()).add((row["title"].language or "", row["title"].value))
    return {slug: DocumentName(slug, tuple(sorted(found))) for slug, found in titles.items()}


def labels_in(store: GraphStore, lang: str) -> dict[str, str]:
    """Every entity's label in ``lang`` (the smallest, where there are several)."""
    found: dict[str, str] = {}
    for row in _select(store, _LABELS.format(ox.Literal(lang))):
        if not isinstance(row["x"], ox.NamedNode) or not row["x"].value.startswith(ENTITY_BASE):
            continue
        slug = row["x"].value[len(ENTITY_BASE) :]
        label = row["label"].value
        if slug not in found or label < found[slug]:
            found[slug] = label
    return found


def _select(
    store: GraphStore, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None
) -> ox.QuerySolutions:
    solutions = store.query(sparql, bindings=bindings)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


class _Once(Protocol):
    """The one object held for a value equal to ``value`` (see :func:`read_provenance`)."""

    def __call__(self, value: T, /) -> T: ...


def _evidence(row: ox.QuerySolution, once: _Once) -> Evidence:
    start, end = _text(row["start"]), _text(row["end"])
    return Evidence(
        line_start=once(int(start)) if start and start.isdigit() else None,
        line_end=once(int(end)) if end and end.isdigit() else None,
        quote=once(_text(row["quote"]) or ""),
        source=once(_text(row["source"]) or ""),
        as_of=once(_text(row["asOf"]) or ""),
        document=once(_slug(row["document"]) or ""),
    )


def _slug(term: object) -> str | None:
    if isinstance(term, ox.NamedNode) and term.value.startswith(ENTITY_BASE):
        return term.value[len(ENTITY_BASE) :]
    return None


def _local(term: object) -> str | None:
    if isinstance(term, ox.NamedNode) and term.value.startswith(ONTOLOGY_NS):
        return term.value[len(ONTOLOGY_NS) :]
    return None


def _text(term: object) -> str | None:
    if isinstance(term, ox.Literal | ox.NamedNode):
        return term.value
    return None
