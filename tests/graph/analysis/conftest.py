"""Small hand-made graphs with known answers."""

from __future__ import annotations

import networkx as nx
import pytest


def typed(edges: list[tuple[str, str, str]], types: dict[str, str]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for slug, kind in sorted(types.items()):
        graph.add_node(slug, type=kind, label=slug.upper(), label_ja="")
    for u, v, key in edges:
        graph.add_edge(u, v, key=key, predicate=key)
    return graph


@pytest.fixture()
def two_cliques() -> nx.MultiDiGraph:
    """Two 4-cliques of countries joined through one grouping ``x``: a1 — x — b1."""
    a = ["a1", "a2", "a3", "a4"]
    b = ["b1", "b2", "b3", "b4"]
    edges = [(u, v, "partOf") for group in (a, b) for u, v in nx.complete_graph(group).edges]
    edges += [("x", "a1", "memberOf"), ("x", "b1", "memberOf")]
    return typed(edges, {**dict.fromkeys(a + b, "Country"), "x": "Grouping"})
