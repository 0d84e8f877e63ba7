"""Where an interactive view starts: a focus a person can read, the rest one click away.

A view's page holds every node and edge of the view, but draws only its *focus* at first:

- a view with at most :data:`FOCUS_LIMIT` nodes is drawn whole;
- a larger view with a centre (ego) starts from the centre with its neighbours opened:
  the page groups the neighbours by class and relation and draws a large group as one
  aggregate node ("57 statistics") that opens on click;
- a larger view without a centre shows its :data:`SEEDS` best-connected nodes and one
  aggregate node per class for the rest (a class of one: its node);
- a view with its own groups (the membership view: frameworks by who holds them and their
  status) shows its key nodes (the actors), a small group node by node and a larger one
  as one aggregate node ("21 active frameworks"), laid out by the page in the view's blocks.

The grouping of neighbours is the page's (``viz/templates/explore.js``), which does the same
when a node is opened by hand, by the :data:`LIMITS` given here. A static figure draws the
same first focus: :func:`fold` groups the neighbours the same way, each large group one
labelled node.

>>> from viz.view import View
>>> v = View(name="overview", title="", params={})
>>> for i in range(60):
...     v.add_node(f"n{i}", pgGroup="topic" if i % 2 else "proposal", size=float(i))
>>> v.add_node("seat", pgGroup="role", size=0.0)
>>> f = start(v)
>>> f["shown"][-1], [(a["id"], len(a["members"])) for a in f["aggregates"]]
('seat', [('all|proposal', 26), ('all|topic', 26)])
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

from viz.encoding import edge_style, node_style
from viz.view import LegendEntry, View
from viz.words import class_name, page_words

__all__ = ["FOCUS_LIMIT", "GROUP_NOTE", "LIMITS", "RANK", "SEEDS", "fold", "start"]

#: A view with at most this many nodes is drawn whole; the page keeps about this many.
FOCUS_LIMIT = 50
#: How many of the best-connected nodes a large view without a centre starts with.
SEEDS = 8
#: How an opened node's neighbours are grouped (by relation, direction and class): a group
#: of at most ``small`` is drawn node by node; one of more than ``group_max`` is one node;
#: those between are drawn node by node while fewer than ``budget`` have been (ten: a
#: country's first ring stays about twenty nodes, its labels readable on a laptop).
LIMITS = {"small": 4, "group_max": 10, "budget": 10}
#: Which classes an opened node's neighbours show one by one first.
RANK = ("framework", "country", "grouping", "organisation", "person", "place", "topic",
        "event", "section", "document", "proposal", "statistic", "role", "other")  # fmt: skip
#: The legend's note on a group node of a static figure.
GROUP_NOTE = "White with a coloured outline: a group of entities (open it in the interactive view)"


def start(view: View) -> dict[str, Any]:
    """The focus of ``view``: the nodes ``shown`` first, those ``expand``-ed (opened) at once,
    the ``aggregates`` (``id``, ``group``, ``members`` by size) standing for the rest, and
    the ``key`` nodes a small screen keeps when it folds more (the page does that)."""
    ids = [str(n["id"]) for n in view.nodes]
    centre = view.centre if view.centre in view.node_map else None
    key = [k for k in view.key_nodes if k in view.node_map]
    if view.groups:
        return _own_groups(view, key)
    if _whole(view):
        return {"shown": ids, "expand": [], "aggregates": [], "key": key, "limits": LIMITS}
    if centre is not None:
        return {
            "shown": [centre],
            "expand": [centre],
            "aggregates": [],
            "key": key,
            "limits": LIMITS,
        }
    by_size = sorted(view.nodes, key=lambda n: (-float(n.get("size", 0.0)), str(n["id"])))
    seeds = [str(n["id"]) for n in by_size[:SEEDS]]
    groups: dict[str, list[str]] = {}
    for node in by_size[SEEDS:]:
        groups.setdefault(str(node.get("pgGroup", "other")), []).append(str(node["id"]))
    # A class of one is drawn as itself: its name says more than "1 role or seat".
    seeds += [members[0] for members in groups.values() if len(members) == 1]
    aggregates = [
        {"id": f"all|{group}", "group": group, "members": members}
        for group, members in sorted(groups.items())
        if len(members) > 1
    ]
    return {"shown": seeds, "expand": [], "aggregates": aggregates, "key": key, "limits": LIMITS}


def _own_groups(view: View, key: list[str]) -> dict[str, Any]:
    """The focus of a view with its own groups: the key nodes, a group of at most
    ``small`` node by node, a larger one an aggregate (``say``: the page's words for it,
    by its status); ``groups``: every group, which a phone folds whole."""
    groups = [
        {
            "id": g["id"], "group": "framework", "anchor": None, "members": list(g["members"]),
            "holders": g["holders"], "status": g["status"],
            "say": f"group-{g['status']}" if "/" not in g["status"] else "group-mixed",
        }
        for g in view.groups
    ]  # fmt: skip
    small = [g for g in groups if len(g["members"]) <= LIMITS["small"]]
    return {
        "shown": key + [m for g in small for m in g["members"]],
        "expand": [],
        "aggregates": [g for g in groups if g not in small],
        "groups": groups,
        "key": key,
        "actors": key,
        "limits": LIMITS,
    }


def _whole(view: View) -> bool:
    """Whether ``view`` is drawn whole: small, or laid out as a whole (memberships: every
    framework in its column)."""
    return len(view.nodes) <= FOCUS_LIMIT or bool(getattr(view, "whole", False))


def fold(view: View, keep: Collection[str] = ()) -> View:
    """``view`` as its first focus, for a static figure: the centre and its neighbours, a
    large group of them one node ("60 statistics"); without a centre, the best-connected
    nodes and one node per class for the rest. Nodes in ``keep`` (highlighted) stay. A view
    drawn whole is returned as it is.

    >>> v = View(name="overview", title="", params={})
    >>> for i in range(60):
    ...     v.add_node(f"n{i}", pgGroup="topic" if i % 2 else "statistic", size=float(i))
    >>> sorted(n["label"] for n in fold(v).nodes if n.get("pgAggregate"))
    ['26 statistics', '26 topics']
    """
    if _whole(view):
        return view
    first = start(view)
    centre = view.centre if first["expand"] else None
    shown: list[str] = list(first["shown"])
    groups: list[dict[str, Any]] = []
    if centre is not None:
        shown, groups = _open(view, centre)
    else:
        groups = [
            {"id": a["id"], "group": a["group"], "anchor": None, "members": list(a["members"])}
            for a in first["aggregates"]
        ]
    for slug in keep:  # a highlighted entity is drawn itself
        for g in groups:
            if slug in g["members"]:
                g["members"].remove(slug)
                shown.append(slug)
    groups = [g for g in groups if g["members"]]
    folded = View(name=view.view_name, title=view.title, params=view.params, lang=view.lang)
    folded.caption, folded.legend, folded.centre = view.caption, view.legend, view.centre
    folded.sources = view.sources
    folded.vis_options, folded.names = view.vis_options, view.names
    for slug in shown:
        folded.add_node(slug, **{k: v for k, v in view.node_map[slug].items() if k != "id"})
    words = page_words(view.lang)
    for g in groups:
        one, many = class_name(g["group"], view.lang)
        n = len(g["members"])
        kind = _any_type(view, g["members"])
        style = node_style(kind)
        label = words["aggregate-one" if n == 1 else "aggregate"].format(n=n, one=one, many=many)
        folded.add_node(
            g["id"], label=label, shape=style.shape, size=22.0, borderWidth=3,
            color={"background": "#ffffff", "border": style.colour},
            pgAggregate=True, pgGroup=g["group"], pgType=kind, pgCount=n,
        )  # fmt: skip
    drawn = set(shown)
    for edge in view.edges:
        if edge["from"] in drawn and edge["to"] in drawn:
            folded.edges.append(dict(edge))
    folded.edges += _bundles(view, groups, drawn)
    _place(folded, centre)
    folded.legend = _legend(view.legend, folded)
    if groups:
        folded.legend.append(LegendEntry("note", GROUP_NOTE))
    return folded


def _legend(legend: list[LegendEntry], folded: View) -> list[LegendEntry]:
    """The entries of ``legend`` for the classes and relations ``folded`` draws."""
    classes = {node_style(str(n.get("pgType", ""))).label for n in folded.nodes}
    relations = {edge_style(str(e["relation"])).label for e in folded.edges}
    return [
        e for e in legend
        if e.kind == "note" or e.label in (classes if e.kind == "node" else relations)
    ]  # fmt: skip


def _order(relation: str) -> int:
    return edge_style(relation).order


def _rank(group: str) -> int:
    return RANK.index(group) if group in RANK else len(RANK)


def _open(view: View, centre: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The centre's neighbours as the page opens them: by relation, direction and class."""
    best: dict[str, tuple[str, str]] = {}
    for edge in view.edges:
        if centre not in (edge["from"], edge["to"]) or edge["from"] == edge["to"]:
            continue
        other = edge["to"] if edge["from"] == centre else edge["from"]
        relation = str(edge["relation"])
        was = best.get(other)
        if was is None or _order(relation) < _order(was[0]):
            best[other] = (relation, "out" if edge["from"] == centre else "in")
    buckets: dict[tuple[str, str, str], list[str]] = {}
    for other, (relation, way) in best.items():
        group = str(view.node_map[other].get("pgGroup", "other"))
        buckets.setdefault((relation, way, group), []).append(other)
    ordered = sorted(buckets.items(), key=lambda kv: (_rank(kv[0][2]), len(kv[1]), "|".join(kv[0])))
    shown, groups, drawn = [centre], [], 0
    for (relation, way, group), members in ordered:
        members.sort(key=lambda m: (-float(view.node_map[m].get("size", 0.0)), m))
        n = len(members)
        if n <= LIMITS["small"] or (n <= LIMITS["group_max"] and drawn + n <= LIMITS["budget"]):
            drawn += n
            shown += members
        else:
            key = f"{centre}|{relation}|{way}|{group}"
            groups.append({"id": key, "group": group, "anchor": centre, "members": members})
    return shown, groups


