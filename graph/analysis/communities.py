"""Communities: groups of entities more densely joined to each other than to the rest.

Louvain modularity maximisation (:func:`networkx.community.louvain_communities`) on the
simple undirected projection (direction ignored, parallel relations one edge), with a fixed
seed, so that one store always gives the same communities. Graphs of more than
:data:`~graph.analysis.large.LARGE_GRAPH_NODES` nodes use igraph's Louvain
(:func:`graph.analysis.large.louvain`, seeded too): networkx's takes minutes there.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_edges_from(nx.complete_graph(["a1", "a2", "a3", "a4"]).edges)
[...]
>>> g.add_edges_from(nx.complete_graph(["b1", "b2", "b3", "b4"]).edges)
[...]
>>> g.add_edges_from([("a1", "x"), ("x", "b1")])
[...]
>>> [(c.label, c.members) for c in communities(g)]
[('a1', ('a1', 'a2', 'a3', 'a4', 'x')), ('b1', ('b1', 'b2', 'b3', 'b4'))]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from graph.analysis.classes import type_filter
from graph.analysis.large import LARGE_GRAPH_NODES, louvain
from graph.analysis.projection import simple_undirected
from graph.errors import UsageError

__all__ = ["SEED", "Community", "communities", "community_of"]

#: The seed of the Louvain method: fixed, so the communities are reproducible.
SEED = 42


@dataclass(frozen=True)
class Community:
    """One community: its number, its most central member and its members."""

    #: 1 for the largest community, 2 for the next … (the same with or without a filter)
    number: int
    #: The slug of the member with most neighbours in the whole graph (ties: smallest slug).
    label: str
    #: The members, most neighbours first, then by slug.
    members: tuple[str, ...]
    #: How many members the community has in the whole graph (before a type filter).
    size: int


def communities(
    graph: nx.MultiDiGraph | nx.Graph,
    *,
    types: Iterable[str] | None = None,
    top: int | None = None,
    seed: int = SEED,
    resolution: float = 1.0,
) -> list[Community]:
    """The Louvain communities of ``graph``, largest first.

    Communities are found on the whole graph; ``types`` then keeps the members of these
    ``pg:`` classes (or subclasses), dropping communities left empty, and ``top`` the
    largest ones. Communities are numbered by size, then by label; the label (the most
    central member) is chosen among all members. An isolated entity is a community of its
    own. Louvain runs in about ``O(m log n)`` for ``m`` edges and ``n`` nodes.

    :raises UsageError: an unknown class, or ``top`` below 1.
    """
    if top is not None and top < 1:
        raise UsageError(f"top must be at least 1, not {top}")
    keep = type_filter(types)
    simple = simple_undirected(graph) if graph.is_multigraph() or graph.is_directed() else graph
    if simple.number_of_nodes() > LARGE_GRAPH_NODES:
        found = louvain(simple, seed=seed, resolution=resolution)
    else:
        found = nx.community.louvain_communities(simple, seed=seed, resolution=resolution)

    def rank(node: str) -> tuple[int, str]:
        return (-simple.degree(node), node)

    ordered = sorted(
        (sorted(group, key=rank) for group in found), key=lambda ms: (-len(ms), rank(ms[0]))
    )
    result: list[Community] = []
    for number, members in enumerate(ordered, start=1):
        kept = tuple(m for m in members if keep(str(simple.nodes[m].get("type", ""))))
        if kept:
            result.append(
                Community(number=number, label=members[0], members=kept, size=len(members))
            )
    return result[:top] if top is not None else result


def community_of(found: Iterable[Community]) -> dict[str, int]:
    """The number of each member's community.

    >>> community_of([Community(1, "a", ("a", "b"), 2), Community(2, "c", ("c",), 1)])
    {'a': 1, 'b': 1, 'c': 2}
    """
    return {member: c.number for c in found for member in c.members}
