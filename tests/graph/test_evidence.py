"""The evidence checker catches a wrong quote, a wrong line range and a wrong hash."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from graph.build import build_store
from graph.document_language import document_languages
from graph.evidence import check_evidence
from graph.iris import ENTITY_BASE
from graph.store import OxigraphStore, open_store
from tests.conftest import MINIMAL_DATA, MINIMAL_SOURCE


def _check(store_path: Path, source: Path) -> tuple[int, list[str]]:
    store = open_store(store_path)
    try:
        checked, mismatches = check_evidence(store, source)
    finally:
        store.close()
    return checked, [str(m) for m in mismatches]


def _build_with(tmp_path: Path, old: str, new: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL_DATA, data)
    path = data / "proposals.ttl"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    build_store([data], tmp_path / "store")
    return tmp_path / "store"


def test_all_fixture_passages_match(minimal_store_path: Path) -> None:
    assert _check(minimal_store_path, MINIMAL_SOURCE) == (4, [])


def test_a_wrong_quote_is_reported_with_its_locator(tmp_path: Path) -> None:
    store = _build_with(
        tmp_path, '"AUKUSピラーⅡへの日韓共同参加" ]', '"AUKUSピラーIIへの日韓共同参加" ]'
    )
    checked, mismatches = _check(store, MINIMAL_SOURCE)
    assert checked == 4
    assert mismatches == [
        "test-report lines 5-5 (evidence of proposal-joint-aukus-pillar-2): "
        "quote 'AUKUSピラーIIへの日韓共同参加' is not in these lines"
    ]


def test_a_wrong_line_is_reported(tmp_path: Path) -> None:
    store = _build_with(tmp_path, "pg:lineStart 5 ; pg:lineEnd 5", "pg:lineStart 3 ; pg:lineEnd 3")
    _, mismatches = _check(store, MINIMAL_SOURCE)
    assert (
        len(mismatches) == 1
        and "lines 3-3" in mismatches[0]
        and "is not in these lines" in mismatches[0]
    )


def test_a_line_beyond_the_end_is_reported(tmp_path: Path) -> None:
    store = _build_with(
        tmp_path, "pg:lineStart 5 ; pg:lineEnd 5", "pg:lineStart 5 ; pg:lineEnd 500"
    )
    _, mismatches = _check(store, MINIMAL_SOURCE)
    assert len(mismatches) == 1 and "outside" in mismatches[0]


def test_a_wrong_hash_is_reported(minimal_store_path: Path, tmp_path: Path) -> None:
    changed = tmp_path / "source.txt"
    changed.write_bytes(MINIMAL_SOURCE.read_bytes() + b"\n")
    assert hashlib.sha256(changed.read_bytes()).hexdigest() not in MINIMAL_SOURCE.read_text()
    checked, mismatches = _check(minimal_store_path, changed)
    assert checked == 0
    assert len(mismatches) == 1 and mismatches[0].startswith("test-report: sha256")


def test_every_passage_of_the_report_matches_the_source(
    report_store_path: Path, source_text: Path
) -> None:
    checked, mismatches = _check(report_store_path, source_text)
    assert mismatches == []
    assert checked >= 50


def test_the_report_states_its_language(report_store: OxigraphStore) -> None:
    """The quotes are Japanese because the report says it is, not only by default."""
    languages = document_languages(report_store)
    assert languages[f"{ENTITY_BASE}jkvg2025"] == "ja"
