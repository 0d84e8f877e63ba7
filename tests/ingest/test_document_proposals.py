"""Proposals made from a document's proposal candidates (the plain functions the CLI and the
web call), and the document graphs a server serves following their files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.sources import document_graph
from graph.errors import UsageError
from graph.ingest import review
from graph.ingest.folder import DOCUMENT_FILE, document_folder
from graph.ingest.ingest import IngestResult, ingest_file
from graph.iris import entity_iri
from graph.store import OxigraphStore
from serving.documents import DocumentGraphs
from tests.ingest.conftest import DOCUMENTS

TITLES = {"ja": "IPEFとCPTPPの一層の活用", "en": "Make fuller use of IPEF and the CPTPP"}
SLUG = "proposal-make-fuller-use-ipef-cptpp"


@pytest.fixture()
def data(tmp_path: Path, ingested: dict[str, IngestResult]) -> Path:
    """A fresh data directory holding a copy of the ingested Japanese document."""
    folder = ingested["ja"].folder
    shutil.copytree(folder, document_folder(tmp_path / "data", folder.name))
    return tmp_path / "data"


def test_a_proposal_candidate_becomes_a_proposal_of_its_document(
    data: Path, names_store: OxigraphStore
) -> None:
    with pytest.raises(UsageError, match="m1 is not a proposal candidate"):
        review.propose(data, names_store, "note-ja", "m1", TITLES)
    with pytest.raises(UsageError, match="a Japanese and an English title"):
        review.propose(data, names_store, "note-ja", "p1", {"ja": TITLES["ja"]})
    with pytest.raises(UsageError, match="'kor' is taken"):
        review.propose(data, names_store, "note-ja", "p1", TITLES, new_slug="kor")
    before = (document_folder(data, "note-ja") / DOCUMENT_FILE).read_bytes()
    assert (document_folder(data, "note-ja") / DOCUMENT_FILE).read_bytes() == before

    # p1 is line 4: 両国はIPEFとCPTPPの枠組みをもっと活用すべきである。
    item = review.propose(
        data, names_store, "note-ja", "p1", TITLES, asks="  Use both   frameworks more. "
    )
    assert (item.status, item.entity) == ("Accepted", entity_iri(SLUG))  # slug from the title
    record = review.load_document(data, "note-ja")
    (made,) = record.proposals
    assert made.slug == SLUG and made.titles == TITLES and made.asks == "Use both frameworks more."
    # 両国 follows "日本と韓国" on the line before: the two countries, as the anaphora rule reads it
    assert made.relations == {
        "concerns": [entity_iri("cptpp"), entity_iri("ipef")],
        "involves": [entity_iri("jpn"), entity_iri("kor")],
    }
    assert made.passages == record.item("p1").passages  # type: ignore[union-attr]
    turtle = (document_folder(data, "note-ja") / DOCUMENT_FILE).read_text(encoding="utf-8")
    assert f"id:{SLUG} a pg:Proposal ;" in turtle and "    pg:inDocument id:note-ja ;" in turtle
    assert "    pg:concerns id:cptpp , id:ipef ;" in turtle

    with pytest.raises(UsageError, match=f"made into {SLUG} already"):
        review.propose(data, names_store, "note-ja", "p1", TITLES, new_slug="proposal-again")
    with pytest.raises(UsageError, match="already"):
        review.accept(data, "note-ja", "p1")

    # Ingested again, the decision and the proposal are kept.
    again = ingest_file(DOCUMENTS / "note-ja.txt", data, names_store, slug="note-ja", replace=True)
    assert [p.slug for p in again.record.proposals] == [SLUG]
    assert review.load_document(data, "note-ja").proposals == [made]

    # Rejected, the candidate takes its proposal with it.
    assert review.reject(data, "note-ja", "p1").entity is None
    assert review.load_document(data, "note-ja").proposals == []
    assert SLUG not in (document_folder(data, "note-ja") / DOCUMENT_FILE).read_text("utf-8")


def test_the_served_document_graphs_follow_their_files(data: Path) -> None:
    graph = document_graph("note-ja")
    generation = ox.Store()
    generation.extend(review.document_quads(data, "note-ja"))  # as the build loads it
    documents = DocumentGraphs([data])
    assert documents.start(generation) is False and documents.changed == {}
    assert not documents.stale() and not documents.refresh()

    review.reject(data, "note-ja", "m1")  # what `policygraph review` does
    assert documents.stale()
    assert documents.refresh() and not documents.refresh()  # read once
    rejected = ox.Quad(
        ox.NamedNode(entity_iri("note-ja-m1")),
        ox.NamedNode("https://w3id.org/policygraph/ontology#reviewStatus"),
        ox.NamedNode("https://w3id.org/policygraph/ontology#Rejected"),
        ox.NamedNode(graph),
    )
    removed, added = documents.changed[graph]
    assert added == [rejected]  # one status changed: one quad out, one in
    assert [(q.subject, q.predicate) for q in removed] == [(rejected.subject, rejected.predicate)]

    documents.reread()  # a copy could not be served: the next look reads them again
    assert documents.stale() and documents.refresh()
    assert documents.changed[graph] == (removed, added)

    # A server started now on the old generation serves the file as it is.
    assert DocumentGraphs([data]).start(generation) is True

    shutil.rmtree(document_folder(data, "note-ja"))
    held = list(generation.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    assert documents.refresh()
    gone, back = documents.changed[graph]
    assert sorted(map(str, gone)) == sorted(map(str, held)) and back == []
    assert not documents.stale() and not documents.refresh()
