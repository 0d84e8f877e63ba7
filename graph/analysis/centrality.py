"""Centrality of the entities: degree, betweenness and eigenvector.

All three are computed on the simple undirected projection
(:func:`~graph.analysis.projection.simple_undirected`): direction is ignored, and two
entities joined by several relations (``memberOf`` and ``partOf``, or one each way) count as
one unweighted edge. A relation says that two entities are connected; which one is the
subject is a modelling choice, and a second relation between the same pair is not a
stronger tie.

>>> import networkx as nx
>>> g = nx.MultiDiGraph([("kor", "ipef"), ("jpn", "ipef"), ("kor", "jpn"), ("jpn", "kor")])
>>> sorted(degree_centrality(g).items())
[('ipef', 1.0), ('jpn', 1.0), ('kor', 1.0)]
>>> degree_centrality(nx.MultiDiGraph([("a", "b"), ("a", "c")]))["b"]
0.5
>>> star = nx.MultiDiGraph([("hub", leaf) for leaf in "abcd"])
>>> betweenness_centrality(star)["hub"], betweenness_centrality(star)["a"]
(1.0, 0.0)
>>> [(row.slug, row.betweenness) for row in centrality_table(star, top=2, by="betweenness")]
[('hub', 1.0), ('a', 0.0)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from graph.analysis.classes import type_filter
from graph.analysis.compact import CompactGraph
from graph.analysis.large import LARGE_GRAPH_NODES, eigenvector, sampled_betweenness
from graph.analysis.projection import simple_undirected
from graph.errors import UsageError

__all__ = [
    "EXACT_BETWEENNESS_NODES",
    "MEASURES",
    "PIVOTS_PER_ROOT",
    "Centrality",
    "Measure",
    "betweenness_centrality",
    "betweenness_pivots",
    "centrality_table",
    "degree_centrality",
    "eigenvector_centrality",
]

Measure = Literal["degree", "betweenness", "eigenvector"]
#: The measures :func:`centrality_table` can rank by.
MEASURES: tuple[Measure, ...] = ("degree", "betweenness", "eigenvector")


@dataclass(frozen=True)
class Centrality:
    """The three centralities of one entity, each in ``[0, 1]``."""

    slug: str
    label: str
    type: str
    degree: float
    betweenness: float
    eigenvector: float


def degree_centrality(graph: nx.MultiDiGraph) -> dict[str, float]:
    """Degree centrality of every node, counting neighbours, not edges.

    Direction and parallel edges are ignored: two entities joined by ``memberOf`` and
    ``partOf`` are one neighbour. Values are in ``[0, 1]`` (the share of the other nodes a
    node is joined to). Linear in the number of edges.
    """
    # networkx's degree centrality of the simple undirected graph (a self-loop counts two),
    # counted from the adjacency itself: copying the graph into an ``nx.Graph`` first took
    # seconds and a transient copy of the graph at a million triples.
    if len(graph) <= 1:
        return dict.fromkeys(graph, 1.0)
    scale = 1.0 / (len(graph) - 1.0)
    if isinstance(graph, CompactGraph) and graph.is_compact:
        return dict(
            zip(graph.columns.slugs, (d * scale for d in graph.neighbour_counts()), strict=True)
        )
    succ, pred = graph.succ, graph.pred
    result: dict[str, float] = {}
    for node in graph:
        neighbours = succ[node].keys() | pred[node].keys()
        degree = len(neighbours) + 1 if node in neighbours else len(neighbours)
        result[node] = degree * scale
    return result


#: Up to this many nodes betweenness is exact: Brandes' algorithm from every node.
EXACT_BETWEENNESS_NODES = LARGE_GRAPH_NODES
#: Above it, betweenness is estimated from ``ceil(PIVOTS_PER_ROOT · √n)`` sampled sources.
PIVOTS_PER_ROOT = 1.0
#: The seed of the sample, so that one store always gives the same estimate.
BETWEENNESS_SEED = 42


def betweenness_pivots(nodes: int) -> int | None:
    """How many sources :func:`betweenness_centrality` samples on a graph of ``nodes``
    nodes: ``None`` (every node: exact) up to :data:`EXACT_BETWEENNESS_NODES`, then
    ``ceil(PIVOTS_PER_ROOT · √nodes)`` — a count that grows as the square root of the graph,
    so that the estimate costs ``O(√n · m)`` rather than exact betweenness's ``O(n m)``.

    >>> betweenness_pivots(635), betweenness_pivots(62_222), betweenness_pivots(300_000)
    (None, 250, 548)
    """
    if nodes <= EXACT_BETWEENNESS_NODES:
        return None
    return min(nodes, math.ceil(PIVOTS_PER_ROOT * math.sqrt(nodes)))


def betweenness_centrality(graph: nx.MultiDiGraph | nx.Graph) -> dict[str, float]:
    """Betweenness centrality of every node on the simple undirected projection.

    The share of the shortest paths between two other nodes that pass through a node,
    normalised to ``[0, 1]`` (a star's centre has 1.0). Exact (Brandes' algorithm) up to
    :data:`EXACT_BETWEENNESS_NODES` nodes: ``O(n m)`` time for ``n`` nodes and ``m``
    edges, most of a second on the report. Larger graphs get Brandes' estimate from the
    :func:`betweenness_pivots` sampled sources (seeded: one graph, one estimate),
    ``O(√n · m)``, computed by igraph (:func:`graph.analysis.large.sampled_betweenness`,
    networkx's estimate from the same sources): exact betweenness of the 1M-triple corpus
    (62,222 nodes) would take hours, the estimate takes seconds.

    >>> import networkx as nx
    >>> betweenness_centrality(nx.MultiDiGraph([("a", "b"), ("b", "c")]))["b"]
    1.0
    """
    simple = _simple(graph)
    pivots = betweenness_pivots(simple.number_of_nodes())
    if pivots is not None:
        return sampled_betweenness(simple, pivots=pivots, seed=BETWEENNESS_SEED)
    result: dict[str, float] = nx.betweenness_centrality(simple, normalized=True)
    return result


def eigenvector_centrality(graph: nx.MultiDiGraph | nx.Graph) -> dict[str, float]:
    """Eigenvector centrality of every node on the simple undirected projection.

    A node is central if its neighbours are: the leading eigenvector of the adjacency
    matrix, by power iteration from a uniform start (deterministic), scaled so that the most
    central node has 1.0. Nodes outside the largest component get values near 0. Each
    iteration is linear in the number of edges; an empty graph gives ``{}``. Above
    :data:`~graph.analysis.large.LARGE_GRAPH_NODES` nodes igraph computes it
    (:func:`graph.analysis.large.eigenvector`).

    >>> import networkx as nx
    >>> scores = eigenvector_centrality(nx.MultiDiGraph([("hub", "a"), ("hub", "b")]))
    >>> scores["hub"], round(scores["a"], 3)
    (1.0, 0.707)
    """
    simple = _simple(graph)
    if simple.number_of_edges() == 0:
        return {node: 0.0 for node in simple}
    if simple.number_of_nodes() > LARGE_GRAPH_NODES:
        return eigenvector(simple)
    raw: dict[str, float] = nx.eigenvector_centrality(simple, max_iter=1000, tol=1e-9)
    top = max(raw.values())
    return {node: value / top for node, value in raw.items()}


def centrality_table(
    graph: nx.MultiDiGraph | nx.Graph,
    *,
    types: Iterable[str] | None = None,
    top: int | None = None,
    by: Measure = "degree",
    betweenness: Mapping[str, float] | None = None,
) -> list[Centrality]:
    """The centralities of the entities, most central first.

    The measures are computed on the whole graph; ``types`` then keeps the entities of
    these ``pg:`` classes or their subclasses (``Framework`` keeps ``Minilateral`` …), and
    ``top`` the first ones. Ranked by ``by``, then by the other two measures, then by slug.
    Dominated by betweenness: ``O(n m)``; pass ``betweenness`` when it is already known
    (:func:`betweenness_centrality` of the same graph) to skip it.

    :raises UsageError: an unknown class or measure, or ``top`` below 1.
    """
    if by not in MEASURES:
        raise UsageError(f"unknown measure {by!r}; choose one of {', '.join(MEASURES)}")
    if top is not None and top < 1:
        raise UsageError(f"top must be at least 1, not {top}")
    keep = type_filter(types)
    simple = _simple(graph)
    degree: dict[str, float] = nx.degree_centrality(simple) if len(simple) > 1 else {}
    if betweenness is None:
        betweenness = betweenness_centrality(simple)
    eigenvector = eigenvector_centrality(simple)
    rows = [
        Centrality(
            slug=node,
            label=str(data.get("label", node)),
            type=str(data.get("type", "")),
            degree=degree.get(node, 0.0),
            betweenness=betweenness.get(node, 0.0),
            eigenvector=eigenvector.get(node, 0.0),
        )
        for node, data in simple.nodes(data=True)
        if keep(str(data.get("type", "")))
    ]
    others = [m for m in MEASURES if m != by]
    rows.sort(
        key=lambda r: (
            -getattr(r, by),
            -getattr(r, others[0]),
            -getattr(r, others[1]),
            r.slug,
        )
    )
    return rows[:top] if top is not None else rows


def _simple(graph: nx.MultiDiGraph | nx.Graph) -> nx.Graph:
    if graph.is_multigraph() or graph.is_directed():
        return simple_undirected(graph)
    return graph
