"""Validating a change (``graph.shacl.incremental``) gives the whole validation's report.

The base is the ontology alone or with the curated report data, which conforms. Each
change — the examples of ``ontology/examples/`` added, triples of the curated data
removed — is validated
both ways on the data after it: the whole data against the shapes, and only the focus
nodes whose shapes read a changed triple. The results must be the same set.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph import DATA_DIR
from graph.build import load_sources
from graph.build.sources import parse_file
from graph.iris import graph_iri
from graph.shacl import Result, validate_store
from graph.shacl.incremental import reach_of, validate_changes
from tests.graph.conftest import EXAMPLES

_TYPE = ox.NamedNode(str(rdflib.RDF.type))


@pytest.fixture(scope="module")
def base(ontology: list[ox.Quad]) -> list[ox.Quad]:
    """The ontology and the curated report data (conforming)."""
    return ontology + load_sources([DATA_DIR]).data


def both(
    after: list[ox.Quad], changed: list[ox.Quad], shapes: rdflib.Graph
) -> tuple[set[Result], set[Result]]:
    """The whole validation's results on ``after`` and the change's."""
    store = ox.Store()
    store.extend(after)
    whole = validate_store(store, shapes).results
    report = validate_changes(store, shapes, changed)
    assert report is not None, "the change was not bounded"
    return whole, report.results


def test_the_shapes_read_a_bounded_neighbourhood(shapes: rdflib.Graph) -> None:
    reach = reach_of(shapes)
    assert reach.depth >= 1
    assert "https://w3id.org/policygraph/ontology#framework" in reach.forward
    assert "https://w3id.org/policygraph/ontology#proposesJoining" in reach.inverse


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_an_example_added_to_the_ontology_gets_the_whole_validations_report(
    path: Path, shapes: rdflib.Graph, ontology: list[ox.Quad]
) -> None:
    example = parse_file(path, graph_iri("edits"))
    whole, changed = both(ontology + example, example, shapes)
    assert changed == whole
    assert bool(changed) == path.name.endswith(".invalid.ttl")


@pytest.mark.parametrize("kind", ["valid", "invalid"])
def test_the_examples_added_to_the_curated_data_get_the_whole_validations_report(
    kind: str, shapes: rdflib.Graph, base: list[ox.Quad]
) -> None:
    """Every valid (invalid) example at once, beside the entities they mention."""
    added = [
        quad
        for path in EXAMPLES
        if path.name.endswith(f".{kind}.ttl")
        for quad in parse_file(path, graph_iri("edits"))
    ]
    whole, changed = both(base + added, added, shapes)
    assert changed == whole
    if kind == "invalid":
        assert len({r.shape for r in changed}) > 20


def test_removing_a_type_read_through_another_node_is_found(
    shapes: rdflib.Graph, base: list[ox.Quad]
) -> None:
    """A membership's framework must be a pg:Framework or pg:Grouping (sh:class of the
    value): removing the framework's types violates the *membership*, a node the change
    does not mention."""
    framework = ox.NamedNode("https://w3id.org/policygraph/id/quad")
    types = [q for q in base if q.subject == framework and q.predicate == _TYPE]
    assert types
    after = [q for q in base if q not in set(types)]
    whole, changed = both(after, types, shapes)
    assert changed == whole
    assert any(r.focus != rdflib.URIRef(framework.value) for r in changed)


@pytest.mark.parametrize("seed", range(3))
def test_removing_curated_triples_gets_the_whole_validations_report(
    seed: int, shapes: rdflib.Graph, base: list[ox.Quad]
) -> None:
    """Sixteen triples of the curated data at random, types among them."""
    chance = random.Random(seed)
    curated = [q for q in base if q.graph_name == ox.NamedNode(graph_iri("curated"))]
    typed = [q for q in curated if q.predicate == _TYPE]
    removed = set(chance.sample(curated, 12) + chance.sample(typed, 4))
    after = [q for q in base if q not in removed]
    whole, changed = both(after, list(removed), shapes)
    assert changed == whole
