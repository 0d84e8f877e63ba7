"""Every passage credited to its own document: a view's caption, the evidence of its page
(side panel, edge tooltips), a static figure's source line, the path page and the REST
paths name the ingested note for the note's passage and the report for the report's.

The store is the tiny fixture set (its report ``test-report``, "Test report") plus the note
of :mod:`tests.explorer.test_documents_limit`: a proposal involving Korea with its passage
on line 1 of the note, whose only title is Japanese.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.query.finder import Selection
from graph.store import OxigraphStore
from tests.api.conftest import built_and_open, client_reading
from tests.conftest import MINIMAL_DATA
from tests.explorer.test_documents_limit import (
    NOTE,
    NOTE_PROPOSAL,
    NOTE_TITLE,
    REPORT_PROPOSAL,
    write_note,
)
from tests.viz.svg_boxes import groups, lines_of, svg_root
from tests.viz.test_explore_browser import _click, _open, _page, browser
from viz import views
from viz.figure import FigureOptions, figure_text

__all__ = ["browser"]

#: The note's passage and the report's, as the English caption names them.
IN_NOTE = f"{NOTE_TITLE}, line 1 (1 passage)"
IN_REPORT = "Test report, line 5 (1 passage)"


@pytest.fixture(scope="module")
def note_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("credit-notes")
    write_note(data)
    return data


@pytest.fixture(scope="module")
def store(note_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    yield from built_and_open(
        [MINIMAL_DATA, note_data], tmp_path_factory.mktemp("credit") / "store"
    )


@pytest.fixture(scope="module")
def client(store: OxigraphStore, note_data: Path) -> Iterator[TestClient]:
    yield from client_reading(store, [MINIMAL_DATA, note_data])


def _page_data(page: str) -> dict[str, Any]:
    found = re.search(r"var PG_DATA = (\{.*?\});\n", page)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def _node(data: dict[str, Any], slug: str) -> dict[str, Any]:
    (node,) = [n for n in data["nodes"] if n["id"] == slug]
    return node


# ---- the view's caption and tooltips ----


def test_the_caption_names_each_document_with_its_lines(store: OxigraphStore) -> None:
    view = views.proposals(store)
    assert view.caption == f"Source: {IN_REPORT}; {IN_NOTE}."
    limited = views.proposals(store, selection=Selection(document=(NOTE,)))
    assert limited.caption == f"Source: {IN_NOTE}."


def test_the_tooltips_name_the_document_of_each_passage(store: OxigraphStore) -> None:
    view = views.proposals(store)
    (edge,) = [e for e in view.edges if e["from"] == NOTE_PROPOSAL and e["to"] == "kor"]
    assert f"({NOTE_TITLE}, line 1)" in edge["title"] and "report" not in edge["title"]
    report_edges = [e for e in view.edges if e["from"] == REPORT_PROPOSAL and e["to"] == "kor"]
    assert "(Test report, line 5)" in report_edges[0]["title"]
    note = view.node_map[NOTE_PROPOSAL]
    assert f"{NOTE_TITLE} lines 1" in note["title"] and "report lines" not in note["title"]


# ---- the interactive page ----


@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_the_page_gives_its_panel_the_document_of_each_passage(
    client: TestClient, lang: str
) -> None:
    response = client.get("/viz/proposals", params={"lang": lang})
    assert response.status_code == 200
    data = _page_data(response.text)
    quote = "気候の観測網を共同で作るべきである"
    # the note has a Japanese title only: every language shows it
    assert _node(data, NOTE_PROPOSAL)["pgEvidence"] == [["1", quote, NOTE_TITLE, "ja"]]
    (report,) = _node(data, REPORT_PROPOSAL)["pgEvidence"]
    assert report[:2] == ["5", "AUKUSピラーⅡへの日韓共同参加"]
    # the report's titles are English and Japanese: Korean shows the English one
    title = {"en": "Test report", "ja": "試験報告書", "ko": "Test report"}[lang]
    assert report[2:] == [title, "ja"]
    # the panel's words for a passage of another document
    assert data["words"]["document-line"] == {
        "en": "{d}, line {x}", "ja": "{d} {x}行", "ko": "{d} {x}행"
    }[lang]  # fmt: skip


def test_the_page_caption_names_the_note(client: TestClient) -> None:
    english = client.get("/viz/proposals", params={"document": NOTE}).text
    assert f'<figcaption class="caption">Source: {IN_NOTE}.</figcaption>' in english
    japanese = client.get("/viz/proposals", params={"document": NOTE, "lang": "ja"}).text
    assert (
        f'<figcaption class="caption">出典：{NOTE_TITLE}、1行（1箇所）。</figcaption>' in japanese
    )


# ---- static figures ----


@pytest.mark.parametrize(
    ("lang", "source"),
    ids=["en", "ja", "ko"],
    argvalues=[
        ("en", f"Source: Test report, line 5 (1 passage); {IN_NOTE}."),
        ("ja", f"出典：試験報告書、5行（1箇所）；{NOTE_TITLE}、1行（1箇所）。"),
        ("ko", f"출처: Test report, 5행(1곳); {NOTE_TITLE}, 1행(1곳)."),
    ],
)
def test_a_figure_source_line_names_each_document(
    store: OxigraphStore, lang: str, source: str
) -> None:
    view = views.proposals(store, lang=lang)
    assert figure_text(view, store, FigureOptions(lang=lang)).source == source


def test_the_svg_of_a_view_of_the_note_credits_the_note(client: TestClient) -> None:
    response = client.get("/viz/proposals", params={"document": NOTE, "format": "svg"})
    assert response.status_code == 200, response.text
    source = groups(svg_root(response.content), "source")["source"]
    drawn = "".join(line.text for line in lines_of(source))
    assert drawn.replace(" ", "") == f"Source: {IN_NOTE}.".replace(" ", "")
    assert "Vision Group" not in drawn


# ---- the paths: the page and REST ----


def test_the_paths_name_the_document_of_each_passage(client: TestClient) -> None:
    response = client.get("/api/paths", params={"source": "kor", "target": NOTE_PROPOSAL, "max": 1})
    assert response.status_code == 200, response.text
    (path,) = response.json()["paths"]
    (relation,) = path["steps"][0]["relations"]
    (evidence,) = relation["evidence"]
    assert (evidence["document"], evidence["document_title"], evidence["lines"]) == (
        NOTE,
        NOTE_TITLE,
        "1",
    )
    to_report = client.get(
        "/api/paths", params={"source": "kor", "target": REPORT_PROPOSAL, "max": 1}
    )
    (report,) = to_report.json()["paths"][0]["steps"][0]["relations"][0]["evidence"]
    assert (report["document"], report["document_title"]) == ("test-report", "Test report")

    page = client.get("/analysis", params={"source": "kor", "target": NOTE_PROPOSAL, "max": 1}).text
    assert f"{NOTE_TITLE}, line 1" in page


# ---- in a browser: the panel and the tooltips the page writes ----


@pytest.mark.slow
def test_the_panel_and_the_tooltips_name_the_note(
    browser: Any, store: OxigraphStore, tmp_path: Path
) -> None:
    view = views.proposals(store, lang="ja")
    visit = _open(browser, _page(tmp_path, view, "credit"))
    try:
        _click(visit, NOTE_PROPOSAL)
        panel = visit.page.inner_text("#pg-panel")
        assert f"{NOTE_TITLE} 1行" in panel and "報告書 1行" not in panel
        titles = visit.page.evaluate("() => pgEdges.get().map(e => [e.from, e.to, e.title])")
        tips = {(a, b): t for a, b, t in titles}
        assert f"({NOTE_TITLE} 1行)" in tips[(NOTE_PROPOSAL, "kor")]
        assert "(試験報告書 5行)" in tips[(REPORT_PROPOSAL, "kor")]
        visit.assert_clean()
    finally:
        visit.page.close()


# ---- a value too long: 400 everywhere ----


@pytest.mark.parametrize("path", ["/api/proposals", "/viz/proposals", "/api/entities"])
def test_a_document_value_too_long_is_refused_with_400_and_one_line(
    client: TestClient, path: str
) -> None:
    response = client.get(path, params={"document": "x" * 201, "q": "korea"})
    assert response.status_code == 400
    assert response.json() == {"error": "document: a value is longer than 200 characters"}


# ---- the entity page, its REST form and the finder page ----


def test_the_entity_and_finder_pages_name_the_note_by_its_title(client: TestClient) -> None:
    answer = client.get(f"/api/entities/{NOTE_PROPOSAL}")
    assert answer.status_code == 200, answer.text
    (passage,) = answer.json()["evidence"]
    assert passage["document"]["slug"] == NOTE
    assert passage["document"]["iri"].endswith(f"/id/{NOTE}")
    assert passage["document"]["label"] == NOTE_TITLE  # its only title is Japanese
    (report,) = client.get(f"/api/entities/{REPORT_PROPOSAL}").json()["evidence"]
    assert (report["document"]["slug"], report["document"]["label"]) == (
        "test-report",
        "Test report",
    )

    page = client.get(f"/id/{NOTE_PROPOSAL}", headers={"Accept": "text/html"}).text
    assert f'<a href="/id/{NOTE}">{NOTE_TITLE}</a>, line 1' in page
    finder = client.get("/proposals", params={"document": NOTE}).text
    assert f"{NOTE_TITLE}, line 1</span>" in finder
