"""Running the compiled shapes on a pyoxigraph store, pySHACL for what did not compile.

The store's default graph is read as the union of its graphs: the data and the ontology
together, as pySHACL validates the data with the ontology mixed in.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate

from graph.shacl.compile import Check, Finding, compile_shapes
from graph.shacl.report import Report, Result, results_from_pyshacl
from graph.terms import to_rdflib

__all__ = ["subclasses", "validate_store"]


def validate_store(store: ox.Store, shapes: rdflib.Graph, *, threads: int | None = None) -> Report:
    """Validate everything in ``store`` against ``shapes``.

    The checks run in ``threads`` threads (default: one per core, at most four): pyoxigraph
    evaluates a query without holding the interpreter lock.
    """
    compiled = compile_shapes(shapes, subclasses(store))
    report = Report(fallback=dict(compiled.fallback))
    workers = threads or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers, thread_name_prefix="shacl") as pool:
        runs = pool.map(lambda check: _run(store, check), compiled.checks)
        for check, (found, cpu) in zip(compiled.checks, runs, strict=True):
            report.results |= found
            report.cpu[check.name] = report.cpu.get(check.name, 0.0) + cpu
    if compiled.fallback:
        report.results |= _pyshacl_results(store, shapes, list(compiled.fallback))
    return report


def _run(store: ox.Store, check: Check) -> tuple[set[Result], float]:
    """The results of one check, and the CPU seconds it took."""
    started = time.thread_time()
    found: set[Result] = set()
    for row in store.query(check.sparql, use_default_graph_as_union=True):  # type: ignore[union-attr]
        for finding in check.findings:
            if finding.flag is None or row[finding.flag] == _TRUE:
                found |= _results(finding, row)
    return found, time.thread_time() - started


def _results(finding: Finding, row: ox.QuerySolution) -> set[Result]:
    value = row["value"] if finding.has_value else None
    return {
        Result(
            focus=to_rdflib(row["focus"]),
            path=finding.path,
            value=to_rdflib(value) if value is not None else None,
            shape=finding.shape,
            severity=finding.severity,
            message=message,
        )
        for message in finding.messages
    }


_TRUE = ox.Literal(True)


def subclasses(store: ox.Store) -> dict[rdflib.term.Node, set[rdflib.term.Node]]:
    """Every class in ``store`` that has subclasses, with all of them (direct or not)."""
    found: dict[rdflib.term.Node, set[rdflib.term.Node]] = {}
    rows = store.query(_SUBCLASSES, use_default_graph_as_union=True)
    for row in rows:  # type: ignore[union-attr]
        found.setdefault(to_rdflib(row["class"]), set()).add(to_rdflib(row["sub"]))
    return found


_SUBCLASSES = f"""SELECT DISTINCT ?sub ?class
WHERE {{ ?sub <{rdflib.RDFS.subClassOf}>+ ?class }}"""


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
