"""The six views: plain functions from a store (and parameters) to a :class:`~viz.view.View`.

Each checks its parameters (unknown slugs raise :class:`~graph.errors.UnknownEntityError`,
bad values :class:`~graph.errors.UsageError`), chooses a subgraph of the projection, and
hands it to :func:`viz.view.compose`. A view with nothing in it has a ``message`` instead
of nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from graph.analysis import neighbourhood, shortest_connections
from graph.analysis.compact import CompactGraph
from graph.errors import UsageError
from graph.memo import Memo
from graph.query.finder import Selection, describe_selection, matching_proposals, resolve_selection
from graph.store.port import GraphStore
from viz.data import GraphData, graph_data
from viz.encoding import CLASS_GROUPS, group_of
from viz.memberships import is_framework, membership_table, parse_as_of
from viz.view import DEFAULT_MAX_NODES, EdgeSpec, View, compose

__all__ = [
    "LANGUAGES",
    "VIEWS",
    "ego",
    "frameworks",
    "memberships",
    "overview",
    "path",
    "proposals",
]

#: The names of the views, as the CLI and the API spell them.
VIEWS = ("ego", "frameworks", "proposals", "path", "overview", "memberships")
#: The languages node labels can be in.
LANGUAGES = ("en", "ja", "ko")
_PROPOSAL_RELATIONS = ("involves", "concerns", "addresses")


def ego(
    store: GraphStore,
    slug: str,
    depth: int = 1,
    types: Iterable[str] = (),
    *,
    lang: str = "en",
    max_nodes: int = DEFAULT_MAX_NODES,
    memo: Memo | None = None,
) -> View:
    """An entity and everything within ``depth`` (1–3) hops of it, either direction.

    ``types`` keeps only entities of these groups or classes (``framework``, ``Country`` …)
    besides the centre; the walk passes through kept entities only.

    :raises UnknownEntityError: no entity has ``slug``.
    :raises UsageError: ``depth`` is outside 1–3, a type is unknown, or ``lang`` is not en/ja.
    """
    data = _data(store, lang, memo)
    centre = data.require(slug)
    if not 1 <= depth <= 3:
        raise UsageError(f"depth must be 1, 2 or 3, not {depth}")
    wanted = _types(types)
    keep = None
    if wanted:

        def keep(node: str) -> bool:
            kind = str(data.graph.nodes[node].get("type", ""))
            return kind.lower() in wanted or group_of(kind) in wanted

    shown = set(neighbourhood(data.graph, centre, depth, keep=keep))
    if len(shown) == 1:
        shown = set()  # the centre alone: nothing to show
    label = data.label(centre, lang)
    params: dict[str, str | int | list[str]] = {"slug": centre, "depth": depth}
    if wanted:
        params["type"] = sorted(wanted)
    view = View(
        name="ego", title=f"{label}: neighbourhood at depth {depth}", params=params, lang=lang
    )
    return compose(
        view,
        data,
        shown,
        _edges_of(data, shown),
        max_nodes=max_nodes,
        suggestion="lower --depth or keep some classes with --type (for example --type framework)",
        empty_message=f"Nothing to show: {label} has no neighbours"
        + (" of the classes asked for." if wanted else "."),
        centre=centre,
        layout="radial",
    )


#: Above this many frameworks, the view walks every relation once rather than theirs.
_FEW_TARGETS = 64


def frameworks(
    store: GraphStore,
    slugs: Sequence[str] = (),
    *,
    lang: str = "en",
    max_nodes: int = DEFAULT_MAX_NODES,
    memo: Memo | None = None,
) -> View:
    """Frameworks and their members, one edge per membership styled by its role.

    With no ``slugs``: every framework that has a member. Members of two or more of the
    frameworks shown get a thick outline; ``partOf`` between the frameworks is drawn too.

    :raises UnknownEntityError: a slug is unknown.
    :raises UsageError: a slug is not a framework.
    """
    data = _data(store, lang, memo)
    chosen = [data.require(s) for s in dict.fromkeys(slugs)]
    for slug in chosen:
        if not is_framework(store, slug, memo):
            kind = data.graph.nodes[slug].get("type")
            raise UsageError(f"{slug} is a {kind}, not a framework")
    members = data.provenance.memberships
    wanted = set(chosen) or {m.framework for m in members} | {
        v for _, v, k in data.graph.edges(keys=True) if k == "memberOf"
    }
    specs: list[EdgeSpec] = []
    noted: set[tuple[str, str]] = set()
    for m in members:
        if m.framework in wanted and m.member in data.graph and m.framework in data.graph:
            role = m.role or "Member"
            when = " to ".join(x for x in (m.start, m.end) if x)
            note = (f"since {m.start}" if m.start and not m.end else when) if when else ""
            specs.append(EdgeSpec(m.member, m.framework, f"role:{role}", m.evidence, note))
            noted.add((m.member, m.framework))
    for u, v in _edges_into(data.graph, wanted, "memberOf"):
        if (u, v) not in noted:
            specs.append(EdgeSpec(u, v, "role:Member", data.membership_evidence.get((u, v), ())))
    shown = {s.source for s in specs} | set(wanted)
    for u, v in _edges_into(data.graph, wanted, "partOf"):
        if u in wanted:
            specs.append(EdgeSpec(u, v, "partOf"))
    counts: dict[str, set[str]] = {}
    for s in specs:
        if s.relation.startswith("role:"):
            counts.setdefault(s.source, set()).add(s.target)
    shared = {member for member, fws in counts.items() if len(fws) >= 2 and member not in wanted}
    names = [data.label(s, lang) for s in chosen]
    title = "Members of " + _join(names) if names else "Frameworks and their members"
    view = View(name="frameworks", title=title, params={"slug": list(chosen)}, lang=lang)
    view.key_nodes = list(chosen)
    return compose(
        view,
        data,
        shown,
        specs,
        max_nodes=max_nodes,
        suggestion="name fewer frameworks",
        empty_message="Nothing to show: no framework with members was found.",
        emphasised=shared,
        emphasis_note="Thick outline: member of two or more of the frameworks shown",
    )


def proposals(
    store: GraphStore,
    *,
    section: str | None = None,
    actor: str | None = None,
    framework: str | None = None,
    topic: str | None = None,
    lang: str = "en",
    max_nodes: int = DEFAULT_MAX_NODES,
    selection: Selection | None = None,
    memo: Memo | None = None,
) -> View:
    """The report's proposals (filtered by section or chapter, actor, framework, topic, or
    by the proposal finder's ``selection``, which then replaces those) with the actors
    they involve, the frameworks they concern and the topics they address.

    :raises UnknownEntityError: a filter names no entity.
    """
    from graph.query.in_documents import document_names
    from graph.query.proposals import list_proposals

    data = _data(store, lang, memo)
    given = {"section": section, "actor": actor, "framework": framework, "topic": topic}
    filters = {name: data.require(slug) for name, slug in given.items() if slug}
    if selection is not None:  # the proposal finder's facets (graph.query.finder)
        selection = resolve_selection(store, selection, memo)
        found = matching_proposals(store, selection)
    else:
        found = [p.slug for p in list_proposals(store, **filters, memo=memo)]
    matched = [slug for slug in found if slug in data.graph]
    specs = [
        EdgeSpec(p, target, key, data.provenance.evidence.get(p, ()))
        for p in matched
        for _, target, key in data.graph.out_edges(p, keys=True)
        if key in _PROPOSAL_RELATIONS
    ]
    shown = set(matched) | {s.target for s in specs}
    words = {
        "section": "in",
        "actor": "involving",
        "framework": "concerning",
        "topic": "addressing",
    }
    described = [f"{words[name]} {data.label(slug, lang)}" for name, slug in filters.items()]
    title = "Proposals " + " and ".join(described) if described else "All proposals"
    params: dict[str, str | list[str]] = dict(filters.items())
    if selection is not None:
        named = document_names(store, "en", memo) if selection.document else {}
        described = describe_selection(
            selection, lambda _, v: named.get(v) or data.label(v, lang), title=True
        )
        title = "Proposals " + "; ".join(described) if described else "All proposals"
        params = selection.param_dict()
    view = View(name="proposals", title=title, params=params, lang=lang)
    if selection is not None and selection.document:  # not drawn, but named in the title
        titles = document_names(store, lang, memo)
        view.names = {slug: titles.get(slug, slug) for slug in selection.document}
    return compose(
        view,
        data,
        shown,
        specs,
        max_nodes=max_nodes,
        suggestion="filter with --section, --actor, --framework or --topic",
        empty_message="Nothing to show: no proposal matches "
        + (", ".join(f"{k}={v}" for k, v in filters.items()) or "these filters")
        + ".",
    )


def path(
    store: GraphStore,
    source: str,
    target: str,
    *,
    lang: str = "en",
    max_nodes: int = DEFAULT_MAX_NODES,
    memo: Memo | None = None,
) -> View:
    """The shortest connections between two entities, each edge labelled with its relation.

    :raises UnknownEntityError: either slug is unknown.
    """
    data = _data(store, lang, memo)
    start, end = data.require(source), data.require(target)
    shown = set(shortest_connections(data.graph, start, end))
    a, b = data.label(start, lang), data.label(end, lang)
    view = View(
        name="path",
        title=f"How {a} connects to {b}",
        params={"source": start, "target": end},
        lang=lang,
    )
    return compose(
        view,
        data,
        shown,
        _edges_of(data, shown),
        max_nodes=max_nodes,
        suggestion="choose two entities closer together",
        empty_message=f"Nothing to show: {a} and {b} are not connected in the graph.",
        centre=start if start != end else None,
        edge_labels=True,
    )


def memberships(
    store: GraphStore,
    actors: Sequence[str],
    *,
    as_of: str | None = None,
    lang: str = "en",
    max_nodes: int = DEFAULT_MAX_NODES,
    memo: Memo | None = None,
) -> View:
    """Chosen actors against the frameworks they belong to on ``as_of`` (default today):
    shared frameworks in the middle, each actor's own on its side, roles and dates on the
    lines, statuses (proposed, suspended, ended) dashed (:mod:`viz.membership_view`).

    :raises UnknownEntityError: an actor is unknown.
    :raises UsageError: no actor, too many, or ``as_of`` is not a date.
    """
    from viz.membership_view import draw

    _data(store, lang, memo)
    day = parse_as_of(as_of)
    table = membership_table(store, actors, day, memo)
    names = _join([table.label(a, lang) for a in table.actors])
    params: dict[str, str | int | list[str]] = {"actor": list(table.actors)}
    if as_of:
        params["as_of"] = day
    view = View(
        name="memberships",
        title=f"Framework memberships of {names}, as of {day}",
        params=params,
        lang=lang,
    )
    return draw(view, table, max_nodes=max_nodes)


def overview(
    store: GraphStore,
    *,
    lang: str = "en",
    max_nodes: int = DEFAULT_MAX_NODES,
    memo: Memo | None = None,
) -> View:
    """The whole graph: every entity and relation (positions computed once per store)."""
    data = _data(store, lang, memo)
    view = View(name="overview", title="The whole graph", params={}, lang=lang)
    return compose(
        view,
        data,
        set(data.graph),
        _edges_of(data, set(data.graph)),
        max_nodes=max_nodes,
        suggestion="use the ego, frameworks or proposals view, or raise the limit",
        empty_message="Nothing to show: the store holds no entities (run `policygraph build`).",
        layout="overview",
    )


def _data(store: GraphStore, lang: str, memo: Memo | None) -> GraphData:
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose en, ja or ko")
    return graph_data(store, memo)


def _types(types: Iterable[str]) -> set[str]:
    known = {g for g in CLASS_GROUPS.values()} | {c.lower() for c in CLASS_GROUPS}
    wanted = {t.strip().lower() for t in types if t.strip()}
    unknown = sorted(wanted - known)
    if unknown:
        groups = ", ".join(sorted(set(CLASS_GROUPS.values())))
        raise UsageError(f"unknown type {unknown[0]!r}; choose one of {groups} or a pg: class")
    return wanted


def _edges_of(data: GraphData, nodes: set[str]) -> list[EdgeSpec]:
    """The edges among ``nodes`` with their evidence: a proposal's passages on its relations,
    a membership's or affiliation's on ``memberOf`` and ``affiliatedWith``."""
    successors = data.graph.succ
    pairs = (
        (u, v, key)
        for u in nodes
        for v, keys in successors[u].items()
        if v in nodes
        for key in keys
    )
    specs = []
    for u, v, key in pairs:
        if key in _PROPOSAL_RELATIONS or key in ("inSection", "inDocument"):
            evidence = data.provenance.evidence.get(u, ())
        elif key == "memberOf":
            evidence = data.membership_evidence.get((u, v), ())
        elif key == "affiliatedWith":
            evidence = data.affiliation_evidence.get((u, v), ())
        else:
            evidence = ()
        specs.append(EdgeSpec(u, v, key, evidence))
    return specs


def _edges_into(graph: nx.MultiDiGraph, targets: set[str], key: str) -> list[tuple[str, str]]:
    """The ``key`` relations into ``targets``, in the order ``graph.edges`` lists them.

    A compact graph (the served projection) finds them from the targets' predecessors:
    walking every relation took the view of one framework 3 s at 1M triples.
    """
    if not (isinstance(graph, CompactGraph) and graph.is_compact) or len(targets) > _FEW_TARGETS:
        return [(u, v) for u, v, k in graph.edges(keys=True) if k == key and v in targets]
    pred, succ, number = graph.pred, graph.succ, graph.columns.index
    sources = {u for v in targets if v in number for u, keys in pred[v].items() if key in keys}
    return [
        (u, v)
        for u in sorted(sources, key=number.__getitem__)
        for v, keys in succ[u].items()
        if v in targets and key in keys
    ]


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
