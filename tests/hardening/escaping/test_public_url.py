"""A hostile ``Host`` header appears nowhere in the answers of a real ``policygraph serve``:
permalinks, iframe snippets, the service description's endpoint and redirects use the
public URL (``--public-url``, else the bound address); files the CLI writes too."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from graph import REPO_ROOT
from serving.settings import Settings
from tests.api.conftest import Server, running_server
from tests.hardening.record import record_inputs

pytestmark = pytest.mark.slow

PUBLIC = "https://graph.example.org/pg"
HOSTILE_HOSTS = (
    "evil.example",
    "evil.example:8443",
    "127.0.0.1.evil.example",
    "evil.example/../x",
    "[::ffff:7f00:1]",
)
#: Routes whose answers are built from URLs: (path, Accept).
ROUTES = (
    ("/viz/ego?slug=kor&depth=1", "text/html"),
    ("/viz/ego?slug=kor&depth=1&embed=1", "text/html"),
    ("/id/kor", "text/html"),
    ("/id/kor", "text/turtle"),
    ("/sparql", "text/turtle"),
    ("/query?query=SELECT%20*%20%7B%7D", "text/html"),
    ("/api/queries/", "application/json"),  # a redirect (trailing slash)
    ("/analysis/", "text/html"),  # a redirect too
    ("/openapi.json", "application/json"),
    ("/", "text/html"),
)


@pytest.fixture(scope="module")
def server(fixture_store_path: Path) -> Iterator[Server]:
    with running_server(fixture_store_path, "--public-url", PUBLIC + "/") as running:
        yield running


def test_a_hostile_host_appears_nowhere(server: Server) -> None:
    sent = 0
    with httpx.Client(base_url=server.url, timeout=30, follow_redirects=False) as client:
        for host in HOSTILE_HOSTS:
            for path, accept in ROUTES:
                response = client.get(path, headers={"Host": host, "Accept": accept})
                sent += 1
                assert response.status_code < 500, (host, path, response.status_code)
                answer = response.text + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
                assert "evil" not in answer and "7f00:1" not in answer, (host, path)
                if response.is_redirect:
                    assert response.headers["location"].startswith("https://graph.example.org/")
    record_inputs("hostile Host headers sent to the real server", sent)


def test_links_use_the_public_url(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        view = client.get("/viz/ego?slug=kor&depth=1", headers={"Host": "evil.example"}).text
        assert f'id="permalink">{PUBLIC}/viz/ego?slug=kor&amp;depth=1<' in view
        # The iframe snippet, shown as text: its own &amp; escaped once more.
        assert f"{PUBLIC}/viz/ego?slug=kor&amp;amp;depth=1&amp;amp;embed=1" in view
        page = client.get("/id/kor", headers={"Accept": "text/html", "Host": "evil.example"})
        assert f"{PUBLIC}/id/kor" in page.text
        description = client.get("/sparql", headers={"Accept": "text/turtle"}).text
        assert f"<{PUBLIC}/sparql>" in description


def test_without_a_public_url_links_use_the_bound_address() -> None:
    assert Settings(host="127.0.0.1", port=8123).public_base_url() == "http://127.0.0.1:8123"
    for bad in ("ftp://example.org", "https://", "https://example.org/?q=1", "example.org"):
        with pytest.raises(ValidationError):
            Settings(public_url=bad)


def test_the_cli_writes_links_to_the_public_url(fixture_store_path: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    env["POLICYGRAPH_PUBLIC_URL"] = PUBLIC
    out = tmp_path / "kor.html"
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "viz", "ego", "kor", "-o", str(out),
         "--store", str(fixture_store_path)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{PUBLIC}/viz/ego?slug=kor" in out.read_text(encoding="utf-8")


def test_an_ipv6_bound_address_is_bracketed() -> None:
    assert Settings(host="::1", port=8080).public_base_url() == "http://[::1]:8080"
