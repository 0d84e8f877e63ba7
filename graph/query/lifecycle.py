"""A framework's life and its member list: status, dated events, lifecycle dates, and
whether the graph lists all its members (with the sources and the date that says so).

Read for one entity (``slug``, bound as an IRI) or for every entity at once (``None``,
for the framework list). Lifecycle dates are the materialised ``pg:foundedOn`` …
``pg:endedOn`` and, where the build has not materialised them, the dates of the typed
events that ``pg:concerns`` the framework. A framework without ``pg:status`` is active.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('''INSERT DATA { GRAPH <urn:g> {
...   id:gsomia a pg:Framework ; pg:status pg:Suspended ; pg:memberList pg:Complete .
...   id:ev a pg:Event ; pg:eventType pg:Signing ; pg:concerns id:gsomia ;
...       pg:date "2016-11-23"^^xsd:date .
...   [] a pg:Membership ; pg:member id:kor ; pg:framework id:gsomia ; pg:evidence id:src .
...   id:src a pg:Document ; pg:asOf "2025-01-01"^^xsd:date } }''')
>>> life = lifecycles(s, "gsomia")["https://w3id.org/policygraph/id/gsomia"]
>>> life.status.name, [(d.property, d.date, d.event.slug) for d in life.dates]
('Suspended', [('signedOn', '2016-11-23', 'ev')])
>>> ml = member_lists(s, "gsomia")["https://w3id.org/policygraph/id/gsomia"]
>>> ml.completeness, ml.as_of, [x.document.slug for x in ml.sources]
('Complete', '2025-01-01', ['src'])
"""

from __future__ import annotations

from typing import Literal

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.iris import ONTOLOGY_NS
from graph.query.about import select_about
from graph.query.bound import entity, select_bound
from graph.query.terms import TermRef, ref_of, text_of
from graph.query.wording import LIFECYCLE_DATES
from graph.store.port import GraphStore

__all__ = [
    "Lifecycle",
    "LifecycleDate",
    "LifecycleEvent",
    "MemberList",
    "Source",
    "lifecycles",
    "member_lists",
]

_EN = 'OPTIONAL {{ {0} rdfs:label {1} FILTER (langMatches(lang({1}), "en")) }}'

#: The event type whose date is each lifecycle date (``pg:Resumption`` has none: the
#: framework is active again, which its status says).
EVENT_DATES = {
    "Founding": "foundedOn",
    "Signing": "signedOn",
    "EntryIntoForce": "inForceFrom",
    "Suspension": "suspendedOn",
    "Termination": "endedOn",
}

_STATUS = f"""
SELECT ?f ?status ?statusLabel WHERE {{
    ?f pg:status ?status .
    {_EN.format("?status", "?statusLabel")}
}} ORDER BY ?f ?status"""

_DATES = """
SELECT ?f ?p ?date WHERE {
    ?f ?p ?date .
    FILTER (?p IN (pg:foundedOn, pg:signedOn, pg:inForceFrom, pg:suspendedOn, pg:endedOn))
} ORDER BY ?f ?p ?date"""

_EVENTS = f"""
SELECT ?f ?ev ?evLabel ?type ?typeLabel ?date WHERE {{
    ?ev pg:concerns ?f ; a pg:Event .
    OPTIONAL {{ ?ev pg:eventType ?type {_EN.format("?type", "?typeLabel")} }}
    OPTIONAL {{ ?ev pg:date ?date }}
    {_EN.format("?ev", "?evLabel")}
}} ORDER BY ?f ?date ?ev"""

_LISTS = """
SELECT ?f ?list ?asOf WHERE {
    ?f pg:memberList ?list .
    OPTIONAL { ?f pg:asOf ?asOf }
} ORDER BY ?f ?list"""

# The outside sources of a member list: documents (not passages of the report) that are the
# evidence of the framework itself or of one of its memberships (the background lists).
_SOURCES = f"""
SELECT DISTINCT ?f ?doc ?docLabel ?url ?asOf WHERE {{
    # Each branch names the document class itself: with the type outside the UNION,
    # Oxigraph evaluated the union first and took over 100 s at 1M triples (0.5 s so).
    # The membership branch starts from the framework: for one framework (an entity page)
    # 0.13 s at 1M where starting from every membership took 0.31.
    {{ ?doc a pg:Document . ?f pg:evidence ?doc }}
    UNION {{ ?m pg:framework ?f ; a pg:Membership ; pg:evidence ?doc . ?doc a pg:Document }}
    OPTIONAL {{ ?doc pg:url ?url }}
    OPTIONAL {{ ?doc pg:asOf ?asOf }}
    {_EN.format("?doc", "?docLabel")}
}} ORDER BY ?f ?doc"""

