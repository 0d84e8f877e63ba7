"""A document may not take the name of one of the web app's own pages under ``/documents/``
(search, proposals, co-mentions …): it could never be reached at ``/documents/<slug>``."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.main import create_app
from graph.errors import UsageError
from graph.ingest.ingest import RESERVED_SLUGS, ingest_file
from graph.store import OxigraphStore
from serving.settings import Settings
from tests.conftest import run_cli
from tests.ingest.conftest import DOCUMENTS
from tests.ingest.test_cli_and_review import one_line_error


def test_every_fixed_page_under_documents_is_a_reserved_slug() -> None:
    app = create_app(Settings(store="memory:"))
    fixed = {
        path.removeprefix("/documents/").split("/")[0]
        for path in app.openapi()["paths"]
        if path.startswith("/documents/") and not path.startswith("/documents/{")
    }
    assert {"co-mentions", "proposals", "search"} <= fixed  # the routes were found
    assert fixed <= RESERVED_SLUGS


def test_a_reserved_slug_is_refused_whether_given_or_taken_from_the_file_name(
    tmp_path: Path, names_store: OxigraphStore
) -> None:
    data = tmp_path / "data"
    named = tmp_path / "proposals.txt"
    named.write_text((DOCUMENTS / "note-en.md").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(UsageError, match="'proposals' is the name of a page under /documents/"):
        ingest_file(named, data, names_store)
    for slug in sorted(RESERVED_SLUGS):
        with pytest.raises(UsageError, match=f"'{slug}' is the name of a page"):
            ingest_file(DOCUMENTS / "note-en.md", data, names_store, slug=slug)
    assert not data.exists()


@pytest.mark.slow
def test_the_command_line_refuses_a_reserved_slug_with_one_line(
    tmp_path: Path, report_store_path: Path
) -> None:
    data = tmp_path / "data"
    refused = run_cli(
        "ingest", DOCUMENTS / "note-en.md", "--slug", "search", "--data", data,
        "--store", report_store_path,
    )  # fmt: skip
    assert "the slug 'search' is the name of a page under /documents/" in one_line_error(refused)
    assert not data.exists()
