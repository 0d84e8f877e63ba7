"""The review queue on the web, through the API: ``/documents``, a document's page, the
decisions (token-gated, written to the document's Turtle, refused with one line), the
entity pages' documents, co-mentions, and hostile text in a document shown as text."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from api.main import create_app
from graph.ingest import review
from graph.ingest.folder import DOCUMENT_FILE, SOURCE_FILE, document_folder
from graph.ingest.ingest import IngestResult, ingest_file
from graph.store import OxigraphStore
from serving.settings import Settings
from tests.contexts import serve_store

TOKEN = "web-review-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def web_data(
    ingested: dict[str, IngestResult],
    names_store: OxigraphStore,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """A data directory of this module's own: copies of the session's English and Japanese
    documents, and a document whose text and title carry markup."""
    data = tmp_path_factory.mktemp("web-data")
    for name in ("en", "ja"):
        folder = ingested[name].folder
        shutil.copytree(folder, document_folder(data, folder.name))
    text = tmp_path_factory.mktemp("hostile") / "hostile.txt"
    text.write_text(
        f"Japan and Korea {HOSTILE} met.\n{HOSTILE} Korea should act.\n", encoding="utf-8"
    )
    ingest_file(text, data, names_store, title=f"Hostile {HOSTILE}", language="en")
    return data


def _client(store: OxigraphStore, data: Path, token: str | None) -> TestClient:
    settings = Settings(store="memory:", data=[data], update_token=token)  # type: ignore[arg-type]
    app = create_app(settings)
    serve_store(app, store)
    return TestClient(app)


@pytest.fixture(scope="module")
def client(names_store: OxigraphStore, web_data: Path) -> Iterator[TestClient]:
    """The app over the report's store, reading ``web_data``, with updates on."""
    with _client(names_store, web_data, TOKEN) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def read_only(names_store: OxigraphStore, web_data: Path) -> Iterator[TestClient]:
    """The same app started without an update token."""
    with _client(names_store, web_data, None) as test_client:
        yield test_client


def _turtle(data: Path, slug: str) -> bytes:
    return (document_folder(data, slug) / DOCUMENT_FILE).read_bytes()


def _row(page: str, slug: str) -> list[str]:
    """The cells of the documents table's row for ``slug``, as text."""
    row = re.search(rf'<tr data-slug="{slug}">(.*?)</tr>', page, re.S)
    assert row is not None, page
    return [
        html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    ]


def test_documents_lists_each_document_with_its_counts(client: TestClient, web_data: Path) -> None:
    page = client.get("/documents")
    assert page.status_code == 200
    record = review.load_document(web_data, "note-ja")
    linked = [i for i in record.items if i.entity and i.status in ("AutoLinked", "Accepted")]
    open_candidates = [i for i in record.items if i.kind != "mention" and i.is_open]
    ambiguous = [i for i in record.items if i.kind == "mention" and i.is_open]
    assert len(ambiguous) >= 1 and len(open_candidates) >= 2
    cells = _row(page.text, "note-ja")
    assert cells[0].startswith(record.title)
    assert cells[1:4] == ["ja", "2026-11", "Tests"]
    assert cells[4:] == [str(len(linked)), str(len(open_candidates)), str(len(ambiguous))]
    assert 'href="/documents/note-en"' in page.text
    assert (
        client.get("/documents", headers={"Accept": "text/html"}).text.count("<tr data-slug=") == 3
    )


