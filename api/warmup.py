"""Compute the slow measures of a freshly opened store in the background.

The home page's catalogue and the framework overlap are filled at start. Betweenness (behind
centrality and brokers) is left to the first /analysis visit: it is pure Python holding the
interpreter lock for seconds — minutes on large graphs — and warming it at start slowed
every request the server answered meanwhile (py-spy: 72% of samples in the first seconds).
"""

from __future__ import annotations

import logging
import threading

from graph.store.port import GraphStore

__all__ = ["warm_up"]

_LOG = logging.getLogger(__name__)


def warm_up(store: GraphStore) -> threading.Thread:
    """Start a daemon thread that fills the caches of ``store``; return it."""

    def work() -> None:
        from api.analytics import analytics_of
        from api.catalogue import catalogue_of

        try:
            catalogue_of(store)
            analytics = analytics_of(store)
            analytics.most_connected(top=1)
            analytics.overlap()
        except Exception:  # pragma: no cover - a broken store shows its error on use
            _LOG.exception("warming the caches failed")

    thread = threading.Thread(target=work, name="policygraph-warm-up", daemon=True)
    thread.start()
    return thread
