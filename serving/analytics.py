"""The network measures of a served store, computed once and kept by its context.

Betweenness (behind centrality and brokers) takes over a second on the report's graph and
holds the interpreter lock all along, so the server computes the whole-graph measures in a
child process at start-up (:meth:`StoreAnalytics.prefetch`, running
:mod:`graph.analysis.measures`) and every page afterwards only filters them (``type`` and
``top`` never recompute). A page asked for before the child is done waits for it; without
a child (a store in memory, or the child failed) the measures are computed in-process.
The served store is read-only; a rebuilt or edited store is published in a new
:class:`~serving.context.StoreContext`, with new analytics.
"""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx

from graph.analysis import (
    Broker,
    Centrality,
    Community,
    Overlap,
    OverlapMatrix,
    Provenance,
    framework_overlap,
    type_filter,
)
from graph.analysis.centrality import MEASURES, Measure
from graph.analysis.compact import CompactGraph
from graph.analysis.large import LARGE_GRAPH_NODES
from graph.analysis.measures import (
    LargeMeasures,
    Measures,
    assemble,
    cached_measures,
    keep,
    load_or_compute,
    save_edges,
)
from graph.analysis.projection import Projection, projection_of
from graph.analysis.undirected import Undirected
from graph.errors import UsageError
from graph.memo import Memo, remembered
from graph.store.port import GraphStore

__all__ = ["Connected", "StoreAnalytics", "measure_in_child"]

_LOG = logging.getLogger(__name__)


class Connected(NamedTuple):
    """An entity and its degree centrality (the home page's "most connected")."""

    slug: str
    label: str
    type: str
    degree: float


#: The pairs of frameworks the analytics page shows, most overlapping first.
PAIRS_SHOWN = 15

#: Graphs up to this many entities have their measures computed in the warm-up's thread
#: (a tenth of a second at most); larger ones in a child process.
IN_THREAD_NODES = 200


class StoreAnalytics:
    """The projection of one store and its measures, each computed on first use."""

    def __init__(
        self,
        store: GraphStore,
        directory: Path | None = None,
        memo: Memo | None = None,
        *,
        kept: bool = True,
    ) -> None:
        self._store = store
        #: The context's memo: the projection is the one the views read too.
        self._memo = memo
        #: Where the store is on disk (a child process can open it), else ``None``.
        self.directory = directory
        #: Whether the measures are kept in ``directory`` for a later server (not in a
        #: served copy, which no later server opens; see :class:`serving.context.StoreContext`).
        self.kept = kept and directory is not None
        self._lock = threading.RLock()
        self._pending: Future[Measures] | None = None

    def prefetch(self) -> None:
        """Compute the whole-graph measures in a child process that opens the store's
        directory, in the background; pages wait for them when they need them first.

        Nothing without a directory, nor for a graph of at most :data:`IN_THREAD_NODES`
        entities: the caller (the warm-up) computes those itself, in milliseconds, rather
        than start a process for them (after every accepted edit of a small store).
        """
        directory = self.directory
        if directory is None or len(self.graph) <= IN_THREAD_NODES:
            return
        with self._lock:
            if self._pending is not None or "_measures" in self.__dict__:
                return
            pending: Future[Measures] = Future()
            self._pending = pending

        def work() -> None:
            try:
                # Kept beside the generation by an earlier server: no child at all.
                found = cached_measures(directory) if self.kept else None
                if found is None:
                    found = measure_in_child(directory, self.projection.graph, kept=self.kept)
                pending.set_result(found)
            except Exception as exc:  # the page computes them itself then
                pending.set_exception(exc)

        threading.Thread(target=work, name="policygraph-measures", daemon=True).start()

    @property
    def projection(self) -> Projection:
        """The store's one projection (:func:`graph.analysis.projection.projection_of`)."""
        return projection_of(self._store, self._memo)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx projection (:func:`graph.analysis.project`)."""
        with self._lock:
            return self.projection.graph

    @cached_property
    def provenance(self) -> Provenance:
        """Evidence of memberships and affiliations (explains the paths)."""
        with self._lock:
            return self.projection.provenance

    @cached_property
    def _degree(self) -> dict[str, float]:
        with self._lock:
            return self.projection.degree

    @cached_property
    def _by_degree(self) -> list[tuple[str, float]]:
        """Every entity and its degree centrality, most central first (then by slug): sorted
        once (the warm-up asks), not on each visit of the home page (0.6 s at 1M)."""
        with self._lock:
            return sorted(self._degree.items(), key=lambda item: (-item[1], item[0]))

    @cached_property
    def _measures(self) -> Measures:
        pending = self._pending
        if pending is not None:
            try:
                return pending.result()
            except Exception:
                _LOG.exception("the measures' child process failed; computing them here")
        with self._lock:
            return load_or_compute(self.directory if self.kept else None, self.graph)

    @cached_property
    def _overlap(self) -> OverlapMatrix:
        # In the context's memo: kept with the warm caches (24 s at 5M triples).
        with self._lock:
            return remembered(
                self._memo, "framework_overlap", lambda: framework_overlap(self.graph)
            )

    @property
    def betweenness_pivots(self) -> int | None:
        """``None`` when betweenness is exact, else the sources it was estimated from."""
        return self._measures.betweenness_pivots

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
        rows: list[Connected] = []
        # Ranked first, then each entity's type and label looked up until ``top`` are found:
        # a compact graph makes a node's attributes when asked (for every entity, 6.7 s at
        # 5M triples; the home page asks for ten actors).
        for slug, value in self._by_degree:
            if len(rows) == top:
                break
            node = nodes[slug]
            kind = str(node.get("type", ""))
            if keep(kind):
                rows.append(Connected(slug, str(node.get("label") or slug), kind, value))
        return rows

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
        rows = [row for row in self._measures.centrality if keep(row.type)]
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
        found: list[Community] = []
        for community in self._measures.communities:
            if top is not None and len(found) == top:
                break  # a compact graph makes a node's attributes when asked: only the top
            kept = (
                tuple(m for m in community.members if keep(str(nodes[m].get("type", ""))))
                if types
                else community.members
            )
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
        found = [b for b in self._measures.brokers if keep(b.type)]
        return found[:top] if top is not None else found

    @cached_property
    def _overlap_with_partial(self) -> OverlapMatrix:
        with self._lock:
            return framework_overlap(self.graph, include_partial=True)

    def overlap_pairs(self, *, include_partial: bool = False) -> list[Overlap]:
        """The :data:`PAIRS_SHOWN` most overlapping pairs of frameworks (the first of
        :meth:`OverlapMatrix.pairs`), found once per matrix (the warm-up asks), in the
        context's memo: kept with the warm caches (2 s at 5M triples)."""
        key = "framework_overlap_pairs" + ("_with_partial" if include_partial else "")
        with self._lock:
            return remembered(
                self._memo,
                key,
                lambda: top_pairs(self.overlap(include_partial=include_partial), PAIRS_SHOWN),
            )

    def overlap(
        self, *, types: Iterable[str] | None = None, include_partial: bool = False
    ) -> OverlapMatrix:
        """As :func:`graph.analysis.framework_overlap` (cached without a class filter):
        partial member lists are left out unless ``include_partial``."""
        if not types:
            return self._overlap_with_partial if include_partial else self._overlap
        return framework_overlap(self.graph, types=types, include_partial=include_partial)


