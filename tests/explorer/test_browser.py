"""The explorer in a real browser: headless Debian chromium driven by Playwright, offline.

The app (over the report's store) runs in uvicorn on a free loopback port; every request
to anywhere else is aborted and counted, and each test asserts there were none, no page
errors, no Content-Security-Policy violations and no dialogs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from api.main import create_app
from graph.store import OxigraphStore
from serving.settings import Settings
from tests.browser import Visit, watch
from tests.contexts import serve_store
from tests.servers import serve_in_thread
from tests.viz.test_browser import browser

__all__ = ["browser"]

pytestmark = pytest.mark.slow

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def server(report_store: OxigraphStore) -> Iterator[str]:
    """The whole app over the report's store, served on a free loopback port."""
    app = create_app(Settings(store="memory:"))
    serve_store(app, report_store)
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture()
def visit(browser: Any, server: str) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    recorded = watch(context.new_page(), (server,), routes=context, csp=True)
    yield recorded
    context.close()


def _drawn_frame(page: Any, selector: str) -> Any:
    """The frame of the iframe ``selector`` once its view has drawn."""
    page.locator(selector).scroll_into_view_if_needed()  # a lazy iframe loads when seen
    page.frame_locator(selector).locator("body[data-stable='1']").wait_for(
        state="attached", timeout=30_000
    )
    src = page.get_attribute(selector, "src")
    return next(f for f in page.frames if f.url.endswith(src.replace("&amp;", "&")))


def _workbench_done(page: Any) -> None:
    page.wait_for_selector("body[data-done='1']", state="attached", timeout=30_000)


def test_search_ipef_to_entity_page_to_drawn_view(visit: Visit) -> None:
    page = visit.page
    page.goto("/")
    page.fill("#home-q", "IPEF")
    option = page.locator("#home-suggest li").first
    option.wait_for(state="visible")
    assert "Indo-Pacific Economic Framework" in option.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/id/ipef")
    assert "Indo-Pacific Economic Framework" in page.inner_text("h1")
    frame = _drawn_frame(page, "#ego-view")
    assert frame.evaluate("window.pgNodes.length") > 5
    assert page.locator("a[href$='format=svg']").count() == 1
    assert "<iframe src=" in page.input_value("#snippet")
    visit.assert_clean()


def test_example_query_fills_the_table_and_its_permalink_restores_it(visit: Visit) -> None:
    page = visit.page
    page.goto("/query")
    _workbench_done(page)
    page.click("a[data-example='proposal-counts-by-section']")
    page.wait_for_url(lambda url: "example=proposal-counts-by-section" in url)
    _workbench_done(page)
    rows = page.locator("#results tbody tr").count()
    assert rows > 3 and page.evaluate("window.pgWorkbench.rows") == rows
    page.click("#results th:nth-child(1) button")
    assert page.get_attribute("#results th:nth-child(1)", "aria-sort") == "ascending"
    page.click("#result-modes button[data-mode='chart']")
    assert page.locator("#result-chart svg rect").count() == rows
    permalink = page.get_attribute("#permalink", "href")
    cells = sorted(page.locator("#results tbody td:first-child").all_inner_texts())
    page.goto(permalink)
    _workbench_done(page)
    assert page.locator("#results tbody tr").count() == rows
    assert "proposal" in page.locator(".CodeMirror").inner_text().lower()
    assert sorted(page.locator("#results tbody td:first-child").all_inner_texts()) == cells
    visit.assert_clean()


def test_construct_is_drawn_and_an_error_shows_its_position(visit: Visit) -> None:
    page = visit.page
    construct = "CONSTRUCT { id:kor pg:memberOf ?f } WHERE { id:kor pg:memberOf ?f }"
    page.goto("/query?query=" + quote(construct))
    _workbench_done(page)
    assert page.evaluate("window.pgWorkbench.mode") == "graph"
    assert page.evaluate("window.pgWorkbench.graphNodes") > 2
    page.goto("/query?query=" + quote("SELECT * WHERE { ?s ?p }"))
    _workbench_done(page)
    assert "line 1, column" in page.inner_text("#query-error")
    assert page.locator(".cm-error-mark").count() == 1
    visit.assert_clean()


def test_proposal_filters_change_the_list_and_the_view(visit: Visit) -> None:
    page = visit.page
    page.goto("/proposals")
    everything = page.locator("article.proposal").count()
    # The view's entities (drawn, or folded into a group node: the first view is capped).
    before = _drawn_frame(page, "#proposals-view").evaluate("window.pgView.total")
    with page.expect_navigation():
        page.check("#f-actor-usa")
    assert "actor=usa" in page.url
    kept = page.locator("article.proposal").count()
    assert 0 < kept < everything
    assert f"{kept} of {everything} proposals" in page.inner_text("#proposal-count")
    assert "actor=usa" in page.get_attribute("#proposals-view", "src")
    after = _drawn_frame(page, "#proposals-view").evaluate("window.pgView.total")
    assert 0 < after < before
    visit.assert_clean()


def test_hostile_strings_stay_text(visit: Visit) -> None:
    page = visit.page
    page.goto("/search?q=" + quote(HOSTILE))
    assert HOSTILE in page.inner_text("#search-status")
    page.goto("/")
    page.fill("#home-q", HOSTILE)
    page.wait_for_timeout(400)
    page.goto("/query?query=" + quote(f'SELECT ?x WHERE {{ BIND ("{HOSTILE}" AS ?x) }}'))
    _workbench_done(page)
    assert page.inner_text("#results tbody td") == HOSTILE
    assert page.locator("#results script").count() == 0
    page.wait_for_timeout(200)
    visit.assert_clean()
