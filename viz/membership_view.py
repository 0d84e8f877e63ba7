"""The network form of the membership view: actors on the sides, shared frameworks between.

:func:`draw` fills a :class:`~viz.view.View` from a
:class:`~viz.memberships.MembershipTable`: every framework is placed by who holds it —
those all chosen actors hold in the middle, each actor's own beyond it on its side (with
three actors or more, the actors sit on a circle and a framework at the centre of those
holding it) — in a grid of readable columns. Each (actor, framework) tie is one line whose
colour and dash say its status on the date and whose label gives the roles and dates; a
thick line is a founder, chair or host. Positions are final: the browser does not move them.

The interactive page starts folded (:func:`groups`): the frameworks of each block, by their
status there, are one labelled node ("21 active frameworks") that opens on click, and the
page lays out what is drawn by the same blocks (``viz/templates/explore.js``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from viz.encoding import edge_style
from viz.layout import Position
from viz.memberships import STATUSES, MembershipTable, Tie
from viz.view import EdgeSpec, LegendEntry, View, compose

__all__ = ["draw", "groups", "layout"]


#: Grid spacing in vis-network pixels: a column wide enough for a wrapped label, a row.
COLUMN, ROW = 300.0, 56.0
#: The most frameworks in one column of a group.
ROWS = 30
_NORMAL, _LEADING = 1.5, 4.0
#: The size of a line's roles and dates on the page, in canvas pixels (a label's is 18).
EDGE_FONT = 14
#: The smallest size on the screen, in CSS pixels, at which a line's words are drawn.
EDGE_FONT_SHOWN = 10
#: The legend's note on the words of the lines.
NOTE_ROLES = "On a line: the roles and dates (none: a member, no dates given); all: the matrix form"


def draw(view: View, table: MembershipTable, *, max_nodes: int) -> View:
    """Fill ``view`` with the actors and frameworks of ``table`` (see the module)."""
    data = table.data
    assert data is not None
    specs = [
        EdgeSpec(t.actor, t.framework, f"status:{t.status}", t.evidence, t.text)
        for t in table.ties.values()
    ]
    shared = {f for f in table.frameworks if len(table.holders(f)) >= 2}
    nodes = set(table.actors) | set(table.frameworks)
    compose(
        view,
        data,
        nodes,
        specs,
        max_nodes=max_nodes,
        suggestion="name fewer actors",
        empty_message="Nothing to show: "
        + ", ".join(table.label(a, view.lang) for a in table.actors)
        + f" belonged to no framework on {table.as_of}.",
        emphasised=shared if len(table.actors) >= 2 else (),
        emphasis_note="Thick outline: a framework two or more of them belong to",
        edge_labels=True,
    )
    if view.is_empty:
        return view
    positions = layout(table)
    for node in view.nodes:
        x, y = positions[node["id"]]
        node["x"], node["y"] = round(x, 1), round(y, 1)
        if node["id"] in table.partial:
            node["label"] = f"{node['label']}\u00a0*"
            node["pgSuffix"] = "\u00a0*"
            node["title"] += "\nmember list partial: the graph may not name every member"
    for edge in view.edges:
        tie = table.ties[(edge["from"], edge["to"])]
        # Colour and dashes are the status's (viz.encoding); the width says a leading role.
        style = edge_style(f"status:{tie.status}")
        edge["width"] = _LEADING if tie.leading else _NORMAL
        # A plain membership without dates goes without words (the legend says so).
        edge["label"] = "" if _plain(tie) else tie.text_in(view.lang)
        edge["font"] = {"size": EDGE_FONT, "align": "horizontal"}
        # On the page, the words of a line show once they read (zoomed in far enough).
        edge["scaling"] = {"label": {"drawThreshold": EDGE_FONT_SHOWN}}
        edge["pgStatus"] = tie.status
        # The page's own "as of" control reads [role, start, end, status] (viz/templates).
        edge["pgTerms"] = [
            [r.name, r.start or "", r.end or "", r.status.capitalize()] for r in tie.roles
        ]
        lines = str(edge.get("title", "")).split("\n")
        lines[1:2] = [f"{tie.text} — {style.label}, as of {table.as_of}"]
        edge["title"] = "\n".join(lines)
    view.physics = False
    # A static figure draws every framework at these positions; the page folds them.
    view.whole = True
    view.key_nodes = list(table.actors)
    view.groups = groups(table)
    for group in view.groups:
        for framework in group["members"]:
            node = view.node_map[framework]
            node["pgHolders"], node["pgStatus"] = group["holders"], group["status"]
    physics = view.vis_options.setdefault("physics", {})
    physics["enabled"] = False
    physics.setdefault("stabilization", {})["enabled"] = False
    view.legend = _legend(view.legend, table)
    return view


def groups(table: MembershipTable) -> list[dict[str, Any]]:
    """The frameworks of ``table`` in groups by who holds them (``holders``) and their
    ``status`` for them — one status, or the holders' in order ("active/proposed") when
    they differ; the ``members`` in the table's order."""
    found: dict[tuple[tuple[str, ...], str], list[str]] = {}
    for framework in table.frameworks:
        holders = tuple(table.holders(framework))
        statuses = [table.ties[(a, framework)].status for a in holders]
        status = statuses[0] if len(set(statuses)) == 1 else "/".join(statuses)
        found.setdefault((holders, status), []).append(framework)
    return [
        {"id": f"{'+'.join(h)}|{s}", "holders": list(h), "status": s, "members": members}
        for (h, s), members in found.items()
    ]


