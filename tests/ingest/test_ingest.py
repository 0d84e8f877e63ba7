"""What ``ingest`` finds in small documents in Japanese, English and Korean, as an HTML
page and as a PDF: the stored text, the mentions with their passages, the candidates."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from graph.evidence import MAX_QUOTE, joined_lines
from graph.ingest.folder import DOCUMENT_FILE, SOURCE_FILE
from graph.ingest.ingest import IngestResult
from graph.ingest.model import ReviewItem
from graph.ingest.text import extract_text
from graph.ingest.turtle import read_document
from graph.iris import entity_iri

ALL = ("ja", "en", "ko", "html", "pdf")


def linked(result: IngestResult) -> set[tuple[str, int]]:
    """(entity slug, line) of the mentions linked automatically."""
    return {
        (item.entity.rsplit("/", 1)[-1], item.passages[0].line_start)
        for item in result.record.items
        if item.kind == "mention" and item.entity and item.status == "AutoLinked"
    }


def items(result: IngestResult, kind: str) -> list[ReviewItem]:
    return [item for item in result.record.items if item.kind == kind]


@pytest.mark.parametrize("name", ALL)
def test_the_stored_text_and_its_hash_describe_the_document(
    ingested: dict[str, IngestResult], name: str
) -> None:
    result = ingested[name]
    source = (result.folder / SOURCE_FILE).read_bytes()
    assert hashlib.sha256(source).hexdigest() == result.record.sha256
    assert source.endswith(b"\n") and not source.endswith(b"\n\n")
    record = read_document(result.folder / DOCUMENT_FILE, result.record.slug)
    assert record == result.record  # the Turtle reads back as written
    assert (record.date, record.publisher) == ("2026-11", "Tests")


@pytest.mark.parametrize("name", ALL)
def test_every_passage_quotes_its_lines_exactly(
    ingested: dict[str, IngestResult], name: str
) -> None:
    result = ingested[name]
    lines = (result.folder / SOURCE_FILE).read_text(encoding="utf-8").split("\n")
    passages = [p for item in result.record.items for p in item.passages]
    assert len(passages) >= 8
    for passage in passages:
        assert 0 < len(passage.quote) <= MAX_QUOTE
        assert passage.quote in joined_lines(lines, passage.line_start, passage.line_end)


def test_the_language_is_told_from_the_script(ingested: dict[str, IngestResult]) -> None:
    languages = {name: ingested[name].record.language for name in ALL}
    assert languages == {"ja": "ja", "en": "en", "ko": "ko", "html": "ja", "pdf": "en"}


def test_japanese_names_are_linked_on_their_lines(ingested: dict[str, IngestResult]) -> None:
    found = linked(ingested["ja"])
    expected = {("jpn", 3), ("kor", 3), ("tokyo", 3), ("ipef", 4), ("cptpp", 4), ("seoul", 5)}
    assert expected <= found
    # 日米韓 names three countries; 日韓 in the title two.
    assert {("jpn", 13), ("usa", 13), ("kor", 13), ("quad", 13), ("jpn", 1), ("kor", 1)} <= found


def test_an_ambiguous_name_is_resolved_by_its_neighbours_or_left_for_review(
    ingested: dict[str, IngestResult],
) -> None:
    mofa = {
        i.passages[0].line_start: i for i in items(ingested["ja"], "mention") if i.text == "MOFA"
    }
    beside_korea = mofa[5]  # 韓国のMOFA: the same line names Korea
    assert beside_korea.status == "AutoLinked"
    assert beside_korea.entity == entity_iri("kor-mofa")
    assert beside_korea.alternatives[0].entity == entity_iri("kor-mofa")
    alone = mofa[9]  # no country within two lines
    assert alone.status == "NeedsReview" and alone.entity is None
    assert {a.entity for a in alone.alternatives} == {
        entity_iri("jpn-mofa"),
        entity_iri("kor-mofa"),
    }
    assert sum(a.score for a in alone.alternatives) == pytest.approx(1)


def test_english_names_keep_their_case_and_word_boundaries(
    ingested: dict[str, IngestResult],
) -> None:
    found = linked(ingested["en"])
    assert {("jpn", 3), ("kor", 3), ("tokyo", 3), ("ipef", 4), ("cptpp", 4), ("usa", 6)} <= found
    assert {("quad", 6), ("seoul", 5)} <= found
    texts = {i.text for i in items(ingested["en"], "mention")}
    assert "Republic of Korea" in texts  # the longest name, not "Korea" inside it


def test_korean_names_and_compounds_are_linked(ingested: dict[str, IngestResult]) -> None:
    found = linked(ingested["ko"])
    assert {("kor", 1), ("jpn", 1)} <= found  # 한일
    assert {("jpn", 3), ("kor", 3), ("tokyo", 3), ("ipef", 4), ("cptpp", 4), ("seoul", 5)} <= found


def test_names_the_graph_lacks_become_candidates(ingested: dict[str, IngestResult]) -> None:
    ja = {i.text: i for i in items(ingested["ja"], "entity")}
    assert ja["山田花子"].suggested_class == entity_iri("x").replace("id/x", "ontology#Person")
    assert ja["山田花子"].passages[0].line_start == 5
    en = {i.text for i in items(ingested["en"], "entity")}
    assert {"Hanako Yamada", "Harbour Policy Forum"} <= en
    assert not en & {"Japan", "Korea", "IPEF", "In", "Both"}  # known names, or no names
    ko = items(ingested["ko"], "entity")
    assert any(i.text and i.text.startswith("김민") and i.passages[0].line_start == 5 for i in ko)
    assert all(i.status == "NeedsReview" for name in ALL for i in items(ingested[name], "entity"))


def test_recommendation_sentences_become_proposal_candidates(
    ingested: dict[str, IngestResult],
) -> None:
    def cues(name: str) -> dict[int, list[str]]:
        return {i.passages[0].line_start: i.cues for i in items(ingested[name], "proposal")}

    assert cues("ja") == {4: ["べき"], 13: ["必要がある"]}
    assert cues("en") == {4: ["should"], 6: ["must"]}
    assert cues("ko") == {4: ["해야"]}


def test_an_html_page_gives_its_title_and_paragraphs(ingested: dict[str, IngestResult]) -> None:
    page = ingested["html"]
    lines = (page.folder / SOURCE_FILE).read_text(encoding="utf-8").splitlines()
    assert page.record.title == "日韓協力に関する覚え書き"
    assert "var ignored" not in "\n".join(lines) and "ホーム" not in "\n".join(lines)
    assert "両国はIPEFとCPTPPの枠組みをもっと活用すべきである。" in lines  # <b> inside a <p>
    assert lines[-1] == "クアッドについては別に述べる。"  # a <div> of text
    entities = {slug for slug, _ in linked(page)}
    assert entities == {slug for slug, _ in linked(ingested["ja"])}


def test_a_title_is_the_text_of_its_heading_without_markup(
    ingested: dict[str, IngestResult], tmp_path: Path
) -> None:
    # note-en.md opens with "# A note …": the title has no heading mark
    assert ingested["en"].record.title == "A note on cooperation between Japan and Korea"
    assert ingested["ja"].record.title == "日韓協力に関する覚え書き"  # a .txt: its first line
    setext = tmp_path / "setext.md"
    setext.write_text("A *round* table in `Busan` ##\n====\n\nText.\n", encoding="utf-8")
    assert extract_text(setext).title == "A round table in Busan ##"
    page = tmp_path / "page.html"
    page.write_text("<body><p>Lead</p><h1> A <i>joint</i>\n statement</h1></body>", "utf-8")
    assert extract_text(page).title == "A joint statement"  # no <title>: its <h1>


def test_a_pdf_gives_its_text(ingested: dict[str, IngestResult]) -> None:
    entities = {slug for slug, _ in linked(ingested["pdf"])}
    assert {"jpn", "kor", "ipef", "cptpp", "quad", "seoul", "tokyo"} <= entities


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("日米韓の協力", ["jpn", "usa", "kor"]),
        ("米中対立", ["usa", "chn"]),
        ("日朝首脳会談", ["jpn", "prk"]),
        ("米バイデン政権", ["usa"]),
        ("2025年9月18日", []),
        ("会期中に仏教寺院", []),
        ("中米諸国との関係", []),  # Central America
        ("中日新聞によれば", []),  # a newspaper
        ("朝日が昇る", []),  # the morning sun
    ],
)
def test_country_abbreviations_are_read_only_in_compounds(text: str, countries: list[str]) -> None:
    from graph.ingest.abbreviations import country_runs
    from graph.ingest.tokens import tokenizer_for

    known = {entity_iri(c) for c in ("jpn", "kor", "usa", "chn", "prk", "fra")}
    runs = country_runs(text, tokenizer_for("ja").analyse(text), known)
    assert [iri.rsplit("/", 1)[-1] for _, iri in runs] == countries
