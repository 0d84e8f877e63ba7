"""The proposals view's filters (:func:`graph.query.proposals.list_proposals`): picked from
the proposals' summaries, they find what one query joining the filters finds, on the
report's store — every section, chapter, actor, framework and topic, and pairs of them."""

from __future__ import annotations

import itertools

import pytest

from graph.memo import Memo
from graph.query.bound import entity, select_bound
from graph.query.proposals import every_proposal, list_proposals
from graph.store import OxigraphStore
from viz import views

#: The reference: the filters joined in one query (the view's query before it used the
#: summaries), each a pattern on the proposal; a section matches its parts too.
_PATTERNS = {
    "actor": "?p pg:involves ?actor .",
    "framework": "?p pg:concerns ?framework .",
    "topic": "?p pg:addresses ?topic .",
    "section": "?p pg:inSection/pg:partOf* ?section .",
}
#: Where each filter's values are found in the report's store.
_VALUES = {
    "actor": "SELECT DISTINCT ?v WHERE { ?p a pg:Proposal ; pg:involves ?v }",
    "framework": "SELECT DISTINCT ?v WHERE { ?p a pg:Proposal ; pg:concerns ?v }",
    "topic": "SELECT DISTINCT ?v WHERE { ?p a pg:Proposal ; pg:addresses ?v }",
    "section": "SELECT DISTINCT ?v WHERE { ?p a pg:Proposal ; pg:inSection/pg:partOf* ?v }",
}
_CHAPTERS = "SELECT ?v WHERE { ?v a pg:Chapter }"
#: The summaries' order, read once (the report's store is the session's, never changed).
_ORDER = Memo()


def _queried(store: OxigraphStore, filters: dict[str, str]) -> list[str]:
    """The slugs of the proposals the joined query finds, in the summaries' order."""
    patterns = "\n".join(_PATTERNS[name] for name in filters)
    names = " ".join(f"?{name}" for name in filters)
    query = f"SELECT DISTINCT ?p {names} WHERE {{ ?p a pg:Proposal . {patterns} }}"
    bindings = {name: entity(slug) for name, slug in filters.items()}
    found = {row["p"].value for row in select_bound(store, query, bindings)}
    return [p.slug for p in every_proposal(store, _ORDER) if p.iri in found]


@pytest.fixture(scope="module")
def values(report_store: OxigraphStore) -> dict[str, list[str]]:
    """Every value of each filter among the report's proposals, by slug."""
    return {name: _slugs(report_store, query) for name, query in _VALUES.items()}


def _slugs(store: OxigraphStore, query: str) -> list[str]:
    return sorted(row["v"].value.rsplit("/", 1)[-1] for row in select_bound(store, query, {}))


def test_each_filter_finds_what_the_joined_query_finds(
    report_store: OxigraphStore, values: dict[str, list[str]]
) -> None:
    memo = Memo()
    chapters = set(_slugs(report_store, _CHAPTERS))
    assert chapters and chapters < set(values["section"])  # sections, chapters, the report
    for name, slugs in values.items():
        assert slugs, name
        for slug in slugs:
            expected = _queried(report_store, {name: slug})
            assert expected, (name, slug)  # each value has proposals: no vacuous pass
            picked = [p.slug for p in list_proposals(report_store, **{name: slug}, memo=memo)]
            assert picked == expected, (name, slug)


def test_filters_together_find_what_the_joined_query_finds(
    report_store: OxigraphStore, values: dict[str, list[str]]
) -> None:
    memo, matched = Memo(), 0
    for section, actor in itertools.product(values["section"], values["actor"][:8]):
        filters = {"section": section, "actor": actor}
        expected = _queried(report_store, filters)
        matched += bool(expected)
        assert [p.slug for p in list_proposals(report_store, **filters, memo=memo)] == expected
    assert matched  # some pairs have proposals in common


def test_a_summary_picked_is_a_copy_the_caller_may_change(report_store: OxigraphStore) -> None:
    memo = Memo()
    (first, *_) = list_proposals(report_store, actor="kor", memo=memo)
    first.involves.clear()
    again = list_proposals(report_store, actor="kor", memo=memo)
    assert again[0].slug == first.slug and again[0].involves


def test_a_chapter_view_draws_the_proposals_of_its_sections(
    report_store: OxigraphStore,
) -> None:
    chapter = _slugs(report_store, _CHAPTERS)[0]
    view = views.proposals(report_store, section=chapter, memo=Memo())
    drawn = {n["id"] for n in view.nodes}
    assert set(_queried(report_store, {"section": chapter})) <= drawn
    assert view.title.startswith("Proposals in ")
