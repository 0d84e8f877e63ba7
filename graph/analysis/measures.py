"""The whole-graph measures behind the analytics pages, computed together, once per store.

Centrality, communities and brokers all need the expensive parts — betweenness (Brandes,
pure Python; estimated from ``O(√n)`` sampled sources on large graphs, see
:func:`graph.analysis.centrality.betweenness_pivots`) and Louvain communities — so
:func:`whole_graph_measures` computes each once and hands them on.

A store generation never changes, so its measures are kept on disk beside its data, in
:data:`CACHE_FILE` inside the generation's directory (:func:`load_or_compute`): a server
restarted on the same generation reads them instead of computing them again, and the file
goes when the generation goes. A served copy with accepted edits is a directory of its own
(:func:`graph.store.edits.make_served_copy` leaves the file behind) and gets its own
measures, which are not kept: no later server opens a served copy. The file is JSON, written atomically, and read only when it was written by this
format and pivot rule; anything else is recomputed.

Run as a module, it computes the measures of an on-disk store in a process of its own (or
reads them from the cache) and writes them, pickled, to standard output; the server starts
it at start-up so that seconds of betweenness never hold its interpreter lock::

    python -m graph.analysis.measures var/store > measures.pickle

A large compact projection (:mod:`graph.analysis.compact`) is measured through arrays, not
a networkx copy (:func:`large_measures`, :func:`assemble`); the server hands its child just
the undirected edges as integers (``--edges FILE``, :func:`save_edges`), so the child
never reads a projection of its own (:func:`serving.analytics.measure_in_child`).

>>> import networkx as nx
>>> star = nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("hub", "c")])
>>> found = whole_graph_measures(star)
>>> found.centrality[0].slug, found.centrality[0].betweenness
('hub', 1.0)
>>> [c.members for c in found.communities]
[('hub', 'a', 'b', 'c')]
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt

from graph.analysis import centrality as _centrality
from graph.analysis.brokers import Broker, brokers, participation
from graph.analysis.centrality import (
    Centrality,
    betweenness_centrality,
    betweenness_pivots,
    centrality_table,
)
from graph.analysis.communities import SEED as COMMUNITY_SEED
from graph.analysis.communities import Community, communities
from graph.analysis.compact import CompactGraph
from graph.analysis.large import (
    LARGE_GRAPH_NODES,
    native_betweenness,
    native_eigenvector,
    native_graph,
    native_louvain,
)
from graph.analysis.projection import Projection, project, simple_undirected
from graph.analysis.undirected import Undirected
from graph.files import write_atomically
from graph.store.location import MEASURES_FILE

__all__ = [
    "CACHE_FILE",
    "CACHE_FORMAT",
    "LargeMeasures",
    "Measures",
    "assemble",
    "cached_measures",
    "exit_with_parent",
    "keep",
    "large_measures",
    "load_edges",
    "load_or_compute",
    "measures_of_store",
    "save_edges",
    "whole_graph_measures",
]

_LOG = logging.getLogger(__name__)

Ints = npt.NDArray[np.integer[Any]]

#: The file in a store generation's directory that keeps the generation's measures.
CACHE_FILE = MEASURES_FILE
#: The layout of :data:`CACHE_FILE`; bump it when :class:`Measures` changes.
CACHE_FORMAT = 1


@dataclass(frozen=True)
class Measures:
    """Centralities, communities and brokers of every entity of one graph."""

    centrality: list[Centrality]
    communities: list[Community]
    brokers: list[Broker]
    #: ``None`` when betweenness is exact, else the number of sources it was estimated from
    #: (:func:`graph.analysis.centrality.betweenness_pivots`).
    betweenness_pivots: int | None = None


def whole_graph_measures(graph: nx.MultiDiGraph | Projection) -> Measures:
    """The measures of ``graph`` without any filter, betweenness computed once.

    The simple undirected graph they are computed on is built once and dropped afterwards.
    """
    if isinstance(graph, Projection):
        graph = graph.graph
    if isinstance(graph, CompactGraph) and len(graph) > LARGE_GRAPH_NODES:
        undirected = Undirected.of(graph)
        numbers = large_measures(undirected.nodes, undirected.first, undirected.second)
        return assemble(graph, undirected, numbers)
    simple = simple_undirected(graph)
    betweenness = betweenness_centrality(simple)
    found = communities(simple)
    return Measures(
        centrality=centrality_table(simple, betweenness=betweenness),
        communities=found,
        brokers=brokers(simple, types=None, betweenness=betweenness, found_communities=found),
        betweenness_pivots=betweenness_pivots(simple.number_of_nodes()),
    )


@dataclass(frozen=True)
class LargeMeasures:
    """What igraph computes for :func:`whole_graph_measures` on a large graph, by node
    number (see :mod:`graph.analysis.large`): a child process can compute it from the
    edges alone, without the slugs, labels or types."""

    betweenness: list[float]
    eigenvector: list[float]
    #: Louvain's communities, each a list of node numbers.
    communities: list[list[int]]


def large_measures(nodes: int, first: Ints, second: Ints) -> LargeMeasures:
    """Sampled betweenness, eigenvector centrality and Louvain communities of the simple
    undirected graph of ``nodes`` nodes and the edges ``first[k]``–``second[k]`` (an
    :class:`~graph.analysis.undirected.Undirected`'s, in its order), as :func:`~graph.analysis.centrality.betweenness_centrality`,
    :func:`~graph.analysis.centrality.eigenvector_centrality` and
    :func:`~graph.analysis.communities.communities` compute them on a graph of more than
    :data:`~graph.analysis.large.LARGE_GRAPH_NODES` nodes."""
    native = native_graph(nodes, zip(first.tolist(), second.tolist(), strict=True))
    pivots = betweenness_pivots(nodes) or nodes
    return LargeMeasures(
        betweenness=native_betweenness(native, pivots=pivots, seed=_centrality.BETWEENNESS_SEED),
        eigenvector=native_eigenvector(native) if len(first) else [0.0] * nodes,
        communities=native_louvain(native, seed=COMMUNITY_SEED),
    )


def assemble(graph: CompactGraph, undirected: Undirected, found: LargeMeasures) -> Measures:
    """The :class:`Measures` of the large ``graph`` from igraph's ``found``, as
    :func:`~graph.analysis.centrality.centrality_table`,
    :func:`~graph.analysis.communities.communities` and
    :func:`~graph.analysis.brokers.brokers` make them from a networkx graph (same rows, same
    order), without one: node numbers index the graph's columns."""
    slugs = graph.columns.slugs
    labels, types = graph.columns.attributes["label"], graph.columns.attributes["type"]
    n = len(slugs)
    degree = undirected.degree.tolist()
    scale = 1.0 / (n - 1.0)
    table = [
        Centrality(
            slug=slugs[i],
            label=labels[i],
            type=types[i],
            degree=degree[i] * scale,
            betweenness=found.betweenness[i],
            eigenvector=found.eigenvector[i],
        )
        for i in range(n)
    ]
    table.sort(key=lambda r: (-r.degree, -r.betweenness, -r.eigenvector, r.slug))

    def rank(i: int) -> tuple[int, str]:
        return (-degree[i], slugs[i])

    ordered = sorted(
        (sorted(group, key=rank) for group in found.communities),
        key=lambda ms: (-len(ms), rank(ms[0])),
    )
    community = [0] * n
    groups = []
    for number, members in enumerate(ordered, start=1):
        for i in members:
            community[i] = number
        groups.append(
            Community(
                number=number,
                label=slugs[members[0]],
                members=tuple(slugs[i] for i in members),
                size=len(members),
            )
        )
    found_brokers = []
    for i in range(n):
        around = [community[j] for j in undirected.neighbours(i)]
        if len(set(around)) < 2:
            continue
        share = participation(around)
        found_brokers.append(
            Broker(
                slug=slugs[i],
                label=labels[i],
                type=types[i],
                communities=len(set(around)),
                participation=share,
                betweenness=found.betweenness[i],
                score=share * found.betweenness[i],
            )
        )
    found_brokers.sort(key=lambda b: (-b.score, -b.participation, b.slug))
    return Measures(
        centrality=table,
        communities=groups,
        brokers=found_brokers,
        betweenness_pivots=betweenness_pivots(n),
    )


def load_or_compute(generation: Path | None, graph: nx.MultiDiGraph | Projection) -> Measures:
    """The measures of ``graph``, the projection of the store generation in ``generation``:
    read from the generation's :data:`CACHE_FILE`, or computed and written there.

    ``generation`` is ``None`` for a store with no directory of its own (in memory, or
    behind a remote endpoint): the measures are computed and the caller keeps them. When the
    file cannot be written (a read-only disk) they are computed and returned all the same.
    """
    if generation is not None:
        found = cached_measures(generation)
        if found is not None:
            return found
    measures = whole_graph_measures(graph)
    if generation is not None:
        _write_cache(generation, measures)
    return measures


def cached_measures(generation: Path) -> Measures | None:
    """The measures kept in ``generation``'s :data:`CACHE_FILE`, or ``None`` when there are
    none usable: no file, a damaged one, or one written by another format or pivot rule."""
    try:
        kept = json.loads((generation / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("rule") != _rule():
        return None
    try:
        return _from_json(kept["measures"])
    except (KeyError, TypeError, ValueError):
        _LOG.warning("ignoring the damaged measures in %s", generation / CACHE_FILE)
        return None


def measures_of_store(directory: Path, *, kept: bool = True) -> Measures:
    """The measures of the on-disk store in ``directory``: from its cache, or computed on
    its projection (the store opened read-only) and kept in the cache. Not ``kept``: computed,
    and neither read from nor written to the cache (a served copy: no later server opens it).

    :raises StoreError: no store can be opened there.
    """
    found = cached_measures(directory) if kept else None
    if found is not None:
        return found
    from graph.store.oxigraph import OxigraphStore

    store = OxigraphStore.open(directory, read_only=True)
    try:
        graph = project(store)
    finally:
        store.close()
    return load_or_compute(directory if kept else None, graph)


def _rule() -> dict[str, Any]:
    """What the kept measures depend on besides the data: a change means recomputing."""
    return {
        "format": CACHE_FORMAT,
        "exact betweenness nodes": _centrality.EXACT_BETWEENNESS_NODES,
        "pivots per root": _centrality.PIVOTS_PER_ROOT,
        "seed": _centrality.BETWEENNESS_SEED,
        "networkx": nx.__version__,
    }


def keep(generation: Path, measures: Measures) -> None:
    """Write ``measures`` to ``generation``'s :data:`CACHE_FILE` (a warning when it cannot
    be written: they are computed again after a restart)."""
    _write_cache(generation, measures)


def _write_cache(generation: Path, measures: Measures) -> None:
    data = {"rule": _rule(), "measures": asdict(measures)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        write_atomically(generation / CACHE_FILE, text.encode("utf-8"))
    except OSError as exc:  # a read-only generation: computed again after a restart
        _LOG.warning("cannot keep the measures in %s: %s", generation, exc)


def _from_json(data: dict[str, Any]) -> Measures:
    return Measures(
        centrality=[Centrality(**row) for row in data["centrality"]],
        communities=[
            Community(**{**row, "members": tuple(row["members"])}) for row in data["communities"]
        ],
        brokers=[Broker(**row) for row in data["brokers"]],
        betweenness_pivots=data["betweenness_pivots"],
    )


def save_edges(path: Path, undirected: Undirected) -> None:
    """Write what :func:`large_measures` reads to ``path`` (``.npy``, for a child
    process): one array, the node count, then the edges' first ends, then their second."""
    with path.open("wb") as handle:
        np.save(handle, np.concatenate(([undirected.nodes], undirected.first, undirected.second)))


def load_edges(path: Path) -> tuple[int, Ints, Ints]:
    """What :func:`save_edges` wrote: the node count and the edges' two ends."""
    table = np.load(path, mmap_mode="r")
    edges = (len(table) - 1) // 2
    return int(table[0]), table[1 : 1 + edges], table[1 + edges :]


def main(argv: list[str]) -> int:  # pragma: no cover - runs in a child process
    """Write the pickled measures of the store ``argv[0]`` to standard output, or with
    ``--edges FILE`` the pickled :class:`LargeMeasures` of the edges in ``FILE``
    (:func:`save_edges`): the server's projection, not one of the child's own. A store's
    measures are kept in its cache unless ``--not-kept`` follows its directory.

    The parent keeps the child's standard input open: when it ends (the server stopped or
    died) the child stops too, rather than computing on for nobody.
    """
    threading.Thread(target=exit_with_parent, daemon=True).start()
    answer: Measures | LargeMeasures
    if argv[0] == "--edges":
        answer = large_measures(*load_edges(Path(argv[1])))
    else:
        answer = measures_of_store(Path(argv[0]), kept="--not-kept" not in argv[1:])
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()
    return 0


def exit_with_parent() -> None:  # pragma: no cover - runs in a child process
    """End this process when its standard input ends: the parent keeps it open while it
    waits for the child's answer, so a server that stops or dies stops its children too
    (run in a daemon thread of the child)."""
    while os.read(0, 4096):  # the raw descriptor: no buffer lock held at shutdown
        pass  # end of file: the parent closed it or is gone
    os._exit(1)


if __name__ == "__main__":  # pragma: no cover
    # Through the importable module, so that the pickle names graph.analysis.measures
    # (not __main__) as the home of Measures.
    from graph.analysis import measures as importable

    raise SystemExit(importable.main(sys.argv[1:]))
