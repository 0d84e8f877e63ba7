"""Many documents in the explorer: the proposal finder, its view and the search limited to
documents, the entity page's "In other documents", and ``serve --data``.

The store is the tiny fixture set (its report ``test-report``) plus one ingested note
written here in our own words: its Turtle as ``policygraph ingest`` writes it (one mention
of Korea, linked) and, by hand, one ``pg:Proposal`` with a passage in the note — the shape
a proposal accepted from a proposal candidate takes (a chapter and section of the note,
labels in English and Japanese, a passage of its lines).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from graph.build import build_store
from graph.ingest.folder import DOCUMENT_FILE, SOURCE_FILE, document_folder
from graph.ingest.model import DocumentRecord, Passage, ReviewItem
from graph.ingest.turtle import render_document
from graph.iris import entity_iri
from graph.query.finder import Selection
from graph.store import OxigraphStore, open_store
from tests.api.conftest import client_reading, make_app, running_server
from tests.conftest import MINIMAL_DATA, run_cli
from viz import views
from viz.figure import FigureOptions, figure_text

NOTE = "note-2026"
NOTE_TITLE = "日韓協力に関する試験用メモ"
NOTE_PROPOSAL = "note-2026-proposal-1"
REPORT_PROPOSAL = "proposal-joint-aukus-pillar-2"

SOURCE = (
    "韓国と日本の研究機関は気候の観測網を共同で作るべきである。\n学生の交流も倍に増やしたい。\n"
)

PROPOSAL = f"""
# ---- Added by hand for the tests: a proposal with its passage in the note ----

id:{NOTE}-part-1 a pg:Chapter ;
    rdfs:label "The note, part 1"@en , "第1部"@ja ;
    pg:partOf id:{NOTE} ;
    pg:order 1 .

id:{NOTE}-section-1 a pg:Section ;
    rdfs:label "The note, section 1"@en , "第1節"@ja ;
    pg:partOf id:{NOTE}-part-1 ;
    pg:order 1 .

id:{NOTE_PROPOSAL} a pg:Proposal ;
    rdfs:label "A joint climate observation network"@en , "気候観測網の共同構築"@ja ;
    pg:inSection id:{NOTE}-section-1 ;
    pg:involves id:kor ;
    pg:evidence [ a pg:Passage ; pg:inDocument id:{NOTE} ; pg:lineStart 1 ; pg:lineEnd 1 ;
            pg:quote "気候の観測網を共同で作るべきである" ] .
"""


def write_note(data: Path, slug: str = NOTE, source: str = SOURCE) -> None:
    """The note's folder under ``data``: its text and its Turtle."""
    record = DocumentRecord(
        slug=slug,
        title=NOTE_TITLE,
        language="ja",
        sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
        items=[
            ReviewItem(
                key="m1",
                kind="mention",
                status="AutoLinked",
                passages=[Passage(1, 1, "韓国")],
                text="韓国",
                entity=entity_iri("kor"),
            )
        ],
    )
    folder = document_folder(data, slug)
    folder.mkdir(parents=True)
    (folder / SOURCE_FILE).write_text(source, encoding="utf-8")
    turtle = render_document(record) + (PROPOSAL if slug == NOTE else "")
    (folder / DOCUMENT_FILE).write_text(turtle, encoding="utf-8")


@pytest.fixture(scope="module")
def note_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("notes")
    write_note(data)
    return data


