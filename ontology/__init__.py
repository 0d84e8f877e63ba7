"""The policygraph vocabulary: the ontology and SHACL shapes as Turtle files.

Code names the ontology's terms in SPARQL (``pg:memberOf``); a test checks every such term
against the ontology (``tests/ontology/test_terms_in_queries.py``).

>>> from ontology import ONTOLOGY_FILE
>>> ONTOLOGY_FILE.name
'policygraph.ttl'
"""

from pathlib import Path

__all__ = ["EXAMPLES_DIR", "ONTOLOGY_FILE", "ONTOLOGY_IRI", "SHAPES_FILE", "SHAPES_IRI"]

_HERE = Path(__file__).resolve().parent

ONTOLOGY_FILE: Path = _HERE / "policygraph.ttl"
SHAPES_FILE: Path = _HERE / "shapes.ttl"
EXAMPLES_DIR: Path = _HERE / "examples"
ONTOLOGY_IRI = "https://w3id.org/policygraph/ontology"
SHAPES_IRI = "https://w3id.org/policygraph/shapes"
