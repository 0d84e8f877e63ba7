"""Who belongs to which framework on a date: the table behind the membership views.

For chosen actors and a date ("as of"), each (actor, framework) pair becomes one
:class:`Tie`: the roles the actor holds (``pg:Membership``'s ``pg:role``, a plain
``pg:memberOf`` being a member), their dates, and one status for the pair on that date —
``active``, ``suspended`` (the framework is), ``ended`` (the membership or the framework
has) or ``proposed`` (the report proposes the membership or the framework). Memberships
that start after the date and frameworks founded after it are left out. Frameworks are
ordered shared-first: held by more of the actors, then by status, then by name. A
framework whose member list is partial (``pg:memberList pg:Partial``) is marked: an actor
missing from it may still belong.

Dates are compared at the precision they are stated in: a membership ``since 2022`` holds
on any day of 2022.

>>> on_or_before("2022", "2022-03-01"), on_or_before("2024-07", "2024-06-30")
(True, False)
>>> parse_as_of("2025-06-30"), parse_as_of(None) == date.today().isoformat()
('2025-06-30', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pyoxigraph as ox

from graph.analysis import Evidence
from graph.errors import UsageError
from graph.iris import ENTITY_BASE, is_slug
from graph.memo import Memo, remembered
from graph.query.lifecycle import lifecycles, member_lists
from graph.store.port import GraphStore
from viz.data import GraphData, graph_data
from viz.encoding import group_of

__all__ = [
    "STATUSES",
    "MembershipTable",
    "Tie",
    "membership_table",
    "on_or_before",
    "parse_as_of",
    "status_word",
]

#: The statuses of a tie, strongest first (a pair with an active and an ended role is active).
STATUSES = ("active", "suspended", "ended", "proposed")
#: The most actors a membership view takes.
MOST_ACTORS = 12
#: Roles that make a line thick: the actor leads or hosts the framework.
LEADING_ROLES = frozenset({"Founder", "Chair", "Host"})

_MEMBERSHIPS = """
SELECT ?actor ?f ?role ?start ?end ?status ?node WHERE {
    {
        ?m a pg:Membership ; pg:member ?actor ; pg:framework ?f .
        BIND (true AS ?node)
        OPTIONAL { ?m pg:role ?role }
        OPTIONAL { ?m pg:status ?status }
        OPTIONAL { ?m pg:startDate ?start }
        OPTIONAL { ?m pg:endDate ?end }
    } UNION {
        ?actor pg:memberOf ?f .
    }
}"""
_FRAMEWORKS = "SELECT DISTINCT ?f WHERE { ?f a/rdfs:subClassOf* pg:Framework }"
_FOUNDING = ("foundedOn", "signedOn", "inForceFrom")


@dataclass(frozen=True)
class _Record:
    role: str
    start: str | None
    end: str | None
    status: str | None


@dataclass(frozen=True)
class _Facts:
    """Every membership record by (actor, framework), and what frameworks are."""

    records: dict[tuple[str, str], list[_Record]]
    frameworks: frozenset[str]
    status: dict[str, str]
    dates: dict[str, dict[str, str]]
    partial: frozenset[str]


@dataclass(frozen=True)
class Role:
    """One role an actor holds in a framework, with its dates and its status on the date."""

    name: str
    start: str | None = None
    end: str | None = None
    status: str = "active"

    @property
    def text(self) -> str:
        """``founder since 2022``, ``host 2024-05``, ``member 1953 to 1990``.

        >>> Role("Founder", "2022").text, Role("Host", "2024-05", "2024-05").text
        ('founder since 2022', 'host 2024-05')
        """
        return self.text_in("en")

    def text_in(self, lang: str) -> str:
        """:attr:`text` in ``lang`` (``en``, ``ja``, ``ko``).

        >>> Role("Chair", "2024-07").text_in("ja"), Role("Member", "1990", "2010").text_in("ko")
        ('議長（2024-07〜）', '회원 (1990~2010)')
        """
        words = _ROLES.get(lang, {}).get(self.name) or self.name.lower()
        start, end = self.start, self.end
        if lang == "en":
            if start and end:
                return f"{words} {start}" + ("" if start == end else f" to {end}")
            if start:
                return f"{words} since {start}"
            return f"{words} until {end}" if end else words
        if not (start or end):
            return words
        span = start if start and start == end else f"{start or ''}〜{end or ''}"
        return f"{words}（{span}）" if lang == "ja" else f"{words} ({span.replace('〜', '~')})"


#: Role names in Japanese and Korean (English: the role's name in lower case).
_ROLES: dict[str, dict[str, str]] = {
    "ja": {"Member": "加盟", "Founder": "創設", "Chair": "議長", "Host": "ホスト",
           "Partner": "パートナー", "Observer": "オブザーバー", "Applicant": "加盟申請"},
    "ko": {"Member": "회원", "Founder": "창설", "Chair": "의장", "Host": "주최",
           "Partner": "파트너", "Observer": "옵서버", "Applicant": "가입 신청"},
}  # fmt: skip
#: Statuses other than active, as a cell or a line says them.
_STATUS_WORDS: dict[str, dict[str, str]] = {
    "en": {"suspended": "suspended", "ended": "ended", "proposed": "proposed"},
    "ja": {"suspended": "停止中", "ended": "終了", "proposed": "提言"},
    "ko": {"suspended": "중단", "ended": "종료", "proposed": "제언"},
}


def status_word(status: str, lang: str = "en") -> str:
    """How a status other than active is said (``""`` for active).

    >>> status_word("proposed", "ja"), status_word("active")
    ('提言', '')
    """
    return _STATUS_WORDS.get(lang, _STATUS_WORDS["en"]).get(status, "")


@dataclass(frozen=True)
class Tie:
    """An actor's standing in a framework on the date: its roles and one status."""

    actor: str
    framework: str
    roles: tuple[Role, ...]
    status: str
    evidence: tuple[Evidence, ...] = ()

    @property
    def text(self) -> str:
        """The roles as one line; a role whose status differs from the tie's says so."""
        return self.text_in("en")

    def text_in(self, lang: str) -> str:
        """:attr:`text` in ``lang`` (``en``, ``ja``, ``ko``)."""
        return "; ".join(
            r.text_in(lang)
            + ("" if r.status == self.status else f" ({status_word(r.status, lang)})")
            for r in self.roles
        )

    @property
    def leading(self) -> bool:
        """Founder, chair or host (in a role with the tie's status)."""
        return any(r.name in LEADING_ROLES and r.status == self.status for r in self.roles)


