"""The shapes compiled to SPARQL (``graph.shacl``) give pySHACL's report, result for result.

Each comparison validates the same data with pySHACL (on rdflib) and with the compiled
checks (on a pyoxigraph store) against the same shapes graph, and compares the sets of
(focus node, path, value, source shape, severity, message): on every example of
``ontology/examples/``, and on the curated data with every invalid example mixed in.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from pyshacl import validate as pyshacl_validate
from rdflib.namespace import SH

from graph import DATA_DIR
from graph.build import load_sources, validate_sources
from graph.build.sources import parse_file
from graph.errors import ValidationError
from graph.iris import graph_iri
from graph.shacl import Result, compile_shapes, results_from_pyshacl, validate_store
from graph.terms import quads_to_rdflib_graph
from tests.graph.conftest import EXAMPLES, data_with_a_backward_passage


def both(
    data: list[ox.Quad],
    ontology: list[ox.Quad],
    shapes: rdflib.Graph,
    fallback: set[rdflib.URIRef] | None = None,
) -> tuple[set[Result], set[Result]]:
    """pySHACL's results and the compiled validator's on ``data`` (with the ontology); the
    compiled validator leaves the shapes ``fallback`` (none by default) to pySHACL."""
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
    assert set(compiled.fallback) == (fallback or set()), compiled.fallback
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
def test_the_curated_data_with_every_invalid_example_gets_pyshacls_report(
    shapes: rdflib.Graph, ontology: list[ox.Quad]
) -> None:
    """The real data, with a violation of every shape mixed in (one pySHACL run for both)."""
    data = load_sources([DATA_DIR]).data
    for path in EXAMPLES:
        if path.name.endswith(".invalid.ttl"):
            data += parse_file(path, graph_iri("example"))
    theirs, ours = both(data, ontology, shapes)
    assert ours == theirs, (
        f"only pySHACL:\n{show(theirs - ours)}\nonly compiled:\n{show(ours - theirs)}"
    )
    assert len({r.shape for r in ours}) > 20


def test_a_violation_in_a_blank_node_is_reported_on_one_line_naming_its_owner_and_file(
    tmp_path: Path,
) -> None:
    data = data_with_a_backward_passage(tmp_path)
    proposals = data / "proposals.ttl"  # the file the report names
    with pytest.raises(ValidationError) as caught:
        validate_sources(load_sources([data]))
    assert str(caught.value).splitlines() == [
        "the data does not conform to the shapes (1):",
        f"  - proposal-joint-aukus-pillar-2 pg:evidence [pg:Passage] ({proposals}): pg:lineStart:"
        " A passage needs exactly one pg:lineStart, a plain 1-based line number, not greater"
        " than its pg:lineEnd (swap them if reversed).",
    ]


FALLBACK_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pg: <https://w3id.org/policygraph/ontology#> .
<urn:shape:closed> a sh:NodeShape ; sh:targetClass pg:Passage ; sh:closed true ;
    sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ;
    sh:message "A passage has no properties."@en .
<urn:shape:compiled> a sh:NodeShape ; sh:targetClass pg:Passage ;
    sh:property [ sh:path pg:quote ; sh:maxLength 3 ; sh:message "Short quotes."@en ] .
"""


def test_a_shape_the_compiler_cannot_translate_is_left_to_pyshacl_and_named(
    ontology: list[ox.Quad],
) -> None:
    shapes = rdflib.Graph().parse(data=FALLBACK_SHAPES, format="turtle")
    data = parse_file(EXAMPLES[0].parent / "PassageShape.valid.ttl", graph_iri("example"))
    theirs, ours = both(data, ontology, shapes, fallback={rdflib.URIRef("urn:shape:closed")})
    assert ours == theirs
    assert {r.shape for r in ours} >= {rdflib.URIRef("urn:shape:closed")}
    assert len({r.shape for r in ours}) == 2
