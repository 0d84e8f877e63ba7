"""The workbench speaks names: ``/api/labels``, named queries filled in from the URL, and —
in a real browser, offline — every named query's results shown by label, the language
switch, the raw-values toggle, entity completion after ``id:`` and the query history.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from api.main import create_app
from graph import REPO_ROOT
from graph.query.filled import example_values
from graph.query.labels import labels_of
from graph.query.named import load_named_queries, run_named_query
from graph.store import OxigraphStore
from serving.settings import Settings
from tests.browser import Visit, watch
from tests.contexts import serve_store
from tests.servers import serve_in_thread
from tests.viz.test_browser import browser

__all__ = ["browser"]

NAMED = load_named_queries(REPO_ROOT / "graph" / "queries")
KOR = "https://w3id.org/policygraph/id/kor"


@pytest.fixture(scope="module")
def app(report_store: OxigraphStore) -> Any:
    app = create_app(Settings(store="memory:"))
    serve_store(app, report_store)
    return app


@pytest.fixture(scope="module")
def api(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def test_labels_in_each_language_fall_back_to_english_and_skip_non_iris(api: TestClient) -> None:
    memberof = "https://w3id.org/policygraph/ontology#memberOf"
    body = {"iris": [KOR, memberof, "not an iri", "urn:x:unlabelled"], "lang": "ko"}
    answer = api.post("/api/labels", json=body)
    assert answer.status_code == 200
    # Korean where there is one; the property has English only.
    assert answer.json() == {KOR: "한국", memberof: "member of"}
    assert api.get("/api/labels", params={"iri": KOR, "lang": "ja"}).json() == {KOR: "韓国"}


def test_labels_refuse_an_unknown_language(api: TestClient) -> None:
    answer = api.post("/api/labels", json={"iris": [KOR], "lang": "fr"})
    assert answer.status_code == 422


def test_a_named_query_with_values_in_the_url_is_filled_in_and_run(api: TestClient) -> None:
    page = api.get("/query", params={"example": "actor-frameworks", "actor": "kor"})
    assert page.status_code == 200
    assert "VALUES (?actor) { (id:kor) }" in page.text
    assert 'data-autorun="1"' in page.text
    values = {"section": "jkvg2025-section-1-2", "ordinal": "three"}
    bad = api.get("/query", params={"example": "section-proposal-by-ordinal", **values})
    assert 'id="params-error"' in bad.text and "ordinal must be an integer" in bad.text
    assert 'data-autorun="0"' in bad.text


@pytest.mark.parametrize("name", ["Korea", "韓国", "한국", "ROK", "kor"])
def test_a_named_query_takes_an_entity_by_name(api: TestClient, name: str) -> None:
    page = api.get("/query", params={"example": "actor-frameworks", "actor": name}).text
    assert "VALUES (?actor) { (id:kor) }" in page and 'data-autorun="1"' in page


def test_an_ambiguous_or_unknown_name_offers_choices(api: TestClient) -> None:
    page = api.get("/query", params={"example": "actor-frameworks", "actor": "MOFA"}).text
    assert "“MOFA” names 2 entities." in page and 'data-autorun="0"' in page
    choices = re.findall(r'<li><a href="([^"]+#params-form)">', page)
    assert sorted(unescape(c) for c in choices) == [
        f"/query?example=actor-frameworks&actor={slug}-mofa#params-form" for slug in ("jpn", "kor")
    ]
    unknown = api.get("/query", params={"example": "actor-frameworks", "actor": "Koreaa"}).text
    assert "No actor is called “Koreaa”." in unknown
    assert "actor=kor#params-form" in unknown


def test_questions_are_grouped_by_what_they_are_about(api: TestClient) -> None:
    page = api.get("/query").text
    headings = ["Actors and people", "Frameworks", "Proposals", "Sections of the report"]
    positions = [page.index(f'class="example-group">{h}<') for h in headings]
    assert positions == sorted(positions)
    frameworks = page[positions[1] : positions[2]]
    assert 'data-example="framework-members"' in frameworks
    assert 'data-example="actor-asks"' not in frameworks


# ---- in the browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(app: Any) -> Iterator[str]:
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture()
def visit(browser: Any, server: str) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    recorded = watch(context.new_page(), (server,), routes=context, csp=True)
    yield recorded
    context.close()


def _done(page: Any) -> None:
    page.wait_for_selector("body[data-done='1']", state="attached", timeout=30_000)


def _example_url(name: str) -> str:
    return "/query?" + urlencode({"example": name, **example_values(NAMED[name])})


@pytest.mark.slow
def test_every_named_query_shows_labels_not_iris(visit: Visit, report_store: OxigraphStore) -> None:
    page = visit.page
    named_cells = 0
    for name, query in NAMED.items():
        page.goto(_example_url(name))
        _done(page)
        assert page.locator("#query-error").is_hidden(), name
        result = run_named_query(query, report_store, example_values(query))
        assert isinstance(result, ox.QuerySolutions), name
        expected_rows = len(list(result))
        assert page.evaluate("window.pgWorkbench.rows") == expected_rows, name
        cells = page.eval_on_selector_all(
            "#results td [data-iri], #results td[data-iri]",
            "els => els.map(e => [e.getAttribute('data-iri'), e.textContent, e.title])",
        )
        labels = labels_of(report_store, {iri for iri, _, _ in cells})
        for iri, text, title in cells:
            assert title == iri, (name, iri)
            if iri in labels:
                assert text == labels[iri], (name, iri, text)
                named_cells += 1
        texts = page.locator("#results td").all_inner_texts()
        assert not any(t.endswith(("@en", "@ja", "@ko")) for t in texts), name
    assert named_cells > 1000
    visit.assert_clean()


@pytest.mark.slow
def test_language_switch_raw_values_and_history(visit: Visit) -> None:
    page = visit.page
    page.goto("/query?example=actor-frameworks&actor=kor")
    _done(page)
    first = page.locator("#results tbody tr:first-child td:first-child")
    assert first.inner_text() == "Republic of Korea"
    page.select_option("#label-lang", "ko")
    expect(first).to_have_text("한국")
    page.check("#raw-values")
    assert first.inner_text() == "id:kor"
    page.uncheck("#raw-values")
    # The language chosen is kept for the next visit; the history lists the query.
    page.goto("/query")
    _done(page)
    assert page.input_value("#label-lang") == "ko"
    page.click("#history summary")
    history = page.locator("#history-list li a")
    assert history.count() >= 1
    assert "Which frameworks does an actor belong to" in history.first.inner_text()
    history.first.click()
    _done(page)
    assert page.locator("#results tbody tr").count() > 10
    visit.assert_clean()


@pytest.mark.slow
def test_names_complete_after_id(visit: Visit) -> None:
    page = visit.page
    page.goto("/query?query=" + "SELECT%20*%20WHERE%20%7B%20%7D")
    _done(page)
    page.click(".CodeMirror-line")
    page.keyboard.press("End")
    page.keyboard.type(" id:Austr")
    hint = page.locator(".CodeMirror-hints li", has_text="id:aus")
    hint.first.wait_for(timeout=5000)
    assert "Australia" in hint.first.inner_text()
    hint.first.click()
    assert "id:aus " in page.locator(".CodeMirror").inner_text() + " "
    visit.assert_clean()
