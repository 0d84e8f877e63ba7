"""The report's outline: its chapters (parts) and their sections, with proposal counts.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:c1 a pg:Chapter ; rdfs:label "One"@en ;'
...          ' pg:order 1 . id:s1 a pg:Section ; rdfs:label "First"@en ; pg:partOf id:c1 ;'
...          ' pg:order 1 . id:p a pg:Proposal ; pg:inSection id:s1 } }')
>>> [(c.slug, c.proposals, [(x.slug, x.proposals) for x in c.sections]) for c in report_outline(s)]
[('c1', 1, [('s1', 1)])]
"""

from __future__ import annotations

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.iris import ENTITY_BASE
from graph.query.terms import text_of
from graph.store.port import GraphStore

__all__ = ["OutlineChapter", "OutlineSection", "report_outline", "section_ancestors"]

_OUTLINE = """
SELECT DISTINCT ?c ?cLabel ?cJa ?cOrder ?s ?sLabel ?sJa ?sOrder WHERE {
    ?c a pg:Chapter .
    OPTIONAL { ?c rdfs:label ?cLabel FILTER (langMatches(lang(?cLabel), "en")) }
    OPTIONAL { ?c rdfs:label ?cJa FILTER (langMatches(lang(?cJa), "ja")) }
    OPTIONAL { ?c pg:order ?cOrder }
    OPTIONAL {
        ?s a pg:Section ; pg:partOf ?c .
        OPTIONAL { ?s rdfs:label ?sLabel FILTER (langMatches(lang(?sLabel), "en")) }
        OPTIONAL { ?s rdfs:label ?sJa FILTER (langMatches(lang(?sJa), "ja")) }
        OPTIONAL { ?s pg:order ?sOrder }
    }
}"""

# Each section's proposals, counted apart: counted in the outline's query (an OPTIONAL
# inside the sections' OPTIONAL, grouped by every column), the outline took 2.0 CPU s at
# 1M triples, 1.6 so.
_COUNTS = """
SELECT ?s (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pg:Proposal ; pg:inSection ?s } GROUP BY ?s"""

# A proposal's sections, and what is part of what: the closure is taken in Python, where
# ``pg:inSection/pg:partOf*`` walked the path again for each of a million triples' proposals.
_SECTIONS = "SELECT ?p ?s WHERE { ?p a pg:Proposal ; pg:inSection ?s }"
_PART_OF = "SELECT DISTINCT ?part ?whole WHERE { ?part pg:partOf ?whole }"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class OutlineSection(_Model):
    """A section of the report and how many proposals it holds."""

    slug: str
    label: str
    label_ja: str | None = None
    order: int | None = None
    proposals: int = 0


class OutlineChapter(_Model):
    """A chapter (part) of the report with its sections."""

    slug: str
    label: str
    label_ja: str | None = None
    order: int | None = None
    sections: list[OutlineSection] = []

    @property
    def proposals(self) -> int:
        """The proposals of all its sections."""
        return sum(section.proposals for section in self.sections)


def report_outline(store: GraphStore) -> list[OutlineChapter]:
    """The chapters in order, each with its sections in order."""
    counted = store.query(_COUNTS)
    assert isinstance(counted, ox.QuerySolutions)
    counts = {_term_key(section): _int(n) or 0 for section, n in counted if section is not None}
    result = store.query(_OUTLINE)
    assert isinstance(result, ox.QuerySolutions)
    chapters: dict[str, dict[str, object]] = {}
    sections: dict[str, list[OutlineSection]] = {}
    for row in result:
        c = row["c"].value
        chapters.setdefault(
            c, {"label": text_of(row["cLabel"]), "ja": text_of(row["cJa"]), "order": row["cOrder"]}
        )
        listed = sections.setdefault(c, [])
        if isinstance(row["s"], ox.NamedNode):
            slug = _slug(row["s"].value)
            listed.append(
                OutlineSection(
                    slug=slug,
                    label=text_of(row["sLabel"]) or slug,
                    label_ja=text_of(row["sJa"]),
                    order=_int(row["sOrder"]),
                    proposals=counts.get(row["s"].value, 0),
                )
            )
    outline = [
        OutlineChapter(
            slug=_slug(c),
            label=str(fields["label"] or _slug(c)),
            label_ja=ja if isinstance(ja := fields["ja"], str) else None,
            order=_int(fields["order"]),
            sections=sorted(sections[c], key=lambda s: (s.order is None, s.order, s.slug)),
        )
        for c, fields in chapters.items()
    ]
    return sorted(outline, key=lambda c: (c.order is None, c.order, c.slug))


def section_ancestors(store: GraphStore) -> dict[str, frozenset[str]]:
    """For each proposal (slug), its section and everything the section is part of."""
    wholes: dict[str, list[str]] = {}
    parts = store.query(_PART_OF)
    assert isinstance(parts, ox.QuerySolutions)
    for row in parts:
        wholes.setdefault(_term_key(row["part"]), []).append(_term_key(row["whole"]))
    upward: dict[str, frozenset[str]] = {}  # a section's ancestors, itself included
    found: dict[str, set[str]] = {}
    rows = store.query(_SECTIONS)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        section = row["s"]
        key = _term_key(section)
        if key not in upward:
            upward[key] = frozenset(
                _slug(iri) for iri in _reachable(key, wholes) if iri.startswith(ENTITY_BASE)
            )
        if upward[key]:
            found.setdefault(_slug(row["p"].value), set()).update(upward[key])
    return {slug: frozenset(held) for slug, held in found.items()}


def _term_key(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """An IRI's text; a blank node's or a literal's N-Triples form, never an entity IRI's."""
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _reachable(start: str, wholes: dict[str, list[str]]) -> set[str]:
    """``start`` and everything it is part of, directly or not (``pg:partOf*``)."""
    seen, todo = {start}, [start]
    while todo:
        for whole in wholes.get(todo.pop(), ()):
            if whole not in seen:
                seen.add(whole)
                todo.append(whole)
    return seen


def _slug(iri: str) -> str:
    return iri[len(ENTITY_BASE) :] if iri.startswith(ENTITY_BASE) else iri


def _int(term: object) -> int | None:
    text = text_of(term)
    return int(text) if text is not None and text.lstrip("-").isdigit() else None
