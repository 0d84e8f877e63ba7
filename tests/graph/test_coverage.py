"""``policygraph coverage`` on the report and on hand-made gaps."""

from __future__ import annotations

import json
from pathlib import Path

from graph.coverage import coverage
from graph.store import OxigraphStore, open_store
from tests.conftest import run_cli


def test_report_coverage_has_every_part_and_section(report_store: OxigraphStore) -> None:
    report = coverage(report_store)
    names = [span.name for span in report.spans]
    assert names == ["front matter"] + [f"jkvg2025-part-{n}" for n in range(1, 5)]
    sections = {s.name: s for span in report.spans for s in span.sections}
    assert sorted(sections) == [
        f"jkvg2025-section-{p}-{s}"
        for p, s in [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2), (3, 3), (4, 1), (4, 2)]
    ]
    proposals = sum(span.proposals for span in report.spans)
    count = report_store.query("SELECT (COUNT(?p) AS ?n) WHERE { ?p a pg:Proposal }")
    assert proposals == int(next(iter(count))["n"].value)  # type: ignore[arg-type, index, union-attr]
    # The security chapter (section 1-2) starts at its body heading, line 1081.
    assert sections["jkvg2025-section-1-2"].first_line == 1081
    assert report.without_label == []


def test_entities_without_evidence_are_listed(minimal_store_path: Path) -> None:
    report = coverage(open_store(minimal_store_path))
    # The fixture's countries and frameworks carry no evidence; its proposal does.
    assert {"jpn", "kor", "aukus"} <= set(report.without_evidence)
    assert "proposal-joint-aukus-pillar-2" not in report.without_evidence


def test_entities_without_a_label_are_listed() -> None:
    store = OxigraphStore.memory()
    store.update(
        "INSERT DATA { GRAPH <urn:g> { id:quad a pg:Minilateral . pg:Minilateral rdfs:subClassOf pg:Framework ."
        ' id:quad rdfs:label "Quad"@en . id:quad a pg:Framework } }'
    )
    assert coverage(store).without_label == ["quad (no @ja)"]


def test_cli_coverage_table_and_json(report_store_path: Path) -> None:
    table = run_cli("coverage", "--store", report_store_path)
    assert table.returncode == 0, table.stderr
    # Sections by number and title, not by slug.
    assert "  3.2 New Horizons of Japan–Korea Cooperation" in table.stdout
    assert "jkvg2025-section" not in table.stdout and "entities without evidence" in table.stdout
    as_json = json.loads(run_cli("coverage", "-f", "json", "--store", report_store_path).stdout)
    assert as_json["spans"][0]["name"] == "front matter"
