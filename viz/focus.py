"""Where an interactive view starts: a focus a person can read, the rest one click away.

A view's page holds every node and edge of the view, but draws only its *focus* at first:

- a view with at most :data:`FOCUS_LIMIT` nodes is drawn whole;
- a larger view with a centre (ego) starts from the centre with its neighbours opened:
  the page groups the neighbours by class and relation and draws a large group as one
  aggregate node ("57 statistics") that opens on click;
- a larger view without a centre shows its :data:`SEEDS` best-connected nodes and one
  aggregate node per class for the rest.

The grouping of neighbours is the page's (``viz/templates/explore.js``), which does the same
when a node is opened by hand; this module only picks the seeds.

>>> from viz.view import View
>>> v = View(name="overview", title="", params={})
>>> for i in range(60):
...     v.add_node(f"n{i}", pgGroup="topic" if i % 2 else "proposal", size=float(i))
>>> f = start(v)
>>> len(f["shown"]), [(a["id"], len(a["members"])) for a in f["aggregates"]]
(12, [('all|proposal', 24), ('all|topic', 24)])
"""

from __future__ import annotations

from typing import Any

from viz.view import View

__all__ = ["FOCUS_LIMIT", "SEEDS", "start"]

#: A view with at most this many nodes is drawn whole; the page keeps about this many.
FOCUS_LIMIT = 50
#: How many of the best-connected nodes a large view without a centre starts with.
SEEDS = 12


def start(view: View) -> dict[str, Any]:
    """The focus of ``view``: the nodes ``shown`` first, those ``expand``-ed (opened) at once,
    the ``aggregates`` (``id``, ``group``, ``members`` by size) standing for the rest, and
    the ``key`` nodes a small screen keeps when it folds more (the page does that)."""
    ids = [str(n["id"]) for n in view.nodes]
    centre = view.centre if view.centre in view.node_map else None
    # A view laid out as a whole (memberships: every framework in its column) is drawn whole.
    key = [k for k in view.key_nodes if k in view.node_map]
    if len(ids) <= FOCUS_LIMIT or getattr(view, "whole", False):
        return {"shown": ids, "expand": [], "aggregates": [], "key": key}
    if centre is not None:
        return {"shown": [centre], "expand": [centre], "aggregates": [], "key": key}
    by_size = sorted(view.nodes, key=lambda n: (-float(n.get("size", 0.0)), str(n["id"])))
    seeds = [str(n["id"]) for n in by_size[:SEEDS]]
    groups: dict[str, list[str]] = {}
    for node in by_size[SEEDS:]:
        groups.setdefault(str(node.get("pgGroup", "other")), []).append(str(node["id"]))
    aggregates = [
        {"id": f"all|{group}", "group": group, "members": members}
        for group, members in sorted(groups.items())
    ]
    return {"shown": seeds, "expand": [], "aggregates": aggregates, "key": key}