# Current full members (pg:memberOf: none while the framework is suspended); listed members
# (also those of a suspended framework: memberships whose role implies membership, neither
# proposed nor ended); membership nodes of any kind.
_COUNTS = """
SELECT ?f (COUNT(DISTINCT ?a) AS ?n) (COUNT(DISTINCT ?listed) AS ?l) (COUNT(DISTINCT ?m) AS ?nodes)
WHERE {
    { ?a pg:memberOf ?f BIND (?a AS ?listed) }
    UNION {
        ?m pg:framework ?f ; a pg:Membership ; pg:member ?actor .
        OPTIONAL { ?m pg:role ?role OPTIONAL { ?role pg:impliesMembership ?implies } }
        OPTIONAL { ?m pg:status ?status }
        BIND (IF((!BOUND(?role) || COALESCE(?implies = true, false))  # Virtuoso 7: no EXISTS in ||
                 && (!BOUND(?status) || ?status = pg:Active || ?status = pg:Suspended)
                 && NOT EXISTS { ?m pg:endDate ?end }, ?actor, ?unbound) AS ?listed)
    }
} GROUP BY ?f"""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class LifecycleDate(_Model):
    """One date of a framework's life: founded, signed, in force from, suspended, ended."""

    #: The ``pg:`` property: ``foundedOn``, ``signedOn``, ``inForceFrom``, ``suspendedOn``,
    #: ``endedOn``.
    property: str
    #: What a page calls it, in English and Japanese.
    label: str
    label_ja: str
    #: ``2016-11-23``, ``2016-11`` or ``2016``.
    date: str
    #: The dated event behind it, where the graph has one.
    event: TermRef | None = None


class LifecycleEvent(_Model):
    """An event that concerns the framework (founding, signing, suspension, summit …)."""

    event: TermRef
    type: TermRef | None = None
    date: str | None = None


class Lifecycle(_Model):
    """A framework's status and dated life."""

    #: ``pg:status`` as stated (``Proposed``, ``Active``, ``Suspended``, ``Ended``);
    #: ``None``: none stated, which means active.
    status: TermRef | None = None
    #: The lifecycle dates, in the order of a life, each date once.
    dates: list[LifecycleDate] = []
    #: Every event that concerns it, by date.
    events: list[LifecycleEvent] = []

    @property
    def status_name(self) -> str:
        """The status's local name; ``Active`` when none is stated."""
        return (self.status.name if self.status else None) or "Active"


class Source(_Model):
    """An outside document a member list comes from, and the date its facts held."""

    document: TermRef
    url: str | None = None
    as_of: str | None = None


class MemberList(_Model):
    """Whether the graph lists every member of a framework or grouping, and on what."""

    #: ``Complete`` or ``Partial`` (``pg:memberList``); ``None`` when the graph does not say.
    completeness: Literal["Complete", "Partial"] | None = None
    #: The date the list holds (``pg:asOf`` of the framework, else of its one source date).
    as_of: str | None = None
    #: The outside documents the listed memberships come from.
    sources: list[Source] = []
    #: Distinct current full members (``pg:memberOf``): none while the framework is
    #: suspended or ended.
    full_members: int = 0
    #: Distinct members listed (a role that implies membership, not proposed, not ended),
    #: whether or not the framework is active.
    listed_members: int = 0


def _select(store: GraphStore, query: str, slug: str | None) -> ox.QuerySolutions:
    if slug is None:
        return select_bound(store, query, {})
    return select_about(store, query, entity(slug), "f")  # the IRI written in: read from it


