"""The analyses on the report's graph, and the CLI commands that print them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest

from graph.analysis import (
    brokers,
    centrality_table,
    communities,
    explain_paths,
    framework_overlap,
    project,
    read_provenance,
)
from graph.store import OxigraphStore
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def report_graph(report_store: OxigraphStore) -> nx.MultiDiGraph:
    return project(report_store)


def test_kor_to_aukus_pillar_2_goes_through_the_joint_participation_proposal(
    report_store: OxigraphStore, report_graph: nx.MultiDiGraph
) -> None:
    provenance = read_provenance(report_store)
    [path] = explain_paths(
        report_graph, "kor", "aukus-pillar-2", provenance=provenance, max_paths=1
    )
    proposal = "proposal-aukus-pillar-2-joint-participation"
    assert path.nodes == ("kor", proposal, "aukus-pillar-2")
    relations = {str(r): r for s in path.steps for r in s.relations}
    # What the proposal asks (callsOn, proposesJoining … since issue #15) is listed beside
    # the relations it refines, which stay.
    assert {f"{proposal} involves kor", f"{proposal} concerns aukus-pillar-2"} <= set(relations)
    evidence = relations[f"{proposal} involves kor"].evidence
    assert evidence[0].lines == "199" and "AUKUS" in evidence[0].quote


def test_communities_on_the_report_are_reproducible(report_graph: nx.MultiDiGraph) -> None:
    first = communities(report_graph)
    assert first == communities(report_graph.copy())
    assert sum(c.size for c in first) == report_graph.number_of_nodes()
    assert {"kor", "jpn"} <= {c.label for c in first[:3]}


def test_overlap_on_the_report_includes_background_members(report_graph: nx.MultiDiGraph) -> None:
    m = framework_overlap(report_graph)
    ipef = m.members[m.frameworks.index("ipef")]
    assert len(ipef) == 14  # the background member list
    aukus = [p for p in m.pairs() if {p.first, p.second} == {"aukus", "aukus-pillar-2"}]
    assert aukus and aukus[0].jaccard == 1.0


def test_kor_and_jpn_are_the_top_brokers(report_graph: nx.MultiDiGraph) -> None:
    assert {b.slug for b in brokers(report_graph, top=2)} == {"kor", "jpn"}


def test_the_measures_computed_together_are_those_computed_apart(
    report_graph: nx.MultiDiGraph,
) -> None:
    """One betweenness and one Louvain run shared by centrality and brokers give what each
    function gives on its own."""
    from graph.analysis.measures import whole_graph_measures

    together = whole_graph_measures(report_graph)
    assert together.centrality == centrality_table(report_graph)
    assert together.communities == communities(report_graph)
    assert together.brokers == brokers(report_graph, types=None)
    assert together.betweenness_pivots is None  # 635 nodes: exact


def test_cli_path_table_and_json(report_store_path: Path) -> None:
    table = run_cli("path", "kor", "aukus-pillar-2", "--max", "1", "--store", report_store_path)
    assert table.returncode == 0, table.stderr
    assert "proposal-aukus-pillar-2-joint-participation involves kor" in table.stdout
    assert "report, line 199:" in table.stdout
    out = run_cli(
        "path", "kor", "aukus-pillar-2", "--max", "2", "--format", "json",
        "--store", report_store_path,
    )  # fmt: skip
    paths = json.loads(out.stdout)
    assert len(paths) == 2 and paths[0]["length"] == 2
    relation = paths[0]["steps"][1]["relations"][0]
    assert (relation["predicate"], relation["direction"]) == ("concerns", "forward")
    assert relation["evidence"][0]["line_start"] == 199
    assert relation["evidence"][0]["document"] == "jkvg2025"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("path", "kor", "no-such-entity"), "no entity has the slug 'no-such-entity'"),
        (("path", "kor", "jpn", "--format", "csv"), "unknown format 'csv'"),
        (("path", "kor", "jpn", "--max", "0"), "max paths must be at least 1"),
        (("analyze", "centrality", "--format", "xml"), "unknown format 'xml'"),
        (("analyze", "brokers", "--type", "Planet"), "unknown class 'Planet'"),
        (("analyze", "communities", "--top", "0"), "--top must be at least 1"),
    ],
    ids=["unknown-slug", "path-format", "path-max", "format", "class", "top"],
)
def test_cli_mistakes_are_one_line_and_exit_2(
    report_store_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli(*args, "--store", report_store_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policygraph: error: ")
    assert message in lines[0]


def test_cli_centrality_formats(report_store_path: Path) -> None:
    args = ("analyze", "centrality", "--type", "Country", "--top", "3", "--store")
    table = run_cli(*args, report_store_path)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["slug", "label", "type", "degree", "betweenness", "eigenvector"]
    assert lines[2].startswith("kor ") and lines[-1] == "(3 rows)"
    rows = json.loads(run_cli(*args, report_store_path, "--format", "json").stdout)
    assert [r["slug"] for r in rows] == ["kor", "jpn", "usa"]
    assert rows[0]["eigenvector"] == 1.0
    parsed = list(
        csv.DictReader(io.StringIO(run_cli(*args, report_store_path, "-f", "csv").stdout))
    )
    assert [r["slug"] for r in parsed] == ["kor", "jpn", "usa"]


def test_cli_communities_overlap_brokers(report_store_path: Path) -> None:
    found = json.loads(
        run_cli(
            "analyze", "communities", "--top", "2", "-f", "json", "--store", report_store_path
        ).stdout
    )
    assert [c["community"] for c in found] == [1, 2]
    assert found[0]["label"] in found[0]["members"]
    overlap = json.loads(
        run_cli(
            "analyze", "overlap", "--top", "5", "-f", "json", "--store", report_store_path
        ).stdout
    )
    n = len(overlap["frameworks"])
    assert n >= 2 and len(overlap["matrix"]) == n and len(overlap["pairs"]) == 5
    assert all(overlap["matrix"][i][i] == 1.0 for i in range(n))
    table = run_cli("analyze", "brokers", "--top", "2", "--store", report_store_path)
    assert table.returncode == 0, table.stderr
    assert {line.split()[0] for line in table.stdout.splitlines()[2:4]} == {"kor", "jpn"}
    overlap_csv = run_cli("analyze", "overlap", "-f", "csv", "--store", report_store_path).stdout
    assert overlap_csv.splitlines()[0] == "first,second,shared,union,jaccard"
