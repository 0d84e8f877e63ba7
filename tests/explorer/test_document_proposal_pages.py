"""A proposal made from an ingested document, everywhere a user meets it: its own page says
which document and lines it comes from (not a place in the report), the views name the
document a document, the finder and its downloads, the home page and the ready-made
questions list it with its document.

The store is the tiny fixture set (its report ``test-report``) plus one note written here in
our own words, as ``policygraph ingest`` writes it, whose proposal candidate an analyst made
into a proposal with ``review.propose`` (what ``policygraph review … create`` calls).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.ingest import review
from graph.ingest.folder import DOCUMENT_FILE, SOURCE_FILE, document_folder
from graph.ingest.model import DocumentRecord, Passage, ReviewItem
from graph.ingest.turtle import render_document
from graph.iris import entity_iri
from graph.query.named import load_named_queries, run_named_query
from graph.store import OxigraphStore
from tests.api.conftest import built_and_open, client_reading
from tests.conftest import MINIMAL_DATA
from viz import views
from viz.figure import FigureOptions, figure_text

NOTE = "harbour-note"
TITLE = "港湾協力に関する試験用メモ"
PROPOSAL = "proposal-joint-harbour-drills-korea"
REPORT_PROPOSAL = "proposal-joint-aukus-pillar-2"

#: Written for this test, in our own words.
SOURCE = (
    "港湾協力に関する試験用メモ\n"
    "両国の港は多くの船を迎えている。\n"
    "日本と韓国はAUKUSの枠組みで港の合同訓練を行うべきである。\n"
)
CUE = Passage(3, 3, "日本と韓国はAUKUSの枠組みで港の合同訓練を行うべきである。")


@pytest.fixture(scope="module")
def note_data(tmp_path_factory: pytest.TempPathFactory, fixture_store: OxigraphStore) -> Path:
    """The note's folder, its candidate made into a proposal by the review function."""
    data = tmp_path_factory.mktemp("document-proposal")
    record = DocumentRecord(
        slug=NOTE,
        title=TITLE,
        language="ja",
        sha256=hashlib.sha256(SOURCE.encode("utf-8")).hexdigest(),
        items=[
            ReviewItem("m1", "mention", "AutoLinked", [Passage(3, 3, "韓国")], "韓国",
                       entity_iri("kor")),
            ReviewItem("m2", "mention", "AutoLinked", [Passage(3, 3, "AUKUS")], "AUKUS",
                       entity_iri("aukus")),
            ReviewItem("p1", "proposal", "NeedsReview", [CUE], cues=["べきである"]),
        ],
    )  # fmt: skip
    folder = document_folder(data, NOTE)
    folder.mkdir(parents=True)
    (folder / SOURCE_FILE).write_text(SOURCE, encoding="utf-8")
    (folder / DOCUMENT_FILE).write_text(render_document(record), encoding="utf-8")
    titles = {"ja": "港の合同訓練", "en": "Joint harbour drills with Korea"}
    made = review.propose(data, fixture_store, NOTE, "p1", titles)
    assert made.entity == entity_iri(PROPOSAL)
    return data


