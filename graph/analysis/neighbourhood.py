"""The neighbourhood of an entity: everything within a few hops, in either direction.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_nodes_from([("kor", {"type": "Country"}), ("ipef", {"type": "TradeAgreement"}),
...                   ("usa", {"type": "Country"}), ("p", {"type": "Proposal"})])
>>> g.add_edges_from([("kor", "ipef", "memberOf"), ("usa", "ipef", "memberOf"),
...                   ("p", "kor", "involves")])
[...]
>>> sorted(neighbourhood(g, "kor", 1).nodes)
['ipef', 'kor', 'p']
>>> sorted(neighbourhood(g, "kor", 2, keep=lambda slug: g.nodes[slug]["type"] != "Proposal"))
['ipef', 'kor', 'usa']
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

__all__ = ["neighbourhood"]


def neighbourhood(
    graph: nx.MultiDiGraph,
    centre: str,
    depth: int,
    *,
    keep: Callable[[str], bool] | None = None,
) -> nx.MultiDiGraph:
    """The subgraph of the nodes at most ``depth`` hops from ``centre``, edges either way.

    ``keep`` filters the nodes the walk may pass through and show (the centre is always
    kept). Every edge between two kept nodes is in the result, parallel ones included.
    The result is a read-only view of ``graph``. Breadth-first: linear in the size of the
    neighbourhood.
    """
    if keep is not None:
        allowed = [n for n in graph if n == centre or keep(n)]
        graph = graph.subgraph(allowed)
    undirected = graph.to_undirected(as_view=True)
    reached = nx.single_source_shortest_path_length(undirected, centre, cutoff=depth)
    sub: nx.MultiDiGraph = graph.subgraph(reached)
    return sub
