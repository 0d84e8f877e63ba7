"""Materialisation of the December 2026 additions: sub-properties, lifecycle dates, and
pg:memberOf only for active memberships of active frameworks (tiny data, fixed date)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.materialise import materialise
from graph.build.sources import parse_file
from graph.iris import graph_iri
from graph.store import OxigraphStore
from ontology import ONTOLOGY_FILE

ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"
TODAY = dt.date(2026, 12, 5)

DATA = """
@prefix pg:   <https://w3id.org/policygraph/ontology#> .
@prefix id:   <https://w3id.org/policygraph/id/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

id:jpn a pg:Country .
id:kor a pg:Country .
id:usa a pg:Country .
id:kor-mofa a pg:GovernmentAgency .
id:council a pg:Dialogue ; pg:status pg:Suspended .
id:old-treaty a pg:Treaty ; pg:status pg:Ended .
id:new-fund a pg:Initiative ; pg:status pg:Proposed .
id:forum a pg:Dialogue ; pg:status pg:Active .
id:cptpp a pg:TradeAgreement .
id:quad a pg:Minilateral .
id:bloc a pg:Grouping .

# memberships: of a suspended, an ended, a proposed and an active framework
[] a pg:Membership ; pg:member id:jpn ; pg:framework id:council .
[] a pg:Membership ; pg:member id:jpn ; pg:framework id:old-treaty .
[] a pg:Membership ; pg:member id:jpn ; pg:framework id:new-fund .
[] a pg:Membership ; pg:member id:jpn ; pg:framework id:forum .
# a proposed membership, and ones with past and future end dates at three precisions
[] a pg:Membership ; pg:member id:kor ; pg:framework id:cptpp ; pg:status pg:Proposed .
[] a pg:Membership ; pg:member id:jpn ; pg:framework id:cptpp ; pg:status pg:Active .
[] a pg:Membership ; pg:member id:usa ; pg:framework id:cptpp ; pg:endDate "2017"^^xsd:gYear .
[] a pg:Membership ; pg:member id:usa ; pg:framework id:forum ; pg:endDate "2026-12"^^xsd:gYearMonth .
[] a pg:Membership ; pg:member id:kor ; pg:framework id:forum ; pg:endDate "2026-12-04"^^xsd:date .
[] a pg:Membership ; pg:member id:usa ; pg:framework id:quad ; pg:endDate "2027-03-31"^^xsd:date .
# a grouping's members
[] a pg:Membership ; pg:member id:kor ; pg:framework id:bloc .

# lifecycle events
id:event-council-founding a pg:Event ; pg:eventType pg:Founding ; pg:concerns id:council ;
    pg:date "1985"^^xsd:gYear .
id:event-council-suspension a pg:Event ; pg:eventType pg:Suspension ; pg:concerns id:council ;
    pg:date "2011"^^xsd:gYear .
id:event-council-resumption a pg:Event ; pg:eventType pg:Resumption ; pg:concerns id:council ;
    pg:date "2024"^^xsd:gYear .
id:event-treaty-signing a pg:Event ; pg:eventType pg:Signing , pg:Summit ;
    pg:concerns id:old-treaty ; pg:date "1991-07-31"^^xsd:date .
id:event-treaty-in-force a pg:Event ; pg:eventType pg:EntryIntoForce ;
    pg:concerns id:old-treaty ; pg:date "1994-12"^^xsd:gYearMonth .
id:event-treaty-end a pg:Event ; pg:eventType pg:Termination ; pg:concerns id:old-treaty ;
    pg:date "2009-12-05"^^xsd:date .

# what proposals ask
id:proposal-a a pg:Proposal ; pg:proposesJoining id:cptpp ; pg:callsOn id:kor ;
    pg:proposesCreating id:new-fund ; pg:modelledOn id:council ;
    pg:proposesStrengthening id:forum ; pg:actsThrough id:quad , id:kor-mofa .
