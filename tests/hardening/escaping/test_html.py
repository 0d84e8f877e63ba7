"""Every label, comment, quote, search term and query that reaches HTML is escaped: the
pages over a store of hostile text hold no live script, event handler or ``javascript:``
link, and carry their security headers."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.security import PAGE_CSP
from tests.hardening.conftest import ATTRIBUTE, IMAGE, JAVASCRIPT, SCRIPT
from tests.hardening.record import BREAKOUT_INPUTS, HOSTILE_PAGES, record_inputs

HOSTILE_QUERY = f'SELECT ?x WHERE {{ BIND ("</textarea>{SCRIPT}{ATTRIBUTE}" AS ?x) }}'

#: Every HTML page, with hostile text from the store or from the URL in it.
PAGES = (
    "/",
    "/search?q=korea",
    "/search?q=aukus",
    "/search?q=" + quote(SCRIPT),
    "/search?q=" + quote(ATTRIBUTE),
    "/search?q=" + quote(JAVASCRIPT),
    "/id/kor",
    "/id/jpn",
    "/id/aukus",
    "/id/proposal-joint-aukus-pillar-2",
    "/id/test-section-1-1",
    "/id/test-part-1",
    "/id/" + quote(IMAGE, safe=""),
    "/id/" + quote(ATTRIBUTE, safe=""),
    "/proposals",
    "/proposals?actor=kor",
    "/proposals?section=test-part-1",
    "/query",
    "/query?query=" + quote(HOSTILE_QUERY),
    "/query?example=" + quote(SCRIPT) + "&query=" + quote(HOSTILE_QUERY),
    "/sparql",  # a browser asking for the endpoint gets the workbench
    "/analysis",
    "/analysis?source=jpn&target=kor",
    "/analysis?source=" + quote(SCRIPT) + "&target=" + quote(ATTRIBUTE),
    "/analysis?type=Country",
    "/ontology",
)
VIEWS = (
    "/viz/ego?slug=kor",
    "/viz/ego?slug=aukus&depth=2",
    "/viz/ego?slug=proposal-joint-aukus-pillar-2",
    "/viz/frameworks?slug=aukus",
    "/viz/frameworks",
    "/viz/proposals",
    "/viz/proposals?actor=kor",
    "/viz/path?source=jpn&target=kor",
    "/viz/overview",
)
VIEW_PAGES = tuple(v + s for v in VIEWS for s in ("", "&embed=1" if "?" in v else "?embed=1"))


class _Audit(HTMLParser):
    """What a page would run: event-handler attributes, script URLs, inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.script_urls: list[str] = []
        self.inline_scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            url = (value or "").strip().lower().replace("\t", "")
            if name in ("href", "src", "action", "formaction", "data") and url.startswith(
                ("javascript:", "data:t")
            ):
                self.script_urls.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and not dict(attrs).get("src"):
            self._in_script = True
            self.inline_scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline_scripts[-1] += data


def assert_inert(body: str, where: str) -> None:
    """No hostile string is live in ``body``."""
    for raw in ("<script>alert", "<img src=x", 'href="javascript:', 'src="javascript:'):
        assert raw not in body, (where, raw)
    assert ATTRIBUTE not in body, (where, "an attribute break-out left unescaped")
    audit = _Audit()
    audit.feed(body)
    assert audit.handlers == [], (where, audit.handlers)
    assert audit.script_urls == [], (where, audit.script_urls)
    # The only inline scripts are a view's two: vis-network and the view's data block. The
    # hostile text may stand in the data only inside JSON strings, where no "<" can end the
    # script: the data block holds no raw "<" at all.
    assert len(audit.inline_scripts) in (0, 2), (where, len(audit.inline_scripts))
    for script in audit.inline_scripts:
        code = script.lstrip()
        if code.startswith("var PG_DATA = "):
            data = code[len("var PG_DATA = ") : code.index("};\n") + 1]
            assert "<" not in data, where
            json.loads(data)  # one JSON value: nothing outside its strings runs
        else:
            assert "alert(1)" not in script or code.startswith("(function"), where