def layout(table: MembershipTable) -> dict[str, Position]:
    """Positions of the actors and frameworks: groups of frameworks by who holds them."""
    n = len(table.actors)
    groups: dict[tuple[str, ...], list[str]] = {}
    for framework in table.frameworks:
        groups.setdefault(tuple(table.holders(framework)), []).append(framework)
    widest_shared = max(
        (_width(len(fs)) for holders, fs in groups.items() if len(holders) >= 2), default=0.0
    )
    radius = widest_shared / 2 + COLUMN * 0.8
    actors = _actor_positions(n, radius)
    at: dict[str, Position] = dict(zip(table.actors, actors, strict=True))
    for holders, frameworks in groups.items():
        points = [at[a] for a in holders]
        cx = sum(p[0] for p in points) / len(points)
        cy = sum(p[1] for p in points) / len(points)
        if len(holders) == 1:
            cx, cy = _outward((cx, cy), COLUMN * 0.8 + _width(len(frameworks)) / 2, n)
        at.update(_grid(frameworks, (cx, cy)))
    return at


def _actor_positions(n: int, radius: float) -> list[Position]:
    if n == 1:
        return [(0.0, 0.0)]
    if n == 2:
        return [(-radius, 0.0), (radius, 0.0)]
    # Around a circle, the first on the left, clockwise.
    return [
        (
            -radius * math.cos(2 * math.pi * i / n),
            -radius * math.sin(2 * math.pi * i / n),
        )
        for i in range(n)
    ]


def _outward(point: Position, distance: float, n: int) -> Position:
    x, y = point
    if n == 1:
        return (distance, 0.0)
    norm = math.hypot(x, y) or 1.0
    return (x + x / norm * distance, y + y / norm * distance)


def _width(count: int) -> float:
    return math.ceil(count / ROWS) * COLUMN - COLUMN / 2 if count else 0.0


def _grid(frameworks: Sequence[str], centre: Position) -> dict[str, Position]:
    columns = math.ceil(len(frameworks) / ROWS)
    rows = math.ceil(len(frameworks) / columns)
    x0 = centre[0] - (columns - 1) * COLUMN / 2
    y0 = centre[1] - (rows - 1) * ROW / 2
    return {f: (x0 + (i // rows) * COLUMN, y0 + (i % rows) * ROW) for i, f in enumerate(frameworks)}


def _plain(tie: Tie) -> bool:
    """Whether ``tie`` is a plain membership: no other role, no dates, one status."""
    return all(
        r.name == "Member" and not (r.start or r.end) and r.status == tie.status for r in tie.roles
    )


def _legend(entries: list[LegendEntry], table: MembershipTable) -> list[LegendEntry]:
    nodes = [e for e in entries if e.kind == "node"]
    notes = [e for e in entries if e.kind == "note"]
    present = {t.status for t in table.ties.values()}
    styles = [edge_style(f"status:{s}") for s in STATUSES if s in present]
    lines = [LegendEntry("edge", s.label, s.colour, dashes=s.dashes, width=_NORMAL) for s in styles]
    if any(t.leading for t in table.ties.values()):
        lines.append(LegendEntry("edge", "founder, chair or host", "#0072B2", width=_LEADING))
    notes.append(LegendEntry("note", f"Memberships as of {table.as_of}"))
    notes.append(LegendEntry("note", NOTE_ROLES))
    if table.partial:
        notes.append(
            LegendEntry("note", "* member list partial: the graph may not name every member")
        )
    return nodes + lines + notes