@dataclass(frozen=True)
class MembershipTable:
    """Chosen actors, the frameworks they hold on ``as_of`` (shared first), and the ties."""

    actors: tuple[str, ...]
    frameworks: tuple[str, ...]
    ties: dict[tuple[str, str], Tie]
    as_of: str
    #: Frameworks whose member list is partial (an absent actor may still belong).
    partial: frozenset[str] = field(default_factory=frozenset)
    data: GraphData | None = None

    def holders(self, framework: str) -> list[str]:
        """The chosen actors that hold ``framework``, in the order chosen."""
        return [a for a in self.actors if (a, framework) in self.ties]

    def label(self, slug: str, lang: str = "en") -> str:
        """The entity's label in ``lang`` (English where there is none)."""
        if self.data is None:
            return slug
        if lang == "ko":
            ko = self.data.provenance.labels_ko.get(slug)
            if ko:
                return ko
            lang = "en"
        return self.data.label(slug, lang)


def parse_as_of(text: str | None) -> str:
    """The ISO date ``text`` (``YYYY-MM-DD``), today when ``None`` or empty.

    :raises UsageError: ``text`` is not such a date.
    """
    if not text:
        return date.today().isoformat()
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise UsageError(f"as-of must be a date like 2025-06-30, not {shown!r}") from None


def on_or_before(stated: str, day: str) -> bool:
    """Whether a date stated as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` falls on or before
    ``day`` (``YYYY-MM-DD``), at the precision it is stated in."""
    return stated <= day[: len(stated)]


def _ended_by(stated: str, day: str) -> bool:
    """Whether an end date stated at some precision is over on ``day``."""
    return day[: len(stated)] > stated


def membership_table(
    store: GraphStore, actors: Sequence[str], as_of: str, memo: Memo | None = None
) -> MembershipTable:
    """The ties of ``actors`` on ``as_of`` (an ISO date, see :func:`parse_as_of`).

    :raises UnknownEntityError: an actor's slug is unknown.
    :raises UsageError: no actor, or more than :data:`MOST_ACTORS`.
    """
    data = graph_data(store, memo)
    chosen = tuple(dict.fromkeys(data.require(a) for a in actors))
    if not chosen:
        raise UsageError("name at least one actor, for example jpn kor")
    if len(chosen) > MOST_ACTORS:
        raise UsageError(f"at most {MOST_ACTORS} actors, not {len(chosen)}")
    facts = _facts(store, data, memo)
    ties: dict[tuple[str, str], Tie] = {}
    for (actor, framework), records in facts.records.items():
        if actor not in chosen or framework not in data.graph:
            continue
        tie = _tie(actor, framework, records, facts, as_of, data)
        if tie is not None:
            ties[(actor, framework)] = tie
    held = {f for _, f in ties}
    order = {s: i for i, s in enumerate(STATUSES)}

    def key(framework: str) -> tuple[int, int, str]:
        mine = [t for (a, f), t in ties.items() if f == framework]
        best = min(order[t.status] for t in mine)
        return (-len(mine), best, data.label(framework).casefold())

    return MembershipTable(
        actors=chosen,
        frameworks=tuple(sorted(held, key=key)),
        ties=ties,
        as_of=as_of,
        partial=frozenset(held & facts.partial),
        data=data,
    )


