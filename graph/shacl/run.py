"""Running the compiled shapes on a pyoxigraph store, pySHACL for what did not compile.

The store's default graph is read as the union of its graphs: the data and the ontology
together, as pySHACL validates the data with the ontology mixed in.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate

from graph.shacl.compile import CompiledShapes, compile_shapes
from graph.shacl.report import Report, Result, results_from_pyshacl
from graph.terms import to_rdflib

__all__ = ["validate_store"]


def validate_store(
    store: ox.Store, shapes: rdflib.Graph, compiled: CompiledShapes | None = None
) -> Report:
    """Validate everything in ``store`` against ``shapes`` (compiled once if not given)."""
    compiled = compiled if compiled is not None else compile_shapes(shapes)
    report = Report(fallback=dict(compiled.fallback))
    for check in compiled.checks:
        rows = store.query(check.sparql, use_default_graph_as_union=True)
        for row in rows:  # type: ignore[union-attr]
            value = row["value"]
            for message in check.messages:
                report.results.add(
                    Result(
                        focus=to_rdflib(row["focus"]),
                        path=check.path,
                        value=to_rdflib(value) if value is not None else None,
                        shape=check.shape,
                        severity=check.severity,
                        message=message,
                    )
                )
    if compiled.fallback:
        report.results |= _pyshacl_results(store, shapes, list(compiled.fallback))
    return report


def _pyshacl_results(
    store: ox.Store, shapes: rdflib.Graph, only: list[rdflib.term.Node]
) -> set[Result]:
    """pySHACL's results for the shapes ``only``, on the union of the store's graphs."""
    data = rdflib.Graph()
    for quad in store:
        data.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    _, results, _ = pyshacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        use_shapes=[str(shape) for shape in only],
    )
    return results_from_pyshacl(results)
