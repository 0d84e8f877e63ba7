"""The people of an organisation or grouping, with their positions there and where else
they work — the question a page about the Vision Group is asked first.

A person belongs to the entity through a ``pg:Affiliation`` with it (``pg:person``,
``pg:organization``, ``pg:position``, ``pg:former``) or a ``pg:Membership`` in it; their
other affiliations say where they work.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('''INSERT DATA { GRAPH <urn:g> {
...   id:vg a pg:Organization ; rdfs:label "Vision Group"@en .
...   id:ann a pg:Person ; rdfs:label "Ann"@en .
...   id:uni a pg:Organization ; rdfs:label "A University"@en .
...   id:a1 a pg:Affiliation ; pg:person id:ann ; pg:organization id:vg ; pg:position "Chair"@en .
...   id:a2 a pg:Affiliation ; pg:person id:ann ; pg:organization id:uni ;
...       pg:position "Professor"@en, "教授"@ja .
... } }''')
>>> [(p.person.label, [x.value for x in p.positions], [(w.organization.label, w.positions[0].value)
...   for w in p.elsewhere]) for p in people_of(s, "vg")]
[('Ann', ['Chair'], [('A University', 'Professor')])]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.query.about import entity, select_about
from graph.query.terms import Label, TermRef, label_of, ref_of, text_of
from graph.store.port import GraphStore

__all__ = ["PersonHere", "Position", "people_of"]

_PEOPLE = """
SELECT ?e ?person ?personLabel ?here ?hereFormer ?other ?otherLabel ?position ?former
WHERE {
    {
        ?a pg:organization ?e ; a pg:Affiliation ; pg:person ?person .
        ?person a pg:Person .
        OPTIONAL { ?a pg:position ?here }
        OPTIONAL { ?a pg:former ?hereFormer }
    } UNION {
        ?m pg:framework ?e ; a pg:Membership ; pg:member ?person .
        ?person a pg:Person .
    }
    OPTIONAL {
        ?elsewhere pg:person ?person ; a pg:Affiliation ; pg:organization ?other .
        FILTER (?other != ?e)
        OPTIONAL { ?elsewhere pg:position ?position }
        OPTIONAL { ?elsewhere pg:former ?former }
        OPTIONAL { ?other rdfs:label ?otherLabel FILTER (langMatches(lang(?otherLabel), "en")) }
    }
    OPTIONAL { ?person rdfs:label ?personLabel FILTER (langMatches(lang(?personLabel), "en")) }
}"""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Position(_Model):
    """A person's affiliation with an organisation other than the one the page is about."""

    organization: TermRef
    positions: list[Label] = []
    former: bool = False


class PersonHere(_Model):
    """A person of the organisation or grouping, their positions in it and elsewhere."""

    person: TermRef
    positions: list[Label] = []
    former: bool = False
    #: Their other affiliations, current ones first.
    elsewhere: list[Position] = []


@dataclass
class _Found:
    """A position being gathered from the rows."""

    ref: TermRef
    positions: list[Label] = field(default_factory=list)
    former: bool = False
    elsewhere: dict[str, _Found] = field(default_factory=dict)

    def add(self, position: object, former: object) -> None:
        if (label := label_of(position)) and label not in self.positions:
            self.positions.append(label)
            self.positions.sort(key=_language_order)
        self.former = self.former or text_of(former) in {"true", "1"}


def _language_order(label: Label) -> tuple[int, str]:
    """English first, then Japanese, Korean, any other."""
    order = {"en": 0, "ja": 1, "ko": 2}
    return order.get(label.lang.split("-")[0], 3), label.value


def people_of(store: GraphStore, slug: str) -> list[PersonHere]:
    """The people of the entity ``slug``, current ones first, by name; none for an entity
    without people."""
    people: dict[str, _Found] = {}
    for row in select_about(store, _PEOPLE, entity(slug)):  # the IRI written in: read from it
        person = row["person"]
        found = people.setdefault(person.value, _Found(ref_of(person, row["personLabel"])))
        found.add(row["here"], row["hereFormer"])
        if isinstance(other := row["other"], ox.NamedNode):
            at = found.elsewhere.setdefault(other.value, _Found(ref_of(other, row["otherLabel"])))
            at.add(row["position"], row["former"])
    result = [
        PersonHere(
            person=found.ref,
            positions=found.positions,
            former=found.former,
            elsewhere=sorted(
                (
                    Position(organization=at.ref, positions=at.positions, former=at.former)
                    for at in found.elsewhere.values()
                ),
                key=lambda p: (p.former, p.organization.label or p.organization.iri),
            ),
        )
        for found in people.values()
    ]
    return sorted(result, key=lambda p: (p.former, p.person.label or p.person.iri))
