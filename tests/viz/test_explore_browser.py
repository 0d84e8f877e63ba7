"""Exploring a view in a real browser, offline: the focus it starts from, opening an
aggregate, opening and closing a node, filters, search, the "as of" date, the permalink and
the downloads. Each step checks what is drawn, read from vis-network's DataSets.

Screenshots of every view at 1280 and 390 px are written to ``$PG_SHOTS`` (default: the
test's temporary folder) for a person to look at.
"""

from __future__ import annotations

import io
import itertools
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from PIL import Image

from graph.store import OxigraphStore
from tests.browser import Visit, watch
from tests.viz.test_browser import ARGS, CHROMIUM
from viz import views
from viz.focus import fold
from viz.html import render_html
from viz.view import View

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"the browser tests need Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


def _open(browser: Any, url: str, width: int = 1280, height: int = 860) -> Visit:
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    visit = watch(page, ("file:",))
    page.goto(url)
    page.wait_for_selector("body[data-stable='1']", state="attached", timeout=30_000)
    return visit


def _page(tmp_path: Path, view: View, name: str) -> str:
    path = tmp_path / f"{name}.html"
    path.write_text(render_html(view), encoding="utf-8")
    return path.as_uri()


def _ids(visit: Visit) -> set[str]:
    return set(visit.page.evaluate("pgNodes.getIds()"))


def _at(visit: Visit, node: str) -> tuple[float, float]:
    """Where ``node`` is on the screen."""
    where = visit.page.evaluate("id => pgNetwork.canvasToDOM(pgNetwork.getPosition(id))", node)
    box = visit.page.locator("#network").bounding_box()
    return box["x"] + where["x"], box["y"] + where["y"]


def _click(visit: Visit, node: str, double: bool = False) -> None:
    visit.page.evaluate("id => pgNetwork.focus(id, {scale: 1, animation: false})", node)
    x, y = _at(visit, node)
    if double:
        visit.page.mouse.dblclick(x, y)
    else:
        visit.page.mouse.click(x, y)
    visit.page.wait_for_timeout(350)  # vis-network tells a click from a double click


#: Each drawn node's box on the screen, shape and label, measured here (vis-network's own
#: bounding box counts one line of a label of several): the label's lines set in its font
#: beneath the shape; the label's size on the screen; whether the box is inside the frame.
_BOXES = """() => {
  const frame = document.getElementById('network').getBoundingClientRect();
  const face = PG_DATA.options.nodes.font.face, scale = pgNetwork.getScale();
  const ctx = document.createElement('canvas').getContext('2d');
  return pgNodes.get().map(n => {
    const size = n.font.size, lines = String(n.label).split('\\n');
    ctx.font = size + 'px ' + face;
    const wide = Math.max(...lines.map(l => ctx.measureText(l).width)) / 2;
    const r = n.size || 25, at = pgNetwork.getPosition(n.id);
    const a = pgNetwork.canvasToDOM({x: at.x - Math.max(wide, r), y: at.y - r});
    const z = pgNetwork.canvasToDOM({x: at.x + Math.max(wide, r),
                                     y: at.y + r + 4 + lines.length * size * 1.2});
    return {id: n.id, level: n.pgLevel || 0, px: size * scale,
            left: a.x, top: a.y, right: z.x, bottom: z.y,
            inside: a.x >= 0 && a.y >= 0 && z.x <= frame.width && z.y <= frame.height};
  });
}"""


def _label_boxes_overlap(visit: Visit) -> list[tuple[str, str]]:
    """Pairs of the focus's and first ring's nodes whose boxes (shape and label) overlap."""
    boxes = [(n["id"], n) for n in visit.page.evaluate(_BOXES) if n["level"] <= 1]
    clashes = []
    for (a, p), (b, q) in itertools.combinations(boxes, 2):
        across = p["left"] < q["right"] and q["left"] < p["right"]
        if across and p["top"] < q["bottom"] and q["top"] < p["bottom"]:
            clashes.append((a, b))
    return clashes


