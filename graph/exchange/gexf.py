"""GEXF 1.2 for Gephi, with spells: a dated membership plays on Gephi's timeline.

An edge with a start or end date gets one spell (``<spells><spell start=… end=…/>``) in
``timeformat="date"``: a year or month becomes its first day as a start and its last day
as an end (:func:`~graph.exchange.model.spell`); the dates as stated stay in the
``start_date`` and ``end_date`` attributes. Undated edges and all nodes have no spell, so
Gephi shows them at every point of the timeline. networkx writes the file (GEXF
``1.2draft``, the version Gephi 0.9 and later read).
"""

from __future__ import annotations

from typing import IO

import networkx as nx

from graph.exchange.model import ExchangeGraph, spell

__all__ = ["write_gexf"]


def write_gexf(graph: ExchangeGraph, handle: IO[bytes]) -> None:
    """Write ``graph`` as GEXF 1.2 (UTF-8) to ``handle``."""
    network = graph.to_networkx()
    for _source, _target, data in network.edges(data=True):
        start, end = spell(data["start_date"], data["end_date"])
        if start or end:
            data["spells"] = [(start, end)]
    nx.write_gexf(network, handle, version="1.2draft")