def _any_type(view: View, members: list[str]) -> str:
    return str(view.node_map[members[0]].get("pgType", ""))


def _bundles(view: View, groups: list[dict[str, Any]], drawn: set[str]) -> list[dict[str, Any]]:
    """One edge per group, drawn node and relation: its width grows with how many it stands
    for. A group hangs from its anchor only; a class of the whole view from all it touches."""
    owner = {m: g for g in groups for m in g["members"]}
    counts: dict[tuple[str, str, str, bool], int] = {}
    styles: dict[str, dict[str, Any]] = {}
    for edge in view.edges:
        for member, other, out in (
            (edge["from"], edge["to"], True),
            (edge["to"], edge["from"], False),
        ):
            g = owner.get(member)
            if g is None or other not in drawn or (g["anchor"] and other != g["anchor"]):
                continue
            key = (g["id"], other, str(edge["relation"]), out)
            counts[key] = counts.get(key, 0) + 1
            styles.setdefault(str(edge["relation"]), edge)
    bundles = []
    for (group, other, relation, out), n in sorted(counts.items()):
        style = styles[relation]
        bundle: dict[str, Any] = {
            "id": f"agg:{group}:{other}:{relation}:{out}",
            "from": group if out else other, "to": other if out else group,
            "relation": relation, "color": style["color"],
            "width": min(6.0, 1.5 + math.log2(n)), "pgBundle": n,
        }  # fmt: skip
        if style.get("dashes"):
            bundle["dashes"] = style["dashes"]
        bundles.append(bundle)
    return bundles