@pytest.mark.parametrize("slug", ["kor", "jpn"])
def test_the_default_view_of_a_country_is_a_readable_focus(
    browser: Any, report_store: OxigraphStore, tmp_path: Path, slug: str
) -> None:
    view = views.ego(report_store, slug, 2)
    assert len(view.nodes) > 300  # the hairball it used to draw
    visit = _open(browser, _page(tmp_path, view, slug))
    try:
        visit.assert_clean()
        drawn = visit.page.evaluate("pgNodes.get()")
        assert 10 <= len(drawn) <= 50
        aggregates = [n for n in drawn if n.get("pgAggregate")]
        assert aggregates, "the large groups are aggregate nodes"
        assert any(n["label"].replace("\n", " ").endswith(" proposals") for n in aggregates)
        assert slug in {n["id"] for n in drawn}
        # A static figure of the view draws the same focus (viz/focus.py's fold).
        assert {n["id"] for n in fold(view).nodes} == {n["id"] for n in drawn}
        assert _label_boxes_overlap(visit) == []
        # The check sees an overlap when there is one: one ring node moved onto another.
        ring = [n["id"] for n in drawn if n.get("pgLevel") == 1][:2]
        visit.page.evaluate(
            "([a, b]) => { const p = pgNetwork.getPosition(b); pgNetwork.moveNode(a, p.x, p.y); }",
            ring,
        )
        clashes = {tuple(sorted(pair)) for pair in _label_boxes_overlap(visit)}
        assert tuple(sorted(ring)) in clashes
        # Labels are whole: wrapped onto lines, never cut.
        names = {n["id"]: n["label"] for n in view.nodes}
        for node in drawn:
            assert "…" not in node["label"]
            if not node.get("pgAggregate"):
                assert node["label"].replace("\n", "").replace(" ", "") == names[
                    node["id"]
                ].replace(" ", "")
    finally:
        visit.page.close()


def test_open_an_aggregate_then_a_node_then_close_it(
    browser: Any, report_store: OxigraphStore, tmp_path: Path
) -> None:
    visit = _open(browser, _page(tmp_path, views.ego(report_store, "kor", 2), "kor"))
    page = visit.page
    try:
        frameworks = page.evaluate(
            "pgNodes.get().filter(n => n.pgAggregate && n.pgGroup === 'framework')"
            ".sort((a, b) => b.pgCount - a.pgCount)[0]"
        )
        before = _ids(visit)
        _click(visit, frameworks["id"])
        after = _ids(visit)
        opened = after - before
        assert len(opened) == min(30, frameworks["pgCount"])
        assert all(page.evaluate("id => pgNodes.get(id).pgGroup", n) == "framework" for n in opened)
        assert "o:" in unquote(page.url)
        # Open one framework's neighbours (a double click), then close them again.
        oecd = "oecd" if "oecd" in after else sorted(opened)[0]
        _click(visit, oecd, double=True)
        expanded = _ids(visit)
        assert len(expanded) > len(after)
        assert oecd in page.evaluate("pgView.expanded")
        _click(visit, oecd)
        assert page.inner_text("#pg-toggle") == "Close its neighbours"
        page.click("#pg-toggle")
        assert _ids(visit) == after
        visit.assert_clean()
    finally:
        page.close()


def test_the_panel_shows_names_relations_evidence_and_a_link(
    browser: Any, report_store: OxigraphStore, tmp_path: Path
) -> None:
    visit = _open(browser, _page(tmp_path, views.ego(report_store, "jpn", 1), "jpn"))
    page = visit.page
    try:
        _click(visit, "jpn")
        panel = page.inner_text("#pg-panel")
        assert "Japan" in panel and "日本" in panel and "일본" in panel
        assert "Country" in panel
        assert "member of →" in panel
        assert "Evidence" in panel and "report, line" in panel
        assert page.get_attribute("#pg-page", "href").endswith("/id/jpn")
        assert "sel=jpn" in page.url
    finally:
        page.close()


def test_filters_hide_a_class_and_a_relation(
    browser: Any, report_store: OxigraphStore, tmp_path: Path
) -> None:
    visit = _open(browser, _page(tmp_path, views.ego(report_store, "kor", 2), "kor"))
    page = visit.page
    try:
        groups = "pgNodes.get().map(n => n.pgGroup)"
        assert "person" in page.evaluate(groups)
        page.click("#pg-filters summary")
        page.uncheck("input[data-group='person']")
        assert "person" not in page.evaluate(groups)
        assert "hide=person" in page.url
        relations = "pgEdges.get().map(e => e.relation)"
        assert "memberOf" in page.evaluate(relations)
        page.uncheck("input[data-relation='memberOf']")
        assert "memberOf" not in page.evaluate(relations)
        page.check("input[data-group='person']")
        assert "person" in page.evaluate(groups)
    finally:
        page.close()


def test_find_a_node_by_name_brings_it_into_the_view(
    browser: Any, report_store: OxigraphStore, tmp_path: Path
) -> None:
    visit = _open(browser, _page(tmp_path, views.ego(report_store, "kor", 2), "kor"))
    page = visit.page
    try:
        target = page.evaluate(
            "Object.values(PG_DATA.nodes).find(n => n.pgGroup === 'framework' && "
            "!pgNodes.get(n.id)).id"
        )
        label = page.evaluate("id => PG_DATA.nodes.find(n => n.id === id).label", target)
        page.fill("#pg-query", label)
        page.press("#pg-query", "Enter")
        assert target in _ids(visit)
        assert page.evaluate("pgNetwork.getSelectedNodes()") == [target]
        assert label in page.inner_text("#pg-panel h2")
        page.fill("#pg-query", "no such entity anywhere")
        page.press("#pg-query", "Enter")
        assert "No entity in this view" in page.inner_text("#pg-find-result")
    finally:
        page.close()