def lifecycles(store: GraphStore, slug: str | None = None) -> dict[str, Lifecycle]:
    """The lifecycle of ``slug`` (or of every entity that has one), by IRI.

    An entity has one when it has a ``pg:status``, a lifecycle date or an event that
    concerns it.

    :raises UnknownEntityError: ``slug`` is not a well-formed slug.
    """
    status: dict[str, TermRef] = {}
    for row in _select(store, _STATUS, slug):
        if isinstance(value := row["status"], ox.NamedNode):
            # Two statuses would be a curation error; the shapes catch it, keep the first.
            status.setdefault(row["f"].value, ref_of(value, row["statusLabel"]))
    dates: dict[str, dict[tuple[str, str], LifecycleDate]] = {}
    for row in _select(store, _DATES, slug):
        name = row["p"].value[len(ONTOLOGY_NS) :]
        _add_date(dates.setdefault(row["f"].value, {}), name, text_of(row["date"]), None)
    events: dict[str, list[LifecycleEvent]] = {}
    for row in _select(store, _EVENTS, slug):
        kind, date = row["type"], text_of(row["date"])
        event = LifecycleEvent(
            event=ref_of(row["ev"], row["evLabel"]),
            type=ref_of(kind, row["typeLabel"]) if isinstance(kind, ox.NamedNode) else None,
            date=date,
        )
        held = events.setdefault(row["f"].value, [])
        if event not in held:
            held.append(event)
        name = EVENT_DATES.get(event.type.name or "") if event.type else None
        if name:
            _add_date(dates.setdefault(row["f"].value, {}), name, date, event.event)
    order = list(LIFECYCLE_DATES)
    return {
        iri: Lifecycle(
            status=status.get(iri),
            dates=sorted(
                dates.get(iri, {}).values(), key=lambda d: (order.index(d.property), d.date)
            ),
            events=events.get(iri, []),
        )
        for iri in sorted(status.keys() | dates.keys() | events.keys())
    }


def _add_date(
    found: dict[tuple[str, str], LifecycleDate],
    name: str,
    date: str | None,
    event: TermRef | None,
) -> None:
    """Record ``name`` on ``date``; a materialised date and its event are one date."""
    if date is None or name not in LIFECYCLE_DATES:
        return
    held = found.get((name, date))
    if held is None or (held.event is None and event is not None):
        en, ja = LIFECYCLE_DATES[name]
        found[(name, date)] = LifecycleDate(
            property=name, label=en, label_ja=ja, date=date, event=event
        )


def member_lists(store: GraphStore, slug: str | None = None) -> dict[str, MemberList]:
    """The member list of ``slug`` (or of every framework and grouping), by IRI.

    An entity has one when it has members (``pg:memberOf``, ``pg:Membership``) or a
    ``pg:memberList``. Without ``pg:asOf`` of its own, the list's date is its sources' date
    when they agree on one.

    :raises UnknownEntityError: ``slug`` is not a well-formed slug.
    """
    stated: dict[str, tuple[str | None, str | None]] = {}
    for row in _select(store, _LISTS, slug):
        iri = row["f"].value
        name = (
            row["list"].value[len(ONTOLOGY_NS) :] if isinstance(row["list"], ox.NamedNode) else None
        )
        kept = stated.get(iri, (None, None))[0]
        # Two statements are a conflict: Partial wins, so a list is never overstated.
        chosen = "Partial" if "Partial" in (kept, name) else name
        stated[iri] = (chosen, text_of(row["asOf"]) or stated.get(iri, (None, None))[1])
    sources: dict[str, list[Source]] = {}
    for row in _select(store, _SOURCES, slug):
        source = Source(
            document=ref_of(row["doc"], row["docLabel"]),
            url=text_of(row["url"]),
            as_of=text_of(row["asOf"]),
        )
        held = sources.setdefault(row["f"].value, [])
        if source not in held:
            held.append(source)
    counts: dict[str, tuple[int, int]] = {}
    for row in _select(store, _COUNTS, slug):
        if row["f"] is not None and (int(row["l"].value) or int(row["nodes"].value)):
            counts[row["f"].value] = (int(row["n"].value), int(row["l"].value))
    found = {}
    for iri in sorted(stated.keys() | counts.keys()):
        completeness, as_of = stated.get(iri, (None, None))
        dates = {s.as_of for s in sources.get(iri, []) if s.as_of}
        found[iri] = MemberList(
            completeness=completeness if completeness in ("Complete", "Partial") else None,  # type: ignore[arg-type]
            as_of=as_of or (dates.pop() if len(dates) == 1 else None),
            sources=sources.get(iri, []),
            full_members=counts.get(iri, (0, 0))[0],
            listed_members=counts.get(iri, (0, 0))[1],
        )
    return found
