"""How the views encode the graph: one table of colours and shapes, read by every view.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common
forms of colour-blindness; every class also has its own shape and every relation its own
line style, so nothing depends on colour alone.

>>> node_style("Minilateral").label, node_style("Minilateral").shape
('Framework', 'diamond')
>>> node_style("GovernmentAgency") == node_style("Company")
True
>>> edge_style("memberOf").label, edge_style("role:Observer").dashes
('member of', (4, 4))
>>> node_size(0.0), node_size(1.0, maximum=1.0)
(10.0, 40.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "OKABE_ITO",
    "EdgeStyle",
    "NodeStyle",
    "edge_style",
    "node_size",
    "node_style",
]

#: The Okabe–Ito palette (Okabe & Ito 2008), by name.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}


@dataclass(frozen=True)
class NodeStyle:
    """Colour and shape of a class of entities; ``shape`` is vis-network's name."""

    label: str
    colour: str
    shape: str
    #: The matplotlib marker of the same shape, for static exports.
    marker: str
    order: int


@dataclass(frozen=True)
class EdgeStyle:
    """Colour, dash pattern and width of a relation; ``dashes`` as vis-network takes them."""

    label: str
    colour: str
    dashes: tuple[int, ...] = ()
    width: float = 1.5
    order: int = 0


_C = OKABE_ITO
_GROUPS: dict[str, NodeStyle] = {
    "country": NodeStyle("Country", _C["blue"], "dot", "o", 1),
    "organisation": NodeStyle("Organisation", _C["sky blue"], "square", "s", 2),
    "person": NodeStyle("Person", _C["reddish purple"], "triangle", "^", 3),
    "grouping": NodeStyle("Grouping of actors", _C["grey"], "dot", "o", 4),
    "framework": NodeStyle("Framework", _C["orange"], "diamond", "D", 5),
    "proposal": NodeStyle("Proposal", _C["vermillion"], "star", "*", 6),
    "topic": NodeStyle("Topic", _C["bluish green"], "hexagon", "h", 7),
    "section": NodeStyle("Report section", _C["yellow"], "square", "s", 8),
    # The report itself and every ingested document: drawn like a section, named apart.
    "document": NodeStyle("Document", _C["yellow"], "square", "s", 9),
    "event": NodeStyle("Event", _C["black"], "triangleDown", "v", 10),
    "place": NodeStyle("Place", _C["blue"], "square", "s", 11),
    "statistic": NodeStyle("Statistic", _C["grey"], "hexagon", "h", 12),
    "role": NodeStyle("Role or seat", _C["reddish purple"], "diamond", "D", 13),
    "other": NodeStyle("Other", _C["grey"], "dot", "o", 14),
}

#: The group of every ``pg:`` class (local names); unknown classes are "other".
CLASS_GROUPS: dict[str, str] = {
    "Country": "country",
    "Organization": "organisation",
    "GovernmentAgency": "organisation",
    "InternationalOrganization": "organisation",
    "Company": "organisation",
    "BusinessAssociation": "organisation",
    "ThinkTank": "organisation",
    "University": "organisation",
    "CivilSocietyOrganization": "organisation",
    "Person": "person",
    "Grouping": "grouping",
    "Actor": "grouping",
    "Framework": "framework",
    "Alliance": "framework",
    "Minilateral": "framework",
    "MultilateralInstitution": "framework",
    "TradeAgreement": "framework",
    "Treaty": "framework",
    "Declaration": "framework",
    "Initiative": "framework",
    "Dialogue": "framework",
    "Proposal": "proposal",
    "Topic": "topic",
    "Section": "section",
    "Chapter": "section",
    "Document": "document",
    "Event": "event",
    "Place": "place",
    "Statistic": "statistic",
    "Role": "role",
}

_EDGES: dict[str, EdgeStyle] = {
    "memberOf": EdgeStyle("member of", _C["blue"], order=1),
    "partOf": EdgeStyle("part of", _C["black"], (8, 4), order=2),
    "country": EdgeStyle("country of", _C["sky blue"], order=3),
    "affiliatedWith": EdgeStyle("affiliated with", _C["reddish purple"], order=4),
    "involves": EdgeStyle("involves", _C["vermillion"], order=5),
    "concerns": EdgeStyle("concerns", _C["orange"], order=6),
    "addresses": EdgeStyle("addresses", _C["bluish green"], order=7),
    "inSection": EdgeStyle("in section", _C["grey"], (8, 4), order=8),
    "inDocument": EdgeStyle("in document", _C["grey"], (12, 4), order=8),
    "participant": EdgeStyle("participant", _C["grey"], order=9),
    "about": EdgeStyle("about", _C["sky blue"], (8, 4), order=10),
    "evidence": EdgeStyle("evidence", _C["grey"], (2, 3), order=11),
    # Membership roles (frameworks view): the colour of memberOf, a line style per role.
    "role:Member": EdgeStyle("member", _C["blue"], order=20),
    "role:Founder": EdgeStyle("founder", _C["blue"], width=3.5, order=21),
    "role:Chair": EdgeStyle("chair", _C["vermillion"], width=3.5, order=22),
    "role:Host": EdgeStyle("host", _C["vermillion"], (12, 4), width=3.0, order=23),
    "role:Partner": EdgeStyle("partner", _C["blue"], (8, 4), order=24),
    "role:Observer": EdgeStyle("observer", _C["blue"], (4, 4), order=25),
    "role:Applicant": EdgeStyle("applicant", _C["blue"], (2, 5), order=26),
    # A membership's status on a date (memberships view): a dash pattern per status.
    "status:active": EdgeStyle("member (active)", _C["blue"], order=30),
    "status:suspended": EdgeStyle("suspended framework", _C["orange"], (10, 4, 2, 4), order=31),
    "status:ended": EdgeStyle("ended", _C["grey"], (2, 4), order=32),
    "status:proposed": EdgeStyle("proposed by the report", _C["vermillion"], (8, 6), order=33),
}


def group_of(class_name: str) -> str:
    """The group (``country``, ``framework`` …) of a ``pg:`` class's local name."""
    return CLASS_GROUPS.get(class_name, "other")


def node_style(class_name: str) -> NodeStyle:
    """The style of an entity of this ``pg:`` class."""
    return _GROUPS[group_of(class_name)]


def edge_style(predicate: str) -> EdgeStyle:
    """The style of a relation: a ``pg:`` predicate's local name or ``role:Name``."""
    known = _EDGES.get(predicate)
    if known is not None:
        return known
    if predicate.startswith("role:"):
        return EdgeStyle(predicate[5:].lower(), _C["blue"], (2, 5), order=29)
    # An unknown predicate: readable words from camelCase, dotted grey.
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in predicate).strip()
    return EdgeStyle(words, _C["grey"], (2, 3), order=99)


#: Node sizes (vis-network pixels) for the least and the most central entity.
SIZE_MIN, SIZE_MAX = 10.0, 40.0


def node_size(centrality: float, *, maximum: float = 1.0) -> float:
    """The node size for a centrality value: the area grows with the value.

    >>> node_size(0.25, maximum=1.0)
    25.0
    """
    if maximum <= 0:
        return SIZE_MIN
    return round(SIZE_MIN + (SIZE_MAX - SIZE_MIN) * math.sqrt(centrality / maximum), 2)
