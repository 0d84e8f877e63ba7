"""The proposal finder in a real browser (headless Debian chromium, offline): five
questions of several constraints answered by clicking only, each compared with the same
question written in SPARQL and run on the same store.

Every request outside the test server is aborted and counted; each test asserts there
were none, no page errors, no Content-Security-Policy violations and no dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
import pytest

from graph.iris import ENTITY_BASE
from graph.store import OxigraphStore
from tests.browser import Visit
from tests.explorer.test_browser import server, visit
from tests.viz.test_browser import browser

__all__ = ["browser", "server", "visit"]

pytestmark = pytest.mark.slow


def _sparql(store: OxigraphStore, where: str) -> list[str]:
    """The proposals ``?p`` a hand-written WHERE clause finds, as sorted slugs."""
    rows = store.query(f"SELECT DISTINCT ?p WHERE {{ ?p a pg:Proposal . {where} }}")
    assert isinstance(rows, ox.QuerySolutions)
    return sorted(row["p"].value.removeprefix(ENTITY_BASE) for row in rows)


def _shown(page: Any) -> list[str]:
    """The proposals the page lists."""
    return sorted(page.locator("article.proposal").evaluate_all("a => a.map(e => e.dataset.slug)"))


def _click(page: Any, act: Callable[[], None]) -> None:
    """One click (or choice) that applies the filters: the page reloads."""
    with page.expect_navigation():
        act()


def test_flagship_question_in_three_clicks(visit: Visit, report_store: OxigraphStore) -> None:
    """Which proposals involve both Japan and Korea and concern a framework Australia
    belongs to?"""
    page = visit.page
    page.goto("/proposals")
    _click(page, lambda: page.check("#f-actor-jpn"))
    _click(page, lambda: page.check("#f-actor-kor"))
    _click(page, lambda: page.check("#f-member_of-aus"))
    expected = _sparql(
        report_store, "?p pg:involves id:jpn, id:kor ; pg:concerns ?f . id:aus pg:memberOf ?f ."
    )
    assert len(expected) == 15
    assert _shown(page) == expected
    assert page.inner_text("#proposal-count").startswith("15 of 160 proposals involve Japan")
    assert page.url.endswith("/proposals?actor=jpn&actor=kor&member_of=aus")
    # The same rows in the workbench, from its own query.
    page.click("#open-workbench")
    page.wait_for_selector("body[data-done='1']", state="attached", timeout=30_000)
    assert page.locator("#results tbody tr").count() == 15
    visit.assert_clean()


def test_china_or_russia_in_part_one(visit: Visit, report_store: OxigraphStore) -> None:
    """Which proposals of Part 1 involve China or Russia?"""
    page = visit.page
    page.goto("/proposals")
    _click(page, lambda: page.check("#f-actors-any"))
    _click(page, lambda: page.check("#f-actor-chn"))
    _click(page, lambda: page.check("#f-actor-rus"))
    _click(page, lambda: page.select_option("#f-part", "jkvg2025-part-1"))
    expected = _sparql(
        report_store,
        "?p pg:involves ?a ; pg:inSection/pg:partOf id:jkvg2025-part-1 VALUES ?a { id:chn id:rus }",
    )
    assert len(expected) > 2
    assert _shown(page) == expected
    assert "involve China or Russia" in page.inner_text("#proposal-count")
    visit.assert_clean()


def test_korea_asked_to_join(visit: Visit, report_store: OxigraphStore) -> None:
    """Which proposals that involve Korea ask to join a framework, and which frameworks?"""
    page = visit.page
    page.goto("/proposals")
    _click(page, lambda: page.check("#f-ask-proposesJoining"))
    _click(page, lambda: page.check("#f-actor-kor"))
    expected = _sparql(report_store, "?p pg:proposesJoining ?f ; pg:involves id:kor .")
    assert len(expected) > 2
    assert _shown(page) == expected
    assert page.locator("article.proposal", has_text="Asks to join:").count() == len(expected)
    visit.assert_clean()


def test_summary_proposals_about_frameworks_not_yet_created(
    visit: Visit, report_store: OxigraphStore
) -> None:
    """Which summary proposals concern a framework that is only proposed?"""
    page = visit.page
    page.goto("/proposals")
    _click(page, lambda: page.select_option("#f-level", "SummaryProposal"))
    _click(page, lambda: page.select_option("#f-status", "Proposed"))
    expected = _sparql(
        report_store, "?p pg:level pg:SummaryProposal ; pg:concerns ?f . ?f pg:status pg:Proposed ."
    )
    assert len(expected) > 2
    assert _shown(page) == expected
    visit.assert_clean()


def test_japan_and_a_framework_britain_belonged_to_in_2020(
    visit: Visit, report_store: OxigraphStore
) -> None:
    """Which proposals involve Japan and concern a framework the United Kingdom was a
    member of on 1 January 2020 (before it joined CPTPP and MSP)?"""
    page = visit.page
    page.goto("/proposals")
    _click(page, lambda: page.check("#f-member_of-gbr"))
    _click(page, lambda: page.fill("#as-of", "2020-01-01"))
    _click(page, lambda: page.check("#f-actor-jpn"))
    expected = _sparql(
        report_store,
        """?p pg:involves id:jpn ; pg:concerns ?f .
        ?m a pg:Membership ; pg:member id:gbr ; pg:framework ?f .
        FILTER NOT EXISTS { ?m pg:status pg:Proposed }
        FILTER NOT EXISTS { ?f pg:status pg:Proposed }
        OPTIONAL { ?m pg:role ?role }
        FILTER (!BOUND(?role) || EXISTS { ?role pg:impliesMembership true })
        OPTIONAL { ?m pg:startDate ?start }
        FILTER (!BOUND(?start) || SUBSTR(STR(?start), 1, 4) <= "2020")
        OPTIONAL { ?m pg:endDate ?end }
        FILTER (!BOUND(?end) || SUBSTR(STR(?end), 1, 4) >= "2020")""",
    )
    today = _sparql(
        report_store, "?p pg:involves id:jpn ; pg:concerns ?f . id:gbr pg:memberOf ?f ."
    )
    assert 0 < len(expected) < len(today)
    assert _shown(page) == expected
    assert "(as of 2020-01-01)" in page.inner_text("#proposal-count")
    assert "as_of=2020-01-01" in page.url
    visit.assert_clean()
