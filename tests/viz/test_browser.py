"""The pages in a real browser: headless Debian chromium driven by Playwright, offline.

Every request that is not for a ``file:`` URL (or the test server, where one runs) is
aborted and counted; each test asserts there were none, no page errors, a drawn canvas
holding the view's nodes, and a screenshot that is not blank. Chromium must be installed
(``apt-get install chromium fonts-noto-cjk``, as ``.ci/run`` does): without it these tests
fail, they do not skip.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from graph.store import OxigraphStore
from tests.browser import Visit, watch
from tests.contexts import context_of
from tests.servers import serve_in_thread
from tests.viz.conftest import XSS_LABEL
from viz import views
from viz.html import render_html
from viz.view import View
from viz.words import translate

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Debian's chromium at {CHROMIUM}: "
            "apt-get install chromium fonts-noto-cjk (.ci/run does this)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the test extra installs it
        pytest.fail(f"playwright is not installed (pip install -e '.[test]'): {exc}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


def _visit(browser: Any, url: str, allowed: tuple[str, ...] = ("file:",)) -> Visit:
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    visit = watch(page, allowed)
    page.goto(url)
    page.wait_for_selector("body[data-stable='1']", state="attached", timeout=30_000)
    return visit


def _assert_drawn(visit: Visit, view: View, selector: str = "#network") -> None:
    page = visit.page
    assert visit.blocked == [] and visit.errors == [] and visit.dialogs == []
    width, height = page.eval_on_selector(f"{selector} canvas", "c => [c.width, c.height]")
    assert width > 300 and height > 200
    # The page draws its focus: every node of a small view, about 50 of a large one, each an
    # entity of the view or an aggregate standing for some of them.
    drawn_ids = page.evaluate("pgNodes.get().filter(n => !n.pgAggregate).map(n => n.id)")
    count = page.evaluate("pgNodes.length")
    assert set(drawn_ids) <= {n["id"] for n in view.nodes}
    assert count == len(view.nodes) if len(view.nodes) <= 50 else 0 < count <= 50
    assert page.evaluate("pgEdges.length") > 0
    shot = Image.open(io.BytesIO(page.locator(selector).screenshot())).convert("L")
    histogram = shot.histogram()
    drawn = sum(histogram[:200]) / (shot.width * shot.height)
    assert drawn > 0.002, f"the canvas looks blank ({drawn:.2%} drawn)"


_REPORT_VIEWS: dict[str, Callable[[OxigraphStore], View]] = {
    "ego": lambda s: views.ego(s, "kor", 2),
    "frameworks": lambda s: views.frameworks(s, ["ipef", "cptpp", "msp"], lang="ja"),
    "proposals": lambda s: views.proposals(s, section="jkvg2025-section-1-2"),
    "path": lambda s: views.path(s, "kor", "aukus-pillar-2"),
    "overview": lambda s: views.overview(s),
}


@pytest.mark.parametrize("name", list(_REPORT_VIEWS))
def test_view_draws_offline_from_a_file(
    browser: Any, report_store: OxigraphStore, tmp_path: Path, name: str
) -> None:
    view = _REPORT_VIEWS[name](report_store)
    page = tmp_path / f"{name}.html"
    page.write_text(render_html(view), encoding="utf-8")
    visit = _visit(browser, page.as_uri())
    try:
        _assert_drawn(visit, view)
        # The legend and source line in the view's language (frameworks: Japanese).
        legend = visit.page.inner_text(".legend")
        words = [translate(e.label, view.lang) for e in view.legend if e.kind != "note"]
        assert [w for w in words if w not in legend] == []
        source = "出典：" if view.lang == "ja" else "Source: "
        assert visit.page.inner_text("figcaption.caption").startswith(source)
    finally:
        visit.page.close()


def test_a_hostile_label_stays_text(
    browser: Any, tiny_store: OxigraphStore, tmp_path: Path
) -> None:
    view = views.ego(tiny_store, "evil", 2)
    page = tmp_path / "evil.html"
    page.write_text(render_html(view), encoding="utf-8")
    visit = _visit(browser, page.as_uri())
    try:
        _assert_drawn(visit, view)
        where = visit.page.evaluate("() => pgNetwork.canvasToDOM(pgNetwork.getPosition('evil'))")
        box = visit.page.locator("#network").bounding_box()
        visit.page.mouse.move(box["x"] + where["x"], box["y"] + where["y"])
        tooltip = visit.page.wait_for_selector("div.vis-tooltip", state="visible")
        assert XSS_LABEL in tooltip.inner_text()
        assert visit.page.locator("div.vis-tooltip img, figure img").count() == 0
        visit.page.wait_for_timeout(300)
        assert visit.dialogs == [] and visit.errors == []
    finally:
        visit.page.close()


def test_nothing_to_show_page(browser: Any, tiny_store: OxigraphStore, tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text(render_html(views.path(tiny_store, "kor", "lonely")), encoding="utf-8")
    visit = _visit(browser, page.as_uri())
    try:
        assert visit.blocked == [] and visit.errors == []
        assert "Nothing to show" in visit.page.inner_text("#nothing")
        assert visit.page.locator("canvas").count() == 0
    finally:
        visit.page.close()


@pytest.fixture()
def server(report_store: OxigraphStore) -> Iterator[str]:
    """The viz router served by uvicorn on a free loopback port."""
    from fastapi import FastAPI

    from api.errors import error_response
    from api.routers import viz
    from graph.errors import PolicyGraphError

    app = FastAPI()
    app.include_router(viz.router)
    app.add_exception_handler(PolicyGraphError, error_response)  # type: ignore[arg-type]
    app.state.context = context_of(report_store)
    with serve_in_thread(app) as url:
        from serving.settings import Settings

        # Links point to the server's public URL (never the request's Host): here, its own.
        app.state.settings = Settings(store="memory:", public_url=url)
        yield url


def test_served_embed_works_in_an_iframe(
    browser: Any, server: str, report_store: OxigraphStore, tmp_path: Path
) -> None:
    view = views.ego(report_store, "kor", 1)
    full = _visit(browser, f"{server}/viz/ego?slug=kor", allowed=(server,))
    try:
        _assert_drawn(full, view)
        snippet = full.page.inner_text("#iframe-snippet")
        assert f'src="{server}/viz/ego?slug=kor&amp;depth=1&amp;embed=1"' in snippet
    finally:
        full.page.close()
    host = tmp_path / "briefing.html"
    host.write_text(
        f'<!DOCTYPE html><html><body data-stable="1"><h1>Briefing</h1>{snippet}</body></html>',
        encoding="utf-8",
    )
    visit = _visit(browser, host.as_uri(), allowed=("file:", server))
    try:
        frame = visit.page.frame_locator("iframe")
        frame.locator("body[data-stable='1']").wait_for(state="attached", timeout=30_000)
        inner = next(f for f in visit.page.frames if f.url.startswith(server))
        assert 0 < inner.evaluate("window.pgNodes.length") <= 50
        assert inner.evaluate("pgNodes.get('kor').id") == "kor"
        assert inner.locator("header").count() == 0  # chrome-less
        assert visit.blocked == [] and visit.errors == []
    finally:
        visit.page.close()
