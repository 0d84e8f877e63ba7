"""SHACL validation at store speed: the shapes compiled to SPARQL and run on Oxigraph.

pySHACL walks an rdflib graph in Python (about 5,000 triples/s); the same shapes, compiled
once into SPARQL SELECTs that find the violations (:mod:`graph.shacl.compile`), run on the
Oxigraph store being built (:mod:`graph.shacl.run`) and give the same results, tuple for tuple
(:mod:`graph.shacl.report`). A shape the compiler cannot translate is validated by pySHACL,
that shape only, and the report says so.
"""

from __future__ import annotations

from graph.shacl.compile import Check, CompiledShapes, Finding, compile_shapes
from graph.shacl.report import Report, Result, results_from_pyshacl
from graph.shacl.run import validate_store

__all__ = [
    "Check",
    "CompiledShapes",
    "Finding",
    "Report",
    "Result",
    "compile_shapes",
    "results_from_pyshacl",
    "validate_store",
]
