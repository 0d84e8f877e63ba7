"""The proposals and their details kept as columns give back what the store's readers read:
every summary and every details model equal (with the fields each was given), the filters'
proposals those a scan of the models finds, and the same again once through the warm
caches' unpickler."""

from __future__ import annotations

import io
import pickle

import pytest

from graph.iris import ENTITY_BASE
from graph.query.proposal_details import ProposalDetails, proposal_details
from graph.query.proposal_details_table import DetailsTable
from graph.query.proposal_summary import ProposalSummary
from graph.query.proposal_table import ProposalTable
from graph.query.proposals import every_proposal
from graph.query.terms import Label
from graph.store import OxigraphStore
from serving.warm_cache import DataUnpickler
from tests.contexts import context_of


@pytest.fixture(scope="module")
def table(report_store: OxigraphStore) -> ProposalTable:
    return every_proposal(report_store)


def _again(value: object) -> object:
    return DataUnpickler(io.BytesIO(pickle.dumps(value))).load()


def test_a_table_made_of_its_models_is_the_same_and_comes_back_from_the_caches(
    table: ProposalTable,
) -> None:
    models = list(table)
    assert len(models) == 160
    # What the report names: asks, sub-proposals and sections are all in the columns.
    assert any(p.asks for p in models) and any(p.sub_proposal_of for p in models)
    assert all(p.section for p in models)
    again = _again(ProposalTable.of(models))
    assert isinstance(again, ProposalTable)
    assert list(again) == models
    assert [p.model_dump() for p in again] == [p.model_dump() for p in models]
    assert again[-2:] == models[-2:] and again.view([3, 1]) == [models[3], models[1]]
    # Each made model is new: a caller changing its lists changes nothing kept.
    table[0].involves.clear()
    assert table[0] == models[0]


def test_the_filters_of_the_columns_are_those_of_a_scan(table: ProposalTable) -> None:
    models = list(table)
    for relation in ("involves", "concerns", "addresses", "section"):
        named = {
            ref.iri
            for p in models
            for ref in ([p.section] if relation == "section" and p.section else [])
            + (getattr(p, relation) if relation != "section" else [])
        }
        assert len(named) > 3, relation
        for iri in sorted(named)[:12]:
            scanned = [
                at
                for at, p in enumerate(models)
                if any(
                    ref.iri == iri
                    for ref in ([p.section] if relation == "section" and p.section else [])
                    + (getattr(p, relation) if relation != "section" else [])
                )
            ]
            assert table.naming(relation, {iri}) == scanned != [], (relation, iri)
    assert table.naming("involves", {ENTITY_BASE + "no-such-actor"}) == []
    assert table.having("section") == list(range(len(models)))
    assert table.having("document") == []


def test_every_proposal_is_found_by_its_iri(table: ProposalTable) -> None:
    assert [table.position(p.iri) for p in table] == list(range(len(table)))
    assert table.position(ENTITY_BASE + "no-such-proposal") is None
    assert table.position("") is None and table.position("\uffff") is None


def test_the_details_as_columns_are_those_the_store_gives(
    report_store: OxigraphStore, table: ProposalTable
) -> None:
    read = proposal_details(report_store)
    kept = _again(DetailsTable.of(read, table))
    assert isinstance(kept, DetailsTable)
    assert len(kept) == len(read) > 100 and set(kept) == set(read)
    assert sum(len(d.evidence) for d in read.values()) > len(read)  # several passages
    for slug, details in read.items():
        assert kept[slug] == details, slug
        assert kept[slug].model_dump(exclude_unset=True) == details.model_dump(exclude_unset=True)
    assert kept.get("no-such-proposal") is None


def test_details_of_a_slug_outside_the_table_are_kept_as_they_are(
    table: ProposalTable,
) -> None:
    outside = ProposalDetails(summary=[Label(value="Do it", lang="en")])
    kept = DetailsTable.of({"not-a-proposal": outside}, table)
    assert kept["not-a-proposal"] == outside and list(kept) == ["not-a-proposal"]
    with pytest.raises(KeyError):
        kept[table.slug(0)]  # no details were given for it


def test_a_summary_whose_slug_is_not_its_iri_s_end_is_refused() -> None:
    odd = ProposalSummary(slug="p", iri="urn:x:p", label="P")
    with pytest.raises(ValueError, match="is not the end of its IRI"):
        ProposalTable.of([odd])


def test_the_home_page_s_lists_from_the_columns_are_those_of_the_models(
    report_store: OxigraphStore,
) -> None:
    catalogue = context_of(report_store).catalogue
    scanned = [
        (p.section.slug, p.slug, p.label)
        for p in catalogue.proposals
        if p.section and p.section.slug
    ]
    assert list(catalogue.in_sections()) == scanned != []