@pytest.fixture(scope="module")
def store_path(note_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("many-documents") / "store"
    build_store([MINIMAL_DATA, note_data], path)
    return path


@pytest.fixture(scope="module")
def store(store_path: Path) -> Iterator[OxigraphStore]:
    opened = open_store(store_path)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(store: OxigraphStore, note_data: Path) -> Iterator[TestClient]:
    yield from client_reading(store, [MINIMAL_DATA, note_data])


def _slugs(client: TestClient, **params: str | list[str]) -> list[str]:
    response = client.get("/api/proposals", params=params)
    assert response.status_code == 200, response.text
    return [p["slug"] for p in response.json()]


# ---- the proposal finder ----


def test_the_finder_keeps_the_proposals_with_a_passage_in_any_document_given(
    client: TestClient,
) -> None:
    assert set(_slugs(client)) == {REPORT_PROPOSAL, NOTE_PROPOSAL}
    assert _slugs(client, document=NOTE) == [NOTE_PROPOSAL]
    assert _slugs(client, document="test-report") == [REPORT_PROPOSAL]
    assert set(_slugs(client, document=[NOTE, "test-report"])) == {REPORT_PROPOSAL, NOTE_PROPOSAL}
    # with the other facets: the note's proposal involves Korea, not Japan
    assert _slugs(client, document=NOTE, actor="kor") == [NOTE_PROPOSAL]
    assert _slugs(client, document=NOTE, actor="jpn") == []
    # by title, in the document's own language, or as an IRI
    assert _slugs(client, document=NOTE_TITLE) == [NOTE_PROPOSAL]
    assert _slugs(client, document="Test report") == [REPORT_PROPOSAL]
    assert _slugs(client, document=f"id:{NOTE}") == [NOTE_PROPOSAL]


@pytest.mark.parametrize(
    ("value", "status", "says"),
    [
        ("no-such-note", 404, "no document has the slug 'no-such-note'"),
        ("jpn", 404, "'jpn' is not a document"),
        ('<script>alert("x")</script>', 404, "no document is called"),
        ("x" * 201, 400, "longer than 200 characters"),
    ],
)
def test_a_document_that_is_none_is_refused_in_one_line(
    client: TestClient, value: str, status: int, says: str
) -> None:
    response = client.get("/api/proposals", params={"document": value})
    assert response.status_code == status
    body = response.json()
    message = body.get("error") or body.get("detail")
    assert says in message and "\n" not in message


def test_the_finder_page_lists_the_documents_with_their_counts(client: TestClient) -> None:
    page = client.get("/proposals").text
    facet = re.search(r'<fieldset id="facet-document".*?</fieldset>', page, re.S)
    assert facet is not None
    values = re.findall(
        r'value="([a-z0-9-]+)".*?<span class="name">([^<]*)</span> <span class="count">(\d+)',
        facet.group(0),
    )
    # the note has a Japanese title only: the page shows it, not the slug
    assert sorted(values) == [(NOTE, NOTE_TITLE, "1"), ("test-report", "Test report", "1")]
    assert "<legend>Documents</legend>" in facet.group(0)


def test_the_finder_page_limited_to_a_document(client: TestClient) -> None:
    response = client.get("/proposals", params={"document": NOTE})
    assert response.status_code == 200
    page = response.text
    listed = re.findall(r'<article class="proposal"[^>]*data-slug="([^"]+)"', page)
    assert listed == [NOTE_PROPOSAL]
    assert f"1 of 2 proposals have a passage in {NOTE_TITLE}." in page
    assert f'id="f-document-{NOTE}" name="document" value="{NOTE}" checked' in page
    assert f'id="permalink" href="/proposals?document={NOTE}"' in page
    assert f'href="/viz/proposals?document={NOTE}"' in page
    csv = client.get("/proposals.csv", params={"document": NOTE}).text
    assert NOTE_PROPOSAL in csv and REPORT_PROPOSAL not in csv


def test_an_unknown_document_on_the_page_is_left_out_and_said(client: TestClient) -> None:
    response = client.get("/proposals", params={"document": ["<b>x</b>", NOTE]})
    assert response.status_code == 404
    page = response.text
    assert "Documents: <strong>“&lt;b&gt;x&lt;/b&gt;”</strong> names no entity" in page
    assert "<b>x</b>" not in page
    assert re.findall(r'<article class="proposal"[^>]*data-slug="([^"]+)"', page) == [NOTE_PROPOSAL]


def test_the_view_of_the_selection_names_the_document(client: TestClient) -> None:
    response = client.get("/viz/proposals", params={"document": NOTE, "embed": "1"})
    assert response.status_code == 200
    assert f'"{NOTE_PROPOSAL}"' in response.text and REPORT_PROPOSAL not in response.text
    assert f"Proposals with a passage in {NOTE_TITLE}" in response.text
    japanese = client.get("/viz/proposals", params={"document": NOTE, "lang": "ja"})
    assert f"提言：{NOTE_TITLE}に記載" in japanese.text
    korean = client.get("/viz/proposals", params={"document": [NOTE, "test-report"], "lang": "ko"})
    assert f"제언: {NOTE_TITLE} 또는 Test report에 수록" in korean.text
    assert client.get("/viz/proposals", params={"document": "no-such-note"}).status_code == 404


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("en", f"Proposals with a passage in {NOTE_TITLE}"),
        ("ja", f"提言：{NOTE_TITLE}に記載"),
        ("ko", f"제언: {NOTE_TITLE}에 수록"),  # no Korean title: the note's own
    ],
)
def test_a_static_figure_of_the_view_names_the_document(
    store: OxigraphStore, lang: str, title: str
) -> None:
    view = views.proposals(store, lang=lang, selection=Selection(document=(NOTE,)))
    assert figure_text(view, store, FigureOptions(lang=lang)).title == title


@pytest.mark.slow  # starts policygraph three times
def test_the_command_line_view_takes_documents_as_the_web_view_does(
    store_path: Path, tmp_path: Path
) -> None:
    def draw(*documents: str) -> subprocess.CompletedProcess[str]:
        given = [arg for slug in documents for arg in ("--document", slug)]
        return run_cli("viz", "proposals", *given, "--embed", "-o", "view.html",
                       "--store", store_path, cwd=tmp_path)  # fmt: skip

    note = draw(NOTE)
    assert note.returncode == 0, note.stderr
    page = (tmp_path / "view.html").read_text(encoding="utf-8")
    assert f'"{NOTE_PROPOSAL}"' in page and REPORT_PROPOSAL not in page
    assert f"Proposals with a passage in {NOTE_TITLE}" in page
    both = draw(NOTE, "Test report")  # repeatable, by slug or title: any of them
    assert both.returncode == 0, both.stderr
    page = (tmp_path / "view.html").read_text(encoding="utf-8")
    assert f'"{NOTE_PROPOSAL}"' in page and f'"{REPORT_PROPOSAL}"' in page
    unknown = draw("no-such-note")
    assert unknown.returncode == 2
    assert unknown.stderr.strip().splitlines() == [
        "policygraph: error: no document has the slug 'no-such-note'"
    ]


