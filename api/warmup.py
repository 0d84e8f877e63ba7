"""Fill the caches of a freshly opened store in the background, so first visits are fast.

In a thread: the modules and the graph data of the views, the home page's catalogue, cards and framework list,
the search index, the ontology terms of the workbench, the projection with its degree
centrality, the framework overlap and the evidence behind paths. Betweenness (behind
centrality, communities and brokers) is computed in a child process instead
(:meth:`api.analytics.StoreAnalytics.prefetch`): it is pure Python holding the interpreter
lock for seconds — minutes on large graphs — and computing it in a thread of the server
slowed every request answered meanwhile (py-spy: 72% of samples in the first seconds).
"""

from __future__ import annotations

import logging
import threading
import time
from weakref import WeakKeyDictionary

from graph.errors import StoreError
from graph.store.port import GraphStore

__all__ = ["is_warm", "warm_up"]

_LOG = logging.getLogger(__name__)
#: Set once the caches of a store are filled (``/healthz`` reports it as ``warm``).
_WARM: WeakKeyDictionary[GraphStore, threading.Event] = WeakKeyDictionary()


def is_warm(store: GraphStore) -> bool:
    """Whether :func:`warm_up` has filled the caches of ``store`` (or tried and failed)."""
    event = _WARM.get(store)
    return event is not None and event.is_set()


def warm_up(store: GraphStore) -> threading.Thread:
    """Start a daemon thread that fills the caches of ``store``; return it."""
    warm = _WARM.setdefault(store, threading.Event())

    def work() -> None:
        import viz.html  # noqa: F401 - the views import pyvis and numpy: half a second
        from api.analytics import analytics_of
        from api.catalogue import catalogue_of
        from api.deps import get_label_index
        from api.routers.home import cards_of, class_counts_of, frameworks_of
        from api.routers.workbench import terms_of
        from graph.store.oxigraph import OxigraphStore
        from viz.data import graph_data

        started = time.monotonic()
        try:
            analytics = analytics_of(store)
            if isinstance(store, OxigraphStore) and store.location is not None:
                analytics.prefetch(store.location)
            for read in (catalogue_of, cards_of, frameworks_of, class_counts_of, terms_of):
                read(store)
            graph_data(store)
            get_label_index(store)
            analytics.most_connected(top=1)
            analytics.overlap()
            _ = analytics.provenance
            analytics.centrality(top=1)  # waits for the child process's measures
            _LOG.info("caches warm in %.1f s", time.monotonic() - started)
        except StoreError as exc:  # closed by a shutdown or a swap meanwhile, or damaged
            # The message only: the exception holds frames with query results, which must
            # not be dropped by another thread (a log record may outlive this one).
            _LOG.warning("warming the caches stopped: %s", str(exc))
        except Exception:  # pragma: no cover - a broken store shows its error on use
            _LOG.exception("warming the caches failed")
        finally:
            warm.set()

    thread = threading.Thread(target=work, name="policygraph-warm-up", daemon=True)
    thread.start()
    return thread
