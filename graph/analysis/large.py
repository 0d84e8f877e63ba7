"""Betweenness and communities of large graphs, computed by igraph (C) rather than networkx.

networkx is pure Python: on the 1M-triple synthetic corpus (62,222 entities, 240,166
edges) one shortest-path source of Brandes' algorithm takes about a second and Louvain two
minutes; igraph does the same work in tens of milliseconds and ten seconds. Eigenvector
centrality too goes through igraph there (ARPACK rather than power iteration). Graphs above
:data:`LARGE_GRAPH_NODES` nodes go through here; smaller ones (the report's 635 entities)
keep networkx's exact betweenness and seeded Louvain, so their answers do not change.

:func:`sampled_betweenness` is networkx's estimate (``betweenness_centrality(k=…,
seed=…)``, normalised, endpoints excluded) from the same sampled sources, to floating-point
rounding; :func:`louvain` is igraph's multilevel method (Louvain), seeded.

>>> g = nx.path_graph(["a", "b", "c", "d", "e"])
>>> estimate = sampled_betweenness(g, pivots=5, seed=1)
>>> estimate == nx.betweenness_centrality(g)
True
>>> sorted(sorted(c) for c in louvain(nx.union(nx.complete_graph("abcd"),
...                                             nx.complete_graph("wxyz")), seed=1))
[['a', 'b', 'c', 'd'], ['w', 'x', 'y', 'z']]
"""

from __future__ import annotations

import random
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    import igraph as ig

__all__ = [
    "LARGE_GRAPH_NODES",
    "eigenvector",
    "louvain",
    "native_betweenness",
    "native_eigenvector",
    "native_graph",
    "native_louvain",
    "sampled_betweenness",
]

#: Graphs with more nodes than this are measured here.
LARGE_GRAPH_NODES = 2_000
#: igraph's random numbers come from one process-wide generator: one seeded run at a time.
_RANDOM = threading.Lock()
#: The seed of ARPACK's start vector in :func:`eigenvector`.
EIGENVECTOR_SEED = 42


def sampled_betweenness(graph: nx.Graph, *, pivots: int, seed: int) -> dict[str, float]:
    """Normalised betweenness of every node of the simple undirected ``graph``, estimated
    from ``pivots`` sources drawn with ``random.Random(seed)`` as networkx draws them.

    Each source's shortest paths are counted exactly (Brandes); the sums are scaled to the
    whole graph as networkx 3.6 scales them: by ``1 / (k (n-2))``, and ``1 / ((k-1)(n-2))``
    for a node that is itself a source (it cannot lie inside its own paths). ``O(k m)``.
    """
    nodes = list(graph.nodes())
    native = _to_igraph(graph, {node: i for i, node in enumerate(nodes)})
    return dict(zip(nodes, native_betweenness(native, pivots=pivots, seed=seed), strict=True))


def louvain(graph: nx.Graph, *, seed: int, resolution: float = 1.0) -> list[set[str]]:
    """The communities of the simple undirected ``graph`` by igraph's multilevel
    (Louvain) modularity maximisation, seeded: one graph, one answer. ``O(m log n)``."""
    nodes = list(graph.nodes())
    native = _to_igraph(graph, {node: i for i, node in enumerate(nodes)})
    found = native_louvain(native, seed=seed, resolution=resolution)
    return [{nodes[i] for i in members} for members in found]


def eigenvector(graph: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality of every node of the simple undirected ``graph`` (ARPACK),
    scaled so that the most central node has 1.0; as networkx's power iteration gives, to
    about ``1e-6``. Nodes outside the largest component get 0 or nearly so."""
    nodes = list(graph.nodes())
    native = _to_igraph(graph, {node: i for i, node in enumerate(nodes)})
    return dict(zip(nodes, native_eigenvector(native), strict=True))


def native_graph(nodes: int, edges: Iterable[tuple[int, int]]) -> ig.Graph:
    """An undirected igraph graph of ``nodes`` nodes numbered from 0 and ``edges``, in
    their order (the order decides Louvain's answer); igraph is imported here, on the first
    large graph, because importing it loads matplotlib (0.4 s and 50 MB in every server
    process)."""
    import igraph as ig

    return ig.Graph(n=nodes, edges=list(edges), directed=False)


def native_betweenness(native: ig.Graph, *, pivots: int, seed: int) -> list[float]:
    """:func:`sampled_betweenness` of node ``i`` of ``native``, in node order."""
    n = native.vcount()
    if n < 3:
        return [0.0] * n
    k = min(pivots, n)
    # random.sample draws positions: the same ones from a list of n slugs as from range(n).
    sources = random.Random(seed).sample(range(n), k)
    # igraph counts each undirected path once; networkx once from each end: hence the 2.
    raw = native.betweenness(vertices=None, directed=False, sources=sources)
    sampled = set(sources)
    result = []
    for node, value in enumerate(raw):
        drawn = k - 1 if node in sampled else k
        result.append(2 * value / (drawn * (n - 2)) if drawn else 0.0)
    return result


def native_louvain(native: ig.Graph, *, seed: int, resolution: float = 1.0) -> list[list[int]]:
    """:func:`louvain` of ``native``: each community's node numbers."""
    with _seeded(seed):
        found = native.community_multilevel(resolution=resolution)
    return [list(members) for members in found]


def native_eigenvector(native: ig.Graph) -> list[float]:
    """:func:`eigenvector` of node ``i`` of ``native``, in node order. ARPACK starts from
    a random vector: seeded, so that one graph always gets the same scores to the last bit."""
    with _seeded(EIGENVECTOR_SEED), warnings.catch_warnings():
        # "not meaningful for disconnected graphs": the smaller components get about 0.
        warnings.simplefilter("ignore", RuntimeWarning)
        scores = native.eigenvector_centrality(scale=True)
    return [float(v) for v in scores]


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """igraph's random numbers from ``random.Random(seed)`` meanwhile, one run at a time."""
    import igraph as ig

    with _RANDOM:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


def _to_igraph(graph: nx.Graph, index: dict[str, int]) -> ig.Graph:
    return native_graph(len(index), ((index[u], index[v]) for u, v in graph.edges()))
