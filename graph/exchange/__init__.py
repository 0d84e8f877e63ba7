"""Exchange formats that keep the graph's meaning: roles, dates, statuses, evidence counts
and names in English, Japanese and Korean — for Gephi, Cytoscape, Kumu, igraph, yEd.

:mod:`graph.exchange.model` reads the store into one :class:`ExchangeGraph`; each format is
a module that writes it to a binary handle.

========== ====================================== ==========================================
format     module                                 opens in
========== ====================================== ==========================================
graphml    :mod:`graph.exchange.graphml`          Gephi, yEd, igraph, networkx
gexf       :mod:`graph.exchange.gexf`             Gephi (timeline from the membership dates)
cytoscape  :mod:`graph.exchange.cytoscape`        Cytoscape.js, Cytoscape desktop (.cyjs)
kumu       :mod:`graph.exchange.kumu`             Kumu (Elements and Connections sheets)
========== ====================================== ==========================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from graph.exchange.cytoscape import write_cytoscape
from graph.exchange.gexf import write_gexf
from graph.exchange.graphml import write_graphml
from graph.exchange.kumu import write_kumu
from graph.exchange.model import ExchangeEdge, ExchangeGraph, ExchangeNode, read_exchange_graph

__all__ = [
    "EXCHANGE_FORMATS",
    "ExchangeEdge",
    "ExchangeGraph",
    "ExchangeNode",
    "read_exchange_graph",
]

#: Each exchange format's writer, by the name ``policygraph export --format`` takes.
EXCHANGE_FORMATS: dict[str, Callable[[ExchangeGraph, IO[bytes]], None]] = {
    "graphml": write_graphml,
    "gexf": write_gexf,
    "cytoscape": write_cytoscape,
    "kumu": write_kumu,
}
