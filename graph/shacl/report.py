"""Validation results as comparable tuples, from the compiled validator or from pySHACL.

A :class:`Result` holds what a SHACL validation report says about one violation: the focus
node, the result path, the value, the source shape, the severity and the message. Terms are
rdflib terms; shape and path terms are those of the shapes graph, so the results of the
compiled validator and of pySHACL over the same shapes graph compare as sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import SH
from rdflib.term import Node

__all__ = ["Report", "Result", "results_from_pyshacl"]


@dataclass(frozen=True)
class Result:
    """One ``sh:ValidationResult`` (one per message, if its shape has several)."""

    focus: Node
    path: Node | None
    value: Node | None
    shape: Node
    severity: Node
    message: rdflib.Literal | None


@dataclass
class Report:
    """Every result of a validation, and the shapes that pySHACL checked instead of SPARQL."""

    results: set[Result] = field(default_factory=set)
    #: Named shapes the compiler could not translate, with the reason; pySHACL checked them.
    fallback: dict[Node, str] = field(default_factory=dict)
    #: CPU seconds of each compiled check (its thread's), by :attr:`Check.name`: where a
    #: validation spends its time.
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """No result of severity ``sh:Violation`` (warnings and infos are allowed)."""
        return not any(r.severity == SH.Violation for r in self.results)


def results_from_pyshacl(report: rdflib.Graph) -> set[Result]:
    """The results of a pySHACL report graph, one per result and message."""
    found: set[Result] = set()
    for node in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        messages: Iterable[Node | None] = list(report.objects(node, SH.resultMessage)) or [None]
        for message in messages:
            found.add(
                Result(
                    focus=_one(report, node, SH.focusNode),
                    path=report.value(node, SH.resultPath),
                    value=report.value(node, SH.value),
                    shape=_one(report, node, SH.sourceShape),
                    severity=_one(report, node, SH.resultSeverity),
                    message=message if isinstance(message, rdflib.Literal) else None,
                )
            )
    return found


def _one(report: rdflib.Graph, node: Node, predicate: rdflib.URIRef) -> Node:
    value = report.value(node, predicate)
    if value is None:
        raise ValueError(f"a validation result without {predicate}")
    return value
