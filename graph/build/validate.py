"""SHACL validation of the data before it reaches the store, with a readable report.

A report line names the focus node (its slug, or for a blank node the entity that points
at it), the property path, the shape's message and the file that defines the node.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from pyshacl import validate as shacl_validate
from rdflib.namespace import SH

from graph.errors import ValidationError
from graph.iris import slug_of

__all__ = ["Violation", "check_shapes", "describe_node"]


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


def _short(term: rdflib.term.Node, graph: rdflib.Graph) -> str:
    if isinstance(term, rdflib.URIRef):
        slug = slug_of(str(term))
        if slug is not None:
            return slug
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # any IRI without a prefix prints in full
            return f"<{term}>"
    return str(term)


def describe_node(node: rdflib.term.Node, data: rdflib.Graph) -> str:
    """A readable name for a focus node: its slug, or for a blank node the entity and
    predicate that lead to it, with its type (``proposal-x pg:evidence [pg:Passage]``)."""
    if not isinstance(node, rdflib.BNode):
        return _short(node, data)
    kind = data.value(node, rdflib.RDF.type)
    label = f"[{_short(kind, data)}]" if kind is not None else "[blank node]"
    for subject, predicate in data.subject_predicates(node):
        return f"{describe_node(subject, data)} {_short(predicate, data)} {label}"
    return label


def check_shapes(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    ontology: rdflib.Graph,
    origins: dict[rdflib.term.Node, Path] | None = None,
) -> None:
    """Validate ``data`` (with ``ontology`` mixed in) against ``shapes``.

    :raises ValidationError: with one line per violation, sorted by file and node.
    """
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return
    data.namespace_manager.bind("pg", "https://w3id.org/policygraph/ontology#")
    origins = origins or {}
    violations: set[Violation] = set()
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        origin = _origin(focus, data, origins)
        violations.add(
            Violation(
                focus=describe_node(focus, data) if focus is not None else "?",
                path=_short(path, data) if path is not None else "",
                message=str(message) if message is not None else "violates a shape",
                file=str(origin) if origin else "",
            )
        )
    lines = sorted(violations, key=lambda v: (v.file, v.focus, v.path, v.message))
    report = "\n".join(f"  - {v}" for v in lines)
    raise ValidationError(f"the data does not conform to the shapes ({len(lines)}):\n{report}")


def _origin(
    node: rdflib.term.Node | None,
    data: rdflib.Graph,
    origins: dict[rdflib.term.Node, Path],
) -> Path | None:
    """The file that defines ``node``, following blank nodes up to their owner."""
    seen: set[rdflib.term.Node] = set()
    while node is not None and node not in seen:
        if node in origins:
            return origins[node]
        seen.add(node)
        node = (
            next(iter(data.subjects(None, node)), None) if isinstance(node, rdflib.BNode) else None
        )
    return None
