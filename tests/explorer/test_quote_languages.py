"""A quote is marked with the language it is written in — its document's — wherever a page
prints it: an entity's evidence, a proposal's passages in the finder, the steps of a path,
the passages a view's side panel lists, and the REST answer (a screen reader reads a
Japanese quote in Japanese and an English one in English; a browser picks the fonts).

The store is the tiny fixture set (its report ``test-report``, in Japanese) plus two notes
written here in our own words, one English and one Korean, as ``policygraph ingest`` writes
them; an analyst made an entity of a candidate of each and a proposal of the English note's
proposal candidate (the review functions the CLI and the web call).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.ingest import review
from graph.ingest.folder import DOCUMENT_FILE, SOURCE_FILE, document_folder
from graph.ingest.model import DocumentRecord, Passage, ReviewItem
from graph.ingest.turtle import render_document
from graph.iris import entity_iri
from graph.store import OxigraphStore
from tests.api.conftest import built_and_open, client_reading
from tests.conftest import MINIMAL_DATA

REPORT_PROPOSAL = "proposal-joint-aukus-pillar-2"
REPORT_QUOTE = "AUKUSピラーⅡへの日韓共同参加"

#: Written for this test, in our own words: (slug, language, text, candidate line).
NOTES = {
    "en": ("harbour-note-en", "A note on harbours\nThe Harbour Policy Forum met in spring.\n"
           "Korea should open its harbour data to Japan.\n", "The Harbour Policy Forum"),
    "ko": ("harbour-note-ko", "항만에 관한 메모\n항만정책포럼이 봄에 모였다.\n",
           "항만정책포럼이"),
}  # fmt: skip
EN_PROPOSAL_LINE = "Korea should open its harbour data to Japan."


def _write(data: Path, lang: str) -> None:
    slug, text, candidate = NOTES[lang]
    items = [ReviewItem("c1", "entity", "NeedsReview", [Passage(2, 2, candidate)], candidate)]
    if lang == "en":
        items += [
            ReviewItem("m1", "mention", "AutoLinked", [Passage(3, 3, "Korea")], "Korea",
                       entity_iri("kor")),
            ReviewItem("p1", "proposal", "NeedsReview", [Passage(3, 3, EN_PROPOSAL_LINE)],
                       cues=["should"]),
        ]  # fmt: skip
    record = DocumentRecord(
        slug=slug,
        title=text.splitlines()[0],
        language=lang,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        items=items,
    )
    folder = document_folder(data, slug)
    folder.mkdir(parents=True)
    (folder / SOURCE_FILE).write_text(text, encoding="utf-8")
    (folder / DOCUMENT_FILE).write_text(render_document(record), encoding="utf-8")


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory, fixture_store: OxigraphStore) -> Path:
    """The notes' folders, their candidates made an entity and a proposal."""
    data = tmp_path_factory.mktemp("quote-languages")
    for lang in NOTES:
        _write(data, lang)
    labels = {"en": "Harbour Policy Forum", "ja": "港湾政策フォーラム", "ko": "항만정책포럼"}
    review.create(data, fixture_store, NOTES["en"][0], "c1", labels, "ThinkTank", "forum-en")
    review.create(data, fixture_store, NOTES["ko"][0], "c1", labels, "ThinkTank", "forum-ko")
    titles = {"ja": "港のデータ公開", "en": "Open harbour data"}
    made = review.propose(data, fixture_store, NOTES["en"][0], "p1", titles, new_slug="open-data")
    assert made.entity == entity_iri("open-data")
    return data


@pytest.fixture(scope="module")
def store(notes: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    path = tmp_path_factory.mktemp("quote-languages-store") / "store"
    yield from built_and_open([MINIMAL_DATA, notes], path)


@pytest.fixture(scope="module")
def client(store: OxigraphStore, notes: Path) -> Iterator[TestClient]:
    yield from client_reading(store, [MINIMAL_DATA, notes])


def _quotes(page: str, tag: str) -> dict[str, str]:
    """Each quote of the page in ``tag`` elements, with its ``lang``."""
    found = re.findall(rf'<{tag} lang="([^"]*)">([^<]*)</{tag}>', page)
    return {quote: lang for lang, quote in found}


@pytest.mark.parametrize(
    ("slug", "quote", "lang"),
    [
        ("forum-en", "The Harbour Policy Forum", "en"),
        ("forum-ko", "항만정책포럼이", "ko"),
        ("open-data", EN_PROPOSAL_LINE, "en"),
        (REPORT_PROPOSAL, REPORT_QUOTE, "ja"),
    ],
)
def test_the_entity_page_marks_each_quote_with_its_documents_language(
    client: TestClient, slug: str, quote: str, lang: str
) -> None:
    response = client.get(f"/id/{slug}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert _quotes(response.text, "blockquote") == {quote: lang}
    evidence = client.get(f"/api/entities/{slug}").json()["evidence"]
    assert [(p["quote"], p["language"]) for p in evidence] == [(quote, lang)]


def test_the_finder_marks_each_proposals_quotes(client: TestClient) -> None:
    page = client.get("/proposals").text
    quotes = _quotes(page, "blockquote")
    assert (quotes[EN_PROPOSAL_LINE], quotes[REPORT_QUOTE]) == ("en", "ja")


def test_a_paths_steps_mark_their_quotes(client: TestClient) -> None:
    page = client.get("/analysis", params={"source": "open-data", "target": "kor"}).text
    assert _quotes(page, "q") == {EN_PROPOSAL_LINE: "en"}


def test_a_views_side_panel_is_given_each_quotes_language(client: TestClient) -> None:
    page = client.get("/viz/proposals").text
    found = re.search(r"var PG_DATA = (\{.*?\});\n", page)
    assert found is not None
    nodes: list[dict[str, Any]] = json.loads(found.group(1))["nodes"]
    evidence = {
        n["id"]: n["pgEvidence"] for n in nodes if n["id"] in ("open-data", REPORT_PROPOSAL)
    }
    # [lines, quote, the title of a document other than the report, the quote's language]
    assert evidence == {
        "open-data": [["3", EN_PROPOSAL_LINE, "A note on harbours", "en"]],
        REPORT_PROPOSAL: [["5", REPORT_QUOTE, "Test report", "ja"]],
    }
