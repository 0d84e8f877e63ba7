"""The policygraph vocabulary: the ontology and SHACL shapes as Turtle files, and ``PG``,
the closed namespace through which Python code names the ontology's terms.

>>> from ontology import PG, ONTOLOGY_FILE
>>> str(PG.memberOf)
'https://w3id.org/policygraph/ontology#memberOf'
>>> ONTOLOGY_FILE.name
'policygraph.ttl'
"""

from pathlib import Path

from ontology.namespace import PG

__all__ = ["EXAMPLES_DIR", "ONTOLOGY_FILE", "ONTOLOGY_IRI", "PG", "SHAPES_FILE", "SHAPES_IRI"]

_HERE = Path(__file__).resolve().parent

ONTOLOGY_FILE: Path = _HERE / "policygraph.ttl"
SHAPES_FILE: Path = _HERE / "shapes.ttl"
EXAMPLES_DIR: Path = _HERE / "examples"
ONTOLOGY_IRI = "https://w3id.org/policygraph/ontology"
SHAPES_IRI = "https://w3id.org/policygraph/shapes"