def top_pairs(matrix: OverlapMatrix, count: int) -> list[Overlap]:
    """``matrix.pairs()[:count]`` without making every pair
    (:meth:`~graph.analysis.overlap.OverlapMatrix.top_pairs`): all of them took the analytics
    page 5 s at 1M triples (1,500 frameworks, 250,000 overlapping pairs)."""
    return matrix.top_pairs(count)


def _check_top(top: int | None) -> None:
    if top is not None and top < 1:
        raise UsageError(f"top must be at least 1, not {top}")


def measure_in_child(
    directory: Path, graph: nx.MultiDiGraph | None = None, *, kept: bool = True
) -> Measures:
    """The whole-graph measures of the store in ``directory``, computed in a child process.

    A large compact ``graph`` (the served projection, more than
    :data:`~graph.analysis.large.LARGE_GRAPH_NODES` entities) hands the child only its
    undirected edges, as integers in a temporary file: the child computes igraph's measures
    from them (:func:`graph.analysis.measures.large_measures`) and this process puts the
    slugs, labels and types back (:func:`~graph.analysis.measures.assemble`) and keeps the
    result beside the generation — the child never reads a projection of its own. Otherwise
    the child computes :func:`graph.analysis.measures.measures_of_store` on the directory.
    Not ``kept``: nothing is written beside the generation (a served copy).

    :raises RuntimeError: the child failed (the end of its standard error is the message).
    """
    if isinstance(graph, CompactGraph) and len(graph) > LARGE_GRAPH_NODES:
        undirected = Undirected.of(graph)
        with tempfile.TemporaryDirectory(prefix="policygraph-measures-") as scratch:
            edges = Path(scratch) / "edges.npy"
            save_edges(edges, undirected)
            found: LargeMeasures = _child(["--edges", str(edges)])
        measures = assemble(graph, undirected, found)
        if kept:
            keep(directory, measures)
        return measures
    computed: Measures = _child([str(directory)] if kept else [str(directory), "--not-kept"])
    return computed


def _child(arguments: list[str]) -> Any:
    """Run ``python -m graph.analysis.measures ARGUMENTS`` and unpickle what it writes.

    The child's standard input stays open until its answer is read: if this process stops
    first, the child sees the end of the file and stops too.
    """
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, "-m", "graph.analysis.measures", *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            answer = child.stdout.read()
            code = child.wait()
        finally:
            child.stdin.close()
            child.stdout.close()
        if code != 0:
            errors.seek(0)
            raise RuntimeError(errors.read().decode(errors="replace").strip()[-500:])
    return pickle.loads(answer)  # our own child process wrote it