def test_the_date_control_shows_the_memberships_valid_then(
    browser: Any, tiny_store: OxigraphStore, tmp_path: Path
) -> None:
    # Korea chairs the MSP since 2024; Japan's memberships have no dates.
    view = views.frameworks(tiny_store, ["msp", "ipef"])
    visit = _open(browser, _page(tmp_path, view, "msp"))
    page = visit.page
    chair = "pgEdges.get().filter(e => e.relation === 'role:Chair').length"
    try:
        assert page.evaluate(chair) == 1
        page.fill("#pg-asof", "2020-06-01")
        page.dispatch_event("#pg-asof", "change")
        assert page.evaluate(chair) == 0
        assert page.evaluate("pgEdges.get().filter(e => e.from === 'jpn').length") == 2
        assert "asof=2020-06-01" in page.url
        # The date in the page's words (the browser writes the control's in its own).
        assert page.inner_text("#pg-asof-text") == "1 Jun 2020"
        assert "valid on 1 Jun 2020" in page.inner_text("#pg-status")
        page.fill("#pg-asof", "2025-01-01")
        page.dispatch_event("#pg-asof", "change")
        assert page.evaluate(chair) == 1
        page.click("#pg-asof-clear")
        assert "asof" not in page.url
        assert page.inner_text("#pg-asof-text") == ""
    finally:
        page.close()


def test_a_permalink_restores_the_view(
    browser: Any, report_store: OxigraphStore, tmp_path: Path
) -> None:
    url = _page(tmp_path, views.ego(report_store, "kor", 2), "kor")
    visit = _open(browser, url)
    page = visit.page
    try:
        aggregate = page.evaluate("pgNodes.get().find(n => n.pgAggregate).id")
        _click(visit, aggregate)
        page.click("#pg-filters summary")
        page.uncheck("input[data-group='event']")
        page.fill("#pg-asof", "2010-01-01")
        page.dispatch_event("#pg-asof", "change")
        _click(visit, "kor")
        link = page.url
        drawn, lines = _ids(visit), page.evaluate("pgEdges.getIds().sort()")
        assert "#" in link and page.inner_text("#permalink").endswith(link.split("#", 1)[1])
    finally:
        page.close()
    again = _open(browser, link)
    try:
        assert _ids(again) == drawn
        assert again.page.evaluate("pgEdges.getIds().sort()") == lines
        assert again.page.input_value("#pg-asof") == "2010-01-01"
        assert not again.page.is_checked("input[data-group='event']")
        assert "Republic of Korea" in again.page.inner_text("#pg-panel h2")
        again.assert_clean()
    finally:
        again.page.close()


def test_downloads_are_what_is_on_screen(
    browser: Any, report_store: OxigraphStore, tmp_path: Path
) -> None:
    visit = _open(browser, _page(tmp_path, views.ego(report_store, "kor", 2), "kor"))
    page = visit.page
    try:
        with page.expect_download() as png:
            page.click("#pg-png")
        image = Image.open(io.BytesIO(Path(png.value.path()).read_bytes()))
        canvas = page.eval_on_selector("#network canvas", "c => [c.width, c.height]")
        assert image.format == "PNG" and list(image.size) == canvas
        with page.expect_download() as saved:
            page.click("#pg-json")
        data = json.loads(Path(saved.value.path()).read_text(encoding="utf-8"))
        assert {n["id"] for n in data["nodes"]} == _ids(visit)
        assert len(data["edges"]) == page.evaluate("pgEdges.length")
        assert data["view"] == "ego"
    finally:
        page.close()


_VIEWS: dict[str, Callable[[OxigraphStore], View]] = {
    "ego-kor": lambda s: views.ego(s, "kor", 2),
    "ego-jpn": lambda s: views.ego(s, "jpn", 2),
    "frameworks": lambda s: views.frameworks(s, ["ipef", "cptpp", "msp"]),
    "frameworks-all": lambda s: views.frameworks(s),
    "proposals": lambda s: views.proposals(s),
    "path": lambda s: views.path(s, "kor", "aukus-pillar-2"),
    "overview": lambda s: views.overview(s),
    "memberships": lambda s: views.memberships(s, ["jpn", "kor"], as_of="2025-09-18"),
}
#: The smallest label of the focus and its first ring on the screen, in CSS pixels.
SMALLEST_LABEL_PX = 11


def _drawn_on_screen(visit: Visit) -> list[dict[str, Any]]:
    """Every drawn node: its level, its label's size on the screen (font size times the
    zoom), and whether its box (shape and label) lies inside the drawing's frame."""
    nodes: list[dict[str, Any]] = visit.page.evaluate(_BOXES)
    return nodes


