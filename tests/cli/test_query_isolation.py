"""``policygraph query`` survives an engine crash: pyoxigraph aborts the process on some
``ORDER BY`` over numbers mixed with dates (docs/engine-issues.md); the query runs in a
child process, so the command ends with one line and exit code 2."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from graph.build import build_store
from graph.store import OxigraphStore, built_directory
from tests.conftest import MINIMAL_DATA, run_cli

#: Our own values: passages at line 4 and line 1004, a membership from 1949. Stored as the
#: objects of ``id:row-0`` … ``id:row-20`` (the store's order), they make pyoxigraph 0.5.13's
#: sort find that its comparison is not a total order, and panic.
STORED_VALUES = (
    "4 4 4 1004 4 1949 1949 1004 1004 1949 4 1949 4 1949 1949 4 1004 1949 1004 1949 1949"
)
#: The same three values in the order of docs/engine-issues.md's reproduction (``VALUES``).
LISTED_VALUES = "1004 1949 1004 1949 1004 4 4 1004 1004 1004 1004 1004 1949 4 1949 4 4 4 4 4 1004"

#: The report's query (issue #19).
SORT_EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?o"


def _term(value: str) -> str:
    return f'"{value}"^^xsd:gYear' if value == "1949" else value


def _values_query(order_by: str) -> str:
    values = " ".join(_term(value) for value in LISTED_VALUES.split())
    return f"SELECT ?o WHERE {{ VALUES ?o {{ {values} }} }} ORDER BY {order_by}"


@pytest.fixture(scope="module")
def crashing_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built store holding only 21 passages and memberships whose values sort badly.

    No blank nodes, so its row order (hence the crash) is the same on every build."""
    path = tmp_path_factory.mktemp("crashing") / "store"
    build_store([MINIMAL_DATA], path)
    store = OxigraphStore.open(built_directory(path), read_only=False)
    try:
        store.update("DROP ALL")
        triples = " ".join(
            f"id:row-{i} {'pg:startDate' if value == '1949' else 'pg:lineStart'} {_term(value)} ."
            for i, value in enumerate(STORED_VALUES.split())
        )
        store.update(f"INSERT DATA {{ GRAPH <urn:x-test:sorting> {{ {triples} }} }}")
        store.flush()
    finally:
        store.close()
    return path


def _assert_crash_reported(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("policygraph: error: the query engine crashed on this query")
    assert "SIGABRT" in lines[0] and "does not correctly implement a total order" in lines[0]
    assert "STR(?x)" in lines[0] and "Traceback" not in result.stderr


def test_the_reports_query_on_a_store_that_crashes_the_engine(crashing_store_path: Path) -> None:
    _assert_crash_reported(run_cli("query", SORT_EVERYTHING, "--store", crashing_store_path))


def test_the_smallest_crashing_query_needs_no_data(fixture_store_path: Path) -> None:
    _assert_crash_reported(run_cli("query", _values_query("?o"), "--store", fixture_store_path))


def test_the_work_around_in_the_message_sorts_the_same_rows(crashing_store_path: Path) -> None:
    by_spelling = SORT_EVERYTHING.replace("ORDER BY ?o", "ORDER BY STR(?o)")
    result = run_cli("query", by_spelling, "-f", "csv", "--store", crashing_store_path)
    assert result.returncode == 0, result.stderr
    objects = [line.rsplit(",", 1)[1] for line in result.stdout.splitlines()[1:]]
    assert objects == sorted(STORED_VALUES.split())  # by spelling: 1004 < 1949 < 4


def test_a_users_error_in_the_child_is_still_one_line(fixture_store_path: Path) -> None:
    result = run_cli(
        "query", "SELECT ?s WHERE { ?s ?p ?o }", "-f", "nope", "--store", fixture_store_path
    )
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("policygraph: error: unknown result format")