def _csp(response_headers: object) -> dict[str, str]:
    header = str(getattr(response_headers, "get")("content-security-policy") or "")  # noqa: B009
    directives = (d.strip().split(None, 1) for d in header.split(";") if d.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


@pytest.mark.parametrize("url", PAGES)
def test_pages_escape_hostile_text(hostile_client: TestClient, url: str) -> None:
    response = hostile_client.get(url, headers={"accept": "text/html"})
    assert response.status_code in (200, 404), (url, response.status_code)
    assert response.headers["content-type"].startswith("text/html")
    assert_inert(response.text, url)
    assert response.headers["content-security-policy"] == PAGE_CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    record_inputs(HOSTILE_PAGES, 1)


@pytest.mark.parametrize("url", VIEW_PAGES)
def test_views_escape_hostile_text(hostile_client: TestClient, url: str) -> None:
    response = hostile_client.get(url)
    assert response.status_code == 200, (url, response.text[:300])
    assert_inert(response.text, url)
    policy = _csp(response.headers)
    assert policy["default-src"] == "'none'"
    assert policy["connect-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert all(source.startswith("'sha256-") for source in policy["script-src"].split())
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    record_inputs(HOSTILE_PAGES, 1)


def test_the_hostile_text_is_shown_as_text(hostile_client: TestClient) -> None:
    """Escaped, not dropped: the reader sees exactly what the data says."""
    kor = hostile_client.get("/id/kor", headers={"accept": "text/html"}).text
    assert "Republic of Korea &lt;script&gt;alert(1)&lt;/script&gt;" in kor
    proposal = hostile_client.get("/id/proposal-joint-aukus-pillar-2?format=html").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in proposal
    assert "&#34; onmouseover=&#34;alert(1)" in proposal or "&quot; onmouseover" in proposal
    search = hostile_client.get("/search", params={"q": SCRIPT}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in search
    workbench = hostile_client.get("/query", params={"query": HOSTILE_QUERY}).text
    assert "&lt;/textarea&gt;&lt;script&gt;" in workbench
    view = hostile_client.get("/viz/ego", params={"slug": "kor"}).text
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in view
    assert IMAGE not in view and JAVASCRIPT in view  # a javascript: label stays a label
    record_inputs(HOSTILE_PAGES, 5)


@pytest.mark.parametrize("url", ["/docs", "/redoc"])
def test_api_docs_have_a_policy(hostile_client: TestClient, url: str) -> None:
    response = hostile_client.get(url)
    assert response.status_code == 200
    policy = _csp(response.headers)
    assert policy["default-src"] == "'none'"
    assert policy["connect-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize(
    "url",
    ["/api/entities?q=" + quote(SCRIPT), "/api/entities/kor", "/sparql?query=ASK%7B%7D",
     "/healthz", "/openapi.json", "/static/js/suggest.js", "/viz/ego?slug=kor&format=svg"],
)  # fmt: skip
def test_every_answer_is_nosniff(hostile_client: TestClient, url: str) -> None:
    response = hostile_client.get(url)
    assert response.status_code == 200, url
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert not response.headers["content-type"].startswith("text/html")


def test_errors_are_not_html(hostile_client: TestClient) -> None:
    """An API parameter is echoed in JSON, never in an HTML page; a
    view's URL, which people open in a browser, answers with a page of choices in which
    the name stays inert."""
    for url in ("/api/entities/" + quote(SCRIPT, safe=""), "/api/proposals?actor=" + quote(SCRIPT),
                "/api/queries/" + quote(SCRIPT, safe="")):  # fmt: skip
        response = hostile_client.get(url)
        # The proposal filter takes names: in this store the string is part of Korea's label.
        assert response.status_code in (200, 400, 404, 422), url
        assert response.headers["content-type"].startswith("application/json"), url
    view = hostile_client.get("/viz/ego?slug=" + quote(SCRIPT))
    assert view.status_code in (300, 404), view.status_code  # which one? / not found
    assert_inert(view.text, "/viz/ego with a hostile name")
    record_inputs(BREAKOUT_INPUTS, 4)
