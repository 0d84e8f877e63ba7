"""Deterministic node positions, computed in Python so a view looks the same every time.

A force-directed layout (Fruchterman–Reingold, vectorised with numpy, seeded) for the
largest connected part of a view; the other parts and the nodes without any edge go on a
grid beneath it, so they neither fly off to the edge nor squeeze the structure. Positions
are in pixels, centred on 0.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c")])
>>> g.add_node("alone")
>>> first, second = force_layout(g), force_layout(g)
>>> first == second, sorted(first)
(True, ['a', 'alone', 'b', 'c'])
>>> first["alone"][1] > max(first[n][1] for n in "abc")
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np

__all__ = ["Position", "force_layout", "radial_layout"]

Position = tuple[float, float]

#: The seed of every layout: the same graph always gets the same picture.
SEED = 20250918


def force_layout(
    graph: nx.Graph,
    *,
    initial: Mapping[str, Position] | None = None,
    iterations: int = 60,
    fixed: Iterable[str] = (),
) -> dict[str, Position]:
    """Positions (pixels) for the nodes of the undirected, simple ``graph``.

    ``initial`` seeds the positions (otherwise a seeded random start); ``fixed`` nodes stay
    where ``initial`` puts them. Each iteration is O(n²) in numpy arrays (no BLAS, whose
    threads cost more than they save at this size): about 0.2 s for 650 nodes.
    """
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c)
    )
    # The largest component gets the force layout; smaller ones and isolated nodes go on
    # the grid beneath it, each component's nodes side by side.
    linked = components[0] if components and len(components[0]) > 1 else []
    alone = [n for c in components if c is not linked for n in c]
    positions = _fruchterman_reingold(graph, linked, initial, iterations, set(fixed))
    scale = 60.0 * math.sqrt(max(len(linked), 1)) + 60.0
    result = {n: (x * scale, y * scale) for n, (x, y) in positions.items()}
    if alone:
        bottom = max((y for _, y in result.values()), default=0.0) + 80.0
        columns = max(1, round(math.sqrt(len(alone) * 3)))
        step = 70.0
        width = step * (min(columns, len(alone)) - 1)
        for i, node in enumerate(alone):
            row, column = divmod(i, columns)
            result[node] = (column * step - width / 2, bottom + row * step)
    return result


def radial_layout(graph: nx.Graph, centre: str) -> dict[str, Position]:
    """Rings around ``centre`` by distance (pixels); within a ring, neighbours of the same
    node stay together, in slug order. O(n log n)."""
    distance = nx.single_source_shortest_path_length(graph, centre)
    angle: dict[str, float] = {centre: 0.0}
    result: dict[str, Position] = {centre: (0.0, 0.0)}
    rings: dict[int, list[str]] = {}
    for node, hops in distance.items():
        if hops:
            rings.setdefault(hops, []).append(node)

    def parent_angle(node: str, hops: int) -> float:
        return min(
            (angle[p] for p in graph[node] if distance.get(p) == hops - 1 and p in angle),
            default=0.0,
        )

    radius = 0.0
    for hops in sorted(rings):
        ring = sorted(rings[hops], key=lambda n: (parent_angle(n, hops), str(n)))
        radius += max(180.0, 18.0 * len(ring) / (2 * math.pi))
        for i, node in enumerate(ring):
            theta = 2 * math.pi * i / len(ring)
            angle[node] = theta
            result[node] = (radius * math.cos(theta), radius * math.sin(theta))
    others = sorted((n for n in graph if n not in result), key=str)
    for i, node in enumerate(others):
        result[node] = (radius + 120.0 + 70.0 * (i % 10), 70.0 * (i // 10))
    return result


def _fruchterman_reingold(
    graph: nx.Graph,
    nodes: list[str],
    initial: Mapping[str, Position] | None,
    iterations: int,
    fixed: set[str],
) -> dict[str, Position]:
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    adjacency = np.zeros((n, n), dtype=np.float32)
    for u, v in graph.edges(nodes):
        if u != v and u in index and v in index:
            adjacency[index[u], index[v]] = adjacency[index[v], index[u]] = 1.0
    rng = np.random.default_rng(SEED)
    x, y = rng.random((2, n), dtype=np.float32)
    if initial:
        span = max((max(abs(px), abs(py)) for px, py in initial.values()), default=1.0) or 1.0
        for node, (px, py) in initial.items():
            if node in index:
                x[index[node]], y[index[node]] = px / span / 2 + 0.5, py / span / 2 + 0.5
    movable = np.array([node not in fixed for node in nodes], dtype=np.float32)
    k = np.float32(math.sqrt(1.0 / n))
    temperature, cooling = 0.1, 0.1 / (iterations + 1)
    for _ in range(iterations):
        dx, dy = np.subtract.outer(x, x), np.subtract.outer(y, y)
        d2 = dx * dx + dy * dy
        np.maximum(d2, 1e-4, out=d2)
        force = k * k / d2 - adjacency * np.sqrt(d2) / k
        # A weak pull to the middle keeps small components near the large one.
        move_x = (force * dx).sum(1) - 0.05 * (x - x.mean())
        move_y = (force * dy).sum(1) - 0.05 * (y - y.mean())
        length = np.maximum(np.sqrt(move_x * move_x + move_y * move_y), 0.01)
        step = temperature / length * movable
        x += move_x * step
        y += move_y * step
        temperature -= cooling
    x -= x.mean()
    y -= y.mean()
    extent = float(max(np.abs(x).max(), np.abs(y).max())) or 1.0
    return {node: (float(x[i]) / extent, float(y[i]) / extent) for node, i in index.items()}
