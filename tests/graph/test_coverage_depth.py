"""``policygraph coverage`` counts the December 2026 additions (tiny data, and the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

from graph.coverage import depth
from graph.store import OxigraphStore
from tests.conftest import run_cli

DATA = """
id:kor a pg:Country . id:jpn a pg:Country .
id:seoul a pg:Place ; pg:country id:kor .
id:busan a pg:Place ; pg:country id:kor .
id:council a pg:Framework ; pg:status pg:Suspended ; pg:memberList pg:Partial ;
    pg:suspendedOn "2011"^^xsd:gYear .
id:erasmus a pg:Framework ; pg:status pg:Proposed .
id:wto a pg:Framework ; pg:memberList pg:Complete ; pg:foundedOn "1995"^^xsd:gYear .
id:apec a pg:Framework .
id:bloc a pg:Grouping .
_:m1 a pg:Membership ; pg:member id:kor ; pg:framework id:apec .
_:m2 a pg:Membership ; pg:member id:kor ; pg:framework id:bloc .
_:m3 a pg:Membership ; pg:member id:kor ; pg:framework id:wto .
id:meeting a pg:Event ; pg:eventType pg:Summit ; pg:location id:seoul .
id:signing a pg:Event ; pg:eventType pg:Signing .
id:other a pg:Event .
id:proposal-a a pg:Proposal ; pg:level pg:SummaryProposal ; pg:ordinal 2 ;
    pg:callsOn id:kor , id:jpn ; pg:proposesCreating id:erasmus .
id:proposal-b a pg:Proposal ; pg:level pg:SubProposal ; pg:subProposalOf id:proposal-a .
id:proposal-c a pg:Proposal .
"""


def test_depth_counts_the_new_classes() -> None:
    store = OxigraphStore.memory()
    store.update(f"INSERT DATA {{ GRAPH <urn:g> {{ {DATA} }} }}")
    found = depth(store)
    assert (found.places, found.events, found.events_with_location) == (2, 3, 1)
    assert found.events_by_type == {"Summit": 1, "Signing": 1, "untyped": 1}
    assert found.proposals_by_level == {"SummaryProposal": 1, "SubProposal": 1, "no level": 1}
    assert (found.proposals_with_ordinal, found.sub_proposals_with_parent) == (1, 1)
    assert found.frameworks_by_status == {"Suspended": 1, "Proposed": 1, "Active": 2}
    assert found.frameworks_with_lifecycle == 2
    assert found.lifecycle_dates == {"suspendedOn": 1, "foundedOn": 1}
    assert found.asks == {"callsOn": 2, "proposesCreating": 1}
    assert found.member_lists == {"Partial": 1, "Complete": 1, "unmarked": 2}
    assert found.without_level == ["proposal-c"]
    assert found.unmarked_member_lists == ["apec", "bloc"]
    assert (
        found.lines()[0]
        == "places: 2; events: 3 (1 located), by type: Signing 1, Summit 1, untyped 1"
    )


def test_cli_coverage_shows_the_depth(fixture_store_path: Path) -> None:
    table = run_cli("coverage", "--store", fixture_store_path)
    assert table.returncode == 0, table.stderr
    assert "proposals by level:" in table.stdout and "member lists:" in table.stdout
    as_json = json.loads(run_cli("coverage", "-f", "json", "--store", fixture_store_path).stdout)
    assert set(as_json["depth"]) >= {
        "places",
        "events_by_type",
        "proposals_by_level",
        "member_lists",
    }
