"""``policygraph query --labels``: a label column beside each column of IRIs."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli

SPARQL = "SELECT ?f ?n WHERE { id:kor pg:memberOf ?f BIND (1 AS ?n) }"


def test_labels_add_a_column_beside_each_iri_column(minimal_store_path: Path) -> None:
    table = run_cli("query", SPARQL, "--labels", "--store", minimal_store_path)
    assert table.returncode == 0, table.stderr
    header, _rule, row = table.stdout.splitlines()[:3]
    assert header.split() == ["f", "fLabel", "n"]
    assert row.split() == ["id:aukus", "AUKUS", "1"]
    csv_out = run_cli("query", SPARQL, "--labels", "-f", "csv", "--store", minimal_store_path)
    assert csv_out.stdout.splitlines() == [
        "f,fLabel,n",
        "https://w3id.org/policygraph/id/aukus,AUKUS,1",
    ]


def test_labels_in_another_language_fall_back_to_english(minimal_store_path: Path) -> None:
    korea = "SELECT ?x WHERE { VALUES ?x { id:kor id:aukus } } ORDER BY ?x"
    out = run_cli(
        "query", korea, "--labels", "--lang", "ko", "-f", "tsv", "--store", minimal_store_path
    )
    lines = out.stdout.splitlines()
    assert lines[0] == "x\txLabel"
    assert lines[1].split("\t")[1] == "AUKUS"  # no Korean label in the fixture: English
    assert lines[2].split("\t")[1] == "한국"


def test_labels_refuse_a_format_they_cannot_write(minimal_store_path: Path) -> None:
    out = run_cli("query", SPARQL, "--labels", "-f", "json", "--store", minimal_store_path)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "policygraph: error: --labels works with --format table, csv or tsv, not 'json'"
    ]
    bad = run_cli("query", SPARQL, "--labels", "--lang", "fr", "--store", minimal_store_path)
    assert bad.returncode == 2 and "--lang must be one of en, ja, ko" in bad.stderr
