"""Competency questions: what an analyst asks of the report, with the answer it gives.

Each question is a SPARQL query over the public vocabulary (``../shared/design/vocabulary.md``)
and the rows the report's text supports, with the lines that say so. A module per part of
the report lists its questions in ``QUESTIONS``; ``test_competency.py`` runs them all on the
built store.

>>> q = Competency("Which countries founded the Quad?", "SELECT ?c { }", {("jpn",)}, "L120-121")
>>> q.expected
{('jpn',)}
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from graph.iris import PREFIXES

__all__ = ["Competency", "answer_rows"]

_ID = "https://w3id.org/policygraph/id/"


@dataclass(frozen=True)
class Competency:
    """One question: its words, its SPARQL, the expected rows and the report's lines.

    ``expected`` holds one tuple per row, in the query's variable order; IRIs under ``id:``
    are written as their slug (``"kor"``), other IRIs in full, literals as their lexical
    value. ``exact`` false means the rows must include ``expected`` (the graph may know more
    than the report, e.g. from a background member list).
    """

    question: str
    sparql: str
    expected: set[tuple[str, ...]]
    lines: str
    exact: bool = True


def answer_rows(store: ox.Store, sparql: str) -> set[tuple[str, ...]]:
    """The rows ``sparql`` gives on ``store`` (union default graph), written as in
    :attr:`Competency.expected`."""
    result = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return {(str(bool(result)).lower(),)}
    rows: set[tuple[str, ...]] = set()
    for solution in result:  # type: ignore[union-attr]
        rows.add(tuple(_text(term) for term in solution))
    return rows


def _text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        value = term.value
        return value[len(_ID) :] if value.startswith(_ID) else value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)