def _place(view: View, centre: str | None) -> None:
    """Positions for a folded view, on rings wider than tall (a slide's shape): round the
    centre, neighbours of a class side by side; without a centre, the kept nodes on a ring
    and the groups on a ring beyond."""
    nodes = view.nodes
    if centre is not None:
        ring = sorted(
            (n for n in nodes if n["id"] != centre),
            key=lambda n: (_rank(str(n.get("pgGroup", "other"))), bool(n.get("pgAggregate"))),
        )
        view.node_map[centre]["x"], view.node_map[centre]["y"] = 0.0, 0.0
        _ring(ring, (0.0, 0.0), 400.0)
        return
    # Without a centre (the page's way): the kept nodes on a ring, the groups on one beyond.
    _ring([n for n in nodes if not n.get("pgAggregate")], (0.0, 0.0), 300.0)
    _ring([n for n in nodes if n.get("pgAggregate")], (0.0, 0.0), 600.0, turn=0.3)


def _ring(
    nodes: list[dict[str, Any]], mid: tuple[float, float], radius: float, turn: float = 0.0
) -> None:
    count = len(nodes)
    for k, node in enumerate(nodes):
        theta = -math.pi / 2 + turn + 2 * math.pi * k / max(count, 1)
        r = radius * (1.25 if count >= 10 and k % 2 else 1.0)
        node["x"] = round(mid[0] + 1.6 * r * math.cos(theta), 1)
        node["y"] = round(mid[1] + r * math.sin(theta), 1)
