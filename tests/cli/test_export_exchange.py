"""``policygraph export`` in the exchange formats, as a user runs it: the file is written
whole, and a format it does not know is one line that lists the ones it does."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from graph.export import EXPORT_FORMATS
from tests.conftest import run_cli


def test_kumu_workbook_from_the_command_line(fixture_store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "kumu.xlsx"
    result = run_cli("export", "-f", "kumu", "-o", target, "--store", fixture_store_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {target}"
    book = openpyxl.load_workbook(target, read_only=True)
    labels = {row[1] for row in book["Elements"].iter_rows(min_row=2, values_only=True)}
    assert "Republic of Korea" in labels
    assert [p.name for p in tmp_path.iterdir()] == ["kumu.xlsx"]  # no temporary file left


def test_unknown_format_lists_every_format_and_writes_nothing(
    fixture_store_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.gephi"
    result = run_cli("export", "-f", "gephi", "-o", target, "--store", fixture_store_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("policygraph: error: unknown export format 'gephi'; choose one of")
    assert line.endswith(", ".join(EXPORT_FORMATS))
    assert {"cytoscape", "kumu", "graphml", "gexf"} <= set(EXPORT_FORMATS)
    assert list(tmp_path.iterdir()) == []