@pytest.fixture(scope="module")
def store(note_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    path = tmp_path_factory.mktemp("document-proposal-store") / "store"
    yield from built_and_open([MINIMAL_DATA, note_data], path)


@pytest.fixture(scope="module")
def client(store: OxigraphStore, note_data: Path) -> Iterator[TestClient]:
    yield from client_reading(store, [MINIMAL_DATA, note_data])


def _page(client: TestClient, url: str) -> str:
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    return str(response.text)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_its_page_says_which_document_and_lines_it_comes_from(client: TestClient) -> None:
    page = _page(client, f"/id/{PROPOSAL}")
    structure = page[page.index('id="h-structure"') : page.index('id="h-asks"')]
    assert ">Where it comes from</h2>" in structure
    assert "Place in the report" not in structure and "Level" not in structure
    (source,) = re.findall(r'<p id="proposal-source">(.*?)</p>', structure)
    assert f'<a href="/documents/{NOTE}">{TITLE}</a>' in source
    assert f'<a href="/documents/{NOTE}#L3">3</a>' in source
    assert _text(source) == f"From the document {TITLE}, line 3, not from the report."
    # The links lead to the document's page and its line.
    assert 'id="L3"' in _page(client, f"/documents/{NOTE}")

    report = _page(client, f"/id/{REPORT_PROPOSAL}")
    assert ">Place in the report</h2>" in report and 'id="proposal-source"' not in report


def test_the_views_draw_the_document_as_a_document(store: OxigraphStore) -> None:
    view = views.ego(store, PROPOSAL)  # the view the proposal's page embeds
    groups = {str(n["id"]): n["pgGroup"] for n in view.nodes}
    assert groups[NOTE] == "document"
    legend = [entry.label for entry in view.legend]
    assert "Document" in legend and "Report section" not in legend
    assert "in document" in legend
    # The line to its document carries the passage that states it, as a section's line does.
    (line,) = [e for e in view.edges if e["relation"] == "inDocument"]
    assert (line["from"], line["to"]) == (PROPOSAL, NOTE)
    assert CUE.quote in str(line["title"])
    for lang, word in (("ja", "文書"), ("ko", "문서")):
        figure = figure_text(view, store, FigureOptions(lang=lang))
        assert word in [entry.label for entry in figure.legend], lang
    # The interactive page names the class in its filters and folded groups, and opens a
    # node's documents beside its sections, not after every other class.
    from viz.html import _group_words

    words = _group_words("ja")
    assert (words["document"]["label"], words["document"]["many"]) == ("文書", "文書")
    assert words["document"]["rank"] == words["section"]["rank"] + 1
    assert _group_words("en")["document"]["many"] == "documents"
    # The report is a document too, its sections still sections.
    report = {str(n["id"]): n["pgGroup"] for n in views.ego(store, "test-part-1").nodes}
    assert report["test-report"] == "document" and report["test-section-1-1"] == "section"


def test_the_finder_and_its_downloads_name_its_document(client: TestClient) -> None:
    listed = {p["slug"]: p for p in client.get("/api/proposals").json()}
    assert listed[PROPOSAL]["section"] is None
    assert listed[PROPOSAL]["document"]["slug"] == NOTE
    assert listed[REPORT_PROPOSAL]["document"] is None

    page = _page(client, "/proposals")
    article = page[page.index(f'id="p-{PROPOSAL}"') :].split("</article>")[0]
    assert f'From the document:</span> <a href="/documents/{NOTE}">{TITLE}</a>' in article
    # The section facet counts the report's sections only; choosing one leaves it out.
    assert PROPOSAL not in _page(client, "/proposals?section=test-section-1-1")

    text = client.get("/proposals.csv").content.decode("utf-8-sig")
    rows = {row["proposal"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (rows[PROPOSAL]["section"], rows[PROPOSAL]["document"]) == ("", TITLE)
    # the report's own proposal names the report, as the note's names the note
    assert (rows[REPORT_PROPOSAL]["section"], rows[REPORT_PROPOSAL]["document"]) == (
        "Section 1",
        "Test report",
    )

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    sheet = load_workbook(io.BytesIO(client.get("/proposals.xlsx").content)).active
    header, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    by_slug = {row[0]: dict(zip(header, row, strict=True)) for row in cells}
    assert by_slug[PROPOSAL]["document"] == TITLE
    assert by_slug[REPORT_PROPOSAL]["document"] == "Test report"


def test_the_home_page_lists_it_under_its_document(client: TestClient) -> None:
    page = _page(client, "/")
    (listed,) = re.findall(r'<ul id="from-documents">(.*?)</ul>', page, re.S)
    assert f'href="/id/{PROPOSAL}"' in listed and f'href="/documents/{NOTE}"' in listed
    assert REPORT_PROPOSAL not in listed


def test_the_ready_made_questions_answer_with_it(store: OxigraphStore) -> None:
    from graph import QUERIES_DIR

    queries = load_named_queries(QUERIES_DIR)
    for name, values in (("actor-proposals", {"actor": "kor"}),
                         ("framework-proposals", {"framework": "aukus"})):  # fmt: skip
        rows = list(run_named_query(queries[name], store, values))  # type: ignore[arg-type]
        found = {r["proposal"].value: r for r in rows}
        made = found[entity_iri(PROPOSAL)]
        assert made["document"].value == entity_iri(NOTE) and made["section"] is None, name
        report = found[entity_iri(REPORT_PROPOSAL)] if name == "actor-proposals" else None
        if report is not None:
            assert report["document"] is None
        # the report's proposals first, then the documents'
        assert [r["document"] is not None for r in rows] == sorted(
            r["document"] is not None for r in rows
        ), name
