"""Names on the web: view URLs by name, a page of choices for an ambiguous or unknown
name, the 404 page's suggestions and the search's ranking — over the report's graph."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.store import OxigraphStore
from tests.api.conftest import make_app

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def report(report_store: OxigraphStore) -> Iterator[TestClient]:
    with TestClient(make_app(report_store)) as client:
        yield client


def _choices(page: str) -> list[tuple[str, str]]:
    """The (link, name) of each choice a page offers, in order."""
    found = re.findall(r'<ul class="plain choices"[^>]*>(.*?)</ul>', page, re.S)
    return re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', found[0]) if found else []


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/viz/ego/Korea", "/viz/ego?slug=kor"),
        ("/viz/ego/韓国?depth=2", "/viz/ego?slug=kor&depth=2"),
        ("/viz/ego/한국", "/viz/ego?slug=kor"),
        ("/viz/path/Korea/AUKUS Pillar II", "/viz/path?source=kor&target=aukus-pillar-2"),
    ],
)
def test_view_urls_take_names(report: TestClient, url: str, canonical: str) -> None:
    moved = report.get(url, follow_redirects=False)
    assert moved.status_code == 302
    assert moved.headers["location"] == canonical


def test_a_view_by_name_draws_the_entity(report: TestClient) -> None:
    page = report.get("/viz/ego/Korea?format=svg")
    assert page.status_code == 200
    assert page.headers["content-type"] == "image/svg+xml"
    assert "Republic of Korea" in page.text


def test_query_parameters_take_names_too(report: TestClient) -> None:
    by_name = report.get("/viz/proposals?actor=Australia&framework=AUKUS Pillar II&format=svg")
    by_slug = report.get("/viz/proposals?actor=aus&framework=aukus-pillar-2&format=svg")
    assert by_name.status_code == 200
    assert by_name.content == by_slug.content


def test_an_ambiguous_name_gets_a_page_of_choices(report: TestClient) -> None:
    page = report.get("/viz/ego/Vision Group?depth=2", headers=HTML, follow_redirects=False)
    assert page.status_code == 300
    assert "<h1>Which one?</h1>" in page.text
    assert "“Vision Group” names 10 entities." in page.text
    choices = _choices(page.text)
    assert choices[:2] == [
        ("/viz/ego?slug=jk-vision-group&amp;depth=2", "Japan–Korea Vision Group"),
        ("/viz/ego?slug=eavg&amp;depth=2", "East Asia Vision Group"),
    ]


def test_an_ambiguous_parameter_keeps_the_others_in_each_choice(report: TestClient) -> None:
    page = report.get("/viz/path?source=MOFA&target=kor", headers=HTML)
    assert page.status_code == 300
    links = sorted(link for link, _name in _choices(page.text))
    assert links == [
        "/viz/path?source=jpn-mofa&amp;target=kor",
        "/viz/path?source=kor-mofa&amp;target=kor",
    ]


def test_an_unknown_name_suggests_the_closest(report: TestClient) -> None:
    page = report.get("/viz/ego/Koreaa", headers=HTML)
    assert page.status_code == 404
    assert "No entity is called “Koreaa”." in page.text
    assert _choices(page.text)[0] == ("/viz/ego?slug=kor", "Republic of Korea")


def test_a_figure_with_an_ambiguous_name_is_a_json_error(report: TestClient) -> None:
    answer = report.get("/viz/ego?slug=MOFA&format=svg")
    assert answer.status_code == 400
    assert answer.json()["error"].startswith("'MOFA' names 2 entities: ")
    assert report.get("/viz/ego?slug=Koreaa&format=png").status_code == 404


def test_a_name_of_the_wrong_class_says_what_it_is(report: TestClient) -> None:
    page = report.get("/viz/proposals?framework=Korea", headers=HTML)
    assert page.status_code == 404
    assert "“Korea” is kor (Republic of Korea), a Country, not a framework." in page.text


def test_the_404_page_suggests_the_closest_entities(report: TestClient) -> None:
    page = report.get("/id/aukus-pilar-2", headers=HTML)
    assert page.status_code == 404
    assert "<p>No entity has the slug “aukus-pilar-2”.</p>" in page.text
    assert _choices(page.text)[0] == ("/id/aukus-pillar-2", "AUKUS Pillar II")
    by_name = report.get("/id/Korea", headers=HTML)
    assert _choices(by_name.text)[0] == ("/id/kor", "Republic of Korea")


def test_search_ranks_the_authoring_group_first(report: TestClient) -> None:
    body = report.get("/api/entities", params={"q": "Vision Group", "limit": 3}).json()
    assert [hit["slug"] for hit in body["results"]][:2] == ["jk-vision-group", "eavg"]
    assert body["results"][0]["type"] == "Organization"


def test_search_puts_an_exact_name_above_longer_names(report: TestClient) -> None:
    body = report.get("/api/entities", params={"q": "AUKUS Pillar II"}).json()
    assert body["results"][0]["slug"] == "aukus-pillar-2"
    assert body["results"][0]["match"] == "exact"
    assert len(body["results"]) > 1


@pytest.mark.slow  # the analysis page measures the whole report's graph
def test_the_path_form_takes_names_and_offers_choices(report: TestClient) -> None:
    found = report.get("/analysis", params={"source": "Korea", "target": "AUKUS Pillar II"})
    assert "Path 1: Republic of Korea →" in found.text
    assert '<a href="/viz/path?source=kor&amp;target=aukus-pillar-2">' in found.text
    ambiguous = report.get("/analysis", params={"source": "MOFA", "target": "Korea"}).text
    assert "“MOFA” names 2 entities." in ambiguous
    assert sorted(link for link, _name in _choices(ambiguous)) == [
        "/analysis?source=jpn-mofa&amp;target=Korea#h-paths",
        "/analysis?source=kor-mofa&amp;target=Korea#h-paths",
    ]
