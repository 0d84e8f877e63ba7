"""The home page lists each section's proposals (made once per store, not per visit):
every proposal of the report under its own section, in the catalogue's order, escaped."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from graph.query.proposals import every_proposal
from graph.store import OxigraphStore
from tests.api.conftest import make_app

_SECTION = re.compile(
    r'<summary><a href="/proposals\?section=([^"]+)">.*?</summary>\s*<ul>(.*?)</ul>', re.S
)
_LINK = re.compile(r'<li><a href="/id/([^"]+)">([^<]*)</a></li>')


def test_each_section_lists_its_proposals(report_store: OxigraphStore) -> None:
    expected: dict[str, list[tuple[str, str]]] = {}
    for p in every_proposal(report_store):
        if p.section and p.section.slug:
            expected.setdefault(p.section.slug, []).append((p.slug, p.label))
    with TestClient(make_app(report_store)) as client:
        first, again = client.get("/").text, client.get("/").text
    listed = {
        slug: [(s, html.unescape(label)) for s, label in _LINK.findall(items)]
        for slug, items in _SECTION.findall(first)
    }
    assert {k: v for k, v in listed.items() if v} == expected
    assert sum(map(len, expected.values())) == 160
    assert again == first