# ---- the search ----


def test_the_rest_search_limited_to_a_document(client: TestClient) -> None:
    def found(**params: str | list[str]) -> list[str]:
        response = client.get("/api/entities", params=params)
        assert response.status_code == 200, response.text
        return [hit["slug"] for hit in response.json()["results"]]

    assert "jpn" in found(q="japan") and "kor" in found(q="korea")
    assert found(q="korea", document=NOTE) == ["kor"]  # mentioned in the note
    assert found(q="japan", document=NOTE) == []  # named in its text, but never linked
    # Japan is a partner of AUKUS by a membership whose passage is in the report
    assert found(q="japan", document=[NOTE, "test-report"]) == ["jpn", REPORT_PROPOSAL]
    assert set(found(document=NOTE)) == {"kor", NOTE_PROPOSAL}  # everything in the note
    refused = client.get("/api/entities", params={"q": "korea", "document": "kor"})
    assert refused.status_code == 404
    assert refused.json() == {"error": "'kor' is not a document"}


def test_the_search_page_limited_to_a_document(client: TestClient) -> None:
    page = client.get("/search", params={"q": "korea"}).text
    facet = re.search(r'<fieldset id="facet-document".*?</fieldset>', page, re.S)
    assert facet is not None
    counts = re.findall(
        r'value="([a-z0-9-]+)">.*?<span class="name">([^<]*)</span> <span class="count">(\d+)',
        facet.group(0),
    )
    # Korea, and the report's proposal on "Japan–Korea" participation
    assert sorted(counts) == [(NOTE, NOTE_TITLE, "1"), ("test-report", "Test report", "2")]

    limited = client.get("/search", params={"q": "japan", "document": NOTE})
    assert limited.status_code == 200
    assert f"Nothing matches <q>japan</q> in {NOTE_TITLE}." in limited.text
    assert 'href="/id/jpn"' not in limited.text.split('id="search-status"')[1]
    korea = client.get("/search", params={"q": "korea", "document": NOTE}).text
    assert f"1 result for <q>korea</q> in {NOTE_TITLE}" in korea
    assert f'id="d-{NOTE}" form="search-form" name="document" value="{NOTE}" checked' in korea


def test_an_unknown_document_on_the_search_page_is_left_out_and_said(client: TestClient) -> None:
    response = client.get("/search", params={"q": "korea", "document": ["<i>n</i>", "Test repor"]})
    assert response.status_code == 404
    page = response.text
    assert "Document: <strong>“&lt;i&gt;n&lt;/i&gt;”</strong> names no document" in page
    assert "<i>n</i>" not in page
    assert "2 results for <q>korea</q> in Test report" in page  # a prefix of one title


# ---- the entity page's "In other documents" ----


def test_an_entity_lists_each_other_document_once_with_its_passages(client: TestClient) -> None:
    answer = client.get("/api/documents", params={"entity": "kor"}).json()
    assert [(d["slug"], d["passages"]) for d in answer["documents"]] == [
        (NOTE, [{"line_start": 1, "line_end": 1, "quote": "韓国"}])
    ]
    assert (
        'id="documents" data-entity="kor"'
        in client.get("/id/kor", headers={"Accept": "text/html"}).text
    )


def test_the_report_ingested_again_is_not_another_document(
    store: OxigraphStore, tmp_path: Path
) -> None:
    """The report's own text ingested as a document is the entity's evidence already: the
    entity page does not list it again under "In other documents"."""
    report_text = (MINIMAL_DATA.parent / "source.txt").read_text(encoding="utf-8")
    data = tmp_path / "data"
    write_note(data, "report-again", report_text)
    write_note(data, "test-report", SOURCE)  # the report's own slug
    write_note(data, "another-note", SOURCE + "\n")
    with TestClient(make_app(store, data=[data])) as client:
        every = client.get("/api/documents").json()["documents"]
        about = client.get("/api/documents", params={"entity": "kor"}).json()["documents"]
    assert {d["slug"] for d in every} == {"report-again", "test-report", "another-note"}
    assert [d["slug"] for d in about] == ["another-note"]


# ---- serve --data ----


@pytest.mark.slow
def test_serve_reads_the_documents_of_the_data_directories_given(
    store_path: Path, note_data: Path, tmp_path: Path
) -> None:
    with running_server(store_path, "--data", str(MINIMAL_DATA), "--data", str(note_data)) as s:
        listed = httpx.get(f"{s.url}/api/documents", timeout=30).json()["documents"]
        page = httpx.get(f"{s.url}/proposals", params={"document": NOTE}, timeout=30)
    assert [d["slug"] for d in listed] == [NOTE]
    assert page.status_code == 200 and NOTE_PROPOSAL in page.text

    missing = run_cli("serve", "--store", store_path, "--data", tmp_path / "nowhere")
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        f"policygraph: error: data directory not found: {tmp_path / 'nowhere'}"
    ]
