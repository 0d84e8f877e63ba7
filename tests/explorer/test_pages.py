"""The explorer's pages through ``TestClient``: what a visitor sees, and what is escaped."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.security import PAGE_CSP

HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
HTML = {"accept": "text/html"}

PAGES = ["/", "/search?q=korea", "/id/kor", "/proposals", "/query", "/analysis"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_a_policy_they_satisfy(client: TestClient, path: str) -> None:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == PAGE_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    page = response.text
    # No inline script, no inline style, no inline handler, nothing from another host.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"\son[a-z]+=", page)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    for asset in re.findall(r"""(?:src|href)="(/static/[^"]+)\"""", page):
        assert client.get(asset).status_code == 200, asset


def test_every_control_has_a_label(client: TestClient) -> None:
    for path in PAGES:
        page = client.get(path, headers=HTML).text
        for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
            if 'type="hidden"' in control or "hidden" in control.split():
                continue
            name = re.search(r'\bid="([^"]+)"', control)
            assert name, f"{path}: a control without an id: {control}"
            assert f'for="{name.group(1)}"' in page, f"{path}: no label for {control}"


def test_home_shows_the_entry_points(client: TestClient) -> None:
    page = client.get("/").text
    assert 'action="/search"' in page and 'data-suggest="home-suggest"' in page
    assert "triples" in page
    assert '<a href="/id/aukus">' in page  # a framework with its member count
    assert '<a href="/proposals?section=test-section-1-1">Section 1</a>' in page
    assert '<a href="/id/proposal-joint-aukus-pillar-2">' in page
    assert '<a href="/id/kor">Republic of Korea</a>' in page  # among the central actors


def test_search_groups_ranked_results_by_class(client: TestClient) -> None:
    page = client.get("/search", params={"q": "korea"}).text
    assert re.search(r"<h2 id=\"g-1\">Country", page)
    assert '<a href="/id/kor"><strong>Republic of Korea</strong></a>' in page
    assert page.index("/id/kor") < page.index("/id/proposal-joint-aukus-pillar-2")
    ja = client.get("/search", params={"q": "韓国"}).text
    assert '<a href="/id/kor">' in ja


def test_search_shows_a_hostile_query_as_text(client: TestClient) -> None:
    page = client.get("/search", params={"q": HOSTILE}).text
    assert HOSTILE not in page
    assert ESCAPED in page
    assert "Nothing matches" in page


def test_an_empty_search_shows_only_the_box(client: TestClient) -> None:
    page = client.get("/search").text
    assert 'id="search-q"' in page and "result-group" not in page


def test_entity_page_has_view_downloads_snippet_and_proposals(client: TestClient) -> None:
    page = client.get("/id/kor", headers=HTML).text
    assert 'src="/viz/ego?slug=kor&amp;depth=1&amp;embed=1"' in page
    for fmt in ("html", "svg", "png"):
        assert f'href="/viz/ego?slug=kor&amp;depth=1&amp;format={fmt}"' in page
    assert (
        # The server's public URL (default: its bound address), never the request's Host.
        "&lt;iframe src=&#34;http://127.0.0.1:8000/viz/ego?slug=kor&amp;depth=1&amp;embed=1&#34;"
        in page
    )
    assert 'value="http://127.0.0.1:8000/id/kor"' in page
    assert '<a href="/id/proposal-joint-aukus-pillar-2">' in page
    assert '<th scope="row">日本語</th>' in page and "韓国" in page
    assert "lines 7–9" in page  # membership evidence with its line range


def test_proposal_page_lists_its_evidence(client: TestClient) -> None:
    page = client.get("/id/proposal-joint-aukus-pillar-2", headers=HTML).text
    assert "AUKUSピラーⅡへの日韓共同参加" in page and "line 5" in page


def test_proposals_filter_with_facets_and_view(client: TestClient) -> None:
    page = client.get("/proposals").text
    assert "1 of 1 proposals" in page
    assert "Joint Japan–Korea participation in AUKUS Pillar II" in page
    assert "Japan and Korea should take part together" in page  # the summary
    assert 'lang="ja">AUKUSピラーⅡへの日韓共同参加' in page
    assert re.search(r'value="kor" data-autosubmit><label [^>]*><span class="name">'
                     r'Republic of Korea</span> <span class="count">1</span>', page)  # fmt: skip
    assert 'src="/viz/proposals?embed=1"' in page
    kept = client.get("/proposals", params={"actor": "kor", "framework": "aukus-pillar-2"}).text
    assert "1 of 1 proposals involve Republic of Korea; concern AUKUS Pillar II." in kept
    assert 'src="/viz/proposals?actor=kor&amp;framework=aukus-pillar-2&amp;embed=1"' in kept
    assert 'value="kor" checked data-autosubmit>' in kept
    none = client.get("/proposals", params={"actor": "un-command"}).text
    assert "0 of 1 proposals" in none and "No proposal matches" in none
    assert "<iframe" not in none


def test_proposals_refuse_a_hostile_filter(client: TestClient) -> None:
    response = client.get("/proposals", params={"actor": HOSTILE})
    assert response.status_code == 404  # a name no actor has; the page says so, escaped
    assert ESCAPED in response.text
    assert HOSTILE not in response.text or response.headers["content-type"].startswith(
        "application/json"
    )


def test_workbench_offers_examples_and_keeps_the_query(client: TestClient) -> None:
    page = client.get("/query").text
    assert '<textarea name="query"' in page
    assert 'data-example="members-of"' in page
    assert "codemirror.js" in page and "workbench.js" in page
    assert 'data-autorun="0"' in page
    shown = client.get("/query", params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}).text
    assert 'data-autorun="1"' in shown
    assert "SELECT * { ?s ?p ?o } LIMIT 1</textarea>" in shown
    assert 'href="/query/results.csv?query=SELECT%20%2A%20%7B%20%3Fs' in shown
    example = client.get("/query", params={"example": "members-of"}).text
    assert "<strong>Example:</strong>" in example


def test_workbench_shows_a_hostile_query_as_text(client: TestClient) -> None:
    page = client.get("/query", params={"query": f'SELECT ("{HOSTILE}" AS ?x) {{}}'}).text
    assert HOSTILE not in page
    assert ESCAPED in page


def test_sparql_gives_a_browser_the_workbench(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/html"})
    assert "SPARQL workbench" in response.text
    assert response.headers["content-security-policy"] == PAGE_CSP


def test_analysis_page_tables_heat_map_and_paths(client: TestClient) -> None:
    page = client.get("/analysis").text
    for table in ("centrality", "brokers", "communities", "overlap"):
        assert f'id="{table}"' in page
    found = client.get("/analysis", params={"source": "kor", "target": "aukus-pillar-2"}).text
    assert "Path 1: Republic of Korea →" in found
    assert '<a href="/viz/path?source=kor&amp;target=aukus-pillar-2">' in found
    hostile = client.get("/analysis", params={"source": HOSTILE, "target": "kor"}).text
    assert HOSTILE not in hostile and "No entity is called “&lt;script&gt;" in hostile
    unknown = client.get("/analysis", params={"source": "nobody", "target": "kor"}).text
    assert "No entity has the slug “nobody”." in unknown
    by_name = client.get("/analysis", params={"source": "韓国", "target": "AUKUS Pillar II"})
    assert "Path 1: Republic of Korea →" in by_name.text
    assert client.get("/analysis", params={"type": "NoSuchClass"}).status_code == 400


def test_heat_classes() -> None:
    from api.routers.analysis_pages import heat_class

    assert [heat_class(v) for v in (0.0, 0.1, 0.5, 0.99, 1.0)] == ["h0", "h1", "h4", "h7", "h7"]


def test_static_assets_are_served_with_their_licences(client: TestClient) -> None:
    js = client.get("/static/vendor/codemirror-5.65.21/codemirror.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert js.headers["x-content-type-options"] == "nosniff"
    assert "MIT" in client.get("/static/vendor/codemirror-5.65.21/LICENSE").text
    assert "Apache" in client.get("/static/vendor/vis-network-9.1.2/LICENSE").text
    assert client.get("/static/js/suggest.js").status_code == 200
    assert client.get("/static/nothing.js").status_code == 404


def test_home_counts_full_members_not_partners(client: TestClient) -> None:
    # In the fixture Korea is a member of AUKUS and Japan only a partner: one full member.
    page = client.get("/").text
    row = re.search(r'<a href="/id/aukus">AUKUS</a>.*?<td class="num">(\d+)</td>', page, re.S)
    assert row is not None and row.group(1) == "1"
