"""A read-only ``networkx.MultiDiGraph`` kept in arrays: the projection of a large store.

networkx keeps a graph in dicts of dicts: a relation costs about 1.4 KB (the successor
and predecessor entries, a key dict, an attribute dict and the slugs and predicate names
as strings of their own), so the projection of 5 million triples took 1.7 GB.
:class:`CompactGraph` keeps the same graph as integers: every slug once, in a list whose
position is the node's number; the relations as two compressed sparse rows (successors
and predecessors: the neighbour's number and the predicate's) — about 12 bytes a
relation each way, and a few columns of node attributes.

It *is* a frozen ``networkx.MultiDiGraph``: its node and adjacency dicts are mappings that
build, when asked, the small dicts networkx would have held — ``graph.nodes["kor"]``,
``graph.succ["kor"]``, ``graph.edges(keys=True)``, subgraph views and networkx's
algorithms all work and answer as before, in the same order (nodes in slug order; a node's
successors in the order of its first relation to each, relations sorted by predicate,
then by object). What is built for a question is dropped with its answer.

>>> g = CompactGraph.build(
...     [("ip4", {"type": "Minilateral", "label": "IP4", "label_ja": "", "member_list": ""}),
...      ("kor", {"type": "Country", "label": "Korea", "label_ja": "", "member_list": ""})],
...     [("kor", "memberOf", "ip4"), ("kor", "partOf", "ip4")])
>>> list(g.edges(keys=True)), g.nodes["kor"]["label"], dict(g.pred["ip4"]["kor"])
([('kor', 'ip4', 'memberOf'), ('kor', 'ip4', 'partOf')], 'Korea', {'memberOf': {'predicate': 'memberOf'}, 'partOf': {'predicate': 'partOf'}})
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt

__all__ = ["ATTRIBUTES", "CompactGraph"]

#: The node attributes of the projection, each a column of strings.
ATTRIBUTES = ("type", "label", "label_ja", "member_list")

Ints = npt.NDArray[np.int64]
Row = dict[str, dict[str, dict[str, str]]]


class CompactGraph(nx.MultiDiGraph):  # type: ignore[misc]
    """A frozen multigraph over arrays (see the module); :meth:`build` makes one.

    ``CompactGraph()`` is an empty, ordinary networkx graph: networkx makes one of the
    graph's own class for a subgraph view and fills it with its own mappings.
    """

    _compact: _Columns | None = None

    @classmethod
    def build(
        cls,
        nodes: Iterable[tuple[str, Mapping[str, str]]],
        edges: Iterable[tuple[str, str, str]],
    ) -> CompactGraph:
        """The graph of ``nodes`` (slug and :data:`ATTRIBUTES`, in the order they should
        keep) and ``edges`` (subject, predicate, object: slugs of ``nodes``, predicates
        local names; edges to unknown slugs are left out, duplicates kept once). Edges are
        ordered by subject (in node order), predicate, object."""
        slugs: list[str] = []
        columns: dict[str, list[str]] = {name: [] for name in ATTRIBUTES}
        interned: dict[str, str] = {}
        for slug, attributes in nodes:
            slugs.append(slug)
            for name in ATTRIBUTES:
                value = str(attributes.get(name, ""))
                # Types and member lists repeat: one string each.
                columns[name].append(
                    interned.setdefault(value, value) if name != "label" else value
                )
        index = {slug: i for i, slug in enumerate(slugs)}
        predicate_ids: dict[str, int] = {}
        subjects, predicates, objects = array("q"), array("q"), array("q")
        for subject, predicate, obj in edges:
            s, o = index.get(subject), index.get(obj)
            if s is None or o is None:
                continue
            subjects.append(s)
            predicates.append(predicate_ids.setdefault(predicate, len(predicate_ids)))
            objects.append(o)
        names = sorted(predicate_ids)
        rank = np.empty(len(names), dtype=np.int64)
        for position, name in enumerate(names):
            rank[predicate_ids[name]] = position
        return cls._of(
            _Columns(slugs, columns, names),
            np.frombuffer(subjects, dtype=np.int64),
            rank[np.frombuffer(predicates, dtype=np.int64)],
            np.frombuffer(objects, dtype=np.int64),
        )

    @classmethod
    def _of(
        cls, columns: _Columns, subjects: Ints, predicates: Ints, objects: Ints
    ) -> CompactGraph:
        order = np.lexsort((objects, predicates, subjects))
        subjects, predicates, objects = subjects[order], predicates[order], objects[order]
        if len(order):
            keep = np.ones(len(order), dtype=bool)
            keep[1:] = (
                (np.diff(subjects) != 0) | (np.diff(predicates) != 0) | (np.diff(objects) != 0)
            )
            subjects, predicates, objects = subjects[keep], predicates[keep], objects[keep]
        n = len(columns.slugs)
        # Predecessors: by object, then (stable) in the edges' order: by subject, predicate.
        by_object = np.argsort(objects, kind="stable")
        columns.out = _Rows.of(n, subjects, objects, predicates)
        columns.into = _Rows.of(n, objects[by_object], subjects[by_object], predicates[by_object])
        graph = cls()
        graph._install(columns)
        return graph

    def _install(self, columns: _Columns) -> None:
        self._compact = columns
        self._node = _NodeAttributes(columns)
        self._succ = _Adjacency(columns, columns.out)
        self._adj = self._succ
        self._pred = _Adjacency(columns, columns.into)
        nx.freeze(self)

    # -- the arrays, for the measures ------------------------------------------------------

    @property
    def is_compact(self) -> bool:
        """Whether this graph holds the arrays (not a subgraph view networkx made of it)."""
        return self._compact is not None

    def neighbour_counts(self) -> list[int]:
        """Each node's number of distinct neighbours either way, a self-loop counting two
        (the degree in the simple undirected graph that keeps self-loops)."""
        columns = self.columns
        n = len(columns.slugs)
        owners = [
            np.repeat(np.arange(n, dtype=np.int64), np.diff(r.start))
            for r in (columns.out, columns.into)
        ]
        others = [r.nodes.astype(np.int64) for r in (columns.out, columns.into)]
        pairs = np.unique(np.concatenate(owners) * n + np.concatenate(others))
        owner, other = pairs // n, pairs % n
        counts = np.bincount(owner, minlength=n) + np.bincount(owner[owner == other], minlength=n)
        found: list[int] = counts.tolist()
        return found

    def distances(self, slug: str, limit: int) -> npt.NDArray[np.int64]:
        """Hops from ``slug`` to every node, either direction, up to ``limit`` (``-1``
        beyond it or unreachable): a breadth-first walk over the arrays, a level at a time."""
        columns = self.columns
        found = np.full(len(columns.slugs), -1, dtype=np.int64)
        origin = columns.index[slug]
        found[origin] = 0
        frontier = np.array([origin], dtype=np.int64)
        for level in range(1, limit + 1):
            both = (columns.out.around(frontier), columns.into.around(frontier))
            reached = np.unique(np.concatenate(both)).astype(np.int64)
            frontier = reached[found[reached] < 0]
            if not len(frontier):
                break
            found[frontier] = level
        return found

    def induced(self, slugs: Iterable[str]) -> nx.MultiDiGraph:
        """The subgraph of ``slugs`` as an ordinary networkx graph, built in the order
        networkx would iterate this graph's subgraph: nodes in graph order, a node's
        successors in its order, so algorithms on it break ties as on the whole graph."""
        columns = self.columns
        kept = sorted(columns.index[s] for s in slugs)
        wanted = {columns.slugs[i] for i in kept}
        small = nx.MultiDiGraph()
        small.add_nodes_from((columns.slugs[i], self._node[columns.slugs[i]]) for i in kept)
        for i in kept:
            u = columns.slugs[i]
            for v, keys in self._succ._row(i).items():
                if v in wanted:
                    for key, data in keys.items():
                        small.add_edge(u, v, key=key, **data)
        return small

    @property
    def columns(self) -> _Columns:
        """The arrays themselves (only for a graph made by :meth:`build`)."""
        assert self._compact is not None, "not a compact graph"
        return self._compact

    def number_of_edges(self, u: object = None, v: object = None) -> int:
        """As networkx's, counted from the arrays for the whole graph."""
        if self._compact is not None and u is None and v is None:
            return len(self._compact.out.nodes)
        return int(super().number_of_edges(u, v))

    # -- pickling: the columns, as bytes and lists (the warm caches keep the projection) --

    def __getstate__(self) -> dict[str, Any]:
        if self._compact is None:
            return dict(self.__dict__)
        return {"compact": self._compact.state()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "compact" not in state:
            self.__dict__.update(state)
            return
        nx.MultiDiGraph.__init__(self)
        self._install(_Columns.from_state(state["compact"]))


class _Rows:
    """One direction of the relations, compressed sparse rows: the relations of node ``i``
    are ``nodes[start[i]:start[i + 1]]`` (the other end) with ``predicates`` alike."""

    def __init__(
        self, start: Ints, nodes: npt.NDArray[np.int32], predicates: npt.NDArray[np.int16]
    ) -> None:
        self.start, self.nodes, self.predicates = start, nodes, predicates

    @classmethod
    def of(cls, n: int, owners: Ints, others: Ints, predicates: Ints) -> _Rows:
        start = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(owners, minlength=n), out=start[1:])
        return cls(start, others.astype(np.int32), predicates.astype(np.int16))

    def around(self, owners: Ints) -> npt.NDArray[np.int32]:
        """The other ends of all the relations of ``owners``, together."""
        starts, ends = self.start[owners], self.start[owners + 1]
        sizes = ends - starts
        offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes)
        return self.nodes[offsets + np.arange(int(sizes.sum()))]

    def row(self, i: int) -> tuple[list[int], list[int]]:
        """The other ends and predicates of node ``i``'s relations, in order."""
        a, b = int(self.start[i]), int(self.start[i + 1])
        return self.nodes[a:b].tolist(), self.predicates[a:b].tolist()


