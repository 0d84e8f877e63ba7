"""Fixtures of the graph tests: the shapes and the ontology as the build reads them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph.build.sources import parse_file
from graph.iris import graph_iri
from ontology import ONTOLOGY_FILE, SHAPES_FILE
from tests.conftest import MINIMAL_DATA

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


def data_with_a_backward_passage(tmp_path: Path) -> Path:
    """A copy of the minimal data in which one passage ends before it starts (lines 6 to
    5): a violation in a blank node, whose report must name its owner and its file."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL_DATA, data)
    proposals = data / "proposals.ttl"
    text = proposals.read_text(encoding="utf-8")
    proposals.write_text(
        text.replace("pg:lineStart 5 ; pg:lineEnd 5", "pg:lineStart 6 ; pg:lineEnd 5")
    )
    return data
