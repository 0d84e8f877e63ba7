"""Fixtures of the ingest tests: the three small documents (written for these tests, in our
own words), an HTML page and a PDF made from them, ingested once per session into a
temporary data directory with the report's names as the gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.ingest.ingest import IngestResult, ingest_file
from graph.store import OxigraphStore

DOCUMENTS = Path(__file__).parent / "documents"


def html_page(text: Path, target: Path) -> Path:
    """An HTML page of the text: its first line as <title> and <h1>, a paragraph per line,
    inline markup inside one paragraph, a closing <div>, and a script and a nav bar that
    are not text."""
    lines = [line for line in text.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = "\n".join(f"<p>{line}</p>" for line in lines[1:])
    body = body.replace("IPEF", "<b>IPEF</b>", 1)
    target.write_text(
        f"<!doctype html><html><head><title>{lines[0]}</title>"
        "<script>var ignored = '日本';</script></head><body>"
        f"<nav>ホーム | 韓国</nav><h1>{lines[0]}</h1>\n{body}"
        "<div>クアッドについては別に述べる。</div></body></html>",
        encoding="utf-8",
    )
    return target


def pdf_document(text: Path, target: Path) -> Path:
    """A one-page PDF of an English text (fpdf2, a core font)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in text.read_text(encoding="utf-8").splitlines():
        pdf.multi_cell(0, 6, line.lstrip("# "), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(target))
    return target


@pytest.fixture(scope="session")
def names_store(report_store: OxigraphStore) -> OxigraphStore:
    """The report's store (read-only, shared): its names are the gazetteer."""
    return report_store


@pytest.fixture(scope="session")
def ingest_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data directory the session's documents are ingested into."""
    return tmp_path_factory.mktemp("ingest-data")


@pytest.fixture(scope="session")
def ingested(
    names_store: OxigraphStore, ingest_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, IngestResult]:
    """Each test document ingested once: ``ja``, ``en``, ``ko``, ``html`` (the Japanese
    text as a page), ``pdf`` (the English text as a PDF)."""
    made = tmp_path_factory.mktemp("made")
    files = {
        "ja": DOCUMENTS / "note-ja.txt",
        "en": DOCUMENTS / "note-en.md",
        "ko": DOCUMENTS / "note-ko.txt",
        "html": html_page(DOCUMENTS / "note-ja.txt", made / "note-page.html"),
        "pdf": pdf_document(DOCUMENTS / "note-en.md", made / "note-print.pdf"),
    }
    return {
        name: ingest_file(path, ingest_data, names_store, date="2026-11", publisher="Tests")
        for name, path in files.items()
    }
