"""Run every competency question (``tests/graph/competency/part_*.py``) on the report."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from graph.store import OxigraphStore
from tests.graph.competency.harness import Competency, answer_rows

_MODULES = sorted(p.stem for p in Path(__file__).parent.glob("questions_*.py"))
QUESTIONS: list[Competency] = [
    q
    for name in _MODULES
    for q in importlib.import_module(f"tests.graph.competency.{name}").QUESTIONS
]


def test_there_are_enough_questions() -> None:
    assert len(QUESTIONS) >= 60
    assert len({q.question for q in QUESTIONS}) == len(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.question[:60] for q in QUESTIONS])
def test_question(report_store: OxigraphStore, question: Competency) -> None:
    rows = answer_rows(report_store.raw, question.sparql)
    if question.exact:
        assert rows == question.expected, question.lines
    else:
        assert question.expected <= rows, question.lines