def test_a_document_page_numbers_its_lines_and_marks_its_names(
    client: TestClient, web_data: Path
) -> None:
    page = client.get("/documents/note-ja").text
    source = (document_folder(web_data, "note-ja") / SOURCE_FILE).read_text(encoding="utf-8")
    lines = source.splitlines()
    anchors = re.findall(r'<div class="line[^"]*" id="L(\d+)"><a class="ln" href="#L\1"', page)
    assert [int(n) for n in anchors] == list(range(1, len(lines) + 1))
    # IPEF, linked automatically, is marked on its line and leads to its entity page.
    line4 = re.search(r'id="L4">(.*?)</div>', page, re.S)
    assert line4 is not None
    assert re.search(
        r'<mark class="st-autolinked"[^>]*><a href="/id/ipef">IPEF</a></mark>', line4[1]
    )
    assert 'class="line cue" id="L4"' in page  # a proposal candidate's line
    # The ambiguous MOFA of line 9 waits, with both candidates and their scores.
    record = review.load_document(web_data, "note-ja")
    ambiguous = next(i for i in record.items if i.kind == "mention" and i.is_open)
    article = re.search(rf'<article [^>]*id="item-{ambiguous.key}".*?</article>', page, re.S)
    assert article is not None
    for alternative in ambiguous.alternatives:
        slug = alternative.entity.rsplit("/", 1)[-1]
        assert re.search(
            rf'data-entity="{slug}">.*?score {alternative.score:.2f}', article[0], re.S
        )
    assert f'<mark class="st-needsreview" data-item="{ambiguous.key}"' in page
    assert 'id="item-c1"' in page and "山田花子" in page
    # an item's name and quote are in the document's language (the page's is English)
    assert f'Ambiguous name <q lang="ja">{ambiguous.text}</q>' in article[0]
    assert f'<blockquote lang="ja">{ambiguous.passages[0].quote}</blockquote>' in article[0]
    english = client.get("/documents/note-en").text
    quotes = re.findall(r"<blockquote([^>]*)>", english)
    assert quotes and set(quotes) == {' lang="en"'}


def test_without_a_token_the_page_is_read_only_and_decisions_are_refused(
    read_only: TestClient, client: TestClient, web_data: Path
) -> None:
    page = read_only.get("/documents/note-en").text
    assert "This server is read-only" in page
    assert "<fieldset" not in page and 'id="token-form"' not in page
    before = _turtle(web_data, "note-en")
    refused = read_only.post("/documents/note-en/items/p1/accept", headers=AUTH)
    assert refused.status_code == 403
    assert "read-only" in refused.json()["error"] and "\n" not in refused.json()["error"]
    no_header = client.post("/documents/note-en/items/p1/accept")
    assert no_header.status_code == 401 and "Authorization: Bearer" in no_header.json()["error"]
    wrong = client.post(
        "/documents/note-en/items/p1/accept", headers={"Authorization": "Bearer x" * 3}
    )
    assert wrong.status_code == 403
    assert _turtle(web_data, "note-en") == before
    # With updates on, the controls are there but disabled until a token is entered.
    assert '<fieldset class="decide" disabled>' in client.get("/documents/note-en").text


