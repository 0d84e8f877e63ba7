"""The overlap of member lists leaves partial lists out by default and says so — in the
API (``include_partial=true`` brings them back) and on the analysis page.

On the tiny store of ``tests/api/fixtures/depth``: the UN's list there is partial (three
members), the Quad's complete, the CPTPP's not stated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import make_app
from tests.api.depth import depth_store

NOTE = "1 framework with a partial member list left out; include_partial=true to include it"


@pytest.fixture(scope="module")
def depth() -> Iterator[TestClient]:
    with TestClient(make_app(depth_store())) as client:
        yield client


def test_overlap_api_leaves_partial_lists_out_and_says_so(depth: TestClient) -> None:
    body = depth.get("/api/analysis/overlap").json()
    assert "un" not in body["frameworks"] and {"quad", "cptpp"} <= set(body["frameworks"])
    assert body["partial_left_out"] == ["un"]
    assert body["note"] == NOTE
    assert all("un" not in (p["first"], p["second"]) for p in body["pairs"])


def test_overlap_api_includes_partial_lists_when_asked(depth: TestClient) -> None:
    body = depth.get("/api/analysis/overlap", params={"include_partial": "true"}).json()
    assert "un" in body["frameworks"]
    assert body["partial_left_out"] == [] and body["note"] is None
    pair = next(p for p in body["pairs"] if {p["first"], p["second"]} == {"quad", "un"})
    assert (pair["shared"], pair["union"]) == (2, 4)  # jpn, aus of jpn, kor, aus, usa


def test_analysis_page_says_which_partial_lists_it_left_out(depth: TestClient) -> None:
    page = depth.get("/analysis").text
    note = re.search(r'<p class="note" id="overlap-partial" role="note">(.*?)</p>', page, re.S)
    assert note is not None
    assert note.group(1).startswith("1 framework with a partial member list left out")
    assert '<a href="/id/un">United Nations</a>' in note.group(1)
    assert 'href="/analysis?include_partial=true#h-overlap"' in note.group(1)
    heat = re.search(r'<table class="heat" id="overlap">(.*?)</table>', page, re.S)
    assert heat is not None and "/id/un" not in heat.group(1)
    included = depth.get("/analysis", params={"include_partial": "true"}).text
    heat = re.search(r'<table class="heat" id="overlap">(.*?)</table>', included, re.S)
    assert heat is not None and '<a href="/id/un">' in heat.group(1)
    assert "Frameworks with partial member lists are included" in included
