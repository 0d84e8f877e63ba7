"""The SHACL shapes in ``ontology/shapes.ttl`` and their examples.

Every named shape (an IRI in ``pgsh:``) has a message, a label, severity ``sh:Violation`` and
two example data graphs in ``ontology/examples/``: ``<ShapeLocalName>.valid.ttl``, which
conforms to all shapes, and ``<ShapeLocalName>.invalid.ttl``, which violates that shape and
no other. The examples are found by a glob, so a new example is tested without touching
this file, and a shape without both examples fails ``test_every_shape_has_both_examples``.

A result produced by a property shape nested in a named shape (``sh:property [ … ]``) has
the nested shape as its ``sh:sourceShape``; it is attributed to the named shape that holds it.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
EXAMPLES_DIR = ONTOLOGY_DIR / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.ttl"))
KINDS = ("valid", "invalid")

PGSH = Namespace("https://w3id.org/policygraph/shapes#")
SHAPES_ONTOLOGY = URIRef("https://w3id.org/policygraph/shapes")
ONTOLOGY = URIRef("https://w3id.org/policygraph/ontology")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "policygraph.ttl", format="turtle")


def named_shapes(shapes: Graph) -> set[URIRef]:
    """The shapes with an IRI: the ones that need examples."""
    found = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    return {s for s in found if isinstance(s, URIRef)}


def owning_shapes(shapes: Graph, node: Node) -> set[URIRef]:
    """The named shapes that contain ``node`` (itself, if it is named)."""
    owners: set[URIRef] = set()
    seen: set[Node] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if isinstance(current, URIRef):
            if current.startswith(str(PGSH)):
                owners.add(current)
            continue
        todo.extend(shapes.subjects(None, current))
    return owners


def split_example(path: Path) -> tuple[str, str]:
    """``PassageShape.invalid.ttl`` -> ``("PassageShape", "invalid")``."""
    shape_name, _, kind = path.name.removesuffix(".ttl").rpartition(".")
    return shape_name, kind


def validate(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, Graph, str]:
    conforms, report, text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    assert isinstance(report, Graph)
    return bool(conforms), report, str(text)


def test_examples_were_found() -> None:
    assert EXAMPLES, f"no example files in {EXAMPLES_DIR}"


def test_shapes_file_is_an_ontology_importing_the_ontology(shapes: Graph) -> None:
    assert (SHAPES_ONTOLOGY, RDF.type, OWL.Ontology) in shapes
    assert (SHAPES_ONTOLOGY, OWL.imports, ONTOLOGY) in shapes


def test_every_named_shape_is_documented(shapes: Graph) -> None:
    problems = []
    for shape in sorted(named_shapes(shapes)):
        if not shape.startswith(str(PGSH)):
            problems.append(f"{shape}: not in the pgsh: namespace")
        messages = list(shapes.objects(shape, SH.message))
        if not any(isinstance(m, Literal) and m.language == "en" for m in messages):
            problems.append(f"{shape}: no English sh:message")
        if shapes.value(shape, RDFS.label) is None:
            problems.append(f"{shape}: no rdfs:label")
        if set(shapes.objects(shape, SH.severity)) != {SH.Violation}:
            problems.append(f"{shape}: severity is not sh:Violation")
    assert named_shapes(shapes), "shapes.ttl defines no named shapes"
    assert not problems, "\n".join(problems)


def test_every_property_shape_has_a_message(shapes: Graph) -> None:
    silent = [
        f"{sorted(owning_shapes(shapes, p))} {shapes.value(p, SH.path)}"
        for p in shapes.objects(None, SH.property)
        if shapes.value(p, SH.message) is None
    ]
    assert not silent, "property shapes without sh:message:\n" + "\n".join(silent)


def test_every_shape_has_both_examples(shapes: Graph) -> None:
    have = {split_example(path) for path in EXAMPLES}
    wanted = {
        (shape.removeprefix(str(PGSH)), kind) for shape in named_shapes(shapes) for kind in KINDS
    }
    missing = sorted(f"{name}.{kind}.ttl" for name, kind in wanted - have)
    orphans = sorted(f"{name}.{kind}.ttl" for name, kind in have - wanted)
    assert not missing, f"shapes without example files: {missing}"
    assert not orphans, f"example files naming no shape (or not .valid/.invalid): {orphans}"


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example(path: Path, shapes: Graph, ontology: Graph) -> None:
    shape_name, kind = split_example(path)
    assert kind in KINDS, f"{path.name}: name it <Shape>.valid.ttl or <Shape>.invalid.ttl"
    data = Graph().parse(path, format="turtle")

    conforms, report, text = validate(data, shapes, ontology)

    if kind == "valid":
        assert conforms, f"{path.name} should conform:\n{text}"
        return

    assert not conforms, f"{path.name} should not conform"
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    violated: set[URIRef] = set()
    for result in results:
        source = report.value(result, SH.sourceShape)
        assert source is not None
        violated |= owning_shapes(shapes, source)
        assert report.value(result, SH.resultSeverity) == SH.Violation
        # The curator sees the shape's own message, not a generic one.
        messages = set(shapes.objects(source, SH.message))
        assert report.value(result, SH.resultMessage) in messages, text
    assert violated == {PGSH[shape_name]}, f"{path.name} should violate only {shape_name}:\n{text}"
