"""The whole-graph measures behind the analytics pages, computed together, once.

Centrality, communities and brokers all need the expensive parts — betweenness (Brandes,
``O(n m)``, pure Python) and Louvain communities — so :func:`whole_graph_measures`
computes each once and hands them on. Run as a module, it computes the measures of an on-disk store in a
process of its own and writes them, pickled, to standard output; the server starts it at
start-up so that seconds of betweenness never hold its interpreter lock::

    python -m graph.analysis.measures var/store > measures.pickle

>>> import networkx as nx
>>> star = nx.MultiDiGraph([("hub", "a"), ("hub", "b"), ("hub", "c")])
>>> found = whole_graph_measures(star)
>>> found.centrality[0].slug, found.centrality[0].betweenness
('hub', 1.0)
>>> [c.members for c in found.communities]
[('hub', 'a', 'b', 'c')]
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from graph.analysis.brokers import Broker, brokers
from graph.analysis.centrality import (
    Centrality,
    betweenness_centrality,
    betweenness_pivots,
    centrality_table,
)
from graph.analysis.communities import Community, communities
from graph.analysis.projection import project, simple_undirected

__all__ = ["Measures", "measures_of_store", "whole_graph_measures"]


@dataclass(frozen=True)
class Measures:
    """Centralities, communities and brokers of every entity of one graph."""

    centrality: list[Centrality]
    communities: list[Community]
    brokers: list[Broker]
    #: ``None`` when betweenness is exact, else the number of sources it was estimated from
    #: (:func:`graph.analysis.centrality.betweenness_pivots`).
    betweenness_pivots: int | None = None


def whole_graph_measures(graph: nx.MultiDiGraph) -> Measures:
    """The measures of ``graph`` without any filter, betweenness computed once."""
    simple = simple_undirected(graph)
    betweenness = betweenness_centrality(simple)
    found = communities(graph)
    return Measures(
        centrality=centrality_table(graph, betweenness=betweenness),
        communities=found,
        brokers=brokers(graph, types=None, betweenness=betweenness, found_communities=found),
        betweenness_pivots=betweenness_pivots(simple.number_of_nodes()),
    )


def measures_of_store(directory: Path) -> Measures:
    """The measures of the on-disk store in ``directory``, opened read-only.

    :raises StoreError: no store can be opened there.
    """
    from graph.store.oxigraph import OxigraphStore

    store = OxigraphStore.open(directory, read_only=True)
    try:
        return whole_graph_measures(project(store))
    finally:
        store.close()


def main(argv: list[str]) -> int:  # pragma: no cover - runs in a child process
    """Write the pickled measures of the store ``argv[0]`` to standard output.

    The parent keeps the child's standard input open: when it ends (the server stopped or
    died) the child stops too, rather than computing on for nobody.
    """
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    measures = measures_of_store(Path(argv[0]))
    pickle.dump(measures, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()
    return 0


def _exit_with_parent() -> None:  # pragma: no cover - runs in a child process
    while os.read(0, 4096):  # the raw descriptor: no buffer lock held at shutdown
        pass  # end of file: the parent closed it or is gone
    os._exit(1)


if __name__ == "__main__":  # pragma: no cover
    # Through the importable module, so that the pickle names graph.analysis.measures
    # (not __main__) as the home of Measures.
    from graph.analysis import measures as importable

    raise SystemExit(importable.main(sys.argv[1:]))
