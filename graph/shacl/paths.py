"""SHACL property paths (``sh:path`` values) written as SPARQL property paths.

>>> from rdflib import Graph
>>> shapes = Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
...   <urn:s> sh:path [ sh:alternativePath ( [ sh:inversePath <urn:a> ] <urn:b> ) ] .''')
>>> sparql_path(shapes, next(shapes.objects(None, SH.path)))
'(^<urn:a>|<urn:b>)'
"""

from __future__ import annotations

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

__all__ = ["UnsupportedPath", "sparql_path"]

_REPEATS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


class UnsupportedPath(ValueError):
    """A ``sh:path`` value that is not a SHACL path."""


def sparql_path(shapes: rdflib.Graph, path: Node) -> str:
    """The SPARQL property path for the SHACL path ``path`` of ``shapes``.

    :raises UnsupportedPath: ``path`` is a literal or an unknown construct.
    """
    if isinstance(path, rdflib.URIRef):
        return path.n3()
    if not isinstance(path, rdflib.BNode):
        raise UnsupportedPath(f"a path must be an IRI or a blank node, not {path!r}")
    if shapes.value(path, rdflib.RDF.first) is not None:
        steps = [sparql_path(shapes, step) for step in Collection(shapes, path)]
        return "(" + "/".join(steps) + ")"
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{sparql_path(shapes, inverse)}"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        options = [sparql_path(shapes, option) for option in Collection(shapes, alternatives)]
        return "(" + "|".join(options) + ")"
    for predicate, operator in _REPEATS.items():
        inner = shapes.value(path, predicate)
        if inner is not None:
            return f"({sparql_path(shapes, inner)}){operator}"
    raise UnsupportedPath(f"unknown SHACL path construct {path!r}")
