"""An entity an analyst created from a document's candidate, as its pages show it: its
relations leave out the document's review items (bookkeeping, not relations), its passage is
shown once (as its evidence, the way the report's passages are), and the view around it
credits the document its passage is in, not the report.

The store is the tiny fixture set plus tests/ingest/documents/note-en.md, ingested with the
fixture set's names, its candidate "Hanako Yamada" made a person (the review function the
CLI and the web call).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.ingest import review
from graph.ingest.ingest import ingest_file
from graph.store import OxigraphStore
from tests.api.conftest import built_and_open, client_reading
from tests.conftest import MINIMAL_DATA
from tests.ingest.conftest import DOCUMENTS
from viz import views
from viz.words import source_line

DOC = "note-en"
TITLE = "A note on cooperation between Japan and Korea"
PERSON = "hanako-yamada"
#: The line the candidate was found on, as the note has it.
LINE = "Hanako Yamada of the Harbour Policy Forum joined the talks in Seoul."


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory, fixture_store: OxigraphStore) -> Path:
    """The note ingested, its candidate "Hanako Yamada" made a person."""
    folder = tmp_path_factory.mktemp("created-entity")
    ingest_file(DOCUMENTS / f"{DOC}.md", folder, fixture_store, date="2026-11")
    record = review.load_document(folder, DOC)
    (key,) = [i.key for i in record.items if i.kind == "entity" and i.text == "Hanako Yamada"]
    labels = {"en": "Hanako Yamada", "ja": "山田花子"}
    made = review.create(folder, fixture_store, DOC, key, labels, "Person", PERSON)
    assert made.status == "Accepted"
    return folder


@pytest.fixture(scope="module")
def store(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    path = tmp_path_factory.mktemp("created-entity-store") / "store"
    yield from built_and_open([MINIMAL_DATA, data], path)


@pytest.fixture(scope="module")
def client(store: OxigraphStore, data: Path) -> Iterator[TestClient]:
    yield from client_reading(store, [MINIMAL_DATA, data])


def _related(description: dict[str, object]) -> set[tuple[str, str, str]]:
    """(direction, predicate, other end) of every relation of a REST description."""
    found: set[tuple[str, str, str]] = set()
    for direction in ("outgoing", "incoming"):
        for relation in description[direction]:  # type: ignore[attr-defined]
            for term in relation["terms"]:
                found.add((direction, relation["predicate"]["name"], term["slug"]))
    return found


def test_the_relations_leave_out_the_documents_review_items(client: TestClient) -> None:
    person = client.get(f"/api/entities/{PERSON}").json()
    assert _related(person) == {("incoming", "mentions", DOC)}
    document = _related(client.get(f"/api/entities/{DOC}").json())
    assert ("outgoing", "mentions", PERSON) in document
    assert not [end for _, _, end in document if end.startswith(f"{DOC}-")]
    page = client.get(f"/id/{PERSON}", headers={"Accept": "text/html"}).text
    assert f"{DOC}-c" not in page and TITLE in page


def test_the_created_entitys_passage_is_its_evidence_only(client: TestClient) -> None:
    evidence = client.get(f"/api/entities/{PERSON}").json()["evidence"]
    assert [(p["document"]["slug"], p["line_start"], p["quote"]) for p in evidence] == [
        (DOC, 5, LINE)
    ]
    # "In other documents" (this answer) has no passage besides it: the note is not listed
    listed = client.get("/api/documents", params={"entity": PERSON}).json()["documents"]
    assert listed == []
    # while an entity of the report the note mentions has the note's passages there
    korea = client.get("/api/documents", params={"entity": "kor"}).json()["documents"]
    assert [d["slug"] for d in korea] == [DOC] and korea[0]["passages"]


def test_the_view_around_it_credits_the_note(store: OxigraphStore) -> None:
    view = views.ego(store, PERSON)
    assert view.caption == f"Source: {TITLE}, line 5 (1 passage)."
    japanese = source_line(views.ego(store, PERSON, lang="ja").sources, "ja")
    assert japanese == f"出典：{TITLE}、5行（1箇所）。"
