"""Cytoscape JSON: the ``elements`` form that Cytoscape.js loads and Cytoscape desktop
imports (File › Import › Network from File, ``.cyjs``).

Each node's ``data`` has ``id`` (the slug), ``name`` (its English label) and every field of
the exchange graph; each edge's ``data`` has ``id``, ``source``, ``target`` and its fields.
Text is UTF-8 as is (Korean and Japanese are not escaped).
"""

from __future__ import annotations

import json
from typing import IO

import networkx as nx

from graph.exchange.model import ExchangeGraph

__all__ = ["write_cytoscape"]


def write_cytoscape(graph: ExchangeGraph, handle: IO[bytes]) -> None:
    """Write ``graph`` as Cytoscape JSON (UTF-8) to ``handle``."""
    data = nx.cytoscape_data(graph.to_networkx(), name="label", ident="id")
    handle.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
