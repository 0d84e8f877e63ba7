"""Framework overlap: how far two frameworks share their members.

A framework's members are the entities with a ``pg:memberOf`` relation to it in the
projection: the memberships the report states and the background member lists, both
materialised by the build (memberships with a non-member role such as host or partner, or
with an end date, are not ``memberOf``). Two frameworks overlap by the Jaccard index of
their member sets, ``|A ∩ B| / |A ∪ B|``.

A member list the graph marks ``pg:memberList pg:Partial`` (node attribute ``member_list``
of the projection) would make the index meaningless — three listed members of the UN look
identical to a trilateral — so such frameworks are left out unless asked for
(``include_partial``); the matrix names the ones left out, and :func:`partial_note` says so
in one line.

>>> jaccard({"a", "b"}, {"b", "c"})
0.3333333333333333
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_edges_from([("a", "f1", "memberOf"), ("b", "f1", "memberOf"),
...                   ("b", "f2", "memberOf"), ("c", "f2", "memberOf"), ("a", "f3", "memberOf")])
[...]
>>> m = framework_overlap(g)
>>> m.frameworks, m.values
(('f1', 'f2'), ((1.0, 0.3333333333333333), (0.3333333333333333, 1.0)))
>>> [(p.first, p.second, p.shared, p.union) for p in m.pairs()]
[('f1', 'f2', 1, 3)]
>>> g.nodes["f2"]["member_list"] = "Partial"
>>> m = framework_overlap(g)
>>> m.frameworks, m.partial_left_out, partial_note(len(m.partial_left_out))
(('f1',), ('f2',), '1 framework with a partial member list left out; --include-partial to include it')
>>> framework_overlap(g, include_partial=True).frameworks
('f1', 'f2')
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from dataclasses import dataclass

import networkx as nx
import numpy as np

from graph.analysis.classes import type_filter
from graph.analysis.jaccard_matrix import Integers, JaccardMatrix

__all__ = [
    "Overlap",
    "OverlapMatrix",
    "framework_members",
    "framework_overlap",
    "has_partial_members",
    "jaccard",
    "partial_note",
]

#: How the command line asks for partial lists; the API says ``include_partial=true``.
CLI_OPTION = "--include-partial"


def jaccard(first: Set[str], second: Set[str]) -> float:
    """The Jaccard index of two sets: shared over all; 0.0 for two empty sets."""
    union = len(first | second)
    return len(first & second) / union if union else 0.0


def framework_members(graph: nx.MultiDiGraph) -> dict[str, frozenset[str]]:
    """Every framework with a member, and its members (``memberOf`` sources), by slug.

    Linear in the number of edges.
    """
    members: dict[str, set[str]] = {}
    for member, framework, key in graph.edges(keys=True):
        if key == "memberOf":
            members.setdefault(framework, set()).add(member)
    return {framework: frozenset(found) for framework, found in sorted(members.items())}


def has_partial_members(graph: nx.MultiDiGraph | nx.Graph, framework: str) -> bool:
    """Whether the graph marks the member list of ``framework`` as partial.

    >>> g = nx.Graph()
    >>> g.add_node("un", member_list="Partial")
    >>> has_partial_members(g, "un"), has_partial_members(g, "quad")
    (True, False)
    """
    node = graph.nodes.get(framework)
    return bool(node) and node.get("member_list") == "Partial"


def partial_note(count: int, option: str = CLI_OPTION) -> str:
    """The line an analysis prints when it left ``count`` partial member lists out.

    >>> partial_note(3, "include_partial=true")
    '3 frameworks with partial member lists left out; include_partial=true to include them'
    """
    if count == 1:
        return f"1 framework with a partial member list left out; {option} to include it"
    return f"{count} frameworks with partial member lists left out; {option} to include them"


@dataclass(frozen=True)
class Overlap:
    """Two frameworks and what their member sets share."""

    first: str
    second: str
    shared: int
    union: int
    jaccard: float


@dataclass(frozen=True)
class OverlapMatrix:
    """The Jaccard index of every pair of frameworks, as a symmetric matrix."""

    #: The frameworks, most members first, then by slug; rows and columns in this order.
    frameworks: tuple[str, ...]
    #: The members of each framework, in the same order.
    members: tuple[frozenset[str], ...]
    #: ``values[i][j]`` is the Jaccard index of frameworks ``i`` and ``j`` (1.0 on the
    #: diagonal); ``values[i]`` a tuple of floats. Holds the pairs sharing a member only.
    values: JaccardMatrix
    #: Frameworks that qualified but were left out because their member lists are partial
    #: (empty when partial lists were included), by slug.
    partial_left_out: tuple[str, ...] = ()

    def pairs(self, *, disjoint: bool = False) -> list[Overlap]:
        """Every pair of distinct frameworks, most overlapping first.

        Ordered by Jaccard index, then shared members (both descending), then by the
        slugs; each pair once, its slugs in alphabetical order. Pairs without a shared
        member only if ``disjoint``.
        """
        if not disjoint:
            return self.top_pairs(None)
        first, second, shared = self.values.sharing_pairs()
        n = len(self.frameworks)
        every_first, every_second = np.triu_indices(n, 1)
        every_shared = np.zeros(len(every_first), dtype=np.int64)
        # Both lists of pairs are by first, then second: place the sharing ones among all.
        at = np.searchsorted(every_first * n + every_second, first.astype(np.int64) * n + second)
        every_shared[at] = shared
        return _ranked(self._overlaps(every_first, every_second, every_shared))

    def top_pairs(self, count: int | None) -> list[Overlap]:
        """``pairs()[:count]`` — every pair sharing a member when ``count`` is ``None`` —
        without making every pair: only the pairs whose Jaccard index is among the
        ``count`` highest (ties kept) are made and ranked."""
        if count is not None and count < 1:
            return []
        first, second, shared = self.values.sharing_pairs()
        if count is not None and len(shared) > count:
            indexes = self.values.indexes(first, second, shared)
            keep = indexes >= np.partition(indexes, -count)[-count]
            first, second, shared = first[keep], second[keep], shared[keep]
        return _ranked(self._overlaps(first, second, shared))[:count]

    def _overlaps(self, first: Integers, second: Integers, shared: Integers) -> list[Overlap]:
        """The pairs of frameworks ``first[k]``, ``second[k]``, sharing ``shared[k]`` members."""
        sizes = self.values.sizes
        unions = sizes[first] + sizes[second] - shared
        indexes = self.values.indexes(first, second, shared)
        columns = (first, second, shared, unions, indexes)
        found = []
        for i, j, together, union, index in zip(*(c.tolist() for c in columns), strict=True):
            a, b = sorted((self.frameworks[i], self.frameworks[j]))
            found.append(Overlap(first=a, second=b, shared=together, union=union, jaccard=index))
        return found


def _ranked(pairs: list[Overlap]) -> list[Overlap]:
    pairs.sort(key=lambda p: (-p.jaccard, -p.shared, p.first, p.second))
    return pairs


def framework_overlap(
    graph: nx.MultiDiGraph,
    *,
    min_members: int = 2,
    types: Iterable[str] | None = None,
    include_partial: bool = False,
) -> OverlapMatrix:
    """The overlap matrix of the frameworks with at least ``min_members`` members.

    ``types`` keeps the frameworks of these ``pg:`` classes or their subclasses
    (``Minilateral`` …). Frameworks whose member list is marked partial are left out (and
    listed in ``partial_left_out``) unless ``include_partial``. The members shared are
    counted per member (:class:`~graph.analysis.jaccard_matrix.JaccardMatrix`): ``O(f² +
    Σ d²)`` for ``f`` frameworks and members in ``d`` of them each.

    :raises UsageError: an unknown class.
    """
    keep = type_filter(types)
    qualified = [
        (framework, members)
        for framework, members in framework_members(graph).items()
        if len(members) >= min_members and keep(str(graph.nodes[framework].get("type", "")))
    ]
    left_out = tuple(
        framework
        for framework, _ in qualified
        if not include_partial and has_partial_members(graph, framework)
    )
    chosen = sorted(
        ((framework, members) for framework, members in qualified if framework not in left_out),
        key=lambda item: (-len(item[1]), item[0]),
    )
    sets = tuple(members for _, members in chosen)
    return OverlapMatrix(
        frameworks=tuple(framework for framework, _ in chosen),
        members=sets,
        values=JaccardMatrix.of_sets(sets),
        partial_left_out=left_out,
    )
