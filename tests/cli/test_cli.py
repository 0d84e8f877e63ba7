"""The command line as a user meets it: output, exit codes, one-line errors, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from tests.conftest import MINIMAL_DATA, MINIMAL_SOURCE, run_cli


def _one_line_error(result: object) -> str:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def test_build_prints_counts_and_time(tmp_path: Path) -> None:
    result = run_cli("build", "--data", MINIMAL_DATA, "--store", tmp_path / "store")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"built {tmp_path / 'store'} in ")
    assert "Proposal" in result.stdout and "Country" in result.stdout


def test_turtle_syntax_error_is_one_line_with_file_line_column(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL_DATA, data)
    (data / "bad.ttl").write_text("@prefix id: <https://w3id.org/policygraph/id/> .\nid:a id:b .\n")
    line = _one_line_error(run_cli("build", "--data", data, "--store", tmp_path / "store"))
    assert f"{data / 'bad.ttl'}:2:" in line
    assert not (tmp_path / "store").exists()


def test_unknown_store_path(tmp_path: Path) -> None:
    line = _one_line_error(run_cli("stats", "--store", tmp_path / "missing"))
    assert "no store at" in line and "policygraph build" in line


def test_malformed_query_gives_the_parser_position(minimal_store_path: Path) -> None:
    line = _one_line_error(
        run_cli("query", "SELECT ?s WHERE { ?s ?p }", "--store", minimal_store_path)
    )
    assert "malformed SPARQL query" in line and "1:" in line


def test_query_formats(minimal_store_path: Path) -> None:
    sparql = "SELECT ?f WHERE { id:kor pg:memberOf ?f }"
    table = run_cli("query", sparql, "--store", minimal_store_path)
    assert table.returncode == 0 and "id:aukus" in table.stdout and "(1 row)" in table.stdout
    as_json = json.loads(
        run_cli("query", sparql, "-f", "json", "--store", minimal_store_path).stdout
    )
    assert as_json["results"]["bindings"][0]["f"]["value"].endswith("/aukus")
    csv_out = run_cli("query", sparql, "-f", "csv", "--store", minimal_store_path).stdout
    assert csv_out.splitlines() == ["f", "https://w3id.org/policygraph/id/aukus"]
    tsv_out = run_cli("query", sparql, "-f", "tsv", "--store", minimal_store_path).stdout
    assert tsv_out.splitlines() == ["?f", "<https://w3id.org/policygraph/id/aukus>"]


def test_unknown_export_format_writes_nothing(minimal_store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xyz"
    line = _one_line_error(
        run_cli("export", "-f", "xyz", "-o", target, "--store", minimal_store_path)
    )
    assert "unknown export format 'xyz'" in line
    assert not target.exists()


def test_unwritable_output_path(minimal_store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "out.ttl"
    line = _one_line_error(
        run_cli("export", "-f", "turtle", "-o", target, "--store", minimal_store_path)
    )
    assert "cannot write" in line
    assert not target.parent.exists()


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld"])
def test_rdf_exports_parse_back(minimal_store_path: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    assert run_cli("export", "-f", fmt, "-o", target, "--store", minimal_store_path).returncode == 0
    rdf_format = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}[fmt]
    dataset = rdflib.Dataset()
    dataset.parse(target, format=rdf_format)
    iri = rdflib.URIRef("https://w3id.org/policygraph/id/kor")
    assert any(True for _ in dataset.quads((iri, rdflib.RDFS.label, None, None)))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_exports_carry_labels_and_types(
    minimal_store_path: Path, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"out.{fmt}"
    assert run_cli("export", "-f", fmt, "-o", target, "--store", minimal_store_path).returncode == 0
    graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    kor = graph.nodes["kor"]
    assert kor["label"] == "Republic of Korea" and kor["type"] == "Country"
    assert graph.has_edge("kor", "aukus")


def test_csv_export_writes_nodes_and_edges(minimal_store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    assert run_cli("export", "-f", "csv", "-o", out, "--store", minimal_store_path).returncode == 0
    nodes = (out / "nodes.csv").read_text(encoding="utf-8").splitlines()
    edges = (out / "edges.csv").read_text(encoding="utf-8").splitlines()
    assert nodes[0] == "id,label,label_ja,type" and "kor,Republic of Korea,韓国,Country" in nodes
    assert (
        "kor,aukus,memberOf" in edges
        and "proposal-joint-aukus-pillar-2,aukus-pillar-2,concerns" in edges
    )


def test_stats_lists_graphs_and_classes(minimal_store_path: Path) -> None:
    result = run_cli("stats", "--store", minimal_store_path)
    assert result.returncode == 0
    assert (
        "curated" in result.stdout and "inferred" in result.stdout and "Proposal" in result.stdout
    )


def test_validate_reports_conformance(tmp_path: Path) -> None:
    result = run_cli("validate", "--data", MINIMAL_DATA)
    assert result.returncode == 0 and result.stdout.startswith("valid: ")


def test_check_evidence_exit_codes(minimal_store_path: Path, tmp_path: Path) -> None:
    ok = run_cli("check-evidence", "--source", MINIMAL_SOURCE, "--store", minimal_store_path)
    assert ok.returncode == 0 and "all 4 passages match" in ok.stdout
    changed = tmp_path / "source.txt"
    changed.write_text(MINIMAL_SOURCE.read_text(encoding="utf-8") + "x", encoding="utf-8")
    bad = run_cli("check-evidence", "--source", changed, "--store", minimal_store_path)
    assert bad.returncode == 1 and "mismatch: test-report: sha256" in bad.stdout
    missing = _one_line_error(
        run_cli("check-evidence", "--source", tmp_path / "none.txt", "--store", minimal_store_path)
    )
    assert "cannot read the source text" in missing


def test_check_evidence_on_the_report(report_store_path: Path, source_text: Path) -> None:
    result = run_cli("check-evidence", "--source", source_text, "--store", report_store_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("all ") and "passages match" in result.stdout


def test_analyze_overlap_leaves_partial_member_lists_out_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    import cli.analyze
    from graph.analysis import project
    from tests.api.depth import depth_store

    graph = project(depth_store())  # the UN's list is partial there, the Quad's complete
    monkeypatch.setattr(cli.analyze, "_projection", lambda store: graph)
    runner = CliRunner()
    table = runner.invoke(cli.analyze.analyze_app, ["overlap"])
    assert table.exit_code == 0, table.output
    lines = table.output.strip().splitlines()
    assert lines[-1] == (
        "1 framework with a partial member list left out; --include-partial to include it"
    )
    assert not any(" un " in f" {line} " for line in lines[:-1])
    included = runner.invoke(cli.analyze.analyze_app, ["overlap", "--include-partial"])
    assert included.exit_code == 0 and "left out" not in included.output
    assert any(line.split()[:2] == ["quad", "un"] for line in included.output.splitlines())
    document = json.loads(runner.invoke(cli.analyze.analyze_app, ["overlap", "-f", "json"]).output)
    assert document["partial_left_out"] == ["un"]
    assert document["note"].startswith("1 framework with a partial member list left out")
    assert "un" not in [f["slug"] for f in document["frameworks"]]
