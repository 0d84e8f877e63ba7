"""Over ``policygraph serve`` on loopback and the hostile store: static routes do not
traverse, however the path is spelt (sent raw, not normalised by a client library), and in
a real browser no page fires a dialog or breaks its Content-Security-Policy."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from tests.api.conftest import Server, running_server
from tests.hardening.conftest import ATTRIBUTE, SCRIPT
from tests.hardening.record import HOSTILE_PAGES, record_inputs
from tests.viz.test_browser import browser

__all__ = ["browser"]

pytestmark = pytest.mark.slow

TRAVERSALS = (
    "/static/../pyproject.toml",
    "/static/../../pyproject.toml",
    "/static/%2e%2e/pyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/%2E%2E/%2E%2E/pyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/..%2F..%2Fpyproject.toml",
    "/static/js/..%2f..%2f..%2fsecurity.py",
    "/static/%252e%252e/%252e%252e/pyproject.toml",
    "/static/..%5c..%5cpyproject.toml",
    "/static/..\\..\\pyproject.toml",
    "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/pyproject.toml",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/js/../../security.py",
    "/static/js/%00.js",
    "/static/docs/../../../pyproject.toml",
    "/static/docs/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/docs/swagger-ui-bundle.js%00",
    "/static/docs/..%2f__init__.py",
    "/id/..%2f..%2fpyproject.toml",
    "/viz/..%2f..%2fpyproject.toml",
)
SECRETS = ("[build-system]", "SecurityHeadersMiddleware", "root:x:0:0")


@pytest.fixture(scope="module")
def server(hostile_store_path: Path) -> Iterator[Server]:
    with running_server(hostile_store_path) as running:
        yield running


def _raw_get(server: Server, path: str) -> tuple[int, bytes]:
    url = urlsplit(server.url)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_static_routes_do_not_traverse(server: Server) -> None:
    assert _raw_get(server, "/static/js/suggest.js")[0] == 200  # the route itself works
    for path in TRAVERSALS:
        status, body = _raw_get(server, path)
        assert status in (400, 404, 422), (path, status)
        assert not any(secret.encode() in body for secret in SECRETS), path
    record_inputs("path traversals sent to the real server", len(TRAVERSALS))


def test_no_page_fires_a_dialog(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    page = context.new_page()
    blocked: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(server.url):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    context.route("**/*", route)
    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    query = f'SELECT ?x WHERE {{ BIND ("</textarea>{SCRIPT}{ATTRIBUTE}" AS ?x) }}'
    visited = 0
    try:
        for url in (
            "/", "/id/kor", "/id/jpn", "/id/aukus", "/id/proposal-joint-aukus-pillar-2",
            "/search?q=" + quote(SCRIPT), "/search?q=" + quote(ATTRIBUTE), "/proposals",
            "/analysis?source=jpn&target=kor", "/viz/ego?slug=kor&depth=2",
            "/viz/proposals?embed=1", "/query?query=" + quote(query), "/docs", "/redoc",
        ):  # fmt: skip
            page.goto(url, wait_until="load")
            visited += 1
            if url.startswith("/query"):
                page.wait_for_selector("body[data-done='1']", state="attached", timeout=30_000)
            for link in page.locator("main a, td, h1, h3").all()[:12]:
                try:
                    link.hover(timeout=100)  # an injected onmouseover would fire here
                except Exception:
                    continue
            page.wait_for_timeout(100)
    finally:
        context.close()
    assert dialogs == [], dialogs
    assert blocked == [], blocked
    # ReDoc's bundle reaches for its logo on cdn.redoc.ly: the policy stops it, as it should.
    outside = [e for e in errors if "violates" in e and "'https://" in e]
    assert [e for e in errors if e not in outside] == []
    record_inputs(HOSTILE_PAGES, visited)