def test_decisions_are_written_and_shown_at_once(client: TestClient, web_data: Path) -> None:
    record = review.load_document(web_data, "note-ja")
    ambiguous = next(i for i in record.items if i.kind == "mention" and i.is_open)
    assert ambiguous.best_alternative is not None
    accepted = client.post(
        f"/documents/note-ja/items/{ambiguous.key}/link", headers=AUTH, json={"entity": "kor-mofa"}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {"item": ambiguous.key, "status": "Accepted", "entity": "kor-mofa"}
    rejected = client.post("/documents/note-ja/items/p2/reject", headers=AUTH)
    assert rejected.json()["status"] == "Rejected"
    created = client.post(
        "/documents/note-ja/items/c1/create",
        headers=AUTH,
        json={"labels": {"en": "Hanako Yamada", "ja": "山田花子"}, "class": "Person"},
    )
    assert created.status_code == 200, created.text
    assert created.json()["entity"] == "hanako-yamada"
    # In the file, as the CLI would have written it.
    again = review.load_document(web_data, "note-ja")
    assert again.item(ambiguous.key).status == "Accepted"  # type: ignore[union-attr]
    assert again.item("p2").status == "Rejected"  # type: ignore[union-attr]
    assert [e.slug for e in again.created] == ["hanako-yamada"]
    # On the next page load: out of the queue, into the decisions, marked in the text.
    page = client.get("/documents/note-ja").text
    assert f'id="item-{ambiguous.key}"' not in page and 'id="item-c1"' not in page
    decided = re.search(r'<table id="decided">.*?</table>', page, re.S)
    assert decided is not None
    assert re.search(
        rf'data-key="{ambiguous.key}".*?Accepted.*?href="/id/kor-mofa"', decided[0], re.S
    )
    assert re.search(r'data-key="p2".*?Rejected', decided[0], re.S)
    # The new entity is in the graph after the next build: named, not yet linked to a page.
    assert re.search(r'<mark class="st-accepted" data-item="c1"[^>]*>山田花子</mark>', page)
    assert "Entities created here" in page and "Hanako Yamada (new)" in page
    assert 'href="/id/hanako-yamada"' not in page
    cells = _row(client.get("/documents").text, "note-ja")
    assert cells[5:] == ["1", "0"]  # p1 still open; no ambiguous link left


def test_refused_decisions_are_one_line_and_change_nothing(
    client: TestClient, web_data: Path
) -> None:
    before = _turtle(web_data, "note-en")
    cases = [
        (
            "/documents/note-en/items/c1/create",
            {"labels": {"en": "Hanako Yamada"}, "class": "Person"},
            422,
            "Japanese",
        ),
        (
            "/documents/note-en/items/c1/create",
            {"labels": {"en": "X", "ja": "エックス"}, "class": "Proposal"},
            400,
            "is not a class",
        ),
        ("/documents/note-en/items/c1/link", {"entity": "no-such-entity"}, 404, "no entity"),
        ("/documents/note-en/items/c1/accept", None, 400, "link it to an entity"),
        ("/documents/note-en/items/c99/reject", None, 404, "no item 'c99'"),
        ("/documents/note-en/items/c1/approve", None, 404, "accept, reject, link or create"),
        ("/documents/no-such-doc/items/c1/reject", None, 404, "no ingested document"),
        ("/documents/note-en/items/c1/link", {"entity": "kor", "extra": 1}, 422, ""),
    ]
    for url, body, status, message in cases:
        answer = client.post(url, headers=AUTH, json=body)
        assert answer.status_code == status, (url, answer.text)
        error = answer.json().get("error") or str(answer.json())
        assert message in error and "\n" not in error and "Traceback" not in error, error
    assert _turtle(web_data, "note-en") == before
    assert client.get("/documents/no-such-doc").status_code == 404


def test_hostile_text_in_a_document_is_shown_as_text(client: TestClient) -> None:
    listing = client.get("/documents").text
    page = client.get("/documents/hostile").text
    for text in (listing, page):
        assert "<script>alert" not in text and "<img src=x" not in text
        assert str(escape(HOSTILE)) in text
    # The names around the markup are still marked, the markup inside a line is text.
    assert re.search(r'<a href="/id/kor">Korea</a></mark> &lt;script&gt;', page)
    assert "Content-Security-Policy" in client.get("/documents/hostile").headers


def test_entity_pages_list_the_documents_that_mention_them(client: TestClient) -> None:
    entity_page = client.get("/id/ipef", headers={"Accept": "text/html"}).text
    assert '<section id="documents" data-entity="ipef" hidden>' in entity_page
    assert "/static/js/entity-documents.js" in entity_page
    assert client.get("/static/js/entity-documents.js").status_code == 200
    found = client.get("/api/documents", params={"entity": "ipef"}).json()
    by_slug = {d["slug"]: d for d in found["documents"]}
    assert set(by_slug) == {"note-en", "note-ja"}
    assert [p["line_start"] for p in by_slug["note-ja"]["passages"]] == [4]
    assert "IPEF" in by_slug["note-ja"]["passages"][0]["quote"]
    assert client.get("/api/documents", params={"entity": "no-such"}).json()["documents"] == []
    assert client.get("/api/documents", params={"entity": "<b>"}).status_code == 404


def test_co_mentions_pair_entities_linked_on_the_same_lines(client: TestClient) -> None:
    page = client.get("/documents/co-mentions", params={"entity": "cptpp"}).text
    rows = re.findall(
        r'<tr>\s*<td><a href="/id/([^"]+)">.*?<td><a href="/id/([^"]+)">.*?<td class="num">(\d+)</td>',
        page,
        re.S,
    )
    pairs = {frozenset((a, b)): int(n) for a, b, n in rows}
    assert pairs[frozenset(("cptpp", "ipef"))] == 2  # line 4 of note-en and of note-ja
    assert all("cptpp" in pair for pair in pairs)
    one = client.get(
        "/documents/co-mentions", params={"entity": "cptpp", "document": "note-en"}
    ).text
    assert re.search(r'href="/id/ipef">.*?<td class="num">1</td>', one, re.S)
    assert client.get("/documents/co-mentions", params={"document": "nope"}).status_code == 404


def test_search_finds_lines_of_the_documents_or_of_one(client: TestClient) -> None:
    page = client.get("/documents/search", params={"q": "ＩＰＥＦ"}).text  # full-width
    groups = dict(
        re.findall(
            r'<section class="result-group" data-document="([^"]+)">.*?<span class="badge">(\d+)</span>',
            page,
            re.S,
        )
    )
    assert groups == {"note-en": "1", "note-ja": "1"}
    assert '<a class="ln" href="/documents/note-ja#L4"' in page
    assert '<mark class="found">IPEF</mark>' in page
    one = client.get("/documents/search", params={"q": "ipef", "document": "note-en"}).text
    assert 'data-document="note-en"' in one and 'data-document="note-ja"' not in one
    hostile = client.get("/documents/search", params={"q": HOSTILE}).text
    assert "<script>alert" not in hostile and "<img src=x" not in hostile
    assert '<mark class="found">' + str(escape(HOSTILE)) + "</mark>" in hostile  # the hostile note
    nothing = client.get("/documents/search", params={"q": "zzz-no-such-text"}).text
    assert "No line contains" in nothing
    assert client.get("/documents/search", params={"q": "x", "document": "nope"}).status_code == 404


def test_the_co_mention_view_draws_the_pairs_of_its_table(client: TestClient) -> None:
    page = client.get("/documents/co-mentions", params={"document": "note-en"}).text
    block = re.search(r'<script type="application/json" id="co-data">(.*?)</script>', page, re.S)
    assert block is not None
    graph = json.loads(block[1])
    rows = re.findall(r'<tr>\s*<td><a href="/id/([^"]+)">.*?<td><a href="/id/([^"]+)">', page, re.S)
    assert [(e["from"], e["to"]) for e in graph["edges"]] == rows
    assert {n["id"] for n in graph["nodes"]} == {s for pair in rows for s in pair}
    assert "/static/vendor/vis-network-9.1.2/vis-network.min.js" in page
    assert "/static/js/co-mentions.js" in page


def test_an_unknown_or_broken_document_is_a_page_that_says_so(
    names_store: OxigraphStore, web_data: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(document_folder(web_data, "note-en"), document_folder(data, "note-en"))
    shutil.copytree(document_folder(web_data, "note-en"), document_folder(data, "broken"))
    (document_folder(data, "broken") / DOCUMENT_FILE).write_text("id:broken a <", encoding="utf-8")
    with _client(names_store, data, None) as client:
        listing = client.get("/documents").text
        assert '<tr data-slug="note-en">' in listing and 'data-slug="broken"' not in listing
        assert re.search(r'<p class="error">Left out, cannot be read: .*broken', listing)
        broken = client.get("/documents/broken")
        assert broken.status_code == 500 and "This document cannot be read" in broken.text
        assert "Traceback" not in broken.text
        missing = client.get("/documents/nothing-here")
        assert missing.status_code == 404 and "No such document" in missing.text
        assert client.get("/api/documents").json()["unreadable"] != []


def test_proposal_candidates_are_found_by_document_entity_and_status(
    client: TestClient, web_data: Path
) -> None:
    def shown(**params: object) -> list[tuple[str, str]]:
        page = client.get("/documents/proposals", params=params).text  # type: ignore[arg-type]
        return re.findall(
            r'<article class="proposal" data-document="([^"]+)" data-key="([^"]+)"', page
        )

    expected = [
        (slug, i.key)
        for slug in review.list_documents(web_data)
        for i in review.load_document(web_data, slug).items
        if i.kind == "proposal"
    ]
    assert sorted(shown()) == sorted(expected) and len(expected) >= 5
    assert shown(document="note-en") == [("note-en", "p1"), ("note-en", "p2")]
    assert shown(document="note-en", entity="quad") == [("note-en", "p2")]
    assert shown(document="note-en", status="Accepted") == []
    page = client.get("/documents/proposals", params={"document": "note-en", "entity": "quad"}).text
    assert 'href="/id/quad"' in page and 'href="/id/usa"' in page
    assert "must keep working with the Quad" in page
    hostile = client.get("/documents/proposals", params={"document": "hostile"}).text
    assert "<script>alert" not in hostile and str(escape(HOSTILE)) in hostile
    assert client.get("/documents/proposals", params={"document": "nope"}).status_code == 404
