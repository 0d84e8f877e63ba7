"""The simple undirected projection of a :class:`~graph.analysis.compact.CompactGraph`, in
arrays, in the order networkx would have built it.

The measures are computed on :func:`~graph.analysis.projection.simple_undirected`'s graph:
direction dropped, parallel relations one edge, no self-loops. As an ``nx.Graph`` of a
large projection it is a second copy of the graph in dicts (hundreds of megabytes at
millions of triples); :class:`Undirected` holds the same edges as two integer arrays and
the adjacency as compressed sparse rows, node ``i`` being the graph's ``i``-th slug.

The order is networkx's, so that seeded and order-sensitive measures (Louvain, the sampled
betweenness's sources, floating-point sums) give the same answers: ``nx.Graph`` keeps a
node's neighbours in the order their first relation was added, and lists an edge from
its endpoint that comes first in node order.

>>> from graph.analysis.compact import CompactGraph
>>> g = CompactGraph.build([(s, {}) for s in "abc"],
...                        [("c", "x", "a"), ("a", "y", "b"), ("b", "x", "a"), ("a", "x", "a")])
>>> u = Undirected.of(g)
>>> [(g.columns.slugs[a], g.columns.slugs[b]) for a, b in u.edges()]
[('a', 'b'), ('a', 'c')]
>>> [g.columns.slugs[j] for j in u.neighbours(0)], u.degree.tolist()
(['b', 'c'], [2, 1, 1])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from graph.analysis.compact import CompactGraph

__all__ = ["Undirected"]

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Undirected:
    """The simple undirected graph of ``nodes`` nodes: edge ``k`` joins ``first[k] <
    second[k]``; node ``i``'s neighbours are ``adjacent[start[i]:start[i + 1]]``."""

    nodes: int
    first: npt.NDArray[np.int32]
    second: npt.NDArray[np.int32]
    start: Ints
    adjacent: npt.NDArray[np.int32]

    @classmethod
    def of(cls, graph: CompactGraph) -> Undirected:
        """The simple undirected graph of ``graph``, as ``simple_undirected`` builds it."""
        rows = graph.columns.out
        n = len(graph.columns.slugs)
        subjects = np.repeat(np.arange(n, dtype=np.int64), np.diff(rows.start))
        objects = rows.nodes.astype(np.int64)
        # The relations in networkx's order (subject, then predicate and object), each the
        # first of its pair's — its position decides where the pair is added.
        position = np.arange(len(objects), dtype=np.int64)
        loop = subjects == objects
        low = np.minimum(subjects, objects)[~loop]
        high = np.maximum(subjects, objects)[~loop]
        position = position[~loop]
        pair = low * n + high
        _, first_seen = np.unique(pair, return_index=True)  # the first relation of each pair
        low, high, added = low[first_seen], high[first_seen], position[first_seen]
        order = np.lexsort((added, low))  # listed from the lower node, in the order added
        # Adjacency: both directions of each pair, by node, then in the order added.
        owner = np.concatenate((low, high))
        other = np.concatenate((high, low))
        when = np.concatenate((added, added))
        by_node = np.lexsort((when, owner))
        start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=n), out=start[1:])
        return cls(
            nodes=n,
            first=low[order].astype(np.int32),
            second=high[order].astype(np.int32),
            start=start,
            adjacent=other[by_node].astype(np.int32),
        )

    @property
    def degree(self) -> Ints:
        """Each node's number of neighbours."""
        return np.diff(self.start)

    def edges(self) -> Iterator[tuple[int, int]]:
        """The edges as pairs of node numbers, in networkx's order."""
        return zip(self.first.tolist(), self.second.tolist(), strict=True)

    def neighbours(self, node: int) -> list[int]:
        """Node ``node``'s neighbours, in networkx's order."""
        found: list[int] = self.adjacent[self.start[node] : self.start[node + 1]].tolist()
        return found
