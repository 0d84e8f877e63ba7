"""An entity's IRI written into its queries (:mod:`graph.query.about`) gives the answers the
bound form gave, on the report's graph: the entity page's queries, the lifecycle and member
list of every framework, and the counts of the named queries offered on entity pages."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from graph import QUERIES_DIR
from graph.errors import QuerySyntaxError
from graph.iris import ENTITY_BASE
from graph.query import entity as entity_queries
from graph.query import people
from graph.query.about import about_text, entity, select_about
from graph.query.bound import select_bound
from graph.query.entity_questions import questions_for
from graph.query.lifecycle import lifecycles, member_lists
from graph.query.named import load_named_queries, run_named_query
from graph.store import OxigraphStore
from serving.catalogue import FILTERS, ProposalCatalogue

#: The queries of an entity page that take the entity as ``?e``.
PAGE_QUERIES = {
    "own": entity_queries._OWN,
    "outgoing": entity_queries._OUTGOING,
    "incoming": entity_queries._INCOMING,
    "memberships": entity_queries._MEMBERSHIPS,
    "affiliations": entity_queries._AFFILIATIONS,
    "evidence": entity_queries._EVIDENCE,
    "people": people._PEOPLE,
}


def _rows(result: ox.QuerySolutions) -> Counter[tuple[str, ...]]:
    """The solutions as a multiset of rows (blank nodes by their id in the store)."""
    names = [v.value for v in result.variables]
    return Counter(tuple("" if row[n] is None else str(row[n]) for n in names) for row in result)


@pytest.fixture(scope="module")
def slugs(report_store: OxigraphStore) -> list[str]:
    """Every entity of the report's graph: everything with a statement of its own."""
    result = report_store.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER (STRSTARTS(STR(?s), "{ENTITY_BASE}")) }}'
    )
    assert isinstance(result, ox.QuerySolutions)
    return sorted(row["s"].value[len(ENTITY_BASE) :] for row in result)


#: Entities always compared: hubs, a framework with a partial list, a person, the report.
NAMED = ("kor", "jpn", "usa", "aukus", "nato", "ip4", "jkvg2025", "jk-vision-group")


@pytest.fixture(scope="module")
def sample(slugs: list[str]) -> list[str]:
    """Every eighth entity and the named ones: the bound form takes 10–30 ms a query, so
    every entity (all 833 were compared once, by hand) would add a minute to the suite."""
    return sorted({*slugs[::8], *NAMED})


def test_the_report_has_entities_of_every_kind_the_queries_read(
    slugs: list[str], sample: list[str]
) -> None:
    # A guard on the comparisons below: they mean something only over a varied graph.
    assert len(slugs) > 500 and len(sample) > 100
    assert set(NAMED) <= set(slugs)


@pytest.mark.parametrize("name", sorted(PAGE_QUERIES))
def test_written_iri_gives_the_bound_answers(
    report_store: OxigraphStore, sample: list[str], name: str
) -> None:
    query = PAGE_QUERIES[name]
    differ = []
    answered = 0
    for slug in sample:
        node = entity(slug)
        written = _rows(select_about(report_store, query, node))
        bound = _rows(select_bound(report_store, query, {"e": node}))
        answered += bool(bound)
        if written != bound:
            differ.append(slug)
    assert differ == []
    assert answered > 0  # the query answers something for some entity


def test_lifecycles_and_member_lists_of_one_are_those_of_all(
    report_store: OxigraphStore, slugs: list[str]
) -> None:
    # The form for all entities binds nothing: the reference for the written one.
    every_lifecycle, every_list = lifecycles(report_store), member_lists(report_store)
    assert len(every_lifecycle) > 10 and len(every_list) > 50
    for slug in slugs:
        iri = ENTITY_BASE + slug
        assert lifecycles(report_store, slug).get(iri) == every_lifecycle.get(iri), slug
        assert member_lists(report_store, slug).get(iri) == every_list.get(iri), slug


@pytest.mark.slow
def test_named_query_counts_on_entity_pages_are_the_bound_counts(
    report_store: OxigraphStore, sample: list[str]
) -> None:
    queries = load_named_queries(QUERIES_DIR)
    counted = 0
    for slug in sample:
        for question in questions_for(report_store, queries, slug, _types(report_store, slug)):
            query = queries[question.query]
            values = {question.param: slug} if question.param else {}
            result = run_named_query(query, report_store, values)
            assert isinstance(result, ox.QuerySolutions)
            assert question.count == sum(1 for _ in result), (slug, question.query)
            counted += question.count > 0
    assert counted > 20


def _types(store: OxigraphStore, slug: str) -> set[str]:
    result = select_about(store, "SELECT ?t WHERE { ?e a ?t }", entity(slug))
    prefix = "https://w3id.org/policygraph/ontology#"
    return {row["t"].value[len(prefix) :] for row in result if row["t"].value.startswith(prefix)}


def test_the_iri_replaces_the_variable_only_in_the_where_group() -> None:
    kor = entity("kor")
    text = about_text(
        "# about ?e {\nSELECT ?e ?every WHERE { ?e pg:memberOf ?every . ?every ?p ?e } ORDER BY ?e",
        "e",
        kor,
    )
    assert "SELECT ?e ?every WHERE {" in text
    assert f"{kor} pg:memberOf ?every . ?every ?p {kor}" in text
    assert text.endswith(f"BIND ({kor} AS ?e) }} ORDER BY ?e")


def test_a_query_without_a_group_is_refused_in_one_line() -> None:
    with pytest.raises(QuerySyntaxError, match="WHERE group"):
        about_text("ASK", "e", entity("kor"))


def test_an_entity_page_lists_the_proposals_that_name_it(
    report_store: OxigraphStore, slugs: list[str]
) -> None:
    catalogue = ProposalCatalogue.read(report_store)
    proposals = list(catalogue.proposals)
    values = [set().union(*(catalogue.values(p, name) for name in FILTERS)) for p in proposals]
    listed = 0
    for slug in slugs:
        scanned = [p for p, found in zip(proposals, values, strict=True) if slug in found]
        assert catalogue.involving(slug) == scanned, slug
        links = [(p.slug, p.label, p.label_ja) for p in scanned]
        assert [tuple(link) for link in catalogue.links_involving(slug)] == links, slug
        listed += bool(scanned)
    assert listed > 50
