"""What the explorer's pages compute once per context is made by its warm-up (the
publication's ``page_steps``), so a first visit once ``/healthz`` says warm finds it made;
and a page that reads it reads as one that computes it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.deps import get_context
from api.main import create_app
from api.routers import proposal_pages
from graph.store import OxigraphStore
from serving.context import StoreContext
from serving.settings import Settings
from tests.api.conftest import QUERIES

UNFILTERED = "/proposals"
FILTERED = "/proposals?actor=kor"


def _page(context: StoreContext, path: str) -> str:
    app = create_app(Settings(store="memory:", queries=QUERIES))
    app.dependency_overrides[get_context] = lambda: context
    with TestClient(app) as client:
        page = client.get(path)
    assert page.status_code == 200, page.text
    text: str = page.text
    return text


def test_the_warm_up_makes_the_unfiltered_browsers_facets(fixture_store: OxigraphStore) -> None:
    context = StoreContext(fixture_store, Settings(store="memory:"))
    try:
        context.warm_up(also=proposal_pages.warm_steps(context)).join(timeout=120)
        assert context.warm.is_set()
        assert "proposal_facets" in context.memo  # before any visit
    finally:
        context.close()


def test_the_kept_facets_read_as_the_computed_ones(fixture_store: OxigraphStore) -> None:
    warmed = StoreContext(fixture_store, Settings(store="memory:"))
    cold = StoreContext(fixture_store, Settings(store="memory:"))
    try:
        warmed.warm_up(also=proposal_pages.warm_steps(warmed)).join(timeout=120)
        kept: list[proposal_pages.FacetView] = warmed.memo.get("proposal_facets", list)
        assert kept and any(view.values for view in kept)
        assert _page(warmed, UNFILTERED) == _page(cold, UNFILTERED)
        assert "proposal_facets" in cold.memo  # the first unfiltered visit made it
        filtered = _page(warmed, FILTERED)
        assert filtered == _page(cold, FILTERED) != _page(cold, UNFILTERED)
    finally:
        warmed.close()
        cold.close()


def test_a_filtered_page_computes_its_own_facets(fixture_store: OxigraphStore) -> None:
    context = StoreContext(fixture_store, Settings(store="memory:"))
    try:
        _page(context, FILTERED)
        assert "proposal_facets" not in context.memo
    finally:
        context.close()
