"""The network measures of a store, computed once per store object and kept.

Betweenness (behind centrality and brokers) takes about a second on the report's graph, so
every measure is computed on the whole graph the first time it is asked for and filtered
afterwards (``type`` and ``top`` never recompute). The served store is read-only; a
rebuilt store is a new object, and a store whose size changed is read again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import cached_property
from typing import NamedTuple
from weakref import WeakKeyDictionary

import networkx as nx

from graph.analysis import (
    Broker,
    Centrality,
    Community,
    OverlapMatrix,
    Provenance,
    brokers,
    centrality_table,
    communities,
    framework_overlap,
    project,
    read_provenance,
    type_filter,
)
from graph.analysis.centrality import MEASURES, Measure, degree_centrality
from graph.errors import UsageError
from graph.store.port import GraphStore

__all__ = ["StoreAnalytics", "analytics_of"]


class Connected(NamedTuple):
    """An entity and its degree centrality (the home page's "most connected")."""

    slug: str
    label: str
    type: str
    degree: float


class StoreAnalytics:
    """The projection of one store and its measures, each computed on first use."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._lock = threading.RLock()

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx projection (:func:`graph.analysis.project`)."""
        with self._lock:
            return project(self._store)

    @cached_property
    def provenance(self) -> Provenance:
        """Evidence of memberships and affiliations (explains the paths)."""
        with self._lock:
            return read_provenance(self._store)

    @cached_property
    def _degree(self) -> dict[str, float]:
        with self._lock:
            return degree_centrality(self.graph)

    @cached_property
    def _centrality(self) -> list[Centrality]:
        with self._lock:
            return centrality_table(self.graph)

    @cached_property
    def _communities(self) -> list[Community]:
        with self._lock:
            return communities(self.graph)

    @cached_property
    def _brokers(self) -> list[Broker]:
        with self._lock:
            return brokers(self.graph, types=None)

    @cached_property
    def _overlap(self) -> OverlapMatrix:
        with self._lock:
            return framework_overlap(self.graph)

    def label(self, slug: str) -> str:
        """The English label of ``slug`` (the slug when it is not in the graph)."""
        node = self.graph.nodes.get(slug)
        return str(node.get("label") or slug) if node else slug

    def most_connected(
        self, *, types: Iterable[str] | None = None, top: int = 10
    ) -> list[Connected]:
        """The ``top`` entities of ``types`` by degree centrality alone — cheap, unlike
        :meth:`centrality`, whose betweenness takes seconds on a large graph."""
        keep = type_filter(types)
        nodes = self.graph.nodes
        rows = [
            Connected(
                slug, str(nodes[slug].get("label") or slug), str(nodes[slug].get("type", "")), value
            )
            for slug, value in self._degree.items()
            if keep(str(nodes[slug].get("type", "")))
        ]
        rows.sort(key=lambda r: (-r.degree, r.slug))
        return rows[:top]

    def centrality(
        self, *, types: Iterable[str] | None = None, top: int | None = None, by: Measure = "degree"
    ) -> list[Centrality]:
        """As :func:`graph.analysis.centrality_table`, from the cached table.

        :raises UsageError: an unknown class or measure, or ``top`` below 1.
        """
        if by not in MEASURES:
            raise UsageError(f"unknown measure {by!r}; choose one of {', '.join(MEASURES)}")
        _check_top(top)
        keep = type_filter(types)
        rows = [row for row in self._centrality if keep(row.type)]
        others = [m for m in MEASURES if m != by]
        rows.sort(
            key=lambda r: (-getattr(r, by), -getattr(r, others[0]), -getattr(r, others[1]), r.slug)
        )
        return rows[:top] if top is not None else rows

    def communities(
        self, *, types: Iterable[str] | None = None, top: int | None = None
    ) -> list[Community]:
        """As :func:`graph.analysis.communities`, from the cached communities."""
        _check_top(top)
        keep = type_filter(types)
        nodes = self.graph.nodes
        found = []
        for community in self._communities:
            kept = tuple(m for m in community.members if keep(str(nodes[m].get("type", ""))))
            if kept:
                found.append(
                    Community(
                        number=community.number,
                        label=community.label,
                        members=kept,
                        size=community.size,
                    )
                )
        return found[:top] if top is not None else found

    def brokers(
        self, *, types: Iterable[str] | None = ("Actor",), top: int | None = None
    ) -> list[Broker]:
        """As :func:`graph.analysis.brokers`, from the cached brokers of every class."""
        _check_top(top)
        keep = type_filter(types)
        found = [b for b in self._brokers if keep(b.type)]
        return found[:top] if top is not None else found

    def overlap(self, *, types: Iterable[str] | None = None) -> OverlapMatrix:
        """As :func:`graph.analysis.framework_overlap` (cached without a class filter)."""
        if not types:
            return self._overlap
        return framework_overlap(self.graph, types=types)


def _check_top(top: int | None) -> None:
    if top is not None and top < 1:
        raise UsageError(f"top must be at least 1, not {top}")


_CACHE: WeakKeyDictionary[GraphStore, tuple[int, StoreAnalytics]] = WeakKeyDictionary()
_LOCK = threading.Lock()


def analytics_of(store: GraphStore) -> StoreAnalytics:
    """The :class:`StoreAnalytics` of ``store`` (the same object while it is unchanged)."""
    size = len(store)
    with _LOCK:
        cached = _CACHE.get(store)
        if cached is None or cached[0] != size:
            cached = _CACHE[store] = (size, StoreAnalytics(store))
        return cached[1]