@pytest.mark.parametrize("name", list(_VIEWS))
def test_every_view_reads_at_both_widths(
    browser: Any, report_store: OxigraphStore, tmp_path: Path, name: str
) -> None:
    url = _page(tmp_path, _VIEWS[name](report_store), name)
    shots = Path(os.environ.get("PG_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for width, height in ((1280, 860), (390, 844)):
        visit = _open(browser, url, width, height)
        page = visit.page
        try:
            visit.assert_clean()
            drawn = _drawn_on_screen(visit)
            assert 0 < len(drawn) <= (50 if width == 1280 else 16)
            assert [n["id"] for n in drawn if not n["inside"]] == [], "cut off at the edge"
            near = [n for n in drawn if n["level"] <= 1]
            assert min(n["px"] for n in near) >= SMALLEST_LABEL_PX, (name, width)
            assert _label_boxes_overlap(visit) == []
            drawing = page.locator("#network").bounding_box()
            legend = page.locator("#pg-legend").bounding_box()
            beside = legend["x"] >= drawing["x"] + drawing["width"]
            below = legend["y"] >= drawing["y"] + drawing["height"]
            assert beside if width == 1280 else below, "the legend stays off the drawing"
            # A phone's controls wait behind a button above the drawing.
            assert page.is_visible("#pg-query") == (width == 1280)
            if width == 390:
                assert not page.evaluate("document.getElementById('pg-legend').open")
                page.click("#pg-controls")
                assert page.is_visible("#pg-query")
                page.click("#pg-controls")
            shot = page.screenshot(path=str(shots / f"{name}-{width}.png"))
            grey = Image.open(io.BytesIO(shot)).convert("L")
            assert sum(grey.histogram()[:200]) / (grey.width * grey.height) > 0.01
        finally:
            page.close()


#: What a reader of each language sees on Korea's view: the controls, the panel's headings,
#: a group's name and the legend, as the page draws them.
_WORDS_SEEN = {
    "ja": {"find": "検索", "fit": "全体表示", "any-date": "日付指定なし", "legend": "凡例",
           "evidence": "根拠", "group": r"^提言\d+件$", "status": "項目を表示", "class": "国",
           "date": "2025年9月18日"},
    "ko": {"find": "찾기", "fit": "전체 보기", "any-date": "날짜 무관", "legend": "범례",
           "evidence": "근거", "group": r"^제언 \d+건$", "status": "항목 중", "class": "국가",
           "date": "2025년 9월 18일"},
}  # fmt: skip


def test_a_page_in_japanese_or_korean_speaks_it(
    browser: Any, report_store: OxigraphStore, tmp_path: Path
) -> None:
    import re

    for lang, seen in _WORDS_SEEN.items():
        view = views.ego(report_store, "kor", 2, lang=lang)
        visit = _open(browser, _page(tmp_path, view, f"kor-{lang}"))
        page = visit.page
        try:
            visit.assert_clean()
            assert page.get_attribute("html", "lang") == lang
            assert page.inner_text("#pg-find button") == seen["find"]
            assert page.inner_text("#pg-fit") == seen["fit"]
            assert page.inner_text("#pg-asof-clear") == seen["any-date"]
            assert page.inner_text("#pg-legend summary") == seen["legend"]
            assert seen["class"] in page.inner_text("#pg-legend")
            assert seen["status"] in page.inner_text("#pg-status")
            groups = page.evaluate(
                "pgNodes.get().filter(n => n.pgAggregate).map(n => n.label.replace(/\\n/g, ''))"
            )
            assert any(re.match(seen["group"], g) for g in groups), groups
            assert not any(re.search(r"[A-Za-z]", g) for g in groups), groups
            # The chosen date as the reader's language writes it, beside the control.
            page.fill("#pg-asof", "2025-09-18")
            page.dispatch_event("#pg-asof", "change")
            assert page.inner_text("#pg-asof-text") == seen["date"]
            assert seen["date"] in page.inner_text("#pg-status")
            page.click("#pg-asof-clear")
            _click(visit, "kor")
            panel = page.inner_text("#pg-panel")
            assert seen["evidence"] in panel and "Evidence" not in panel
            assert page.inner_text("#pg-toggle") not in (
                "Open its neighbours",
                "Close its neighbours",
            )
            # The same page in English again has the English words.
        finally:
            page.close()
    english = _open(browser, _page(tmp_path, views.ego(report_store, "kor", 2), "kor-en"))
    try:
        assert english.page.inner_text("#pg-legend summary") == "Legend"
        assert "statistics" in " ".join(english.page.evaluate("pgNodes.get().map(n => n.label)"))
    finally:
        english.page.close()
