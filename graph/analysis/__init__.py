"""Network analysis on a networkx projection of the store.

One family per module: :mod:`~graph.analysis.projection` (the graph),
:mod:`~graph.analysis.classes` (filters by ``pg:`` class), :mod:`~graph.analysis.centrality`,
:mod:`~graph.analysis.communities`, :mod:`~graph.analysis.brokers`,
:mod:`~graph.analysis.overlap`, :mod:`~graph.analysis.paths`,
:mod:`~graph.analysis.neighbourhood` and :mod:`~graph.analysis.provenance` (evidence).
"""

from graph.analysis.brokers import Broker, brokers, participation
from graph.analysis.centrality import (
    Centrality,
    betweenness_centrality,
    centrality_table,
    degree_centrality,
    eigenvector_centrality,
)
from graph.analysis.classes import type_filter
from graph.analysis.communities import Community, communities, community_of
from graph.analysis.neighbourhood import neighbourhood
from graph.analysis.overlap import (
    Overlap,
    OverlapMatrix,
    framework_members,
    framework_overlap,
    has_partial_members,
    jaccard,
    partial_note,
)
from graph.analysis.paths import (
    ExplainedPath,
    Relation,
    Step,
    explain_paths,
    shortest_connections,
)
from graph.analysis.projection import project, simple_undirected
from graph.analysis.provenance import (
    REPORT_SLUG,
    Affiliation,
    DocumentName,
    Evidence,
    Membership,
    Provenance,
    labels_in,
    read_provenance,
)

__all__ = [
    "REPORT_SLUG",
    "Affiliation",
    "Broker",
    "Centrality",
    "Community",
    "DocumentName",
    "Evidence",
    "ExplainedPath",
    "Membership",
    "Overlap",
    "OverlapMatrix",
    "Provenance",
    "Relation",
    "Step",
    "betweenness_centrality",
    "brokers",
    "centrality_table",
    "communities",
    "community_of",
    "degree_centrality",
    "eigenvector_centrality",
    "explain_paths",
    "framework_members",
    "framework_overlap",
    "has_partial_members",
    "jaccard",
    "labels_in",
    "neighbourhood",
    "partial_note",
    "participation",
    "project",
    "read_provenance",
    "shortest_connections",
    "simple_undirected",
    "type_filter",
]
