"""Fixtures of the graph tests: the shapes and the ontology as the build reads them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph.build.sources import parse_file
from graph.iris import graph_iri
from ontology import ONTOLOGY_FILE, SHAPES_FILE

#: The shapes' examples, valid and invalid (``ontology/examples/``).
EXAMPLES = sorted((Path(SHAPES_FILE).parent / "examples").glob("*.ttl"))


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    """The SHACL shapes graph."""
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="module")
def ontology() -> list[ox.Quad]:
    """The ontology's quads, in its named graph."""
    return parse_file(ONTOLOGY_FILE, graph_iri("ontology"))
