"""GraphML for Gephi, yEd, igraph and networkx: every node and edge field as a typed key.

Keys are named after the fields (``label_ko``, ``role``, ``start_date`` …), not numbered,
so the file reads plainly. An edge's ``id`` is both its element's ``id`` (networkx's edge
key) and a data key: python-igraph 1.0 fills its ``id`` edge attribute from the wrong list
when only the element has one, and with the data key it keeps ours (and warns "Could not
add edge ids, there is already an 'id' edge attribute").
"""

from __future__ import annotations

from typing import IO

import networkx as nx

from graph.exchange.model import ExchangeGraph

__all__ = ["write_graphml"]


def write_graphml(graph: ExchangeGraph, handle: IO[bytes]) -> None:
    """Write ``graph`` as GraphML (UTF-8) to ``handle``."""
    nx.write_graphml(graph.to_networkx(), handle, named_key_ids=True)
