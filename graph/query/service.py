"""The SPARQL 1.1 Service Description of the endpoint, as triples.

>>> triples = service_description("http://127.0.0.1:8000/sparql", ["urn:g"])
>>> any(t.predicate.value.endswith("#endpoint") for t in triples)
True
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from graph.query.formats import GRAPH_FORMATS, SOLUTION_FORMATS

__all__ = ["SD", "service_description"]

#: The Service Description vocabulary.
SD = "http://www.w3.org/ns/sparql-service-description#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def service_description(
    endpoint: str, graph_names: Sequence[str], *, updates: bool = False
) -> list[ox.Triple]:
    """Describe the endpoint at ``endpoint`` serving a dataset of ``graph_names``.

    It names the endpoint, the query language (and SPARQL Update, at the same endpoint,
    when ``updates`` are on), every result format, the feature that the default graph is
    the union of the named graphs, and the named graphs.
    """
    access = "updates into the edits graph with a token" if updates else "read-only"
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("default")
    triples = [
        ox.Triple(service, _RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _LABEL, ox.Literal(f"policygraph SPARQL endpoint ({access})")),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, _RDF_TYPE, _sd("Graph")),
    ]
    if updates:
        triples.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS):
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(fmt.format_iri)))
    for index, name in enumerate(graph_names):
        named = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, _RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(name)),
        ]
    return triples
