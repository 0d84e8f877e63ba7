"""The shapes compiled to SPARQL (``graph.shacl``) give pySHACL's report, result for result.

Each comparison validates the same data with pySHACL (on rdflib) and with the compiled
checks (on a pyoxigraph store) against the same shapes graph, and compares the sets of
(focus node, path, value, source shape, severity, message): on every example of
``ontology/examples/``, on the curated data, and on the curated data with every invalid
example mixed in.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import SH

from graph import DATA_DIR
from graph.build import load_sources
from graph.build.sources import parse_file
from graph.iris import graph_iri
from graph.shacl import Result, compile_shapes, results_from_pyshacl, validate_store
from graph.terms import quads_to_rdflib_graph
from ontology import ONTOLOGY_FILE, SHAPES_FILE

EXAMPLES = sorted((Path(SHAPES_FILE).parent / "examples").glob("*.ttl"))


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> list[ox.Quad]:
    return parse_file(ONTOLOGY_FILE, graph_iri("ontology"))


def both(
    data: list[ox.Quad], ontology: list[ox.Quad], shapes: rdflib.Graph
) -> tuple[set[Result], set[Result]]:
    """pySHACL's results and the compiled validator's on ``data`` (with the ontology)."""
    _, report, _ = pyshacl_validate(
        quads_to_rdflib_graph(data),
        shacl_graph=shapes,
        ont_graph=quads_to_rdflib_graph(ontology),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    store = ox.Store()
    store.extend(ontology + data)
    compiled = validate_store(store, shapes)
    assert not compiled.fallback, compiled.fallback
    return results_from_pyshacl(report), compiled.results


def show(results: set[Result]) -> str:
    return "\n".join(sorted(f"{r.focus} {r.path} {r.value} {r.shape} {r.message}" for r in results))


def test_every_shape_compiles(shapes: rdflib.Graph) -> None:
    compiled = compile_shapes(shapes, subclasses={})
    assert compiled.fallback == {}
    named = {
        s for s in shapes.subjects(rdflib.RDF.type, SH.NodeShape) if isinstance(s, rdflib.URIRef)
    }
    assert {f.owner for check in compiled.checks for f in check.findings} == named


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_an_example_gets_pyshacls_report(
    path: Path, shapes: rdflib.Graph, ontology: list[ox.Quad]
) -> None:
    theirs, ours = both(parse_file(path, graph_iri("example")), ontology, shapes)
    assert ours == theirs, (
        f"only pySHACL:\n{show(theirs - ours)}\nonly compiled:\n{show(ours - theirs)}"
    )
    assert bool(ours) == path.name.endswith(".invalid.ttl")


@pytest.mark.slow
def test_the_curated_data_gets_pyshacls_report(
    shapes: rdflib.Graph, ontology: list[ox.Quad]
) -> None:
    data = load_sources([DATA_DIR]).data
    theirs, ours = both(data, ontology, shapes)
    assert ours == theirs == set()


@pytest.mark.slow
def test_the_curated_data_with_every_invalid_example_gets_pyshacls_report(
    shapes: rdflib.Graph, ontology: list[ox.Quad]
) -> None:
    data = load_sources([DATA_DIR]).data
    for path in EXAMPLES:
        if path.name.endswith(".invalid.ttl"):
            data += parse_file(path, graph_iri("example"))
    theirs, ours = both(data, ontology, shapes)
    assert ours == theirs, (
        f"only pySHACL:\n{show(theirs - ours)}\nonly compiled:\n{show(ours - theirs)}"
    )
    assert len({r.shape for r in ours}) > 20
