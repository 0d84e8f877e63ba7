"""Brokers: actors whose ties reach into several communities and who lie between them.

For an entity ``v`` with ``k`` neighbours, of which ``k_c`` are in community ``c``, the
*participation coefficient* (Guimerà and Amaral, 2005) is

    P(v) = 1 − Σ_c (k_c / k)²

0 when all neighbours are in one community, towards 1 when they are spread evenly over
many. The *broker score* is ``P(v) × B(v)``, where ``B(v)`` is the normalised betweenness
centrality: a broker both spreads its ties over communities and carries shortest paths
between them. Both are computed on the simple undirected projection with the seeded
Louvain communities of :mod:`graph.analysis.communities`.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_edges_from(nx.complete_graph(["a1", "a2", "a3", "a4"]).edges)
[...]
>>> g.add_edges_from(nx.complete_graph(["b1", "b2", "b3", "b4"]).edges)
[...]
>>> g.add_edges_from([("a1", "x"), ("x", "b1")])
[...]
>>> top = brokers(g, types=None)[0]
>>> top.slug, top.communities, top.participation
('x', 2, 0.5)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from graph.analysis.centrality import betweenness_centrality
from graph.analysis.classes import type_filter
from graph.analysis.communities import SEED, Community, communities, community_of
from graph.analysis.projection import simple_undirected
from graph.errors import UsageError

__all__ = ["Broker", "brokers", "participation"]


@dataclass(frozen=True)
class Broker:
    """An entity whose neighbours lie in more than one community."""

    slug: str
    label: str
    type: str
    #: The number of distinct communities among its neighbours.
    communities: int
    #: The participation coefficient, in ``[0, 1)``.
    participation: float
    #: The normalised betweenness centrality, in ``[0, 1]``.
    betweenness: float
    #: ``participation × betweenness``.
    score: float


def participation(neighbour_communities: Iterable[int]) -> float:
    """The participation coefficient of a node, given its neighbours' communities.

    >>> participation([1, 1, 2, 2]), participation([1, 1, 1]), participation([])
    (0.5, 0.0, 0.0)
    """
    counts = Counter(neighbour_communities)
    total = sum(counts.values())
    if not total:
        return 0.0
    return 1.0 - sum((n / total) ** 2 for n in counts.values())


def brokers(
    graph: nx.MultiDiGraph | nx.Graph,
    *,
    types: Iterable[str] | None = ("Actor",),
    top: int | None = None,
    seed: int = SEED,
    betweenness: Mapping[str, float] | None = None,
    found_communities: Sequence[Community] | None = None,
) -> list[Broker]:
    """The entities whose neighbours lie in two or more communities, best brokers first.

    Ranked by broker score, then participation, then slug. ``types`` keeps the entities of
    these ``pg:`` classes or subclasses (by default actors: countries, organisations,
    people, groupings; ``None`` keeps every entity); ``top`` the first ones. Communities and
    betweenness are computed on the whole graph. Dominated by betweenness: ``O(n m)``; pass
    ``betweenness`` and ``found_communities`` when they are already known (of the same graph,
    the communities with the same ``seed``) to skip them.

    :raises UsageError: an unknown class, or ``top`` below 1.
    """
    if top is not None and top < 1:
        raise UsageError(f"top must be at least 1, not {top}")
    keep = type_filter(types)
    simple = simple_undirected(graph) if graph.is_multigraph() or graph.is_directed() else graph
    if found_communities is None:
        found_communities = communities(simple, seed=seed)
    community = community_of(found_communities)
    if betweenness is None:
        betweenness = betweenness_centrality(simple)
    found = []
    for node, data in simple.nodes(data=True):
        kind = str(data.get("type", ""))
        if not keep(kind):
            continue
        around = [community[n] for n in simple[node]]
        if len(set(around)) < 2:
            continue
        share = participation(around)
        found.append(
            Broker(
                slug=node,
                label=str(data.get("label", node)),
                type=kind,
                communities=len(set(around)),
                participation=share,
                betweenness=betweenness[node],
                score=share * betweenness[node],
            )
        )
    found.sort(key=lambda b: (-b.score, -b.participation, b.slug))
    return found[:top] if top is not None else found
