"""The membership view of Japan and Korea in a real browser, offline: drawn whole with its
own layout, statuses as dash patterns, the matrix page readable at phone width."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store import OxigraphStore
from tests.browser import watch
from viz import views
from viz.html import render_html
from viz.matrix import matrix, render_matrix_html

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"the browser tests need Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def _visible_edges(page: Any) -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = page.evaluate(
        "pgEdges.get().filter(e => !e.hidden).map(e => ({from: e.from, to: e.to,"
        " status: e.pgStatus, dashes: !!e.dashes}))"
    )
    return edges


def test_network_page_draws_every_framework_and_filters_by_date(
    browser: Any, report_store: OxigraphStore, tmp_path: Path
) -> None:
    view = views.memberships(report_store, ["jpn", "kor"], as_of="2025-09-18")
    file = tmp_path / "m.html"
    file.write_text(render_html(view), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    visit = watch(page, ("file:",))
    page.goto(file.as_uri())
    page.wait_for_selector("body[data-stable='1']", state="attached", timeout=30_000)
    visit.assert_clean()
    # Drawn whole, at the positions the view gave: no aggregate stands in for frameworks.
    assert page.evaluate("pgNodes.length") == len(view.nodes) > 50
    assert page.evaluate("pgNodes.get().filter(n => n.pgAggregate).length") == 0
    jpn_x, kor_x, msp_x = (page.evaluate(f"pgNodes.get('{s}').x") for s in ("jpn", "kor", "msp"))
    assert jpn_x < msp_x < kor_x
    edges = _visible_edges(page)
    proposed = [e for e in edges if e["status"] == "proposed"]
    assert proposed and all(e["dashes"] for e in proposed)
    assert all(not e["dashes"] for e in edges if e["status"] == "active")
    # The page's own date control: before 2022, no MSP, and proposals are not memberships.
    page.fill("#pg-asof", "2000-01-01")
    page.dispatch_event("#pg-asof", "change")
    earlier = _visible_edges(page)
    assert len(earlier) < len(edges)
    assert not [e for e in earlier if e["status"] == "proposed"]
    assert ("kor", "msp") not in {(e["from"], e["to"]) for e in earlier}
    visit.assert_clean()


def test_matrix_page_at_phone_width(
    browser: Any, report_store: OxigraphStore, tmp_path: Path
) -> None:
    file = tmp_path / "mx.html"
    table = matrix(report_store, ["jpn", "kor"], as_of="2025-09-18")
    file.write_text(render_matrix_html(table), encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    visit = watch(page, ("file:",))
    page.goto(file.as_uri())
    visit.assert_clean()
    # The table fits the phone's width: nothing to scroll sideways.
    assert page.evaluate("document.querySelector('.scroll').scrollWidth") <= 390
    msp = page.locator('tr[data-framework="msp"] td').all_inner_texts()
    assert msp == ["founder since 2022", "chair since 2024-07; founder since 2022"]
    cptpp = page.locator('tr[data-framework="cptpp"] td[data-status="proposed"]')
    assert cptpp.inner_text() == "member (proposed)"
