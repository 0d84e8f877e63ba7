"""The frameworks of the graph with their members and the members' roles.

A member comes from a ``pg:Membership`` node (with its role, status and dates) or, for
facts without such a node, from ``pg:memberOf`` alone (role ``None``). Each framework also
has its status, lifecycle dates and member list (complete or partial, with its sources and
date) from :mod:`graph.query.lifecycle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.iris import ENTITY_BASE
from graph.query.lifecycle import LifecycleDate, MemberList, lifecycles, member_lists
from graph.query.membership_facts import MEMBERSHIP_FACTS
from graph.query.terms import TermRef, ref_of, sparql_order, text_of
from graph.store.port import GraphStore

__all__ = ["FrameworkMember", "FrameworkSummary", "list_frameworks"]

_EN = 'OPTIONAL {{ {0} rdfs:label {1} FILTER (langMatches(lang({1}), "en")) }}'

_FRAMEWORKS = f"""
SELECT ?f ?label ?ja ?type ?parent ?parentLabel WHERE {{
    ?f a pg:Framework .
    FILTER (STRSTARTS(STR(?f), "{ENTITY_BASE}"))
    {_EN.format("?f", "?label")}
    OPTIONAL {{ ?f rdfs:label ?ja FILTER (langMatches(lang(?ja), "ja")) }}
    OPTIONAL {{ ?f a ?type FILTER (STRSTARTS(STR(?type), STR(pg:)) && ?type != pg:Framework) }}
    OPTIONAL {{ ?f pg:partOf ?parent {_EN.format("?parent", "?parentLabel")} }}
}} ORDER BY ?f"""

# The members, read in three plain queries and joined in Python: one query joining the
# memberships, the plain pg:memberOf facts (MINUS the memberships) and every end's English
# label, ordered, took half of the framework table's time at 1M triples (4.1 of 8.2 CPU s).
#: The columns of :data:`~graph.query.membership_facts.MEMBERSHIP_FACTS` the table reads, in
#: the order it unpacks them.
_MEMBERSHIP_COLUMNS = ("framework", "member", "role", "status", "from", "until")

_MEMBER_OF = "SELECT ?actor ?f WHERE { ?actor pg:memberOf ?f }"

_ENGLISH_LABELS = (
    'SELECT ?x ?label WHERE { ?x rdfs:label ?label FILTER (langMatches(lang(?label), "en")) }'
)

# Full members are the materialised pg:memberOf: roles such as observer, partner or host
# (which do not imply membership) are listed among the members but not counted.
_FULL_MEMBERS = "SELECT ?f (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a pg:memberOf ?f } GROUP BY ?f"


@dataclass
class _Collected:
    label: str | None
    label_ja: str | None
    kinds: set[str] = field(default_factory=set)
    parts: dict[str, TermRef] = field(default_factory=dict)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class FrameworkMember(_Model):
    """An actor in a framework, with its role (``None``: a plain member) and dates."""

    actor: TermRef
    role: TermRef | None = None
    start_date: str | None = None
    end_date: str | None = None
    #: ``pg:status`` of the membership (``Proposed`` …); ``None``: active.
    status: TermRef | None = None


class FrameworkSummary(_Model):
    """A framework, its kinds, what it is part of, and its members."""

    slug: str
    iri: str
    label: str
    label_ja: str | None = None
    #: Its ``pg:`` classes below ``pg:Framework`` (``Minilateral``, ``Alliance`` …).
    kinds: list[str]
    part_of: list[TermRef]
    members: list[FrameworkMember]
    #: Distinct full members (``pg:memberOf``), whatever other roles are listed.
    full_members: int = 0
    #: ``pg:status`` (``Proposed``, ``Suspended``, ``Ended`` …); ``None``: active.
    status: TermRef | None = None
    #: Founded, signed, in force from, suspended, ended — where the graph dates them.
    dates: list[LifecycleDate] = []
    #: Whether the members listed are all its members, as of when, from which sources.
    member_list: MemberList = MemberList()


def list_frameworks(store: GraphStore) -> list[FrameworkSummary]:
    """Every framework (by slug), with members and roles.

    >>> from graph.store import OxigraphStore
    >>> s = OxigraphStore.memory()
    >>> s.update('INSERT DATA { GRAPH <urn:g> { id:quad a pg:Framework , pg:Minilateral ;'
    ...          ' rdfs:label "Quad"@en . id:ind pg:memberOf id:quad } }')
    >>> [(f.slug, f.kinds, [m.actor.slug for m in f.members], f.full_members)
    ...  for f in list_frameworks(s)]
    [('quad', ['Minilateral'], ['ind'], 1)]
    """
    frameworks = store.query(_FRAMEWORKS)
    assert isinstance(frameworks, ox.QuerySolutions)
    found: dict[str, _Collected] = {}
    for row in frameworks:
        iri = row["f"].value
        entry = found.setdefault(iri, _Collected(text_of(row["label"]), text_of(row["ja"])))
        if (kind := row["type"]) is not None and (name := ref_of(kind, None).name):
            entry.kinds.add(name)
        if isinstance(parent := row["parent"], ox.NamedNode):
            entry.parts.setdefault(parent.value, ref_of(parent, row["parentLabel"]))
    # Each member once, in the query's order: a dict, not a list searched for each row
    # (that search made the framework table quadratic: 30 of its 37 s at 1M triples).
    by_framework: dict[str, dict[FrameworkMember, None]] = {}
    # One model per distinct member, shared by every framework listing it (frozen): the
    # same actor with the same role in many frameworks. At 5M triples 124,313 members
    # were 41,811 distinct; as models each, with their sets, they held most of 187 MB.
    members: dict[FrameworkMember, FrameworkMember] = {}
    # One reference per term and label, shared (frozen): at 1M triples the rows name a few
    # thousand actors, roles and statuses over and over.
    refs: dict[tuple[str, str | None], TermRef] = {}

    def shared_ref(term: ox.NamedNode, label: object) -> TermRef:
        key = (term.value, text_of(label))
        found = refs.get(key)
        if found is None:
            found = refs[key] = ref_of(term, label)
        return found

    for row in _member_rows(store):
        f, actor, actor_label, role, role_label, start, end, status, status_label = row
        member = FrameworkMember(
            actor=shared_ref(actor, actor_label),
            role=shared_ref(role, role_label) if isinstance(role, ox.NamedNode) else None,
            start_date=text_of(start),
            end_date=text_of(end),
            status=shared_ref(status, status_label) if isinstance(status, ox.NamedNode) else None,
        )
        by_framework.setdefault(f.value, {})[members.setdefault(member, member)] = None
    counts = store.query(_FULL_MEMBERS)
    assert isinstance(counts, ox.QuerySolutions)
    full = {row["f"].value: int(row["n"].value) for row in counts}
    lives = lifecycles(store)
    lists = member_lists(store)
    unlisted = MemberList()  # one for every framework the graph says nothing of (frozen)
    return [
        FrameworkSummary(
            slug=iri[len(ENTITY_BASE) :],
            iri=iri,
            label=entry.label or iri[len(ENTITY_BASE) :],
            label_ja=entry.label_ja,
            kinds=sorted(entry.kinds),
            part_of=list(entry.parts.values()),
            members=list(by_framework.get(iri, {})),
            full_members=full.get(iri, 0),
            status=lives[iri].status if iri in lives else None,
            dates=lives[iri].dates if iri in lives else [],
            member_list=lists.get(iri, unlisted),
        )
        for iri, entry in found.items()
    ]


#: A member row: framework, actor and its English label, role and its label, start, end,
#: status and its label (``None`` where unbound).
_Row = tuple[Any, ...]


def _member_rows(store: GraphStore) -> list[_Row]:
    """The rows the members are made of, as one query would give them: each membership
    once per combination of its values and of the English labels of its actor, role and
    status (a term without one: once, unlabelled), then each ``pg:memberOf`` of a pair that
    no membership states; ordered by framework, actor and role as SPARQL orders terms,
    then by the rest (equal rows keep no order a query would promise).

    Equal terms are held once, and so is each term's place in the order: the rows name a
    few thousand actors and roles thirty thousand times at 1M triples."""
    shared: dict[object, object] = {}
    memberships = [
        tuple(shared.setdefault(row[name], row[name]) for name in _MEMBERSHIP_COLUMNS)
        for row in _select(store, MEMBERSHIP_FACTS)
    ]
    stated = {(actor, f) for f, actor, *_ in memberships}
    plain = [
        (shared.setdefault(f, f), shared.setdefault(actor, actor))
        for actor, f in _select(store, _MEMBER_OF)
        if (actor, f) not in stated
    ]
    english: dict[object, list[object]] = {term: [] for term in shared}
    for x, label in _select(store, _ENGLISH_LABELS):
        if x in english:
            english[x].append(label)

    def labelled(term: object) -> list[object]:
        return english.get(term) or [None]

    rows: list[_Row] = []
    for f, actor, role, status, start, end in memberships:
        for actor_label in labelled(actor):
            for role_label in labelled(role):
                for status_label in labelled(status):
                    rows.append(
                        (f, actor, actor_label, role, role_label, start, end, status, status_label)
                    )
    for f, actor in plain:
        for actor_label in labelled(actor):
            rows.append((f, actor, actor_label, None, None, None, None, None, None))
    places: dict[object, tuple[int, str]] = {}

    def place(term: object) -> tuple[int, str]:
        found = places.get(term)
        if found is None:
            found = places[term] = sparql_order(term)
        return found

    # By framework, actor, role (the columns 0, 1 and 3), then the rest in order.
    rows.sort(key=lambda row: tuple(place(row[at]) for at in (0, 1, 3, 2, 4, 5, 6, 7, 8)))
    return rows


def _select(store: GraphStore, sparql: str) -> ox.QuerySolutions:
    """The solutions of ``sparql``; each unpacks as its values, in the SELECT's order."""
    found = store.query(sparql)
    assert isinstance(found, ox.QuerySolutions)
    return found
