"""The shortest connections between two entities, whatever the direction of the relations.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_edges_from([("kor", "ipef", "memberOf"), ("usa", "ipef", "memberOf"),
...                   ("usa", "aukus", "memberOf"), ("kor", "aukus", "concerns"),
...                   ("kor", "x", "memberOf"), ("x", "usa", "partOf")])
[...]
>>> sorted(shortest_connections(g, "kor", "usa").edges(keys=True))
[('kor', 'aukus', 'concerns'), ('kor', 'ipef', 'memberOf'), ('kor', 'x', 'memberOf'), ('usa', 'aukus', 'memberOf'), ('usa', 'ipef', 'memberOf'), ('x', 'usa', 'partOf')]
>>> shortest_connections(g, "kor", "nowhere").number_of_nodes()
0

:func:`explain_paths` lists the paths one by one, each relation with its direction and
evidence:

>>> [p.nodes for p in explain_paths(g, "kor", "usa", max_paths=2)]
[('kor', 'aukus', 'usa'), ('kor', 'ipef', 'usa')]
>>> [str(r) for step in explain_paths(g, "kor", "usa")[0].steps for r in step.relations]
['kor concerns aukus', 'usa memberOf aukus']
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TypeGuard

import networkx as nx
import numpy as np
import numpy.typing as npt

from graph.analysis.compact import CompactGraph
from graph.analysis.large import LARGE_GRAPH_NODES
from graph.analysis.projection import simple_undirected
from graph.analysis.provenance import Evidence, Provenance
from graph.errors import UnknownEntityError, UsageError

__all__ = ["ExplainedPath", "Relation", "Step", "explain_paths", "shortest_connections"]


@dataclass(frozen=True)
class Relation:
    """One ``pg:`` relation between the two entities of a step, and its evidence."""

    subject: str
    predicate: str
    object: str
    #: True if the relation points along the path (from the step's start to its end).
    forward: bool
    evidence: tuple[Evidence, ...] = ()

    @property
    def direction(self) -> str:
        """``"forward"`` or ``"backward"``, relative to the path."""
        return "forward" if self.forward else "backward"

    def __str__(self) -> str:
        return f"{self.subject} {self.predicate} {self.object}"


@dataclass(frozen=True)
class Step:
    """Two consecutive entities of a path and every relation that joins them."""

    start: str
    end: str
    #: Forward relations first, then by predicate.
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class ExplainedPath:
    """A path between two entities, explained step by step."""

    nodes: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def length(self) -> int:
        """The number of steps."""
        return len(self.steps)


def shortest_connections(
    graph: nx.MultiDiGraph, source: str, target: str, *, limit: int = 50
) -> nx.MultiDiGraph:
    """The union of the shortest paths from ``source`` to ``target``, ignoring direction.

    Every relation between two consecutive nodes of a path is kept (so a pair joined by
    ``memberOf`` and ``partOf`` shows both). At most ``limit`` paths are taken, in a stable
    order. An empty graph when there is no connection (or either end is missing).
    Breadth-first from both ends: linear in the size of the graph.
    """
    if source not in graph or target not in graph:
        return nx.MultiDiGraph()
    if _large(graph):
        ends = graph.distances(source, len(graph)), graph.distances(target, len(graph))
        apart = ends[0][graph.columns.index[target]]
        if apart < 0:
            return nx.MultiDiGraph()
        graph = _within(graph, ends, int(apart))
    undirected = nx.Graph(graph.to_undirected(as_view=True))
    try:
        paths = list(itertools.islice(nx.all_shortest_paths(undirected, source, target), limit))
    except nx.NetworkXNoPath:
        return nx.MultiDiGraph()
    result = nx.MultiDiGraph()
    for path in sorted(paths):
        for node in path:
            result.add_node(node, **graph.nodes[node])
        for a, b in itertools.pairwise(path):
            for u, v in ((a, b), (b, a)):
                for key, data in graph.get_edge_data(u, v, default={}).items():
                    result.add_edge(u, v, key=key, **data)
    return result


#: How many equally long paths beyond ``max_paths`` are read to choose among them by slug.
_TIES = 200


def explain_paths(
    graph: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    provenance: Provenance | None = None,
    max_paths: int = 3,
    max_length: int = 6,
) -> list[ExplainedPath]:
    """Up to ``max_paths`` shortest paths from ``source`` to ``target``, explained.

    Paths are simple (no entity twice) and found on the simple undirected projection, so a
    step may follow a relation against its direction; they come shortest first, and only
    paths of at most ``max_length`` steps are returned (none if the two are further apart).
    Of equally long paths, those first by their entities' slugs are kept (among the
    first few hundred found). Each step lists every
    relation between its two entities, with its direction relative to the path and, given
    ``provenance``, its evidence (:meth:`Provenance.relation_evidence`). Yen's algorithm:
    about ``max_paths`` breadth-first searches, each linear in the size of the graph.

    :raises UnknownEntityError: ``source`` or ``target`` is not a node of ``graph``.
    :raises UsageError: ``max_paths`` or ``max_length`` is below 1.
    """
    for slug in (source, target):
        if slug not in graph:
            shown = slug if len(slug) <= 60 else slug[:57] + "..."
            raise UnknownEntityError(f"no entity has the slug {shown!r}")
    if max_paths < 1:
        raise UsageError(f"max paths must be at least 1, not {max_paths}")
    if max_length < 1:
        raise UsageError(f"max length must be at least 1, not {max_length}")
    if source == target:
        return [ExplainedPath(nodes=(source,), steps=())]
    if _large(graph):
        ends = graph.distances(source, max_length), graph.distances(target, max_length)
        graph = _within(graph, ends, max_length)
    simple = simple_undirected(graph)
    found: list[list[str]] = []
    # Paths come shortest first; read on past ``max_paths`` while they are as long as the
    # last one kept (up to a bound), so the choice among equally long ones is by slug.
    try:
        for path in nx.shortest_simple_paths(simple, source, target):
            if len(path) - 1 > max_length:
                break
            if len(found) >= max_paths and (
                len(path) > len(found[max_paths - 1]) or len(found) >= max_paths + _TIES
            ):
                break
            found.append(path)
    except nx.NetworkXNoPath:
        pass
    found.sort(key=lambda p: (len(p), p))
    return [_explain(graph, path, provenance) for path in found[:max_paths]]


def _large(graph: nx.MultiDiGraph) -> TypeGuard[CompactGraph]:
    """Whether ``graph`` is a large compact projection: its paths are looked for in the
    part of it that can hold them, not in an undirected copy of all of it (a gigabyte and
    tens of seconds at millions of triples, for each question)."""
    return isinstance(graph, CompactGraph) and graph.is_compact and len(graph) > LARGE_GRAPH_NODES


def _within(
    graph: CompactGraph, ends: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]], length: int
) -> nx.MultiDiGraph:
    """The subgraph of the nodes on some walk of at most ``length`` steps between the two
    ends (``ends``: each node's hops from either, see :meth:`CompactGraph.distances`) and
    the two ends themselves:
    every path of at most ``length`` steps between them lies in it, and the search breaks
    ties in it as on the whole graph (:meth:`CompactGraph.induced`)."""
    start, end = ends
    near = (start >= 0) & (end >= 0) & (start + end <= length)
    near[start == 0] = near[end == 0] = True  # the ends themselves, however far apart
    return graph.induced(graph.columns.slugs[i] for i in np.flatnonzero(near).tolist())


def _explain(
    graph: nx.MultiDiGraph, path: list[str], provenance: Provenance | None
) -> ExplainedPath:
    steps = []
    for a, b in itertools.pairwise(path):
        relations = [
            Relation(
                subject=u,
                predicate=str(key),
                object=v,
                forward=u == a,
                evidence=provenance.relation_evidence(u, str(key), v) if provenance else (),
            )
            for u, v in ((a, b), (b, a))
            for key in graph.get_edge_data(u, v, default={})
        ]
        relations.sort(key=lambda r: (not r.forward, r.predicate))
        steps.append(Step(start=a, end=b, relations=tuple(relations)))
    return ExplainedPath(nodes=tuple(path), steps=tuple(steps))
