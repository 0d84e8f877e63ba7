"""Network analysis on a networkx projection of the store."""

from graph.analysis.projection import EntityNode, project

__all__ = ["EntityNode", "project"]
