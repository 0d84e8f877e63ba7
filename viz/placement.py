"""Label placement for static figures: each label beside its node, never over another.

Labels are placed greedily in order of importance (the centre, highlighted entities, then
the most central): for each, the first of a few positions around its node — below, above,
right, left, the corners, then the same further out — whose box stays inside the drawing
and overlaps neither a label already placed nor another node. A label that fits nowhere is
left out (the figure says how many). Boxes are in display units (pixels, origin at the
bottom left); the sizes come from the renderer, so what is checked is what is drawn.

>>> items = [Item("a", 50, 50, 4, 30, 10), Item("b", 50, 62, 4, 30, 10)]
>>> [(p.key, p.ha, p.va) for p in place(items, (0, 0, 200, 200))]
[('a', 'center', 'top'), ('b', 'center', 'bottom')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Box", "Item", "Placed", "overlaps", "place"]

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

#: Positions around a node: (dx, dy) direction, horizontal and vertical alignment.
_AROUND = (
    (0, -1, "center", "top"),
    (0, 1, "center", "bottom"),
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (1, -1, "left", "top"),
    (-1, -1, "right", "top"),
    (1, 1, "left", "bottom"),
    (-1, 1, "right", "bottom"),
)
_SHIFT = {"left": 0.0, "center": 0.5, "right": 1.0, "bottom": 0.0, "top": 1.0}


@dataclass(frozen=True)
class Item:
    """A label to place: its node's centre and radius, and the label's width and height."""

    key: str
    x: float
    y: float
    radius: float
    width: float
    height: float
    #: May cover other nodes (never other labels) where nothing else fits: the centre,
    #: highlighted entities, the most central few.
    important: bool = False


@dataclass(frozen=True)
class Placed:
    """Where a label goes: the anchor point and the alignment to draw it with."""

    key: str
    x: float
    y: float
    ha: str
    va: str
    box: Box


def place(
    items: Sequence[Item],
    bounds: Box,
    *,
    obstacles: Iterable[Box] = (),
    gap: float = 2.0,
    pad: float = 0.0,
) -> list[Placed]:
    """Positions for as many of ``items`` (in order) as fit without overlapping.

    ``gap`` is the space between a node and its label, ``pad`` the space kept around every
    label (renderers place text to a fraction of a point differently). ``obstacles`` are
    boxes no label may cover besides the nodes (other texts). O(n·m) in numpy for n labels
    and m boxes placed.
    """
    nodes = np.array(
        [(i.x - i.radius, i.y - i.radius, i.x + i.radius, i.y + i.radius) for i in items],
        dtype=float,
    ).reshape(-1, 4)
    taken = np.array(list(obstacles), dtype=float).reshape(-1, 4)
    placed: list[Placed] = []
    for index, item in enumerate(items):
        others = np.delete(nodes, index, axis=0)
        # Beside the node where no other node is; an important label may then cover nodes.
        for may_cover in (False, True) if item.important else (False,):
            spot = _first_free(item, bounds, taken, others, gap, pad, may_cover)
            if spot is not None:
                placed.append(spot)
                x0, y0, x1, y1 = spot.box
                taken = np.vstack([taken, np.array((x0 - pad, y0 - pad, x1 + pad, y1 + pad))])
                break
    return placed


def _first_free(
    item: Item,
    bounds: Box,
    taken: np.ndarray,
    others: np.ndarray,
    gap: float,
    pad: float,
    may_cover: bool,
) -> Placed | None:
    for box, anchor, ha, va in _candidates(item, gap):
        if not _inside(box, bounds):
            continue
        padded = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
        if _hits(padded, taken) or (not may_cover and _hits(box, others)):
            continue
        return Placed(item.key, anchor[0], anchor[1], ha, va, box)
    return None


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share more than an edge.

    >>> overlaps((0, 0, 10, 10), (5, 5, 15, 15)), overlaps((0, 0, 10, 10), (10, 0, 20, 10))
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _candidates(item: Item, gap: float) -> list[tuple[Box, tuple[float, float], str, str]]:
    reaches = (1.0, 1.8)  # further out, a label would seem to name another node
    found = []
    for reach in reaches:
        distance = item.radius + gap + (reach - 1.0) * max(item.height, 6.0)
        for dx, dy, ha, va in _AROUND:
            # Corners sit on the diagonal of the circle, not of its square.
            scale = 0.75 if dx and dy else 1.0
            ax, ay = item.x + dx * distance * scale, item.y + dy * distance * scale
            x0 = ax - _SHIFT[ha] * item.width
            y0 = ay - _SHIFT[va] * item.height
            found.append(((x0, y0, x0 + item.width, y0 + item.height), (ax, ay), ha, va))
    return found


def _inside(box: Box, bounds: Box) -> bool:
    return (
        box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]
    )


def _hits(box: Box, boxes: np.ndarray) -> bool:
    if not len(boxes):
        return False
    return bool(
        np.any(
            (boxes[:, 0] < box[2])
            & (box[0] < boxes[:, 2])
            & (boxes[:, 1] < box[3])
            & (box[1] < boxes[:, 3])
        )
    )