class _Columns:
    """The graph's data: slugs, attribute columns, predicate names and both directions."""

    out: _Rows
    into: _Rows

    def __init__(
        self, slugs: list[str], attributes: dict[str, list[str]], predicates: list[str]
    ) -> None:
        self.slugs = slugs
        self.index = {slug: i for i, slug in enumerate(slugs)}
        self.attributes = attributes
        self.predicate_names = predicates

    def state(self) -> dict[str, Any]:
        arrays = {
            f"{name}.{part}": getattr(getattr(self, name), part).tobytes()
            for name in ("out", "into")
            for part in ("start", "nodes", "predicates")
        }
        return {
            "slugs": self.slugs,
            "attributes": self.attributes,
            "predicates": self.predicate_names,
            **arrays,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> _Columns:
        columns = cls(state["slugs"], state["attributes"], state["predicates"])
        for name in ("out", "into"):
            rows = _Rows(
                np.frombuffer(state[f"{name}.start"], dtype=np.int64),
                np.frombuffer(state[f"{name}.nodes"], dtype=np.int32),
                np.frombuffer(state[f"{name}.predicates"], dtype=np.int16),
            )
            setattr(columns, name, rows)
        return columns


class _BySlug:
    """What networkx's node and adjacency dicts share: their keys are the graph's slugs."""

    _columns: _Columns

    def __contains__(self, slug: object) -> bool:
        return slug in self._columns.index

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns.slugs)

    def __len__(self) -> int:
        return len(self._columns.slugs)