id:proposal-b a pg:Proposal ; pg:concerns id:quad ; pg:actsThrough id:quad ; pg:involves id:jpn .
"""


@pytest.fixture(scope="module")
def derived(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    data = tmp_path_factory.mktemp("lifecycle") / "data.ttl"
    data.write_text(DATA, encoding="utf-8")
    store = OxigraphStore.memory()
    store.extend(parse_file(ONTOLOGY_FILE, graph_iri("ontology")))
    store.extend(parse_file(Path(data), graph_iri("curated")))
    quads = materialise(store, today=TODAY)
    assert {str(q.graph_name) for q in quads} == {f"<{graph_iri('inferred')}>"}
    return {
        (_short(q.subject), _short(q.predicate), _short(q.object))
        for q in quads
        if isinstance(q.predicate, ox.NamedNode) and q.predicate.value.startswith(PG)
    }


def _short(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value.removeprefix(ID).removeprefix(PG)
    assert isinstance(term, ox.Literal)
    return term.value


def _with(triples: set[tuple[str, str, str]], predicate: str) -> set[tuple[str, str]]:
    return {(s, o) for s, p, o in triples if p == predicate}


def test_member_of_only_for_active_memberships_of_active_frameworks(
    derived: set[tuple[str, str, str]],
) -> None:
    assert _with(derived, "memberOf") == {
        ("jpn", "forum"),  # pg:status pg:Active is active
        ("jpn", "cptpp"),  # an active membership
        ("usa", "forum"),  # ends 2026-12: not yet past on 2026-12-05
        ("usa", "quad"),  # ends in 2027
        ("kor", "bloc"),  # a grouping's member
    }
    # Not: the suspended council, the ended treaty, the proposed fund (framework status);
    # Korea's proposed CPTPP accession (membership status); the US in CPTPP (ended 2017);
    # Korea in the forum (ended yesterday).


def test_lifecycle_dates_come_from_typed_events(derived: set[tuple[str, str, str]]) -> None:
    dates = {(s, p, o) for s, p, o in derived if p.endswith("On") or p == "inForceFrom"}
    assert dates == {
        ("council", "foundedOn", "1985"),
        ("council", "suspendedOn", "2011"),
        ("old-treaty", "signedOn", "1991-07-31"),
        ("old-treaty", "inForceFrom", "1994-12"),
        ("old-treaty", "endedOn", "2009-12-05"),
    }  # a resumption and a summit date nothing


def test_sub_properties_are_materialised_where_the_value_fits(
    derived: set[tuple[str, str, str]],
) -> None:
    assert _with(derived, "concerns") == {
        ("proposal-a", "cptpp"),
        ("proposal-a", "new-fund"),
        ("proposal-a", "council"),
        ("proposal-a", "forum"),
        ("proposal-a", "quad"),
        # not ("proposal-a", "kor-mofa"): a channel that is an organisation, not a framework;
        # not ("proposal-b", "quad"): already asserted
    }
    assert _with(derived, "involves") == {("proposal-a", "kor")}


def test_report_sub_property_triples_reach_concerns_and_involves(
    report_store: OxigraphStore,
) -> None:
    """On the real data every asserted sub-property triple is reachable as its super-property."""
    missing = report_store.query(
        """SELECT ?s ?sub ?o WHERE {
            VALUES ?sub { pg:proposesJoining pg:proposesCreating pg:proposesStrengthening
                          pg:modelledOn pg:callsOn }
            ?s ?sub ?o .
            FILTER NOT EXISTS { ?s pg:concerns|pg:involves ?o }
            # a model that is an event or an organisation is no framework to concern (1.2.0)
            FILTER (?sub != pg:modelledOn || EXISTS { ?o a/rdfs:subClassOf* pg:Framework })
        }"""
    )
    assert isinstance(missing, ox.QuerySolutions)
    assert [tuple(map(str, row)) for row in missing] == []
