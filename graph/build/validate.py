"""SHACL validation of the data in a pyoxigraph store, with a readable report.

The shapes of ``ontology/shapes.ttl`` are compiled to SPARQL once (:mod:`graph.shacl`) and
run on the store that holds the data and the ontology: the store a build is writing, or an
in-memory one. A report line names the focus node (its slug, or for a blank node the entity
that points at it), the property path, the shape's message and the file that defines the
node.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pyoxigraph as ox
import rdflib

from graph.errors import DataSyntaxError, ValidationError
from graph.iris import slug_of
from graph.shacl import Report, validate_store
from graph.shacl.incremental import validate_changes
from graph.terms import to_rdflib
from ontology import SHAPES_FILE

__all__ = ["Violation", "check_changes", "check_store", "describe_node", "load_shapes"]

#: How terms outside the entity namespace print: ``pg:Passage``, ``rdfs:label``.
_NAMES = rdflib.Graph().namespace_manager
_NAMES.bind("pg", "https://w3id.org/policygraph/ontology#")
_TYPE = ox.NamedNode(str(rdflib.RDF.type))

_LOG = logging.getLogger(__name__)

Origins = dict[ox.NamedNode | ox.BlankNode, Path]


@dataclass(frozen=True)
class Violation:
    """One SHACL result, ready to print."""

    focus: str
    path: str
    message: str
    file: str

    def __str__(self) -> str:
        where = f" ({self.file})" if self.file else ""
        path = f" {self.path}:" if self.path else ""
        return f"{self.focus}{where}:{path} {self.message}"


def load_shapes(path: Path = SHAPES_FILE) -> rdflib.Graph:
    """The shapes graph at ``path`` (read once per file version; do not change it).

    :raises DataSyntaxError: the shapes do not parse.
    """
    return _load_shapes(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load_shapes(path: Path, _version: int) -> rdflib.Graph:
    shapes = rdflib.Graph()
    try:
        shapes.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several kinds on bad Turtle
        raise DataSyntaxError(f"{path}: cannot parse the shapes: {exc}") from exc
    return shapes


def check_store(store: ox.Store, origins: Origins | Callable[[], Origins] | None = None) -> Report:
    """Validate everything in ``store`` (the data with the ontology) against the shapes.

    :param origins: the file that defines each node, for the report's lines; or a function
        that finds them, called only if the data does not conform.
    :returns: the report (it conforms; it may hold warnings). A shape the compiler could not
        translate is checked by pySHACL and named in a logged warning.
    :raises ValidationError: with one line per violation, sorted by file and node.
    """
    report = validate_store(store, load_shapes())
    for shape, reason in report.fallback.items():
        _LOG.warning("shape %s checked by pySHACL, not compiled to SPARQL: %s", shape, reason)
    if report.conforms:
        return report
    _raise_violations(report, store, origins)


def check_changes(
    store: ox.Store, changed: Iterable[ox.Quad], graphs: Collection[ox.NamedNode] | None = None
) -> Report | None:
    """Validate what a change can affect (:func:`graph.shacl.incremental.validate_changes`):
    the focus nodes of ``store`` — the data after the change, read in ``graphs`` only —
    whose shapes read a triple of ``changed`` (the quads added and removed). If the data
    before the change conformed, this gives :func:`check_store`'s verdict and lines.

    :returns: the report on those nodes, or ``None`` if the change cannot be bounded
        (validate everything then).
    :raises ValidationError: as :func:`check_store`, one line per violation.
    """
    report = validate_changes(store, load_shapes(), changed, graphs)
    if report is None or report.conforms:
        return report
    foci = {_to_ox(result.focus) for result in report.results}
    _raise_violations(report, _around(store, foci, graphs), None)
    return None  # not reached: _raise_violations raises


def _around(
    store: ox.Store,
    nodes: Iterable[ox.NamedNode | ox.BlankNode | ox.Literal],
    graphs: Collection[ox.NamedNode] | None,
) -> ox.Store:
    """A store with what :func:`describe_node` and :func:`_origin` read of ``nodes`` in
    ``store``'s ``graphs``: their types, and for a blank node what points at it, up to an
    owner that is not blank."""
    kept = None if graphs is None else set(graphs)
    found = ox.Store()
    todo, seen = list(nodes), set()
    while todo:
        node = todo.pop()
        if node in seen or isinstance(node, ox.Literal):
            continue
        seen.add(node)
        for quad in [
            *store.quads_for_pattern(node, _TYPE, None),
            *store.quads_for_pattern(None, None, node),
        ]:
            if kept is None or quad.graph_name in kept:
                found.add(quad)
                if isinstance(node, ox.BlankNode) and quad.object == node:
                    todo.append(quad.subject)  # type: ignore[arg-type]
    return found


def _raise_violations(
    report: Report, store: ox.Store, origins: Origins | Callable[[], Origins] | None
) -> NoReturn:
    """Raise the :class:`ValidationError` of a report that does not conform."""
    origins = (origins() if callable(origins) else origins) or {}
    violations = {
        Violation(
            focus=describe_node(_to_ox(result.focus), store),
            path=_short(result.path) if result.path is not None else "",
            message=str(result.message) if result.message is not None else "violates a shape",
            file=str(origin) if (origin := _origin(_to_ox(result.focus), store, origins)) else "",
        )
        for result in report.results
    }
    lines = sorted(violations, key=lambda v: (v.file, v.focus, v.path, v.message))
    text = "\n".join(f"  - {v}" for v in lines)
    raise ValidationError(f"the data does not conform to the shapes ({len(lines)}):\n{text}")


def describe_node(node: ox.NamedNode | ox.BlankNode | ox.Literal, store: ox.Store) -> str:
    """A readable name for a focus node: its slug, or for a blank node the entity and
    predicate that lead to it, with its type (``proposal-x pg:evidence [pg:Passage]``)."""
    if not isinstance(node, ox.BlankNode):
        return _short(to_rdflib(node))
    kind = next((q.object for q in store.quads_for_pattern(node, _TYPE, None)), None)
    label = f"[{_short(to_rdflib(kind))}]" if kind is not None else "[blank node]"
    for quad in store.quads_for_pattern(None, None, node):
        return f"{describe_node(quad.subject, store)} {_short(to_rdflib(quad.predicate))} {label}"  # type: ignore[arg-type]
    return label


def _short(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        slug = slug_of(str(term))
        if slug is not None:
            return slug
        try:
            return _NAMES.normalizeUri(term)
        except Exception:  # any IRI without a prefix prints in full
            return f"<{term}>"
    return str(term)


def _origin(
    node: ox.NamedNode | ox.BlankNode | ox.Literal | None, store: ox.Store, origins: Origins
) -> Path | None:
    """The file that defines ``node``, following blank nodes up to their owner."""
    seen: set[ox.NamedNode | ox.BlankNode | ox.Literal] = set()
    while node is not None and node not in seen:
        if node in origins:
            return origins[node]  # type: ignore[index]
        seen.add(node)
        if not isinstance(node, ox.BlankNode):
            return None
        node = next((q.subject for q in store.quads_for_pattern(None, None, node)), None)  # type: ignore[assignment]
    return None


def _to_ox(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype or rdflib.XSD.string
        return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))
    return ox.NamedNode(str(term))
