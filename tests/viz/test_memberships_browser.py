"""The membership view of Japan and Korea in a real browser, offline: it starts folded
(the frameworks of each block, by status, one labelled node that opens on click and folds
back), the actors on the sides, statuses as dash patterns, roles and dates on the lines of
what is drawn; the matrix page readable at phone width."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store import OxigraphStore
from tests.browser import watch
from tests.viz.test_explore_browser import (
    SMALLEST_LABEL_PX,
    _click,
    _drawn_on_screen,
    _label_boxes_overlap,
)
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
        " status: e.pgStatus, relation: e.relation, dashes: !!e.dashes, label: e.label || ''}))"
    )
    return edges


def _x(page: Any, node: str) -> float:
    x: float = page.evaluate("id => pgNetwork.getPosition(id).x", node)
    return x


def _y(page: Any, node: str) -> float:
    y: float = page.evaluate("id => pgNetwork.getPosition(id).y", node)
    return y


def test_network_page_starts_folded_opens_a_group_and_folds_it_back(
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
    # Folded: the actors, a few frameworks one by one, the rest in labelled groups.
    groups = page.evaluate(
        "pgNodes.get().filter(n => n.pgAggregate).map(n => [n.id, n.label.replace(/\\n/g, ' ')])"
    )
    assert len(groups) >= 3 and page.evaluate("pgNodes.length") <= 20 < len(view.nodes)
    labels = dict(groups)
    assert re.fullmatch(r"\d+ active frameworks", labels["jpn+kor|active"])
    assert re.fullmatch(r"\d+ proposed frameworks", labels["jpn+kor|proposed"])
    # Japan on the left, Korea on the right, what both hold between, their own beneath.
    jpn, kor = _x(page, "jpn"), _x(page, "kor")
    assert jpn < _x(page, "jpn+kor|active") < kor and jpn < _x(page, "jpn+kor|proposed") < kor
    for actor, own in (("jpn", "jpn|active"), ("kor", "kor|active")):
        assert _x(page, own) == _x(page, actor) and _y(page, own) > _y(page, actor)
    # A group's lines: one from each actor holding it, dashed for proposed memberships.
    lines = _visible_edges(page)
    to_proposed = [e for e in lines if e["to"] == "jpn+kor|proposed"]
    assert {e["from"] for e in to_proposed} == {"jpn", "kor"}
    assert all(e["dashes"] for e in to_proposed)
    assert all(not e["dashes"] for e in lines if e["status"] == "active")
    # A framework drawn by itself has its roles and dates on its lines.
    assert any(re.search(r"(founder|member|chair).* \d{4}", e["label"]) for e in lines)

    # Open the shared active frameworks: each is drawn, its lines say roles and dates.
    _click(visit, "jpn+kor|active")
    drawn = set(page.evaluate("pgNodes.getIds()"))
    assert "msp" in drawn and "jpn+kor|active" not in drawn
    assert "o:jpn+kor|active" in page.evaluate("decodeURIComponent(location.hash)")
    assert jpn < _x(page, "msp") < kor
    msp = {e["from"]: e["label"] for e in _visible_edges(page) if e["to"] == "msp"}
    assert msp == {"jpn": "founder since 2022", "kor": "chair since 2024-07; founder since 2022"}
    # Still readable: what was opened lies inside the frame, its labels large enough, and
    # no two label boxes overlap.
    opened = next(g["members"] for g in view.groups if g["id"] == "jpn+kor|active")
    on_screen = {n["id"]: n for n in _drawn_on_screen(visit)}
    assert all(on_screen[m]["inside"] for m in opened)
    assert min(on_screen[m]["px"] for m in opened) >= SMALLEST_LABEL_PX
    assert _label_boxes_overlap(visit) == []
    page.screenshot(path=str(tmp_path / "memberships-open-1280.png"))

    # Fold it back from a framework's panel.
    _click(visit, "msp")
    page.click("#pg-fold")
    drawn = set(page.evaluate("pgNodes.getIds()"))
    assert "msp" not in drawn and "jpn+kor|active" in drawn

    # Double-clicking an actor opens every framework it holds; again, closes them.
    _click(visit, "jpn", double=True)
    held = {
        f
        for (a, f) in (tuple(k) for k in page.evaluate("PG_DATA.edges.map(e => [e.from, e.to])"))
        if a == "jpn"
    }
    assert held <= set(page.evaluate("pgNodes.getIds()"))
    _click(visit, "jpn", double=True)
    assert "jpn+kor|active" in page.evaluate("pgNodes.getIds()")

    # The page's date control: before 2022, no MSP, and proposals are not memberships.
    page.fill("#pg-asof", "2000-01-01")
    page.dispatch_event("#pg-asof", "change")
    assert page.inner_text("#pg-asof-text") == "1 Jan 2000"
    earlier = _visible_edges(page)
    assert not [e for e in earlier if e["status"] == "proposed" or "proposed" in e["to"]]
    visit.assert_clean()
    page.close()


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
