"""The finder's facet index (graph.query.facet_index): the proposal browser's selection and
counts from bit sets read once must be those of the queries, on the report's store; and
the browser's list, paged, must still hold every proposal of the selection."""

from __future__ import annotations

import csv
import io
import pickle
import re
from collections import Counter
from datetime import date

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.routers import proposal_pages
from graph.query.facet_index import FacetIndex
from graph.query.finder import FACETS, Selection, facet_counts, matching_proposals, selection_bits
from graph.query.proposals import every_proposal
from graph.store import OxigraphStore
from serving.catalogue import ProposalCatalogue
from serving.warm_cache import DataUnpickler
from tests.api.conftest import make_app

SELECTIONS = [
    Selection(),
    Selection(actor=("kor",)),
    Selection(actor=("chn", "rus"), actors="any"),
    Selection(actor=("jpn", "kor"), member_of=("aus",)),
    Selection(framework=("ipef", "cptpp"), frameworks="any", level=("SummaryProposal",)),
    Selection(ask=("proposesJoining",), topic=("topic-supply-chains",)),
    Selection(part=("jkvg2025-part-2",), status=("Proposed",)),
    Selection(section=("jkvg2025-part-1",)),
    Selection(document=("jkvg2025",), actor=("usa",)),
    Selection(
        member_of=("aus",), as_of=date(2020, 6, 1), actor=("kor",), level=("SummaryProposal",)
    ),
]


@pytest.fixture(scope="module")
def index(report_store: OxigraphStore) -> FacetIndex:
    order = [p.iri for p in every_proposal(report_store)]
    return FacetIndex.read(report_store, order)


def _slugs(index: FacetIndex, bits: int) -> set[str]:
    return {
        index.proposals[n].rsplit("/", 1)[1] for n in range(len(index.proposals)) if bits >> n & 1
    }


@pytest.mark.parametrize(
    "selection", SELECTIONS, ids=lambda s: "&".join(map("=".join, s.params())) or "none"
)
def test_the_index_keeps_and_counts_what_the_queries_do(
    report_store: OxigraphStore, index: FacetIndex, selection: Selection
) -> None:
    """Every facet's values, labels, counts and order, and the proposals kept, are the
    queries' (the finder without an index)."""
    kept = _slugs(index, selection_bits(report_store, selection, index))
    assert kept == set(matching_proposals(report_store, selection))
    assert kept  # every selection here keeps some proposal
    for name in FACETS:
        assert facet_counts(report_store, selection, name, index) == facet_counts(
            report_store, selection, name
        ), name


def test_unfiltered_counts_are_the_proposals_own_values(
    report_store: OxigraphStore, index: FacetIndex
) -> None:
    """Counted the plain way from each proposal's summary: how many proposals involve each
    actor, concern each framework, address each topic."""
    summaries = every_proposal(report_store)
    for name, field in (("actor", "involves"), ("framework", "concerns"), ("topic", "addresses")):
        by_hand = Counter(
            ref.slug for p in summaries for ref in {r.slug: r for r in getattr(p, field)}.values()
        )
        counts = {c.value: c.count for c in facet_counts(report_store, Selection(), name, index)}
        assert counts == dict(by_hand), name
        assert len(counts) > 5


def test_a_selection_counts_what_its_proposals_have(
    report_store: OxigraphStore, index: FacetIndex
) -> None:
    """Under actor=kor: each topic's count is the number of Korea's proposals addressing it."""
    korea = [p for p in every_proposal(report_store) if any(a.slug == "kor" for a in p.involves)]
    by_hand = Counter(slug for p in korea for slug in {t.slug for t in p.addresses})
    counts = facet_counts(report_store, Selection(actor=("kor",)), "topic", index)
    assert {c.value: c.count for c in counts} == dict(by_hand)
    assert [c.count for c in counts] == sorted(by_hand.values(), reverse=True)


