"""Names in a real browser (headless chromium, offline): the suggestions rank the authoring
group first, and a view URL with an ambiguous name offers choices that open the view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


@pytest.fixture(scope="module")
def server(report_store: OxigraphStore) -> Iterator[str]:
    app = create_app(Settings(store="memory:"))
    serve_store(app, report_store)
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def visit(browser: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Visit]:
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=server)
    recorded = watch(context.new_page(), (server,), routes=context, csp=True)
    yield recorded
    context.close()


def test_typing_vision_group_suggests_the_authoring_group_first(visit: Visit) -> None:
    page = visit.page
    page.goto("/")
    page.fill("#nav-q", "Vision Group")
    options = page.locator("#nav-suggest li")
    options.first.wait_for(state="visible")
    first, second = options.nth(0).inner_text(), options.nth(1).inner_text()
    assert first.startswith("Japan–Korea Vision Group") and first.endswith("Organization")
    assert second.startswith("East Asia Vision Group")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/id/jk-vision-group")
    visit.assert_clean()


def test_an_ambiguous_view_url_offers_choices_that_open_the_view(visit: Visit) -> None:
    page = visit.page
    response = page.goto("/viz/ego/MOFA")
    assert response is not None and response.status == 300
    assert page.inner_text("h1") == "Which one?"
    names = page.locator("ul.choices li a").all_inner_texts()
    assert sorted(names) == [
        "Ministry of Foreign Affairs of Japan",
        "Ministry of Foreign Affairs of the Republic of Korea",
    ]
    page.get_by_role("link", name="Ministry of Foreign Affairs of Japan").click()
    page.wait_for_url("**/viz/ego?slug=jpn-mofa")
    page.locator("body[data-stable='1']").wait_for(state="attached", timeout=30_000)
    assert "Ministry of Foreign Affairs of Japan" in page.title()
    visit.assert_clean()
