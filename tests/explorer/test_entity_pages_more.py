"""Entity pages that answer the next question: the people of an organisation with their
positions and where else they work, the named queries about the entity with their answer
counts, and relation headings worded in English, Japanese and Korean."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph import REPO_ROOT
from graph.query.named import load_named_queries, run_named_query
from graph.query.wording import LANGUAGES, inverse_phrase, inverse_phrases
from graph.store import OxigraphStore
from serving.settings import Settings
from tests.contexts import serve_store

NAMED = load_named_queries(REPO_ROOT / "graph" / "queries")
HTML = {"Accept": "text/html"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def client(report_store: OxigraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(store="memory:"))
    serve_store(app, report_store)
    with TestClient(app) as test_client:
        yield test_client


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'<h2 id="{heading_id}">')
    end = page.find("<h2", start + 1)
    return page[start : end if end > 0 else None]


def _rows(query: str, store: OxigraphStore, **values: str) -> int:
    result = run_named_query(NAMED[query], store, values)
    assert isinstance(result, ox.QuerySolutions)
    return sum(1 for _ in result)


def test_vision_group_lists_its_members_and_where_they_work(client: TestClient) -> None:
    page = client.get("/id/jk-vision-group", headers=HTML).text
    people = _section(page, "people")
    assert '<span class="badge">20</span>' in people
    kitaoka = people[people.index("/id/kitaoka-shinichi") :].split("</tr>")[0]
    assert ">chair<" in kitaoka
    assert '<a href="/id/jpn-university-of-tokyo">University of Tokyo</a>' in kitaoka
    assert "Professor Emeritus" in kitaoka
    # A former position says so.
    hirai = people[people.index("/id/hirai-hirohide") :].split("</tr>")[0]
    assert "Ministry of Economy, Trade and Industry" in hirai and "(former)" in hirai


def test_an_organisation_lists_its_people_with_positions(client: TestClient) -> None:
    page = client.get("/id/jpn-sasakawa-peace-foundation", headers=HTML).text
    people = _section(page, "people")
    row = people[people.index("/id/kanehara-nobukatsu") :].split("</tr>")[0]
    assert "Executive Director" in row
    assert "/id/jk-vision-group" in row  # where else he is
    described = client.get("/api/entities/jpn-sasakawa-peace-foundation").json()
    assert [p["person"]["slug"] for p in described["people"]] == ["kanehara-nobukatsu"]
    # A country is not an organisation: no people section.
    assert 'id="people"' not in client.get("/id/kor", headers=HTML).text


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        (
            "jk-vision-group",
            {"vision-group-affiliations": {}, "actor-events": {"actor": "jk-vision-group"}},
        ),
        ("kor", {"actor-frameworks": {"actor": "kor"}, "frameworks-with-korea-and-australia": {}}),
        (
            "aukus",
            {
                "framework-members": {"framework": "aukus"},
                "framework-parts": {"framework": "aukus"},
            },
        ),
        ("jkvg2025-section-1-2", {"section-proposals": {"section": "jkvg2025-section-1-2"}}),
    ],
)
def test_named_queries_about_an_entity_are_linked_with_their_counts(
    client: TestClient, report_store: OxigraphStore, slug: str, expected: dict[str, dict[str, str]]
) -> None:
    questions = _section(client.get(f"/id/{slug}", headers=HTML).text, "questions")
    links = re.findall(r'<a href="([^"]+)" data-query="([^"]+)">.*?data-count="(\d+)"', questions)
    shown = {name: (unescape(href), int(count)) for href, name, count in links}
    for name, values in expected.items():
        href, count = shown[name]
        assert count == _rows(name, report_store, **values), name
        assert href == "/query?example=" + name + "".join(f"&{k}={v}" for k, v in values.items())
        opened = client.get(href).text
        assert 'data-autorun="1"' in opened, href
    # Only queries that take this kind of entity: no framework query on a country's page.
    if slug == "kor":
        assert not any(name.startswith("framework-") for name in shown)


def test_relation_headings_are_worded_in_three_languages(report_store: OxigraphStore) -> None:
    used = report_store.query(
        "SELECT DISTINCT ?p WHERE { ?s ?p ?o FILTER (isIRI(?s) && ?p != rdf:type"
        " && STRSTARTS(STR(?o), 'https://w3id.org/policygraph/id/')) }"
    )
    assert isinstance(used, ox.QuerySolutions)
    pg = "https://w3id.org/policygraph/ontology#"
    for row in used:
        iri = row["p"].value
        key = iri.removeprefix(pg)
        phrases = [inverse_phrase(key, lang) for lang in LANGUAGES]
        assert all(phrases), f"no incoming wording for {iri} in {LANGUAGES}: {phrases}"
    for key, (en, ja, ko) in inverse_phrases().items():
        assert " of of" not in en and not en.startswith("is "), key
        assert JAPANESE.search(ja) and not HANGUL.search(ja), (key, ja)
        assert HANGUL.search(ko) and not JAPANESE.search(ko), (key, ko)


def test_entity_pages_read_no_doubled_words_or_bare_relation_iris(client: TestClient) -> None:
    for slug in ("jk-vision-group", "kor", "aukus", "jkvg2025", "topic-economic-security", "seoul"):
        page = client.get(f"/id/{slug}", headers=HTML)
        assert page.status_code == 200, slug
        relations = _relations(page.text)
        assert " of of" not in relations, slug
        assert "← http" not in relations, slug
        described: dict[str, Any] = client.get(f"/api/entities/{slug}").json()
        for relation in described["incoming"]:
            assert relation["inverse"] and relation["inverse_ja"] and relation["inverse_ko"], (
                slug,
                relation["predicate"]["iri"],
            )


def _relations(page: str) -> str:
    start = page.index("<h2>Relations</h2>")
    return page[start : page.find("<h2", start + 1)]