class _NodeAttributes(_BySlug, Mapping[str, dict[str, str]]):
    """networkx's node dict: slug → its attributes, built when asked."""

    def __init__(self, columns: _Columns) -> None:
        self._columns = columns

    def __getitem__(self, slug: str) -> dict[str, str]:
        i = self._columns.index[slug]
        return {name: column[i] for name, column in self._columns.attributes.items()}


class _Adjacency(_BySlug, Mapping[str, Row]):
    """networkx's successor (or predecessor) dict: slug → {neighbour: {predicate:
    {"predicate": predicate}}}, each row built when asked."""

    def __init__(self, columns: _Columns, rows: _Rows) -> None:
        self._columns, self._rows = columns, rows

    def __getitem__(self, slug: str) -> Row:
        return self._row(self._columns.index[slug])

    def _row(self, i: int) -> Row:
        slugs, names = self._columns.slugs, self._columns.predicate_names
        row: Row = {}
        for other, predicate in zip(*self._rows.row(i), strict=True):
            name = names[predicate]
            keys = row.get(slugs[other])
            if keys is None:
                row[slugs[other]] = {name: {"predicate": name}}
            else:
                keys[name] = {"predicate": name}
        return row

    def items(self) -> Iterator[tuple[str, Row]]:  # type: ignore[override]
        # networkx's edge views walk the whole dict this way: no lookup by slug.
        slugs = self._columns.slugs
        return ((slugs[i], self._row(i)) for i in range(len(slugs)))