def _tie(
    actor: str,
    framework: str,
    records: list[_Record],
    facts: _Facts,
    day: str,
    data: GraphData,
) -> Tie | None:
    dates = facts.dates.get(framework, {})
    founded = [dates[p] for p in _FOUNDING if p in dates]
    if founded and not on_or_before(min(founded), day):
        return None  # the framework did not exist yet
    framework_status = _framework_status(facts.status.get(framework), dates, day)
    roles: dict[tuple[str, str], Role] = {}
    for r in records:
        if r.start and not on_or_before(r.start, day):
            continue
        if r.status in ("Proposed",):
            status = "proposed"
        elif r.status == "Ended" or (r.end and _ended_by(r.end, day)):
            status = "ended"
        elif r.status == "Suspended":
            status = "suspended"
        else:
            status = "active"
        if framework_status != "active" and status != "proposed":
            status = framework_status
        if framework_status == "proposed":
            status = "proposed"
        found = roles.get((r.role, status))
        if found is None or (not (found.start or found.end) and (r.start or r.end)):
            roles[(r.role, status)] = Role(r.role, r.start, r.end, status)
    if not roles:
        return None
    order = {s: i for i, s in enumerate(STATUSES)}
    ranked = sorted(roles.values(), key=lambda r: (order[r.status], r.name == "Member", r.name))
    best = ranked[0].status
    # A plain "member" says nothing next to another role of the same status.
    shown = [
        r
        for r in ranked
        if not (r.name == "Member" and not (r.start or r.end))
        or not any(o.status == r.status and o is not r for o in ranked)
    ]
    evidence = data.membership_evidence.get((actor, framework), ())
    return Tie(actor, framework, tuple(shown), best, evidence)


def _framework_status(stated: str | None, dates: dict[str, str], day: str) -> str:
    if stated == "Proposed":
        return "proposed"
    if stated == "Suspended":
        since = dates.get("suspendedOn")
        return "suspended" if since is None or on_or_before(since, day) else "active"
    if stated == "Ended":
        since = dates.get("endedOn")
        return "ended" if since is None or on_or_before(since, day) else "active"
    return "active"


def _facts(store: GraphStore, data: GraphData, memo: Memo | None) -> _Facts:
    """The membership records and framework facts of ``store`` (kept in ``memo``)."""
    return remembered(memo, "membership_facts", lambda: _read_facts(store, data))


def _read_facts(store: GraphStore, data: GraphData) -> _Facts:
    records: dict[tuple[str, str], list[_Record]] = {}
    # A pg:memberOf without a pg:Membership node of the pair: a plain, undated member.
    plain: set[tuple[str, str]] = set()
    rows = store.query(_MEMBERSHIPS)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        actor, framework = _slug(row["actor"]), _slug(row["f"])
        if actor is None or framework is None:
            continue
        if row["node"] is None:
            plain.add((actor, framework))
            continue
        role = row["role"]
        record = _Record(
            role=_local(role) if isinstance(role, ox.NamedNode) else "Member",
            start=_text(row["start"]),
            end=_text(row["end"]),
            status=_local(row["status"]) if isinstance(row["status"], ox.NamedNode) else None,
        )
        listed = records.setdefault((actor, framework), [])
        if record not in listed:
            listed.append(record)
    for pair in plain - records.keys():
        records[pair] = [_Record("Member", None, None, None)]
    typed = store.query(_FRAMEWORKS)
    assert isinstance(typed, ox.QuerySolutions)
    frameworks = {s for row in typed if (s := _slug(row["f"])) is not None}
    frameworks |= {
        n for n, kind in data.graph.nodes(data="type") if group_of(str(kind)) == "framework"
    }
    records = {k: v for k, v in records.items() if k[1] in frameworks}
    status: dict[str, str] = {}
    dates: dict[str, dict[str, str]] = {}
    for iri, life in lifecycles(store).items():
        slug = iri[len(ENTITY_BASE) :]
        if life.status is not None and life.status.name:
            status[slug] = life.status.name
        dates[slug] = {d.property: d.date for d in life.dates}
    partial = frozenset(
        iri[len(ENTITY_BASE) :]
        for iri, listed in member_lists(store).items()
        if listed.completeness == "Partial"
    )
    return _Facts(records, frozenset(frameworks), status, dates, partial)


def is_framework(store: GraphStore, slug: str, memo: Memo | None = None) -> bool:
    """Whether ``slug`` is typed as a framework (``rdf:type/rdfs:subClassOf* pg:Framework``),
    OECD, the UN and NATO included, which are organisations too.

    Read from the membership facts when they are kept; else from the entity's class in
    the projection, then one question to the store: reading the facts took the first
    framework view 18 s at 1M triples.
    """
    data = graph_data(store, memo)
    if memo is not None and "membership_facts" in memo:
        return slug in _facts(store, data, memo).frameworks
    node = data.graph.nodes.get(slug) if slug in data.graph else None
    if node is not None and group_of(str(node.get("type"))) == "framework":
        return True
    if not is_slug(slug):
        return False
    return bool(store.query(f"ASK {{ id:{slug} a/rdfs:subClassOf* pg:Framework }}"))


def _slug(term: object) -> str | None:
    if isinstance(term, ox.NamedNode) and term.value.startswith(ENTITY_BASE):
        return term.value[len(ENTITY_BASE) :]
    return None


def _local(term: object) -> str:
    value = term.value if isinstance(term, ox.NamedNode) else str(term)
    return value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(term: object) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None