def test_the_list_is_paged_and_the_pages_hold_every_proposal(
    report_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten a page: the count says how many match, each page links the next, the pages
    together are the CSV's rows, and a page past the last shows the last."""
    monkeypatch.setattr(proposal_pages, "PAGE_SIZE", 10)
    with TestClient(make_app(report_store)) as client:
        rows = list(
            csv.reader(io.StringIO(client.get("/proposals.csv?actor=kor").text.lstrip("\ufeff")))
        )
        expected = [row[0] for row in rows[1:]]
        assert len(expected) > 20
        seen: list[str] = []
        url: str | None = "/proposals?actor=kor"
        pages = 0
        while url:
            page = client.get(url)
            assert page.status_code == 200
            html = page.text
            assert f"{len(expected)} of " in re.search(r'id="proposal-count"[^>]*>([^<]*)', html)[1]  # type: ignore[index]
            seen += re.findall(r'<article class="proposal"[^>]*data-slug="([^"]+)"', html)
            found = re.search(r'rel="next" href="([^"]+)"', html)
            url = found[1].replace("&amp;", "&").split("#")[0] if found else None
            pages += 1
        assert seen == expected
        assert pages == -(-len(expected) // 10)
        last = client.get("/proposals?actor=kor&page=999").text
        assert re.findall(r'data-slug="([^"]+)"', last) == expected[(pages - 1) * 10 :]
        assert client.get("/proposals?page=0").status_code == 422


def test_the_index_comes_back_from_the_warm_caches(
    report_store: OxigraphStore, index: FacetIndex
) -> None:
    """Kept with the warm caches and read back by their unpickler (data classes only), the
    index counts as before."""
    again = DataUnpickler(io.BytesIO(pickle.dumps(index))).load()
    selection = Selection(actor=("kor",), topic=("topic-supply-chains",))
    for name in FACETS:
        assert facet_counts(report_store, selection, name, again) == facet_counts(
            report_store, selection, name, index
        ), name


_LABELLED = """
@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix id: <https://w3id.org/policygraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

id:p1 a pg:Proposal ; pg:involves id:twice, id:unnamed, id:korea ;
    pg:evidence [ pg:inDocument id:doc-ja ] .
id:p2 a pg:Proposal ; pg:involves id:twice ; pg:evidence [ pg:inDocument id:doc-both ] .
id:twice rdfs:label "Zeta Council"@en, "Alpha Council"@en-GB, "Conseil"@fr .
id:korea rdfs:label "Korea"@en, "한국"@ko .
id:doc-ja rdfs:label "日韓ビジョン"@ja .
id:doc-both rdfs:label "Vision report"@en, "ビジョン"@ja .
"""


def test_labels_are_read_once_and_the_same_at_every_read() -> None:
    """The index reads its values' labels with one query over the values, not the facet's
    pattern again: of two English labels it shows the smaller (a query's SAMPLE may show
    either), none when there is no English label (the page shows the slug), and for a
    document with no English title its title in its own language — as the queries do."""
    store = OxigraphStore.memory()
    store.raw.load(_LABELLED.encode(), format=ox.RdfFormat.TURTLE)
    index = FacetIndex.read(store)
    shown = {
        name: {c.value: c.label for c in facet_counts(store, Selection(), name, index)}
        for name in ("actor", "document")
    }
    assert shown == {
        "actor": {"twice": "Alpha Council", "unnamed": None, "korea": "Korea"},
        "document": {"doc-ja": "日韓ビジョン", "doc-both": "Vision report"},
    }
    queried = {
        name: {c.value: c.label for c in facet_counts(store, Selection(), name)}
        for name in ("actor", "document")
    }
    assert queried["document"] == shown["document"]
    assert queried["actor"]["twice"] in {"Zeta Council", "Alpha Council"}
    assert {k: v for k, v in queried["actor"].items() if k != "twice"} == {
        "unnamed": None, "korea": "Korea"
    }  # fmt: skip


def test_the_catalogue_names_an_entity_as_its_facet_does() -> None:
    """The proposals' summaries and the facet index read the named entities' labels once,
    together: of two English labels both show the smaller, whatever order the store keeps
    them in."""
    store = OxigraphStore.memory()
    store.raw.load(_LABELLED.encode(), format=ox.RdfFormat.TURTLE)
    catalogue = ProposalCatalogue.read(store)
    named = {ref.slug: ref.label for p in catalogue.proposals for ref in p.involves}
    assert named == {"twice": "Alpha Council", "unnamed": None, "korea": "Korea"}
    assert catalogue.index is not None
    assert catalogue.index.facets["actor"].labels == named
    assert named == {ref.slug: ref.label for p in every_proposal(store) for ref in p.involves}
