"""``policygraph ingest`` on bad input, the review round trip (CLI and the plain functions
the web calls), and a reviewed document through ``build`` and ``check-evidence``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import DATA_DIR
from graph.build import build_store
from graph.errors import UnknownEntityError, UsageError, ValidationError
from graph.ingest import review
from graph.ingest.folder import DOCUMENT_FILE, SOURCE_FILE, document_folder
from graph.ingest.ingest import IngestResult, ingest_file
from graph.iris import entity_iri
from graph.query.finder import Selection, matching_proposals
from graph.store import OxigraphStore, open_store
from tests.conftest import run_cli
from tests.ingest.conftest import DOCUMENTS


def one_line_error(result: object) -> str:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert result.returncode == 2, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture()
def data(tmp_path: Path, ingested: dict[str, IngestResult]) -> Path:
    """A fresh data directory holding a copy of the ingested Japanese document."""
    folder = ingested["ja"].folder
    copy = document_folder(tmp_path / "data", folder.name)
    shutil.copytree(folder, copy)
    return tmp_path / "data"


@pytest.mark.slow
def test_bad_input_is_one_line_and_exit_2_and_writes_nothing(
    tmp_path: Path, report_store_path: Path, names_store: OxigraphStore
) -> None:
    data = tmp_path / "data"
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"PK")
    missing = run_cli(
        "ingest", tmp_path / "missing.txt", "--data", data, "--store", report_store_path
    )
    assert "no such file" in one_line_error(missing)
    unknown = run_cli("ingest", odd, "--data", data, "--store", report_store_path)
    assert "unknown document type '.docx'" in one_line_error(unknown)
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n", encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 cut short")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("café".encode("latin-1"))
    for path, options, message in [
        (empty, {}, "no text"),
        (broken, {}, "not a readable PDF"),
        (latin, {}, "not UTF-8"),
        (DOCUMENTS / "note-en.md", {"language": "fr"}, "--lang must be one of"),
        (DOCUMENTS / "note-en.md", {"date": "2026-13-01"}, "not a real date"),
        (DOCUMENTS / "note-en.md", {"url": "javascript:alert(1)"}, "--url must be"),
        (DOCUMENTS / "note-en.md", {"slug": "kor"}, "names an entity"),
        (DOCUMENTS / "note-en.md", {"slug": "Not A Slug"}, "--slug must be"),
    ]:
        with pytest.raises(UsageError, match=message):
            ingest_file(path, data, names_store, **options)  # type: ignore[arg-type]
    assert not data.exists() or not any(data.rglob("*"))


@pytest.mark.slow
def test_an_existing_document_is_kept_unless_replaced(
    tmp_path: Path, report_store_path: Path
) -> None:
    data = tmp_path / "data"
    args = ("ingest", DOCUMENTS / "note-en.md", "--data", data, "--store", report_store_path)
    first = run_cli(*args, "--title", "First")
    assert first.returncode == 0, first.stderr
    assert "ingested note-en (en, 6 lines)" in first.stdout
    written = (document_folder(data, "note-en") / DOCUMENT_FILE).read_bytes()
    assert "exists already" in one_line_error(run_cli(*args, "--title", "Second"))
    assert (document_folder(data, "note-en") / DOCUMENT_FILE).read_bytes() == written
    again = run_cli(*args, "--title", "Second", "--replace")
    assert again.returncode == 0, again.stderr
    assert '"Second"@en' in (document_folder(data, "note-en") / DOCUMENT_FILE).read_text()
    assert sorted(p.name for p in (data / "documents").iterdir()) == ["note-en"]  # no leftovers


@pytest.mark.slow
def test_review_lists_open_items_and_decides_from_the_command_line(
    data: Path, report_store_path: Path
) -> None:
    listed = run_cli("review", "note-ja", "--data", data)
    assert listed.returncode == 0, listed.stderr
    assert "m12    mention  NeedsReview" in listed.stdout and "jpn-mofa 0.50" in listed.stdout
    assert 'c1     entity   NeedsReview "山田花子"' in listed.stdout
    assert "4 open items in note-ja" in listed.stdout
    accepted = run_cli(
        "review", "note-ja", "link", "m12", "kor-mofa", "--data", data, "--store", report_store_path
    )
    assert accepted.returncode == 0 and 'm12: Accepted "MOFA" → kor-mofa' in accepted.stdout
    turtle = (document_folder(data, "note-ja") / DOCUMENT_FILE).read_text(encoding="utf-8")
    assert "id:note-ja-m12 a pg:Mention ;" in turtle and "pg:entity id:kor-mofa ;" in turtle
    before = (document_folder(data, "note-ja") / DOCUMENT_FILE).read_bytes()
    refused = one_line_error(
        run_cli(
            "review",
            "note-ja",
            "create",
            "c1",
            "--label-en",
            "Hanako Yamada",
            "--class",
            "Person",
            "--data",
            data,
            "--store",
            report_store_path,
        )
    )
    assert "Japanese rdfs:label" in refused
    assert (document_folder(data, "note-ja") / DOCUMENT_FILE).read_bytes() == before


def test_review_decisions_through_the_plain_functions(
    data: Path, names_store: OxigraphStore
) -> None:
    with pytest.raises(UnknownEntityError, match="no item 'm99'"):
        review.reject(data, "note-ja", "m99")
    with pytest.raises(UnknownEntityError, match="no ingested document"):
        review.load_document(data, "no-such-document")
    ambiguous = review.accept(data, "note-ja", "m12")
    assert ambiguous.status == "Accepted" and ambiguous.entity == ambiguous.alternatives[0].entity
    assert review.reject(data, "note-ja", "p2").status == "Rejected"
    with pytest.raises(UsageError, match="link it to an entity"):
        review.accept(data, "note-ja", "c1")
    with pytest.raises(UnknownEntityError):
        review.link(data, names_store, "note-ja", "c1", "no-such-entity")
    with pytest.raises(UsageError, match="not a class"):
        review.create(data, names_store, "note-ja", "c1", {"en": "H", "ja": "H"}, "Passage")
    with pytest.raises(ValidationError):
        review.create(data, names_store, "note-ja", "c1", {"en": "Hanako Yamada"}, "Person")
    created = review.create(
        data, names_store, "note-ja", "c1", {"en": "Hanako Yamada", "ja": "山田花子"}, "Person"
    )
    assert created.entity == entity_iri("hanako-yamada") and created.status == "Accepted"
    record = review.load_document(data, "note-ja")
    assert [e.slug for e in record.created] == ["hanako-yamada"]
    assert record.created[0].passages == record.item("c1").passages  # type: ignore[union-attr]
    assert [i.key for i in review.open_items(record)] == ["p1"]
    assert review.list_documents(data) == ["note-ja"]
    mentioned = review.mentioned_entities(record)
    assert entity_iri("hanako-yamada") in mentioned and entity_iri("jpn-mofa") in mentioned
    graphs = {q.graph_name.value for q in review.document_quads(data, "note-ja")}  # type: ignore[union-attr]
    assert graphs == {"https://w3id.org/policygraph/graph/documents/note-ja"}


@pytest.mark.slow
def test_a_reviewed_document_survives_build_and_check_evidence(
    data: Path,
    names_store: OxigraphStore,
    tmp_path: Path,
    report_store_path: Path,
    source_text: Path,
) -> None:
    review.reject(data, "note-ja", "m3")  # 日本 on line 3, but Japan is named elsewhere too
    review.reject(data, "note-ja", "m11")  # ソウル, named only there
    review.create(
        data, names_store, "note-ja", "c1", {"en": "Hanako Yamada", "ja": "山田花子"}, "Person"
    )
    # p1 is line 4: 両国はIPEFとCPTPPの枠組みをもっと活用すべきである。
    proposed = run_cli(
        "review", "note-ja", "create", "p1", "--title-ja", "IPEFとCPTPPの一層の活用",
        "--title-en", "Make fuller use of IPEF and the CPTPP",
        "--asks", "Both governments should use the two frameworks more.",
        "--slug", "proposal-ipef-cptpp-fuller-use", "--data", data, "--store", report_store_path,
    )  # fmt: skip
    assert proposed.returncode == 0, proposed.stderr
    assert "p1: Accepted → proposal-ipef-cptpp-fuller-use" in proposed.stdout
    store_path = tmp_path / "store"
    build_store([DATA_DIR, data], store_path)  # the report's: the proposal concerns its IPEF
    store = open_store(store_path)
    try:
        rows = store.query(
            "SELECT ?e WHERE { GRAPH <https://w3id.org/policygraph/graph/inferred> "
            "{ id:note-ja pg:mentions ?e } }"
        )
        mentioned = {row["e"].value.rsplit("/", 1)[-1] for row in rows}  # type: ignore[union-attr]
        in_own_graph = store.query(
            "ASK { GRAPH <https://w3id.org/policygraph/graph/documents/note-ja> "
            "{ id:hanako-yamada a pg:Person } }"
        )
        proposal = store.query(
            "ASK { GRAPH <https://w3id.org/policygraph/graph/documents/note-ja> {"
            " id:proposal-ipef-cptpp-fuller-use a pg:Proposal ; pg:inDocument id:note-ja ;"
            ' rdfs:label "IPEFとCPTPPの一層の活用"@ja ;'
            ' rdfs:label "Make fuller use of IPEF and the CPTPP"@en ;'
            " pg:concerns id:ipef , id:cptpp ;"
            " pg:evidence [ pg:inDocument id:note-ja ; pg:lineStart 4 ] } }"
        )
        found = matching_proposals(store, Selection(framework=("ipef",)))
    finally:
        store.close()
    assert proposal
    assert "proposal-ipef-cptpp-fuller-use" in found  # the report's proposal finder
    assert {"jpn", "kor", "ipef", "hanako-yamada", "kor-mofa"} <= mentioned
    assert "seoul" not in mentioned  # rejected
    assert "jpn-mofa" not in mentioned  # left for review
    assert in_own_graph
    ok = run_cli("check-evidence", "--source", source_text, "--data", data, "--store", store_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "and 1 ingested documents' sources" in ok.stdout
    source = document_folder(data, "note-ja") / SOURCE_FILE
    source.write_text(
        source.read_text(encoding="utf-8").replace("ソウル", "釜山"), encoding="utf-8"
    )
    bad = run_cli("check-evidence", "--source", source_text, "--data", data, "--store", store_path)
    assert bad.returncode == 1 and "mismatch: note-ja: sha256" in bad.stdout


@pytest.mark.slow
def test_decisions_made_at_the_same_time_all_land(data: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    keys = ["m1", "m2", "m4", "m5"]
    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        list(pool.map(lambda key: review.reject(data, "note-ja", key), keys))
    record = review.load_document(data, "note-ja")
    assert [record.item(k).status for k in keys] == ["Rejected"] * len(keys)  # type: ignore[union-attr]


def test_hostile_metadata_is_written_as_data(tmp_path: Path, names_store: OxigraphStore) -> None:
    title = 'a "q" \\ b\nc ; pg:x <y> .'
    result = ingest_file(
        DOCUMENTS / "note-en.md", tmp_path, names_store, title=title, publisher='"""'
    )
    record = review.load_document(tmp_path, result.record.slug)
    assert (record.title, record.publisher) == (title, '"""')


def test_ingesting_again_keeps_the_decisions(data: Path, names_store: OxigraphStore) -> None:
    review.link(data, names_store, "note-ja", "m12", "kor-mofa")
    review.reject(data, "note-ja", "p2")
    review.create(
        data, names_store, "note-ja", "c1", {"en": "Hanako Yamada", "ja": "山田花子"}, "Person"
    )
    again = ingest_file(DOCUMENTS / "note-ja.txt", data, names_store, replace=True)
    assert again.decisions_kept == 3
    record = review.load_document(data, "note-ja")
    decided = {k: (record.item(k).status, record.item(k).entity) for k in ("m12", "p2", "c1", "p1")}  # type: ignore[union-attr]
    assert decided == {
        "m12": ("Accepted", entity_iri("kor-mofa")),
        "p2": ("Rejected", None),
        "c1": ("Accepted", entity_iri("hanako-yamada")),
        "p1": ("NeedsReview", None),
    }
    assert [e.slug for e in record.created] == ["hanako-yamada"]
