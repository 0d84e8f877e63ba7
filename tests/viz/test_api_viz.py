"""``GET /viz/{view}``: representations, embed, and the statuses of bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.errors import error_response
from api.routers import viz
from graph.errors import PolicyGraphError
from graph.store import OxigraphStore
from serving.settings import Settings
from tests.contexts import context_of


@pytest.fixture()
def client(tiny_store: OxigraphStore) -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(viz.router)
    app.add_exception_handler(PolicyGraphError, error_response)  # type: ignore[arg-type]
    app.state.context = context_of(tiny_store)
    app.state.settings = Settings(store="memory:", public_url="https://graph.example.org/pg")
    with TestClient(app) as test_client:
        yield test_client


def test_html_page_with_permalink_to_itself(client: TestClient) -> None:
    response = client.get("/viz/ego", params={"slug": "kor", "depth": 2})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    permalink = "https://graph.example.org/pg/viz/ego?slug=kor&amp;depth=2"
    assert f'id="permalink">{permalink}<' in response.text
    assert "iframe-snippet" in response.text


def test_embed_is_chrome_less(client: TestClient) -> None:
    response = client.get("/viz/frameworks?slug=msp&slug=ipef&embed=1&lang=ja")
    assert response.status_code == 200
    assert 'class="embed"' in response.text and "iframe-snippet" not in response.text
    assert "韓国" in response.text


@pytest.mark.parametrize(("fmt", "media", "magic"), [("png", "image/png", b"\x89PNG"),
                                                     ("svg", "image/svg+xml", b"<?xml")])  # fmt: skip
def test_static_formats(client: TestClient, fmt: str, media: str, magic: bytes) -> None:
    response = client.get(f"/viz/path?source=kor&target=aukus-pillar-2&format={fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert response.content.startswith(magic)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/viz/ego?slug=nowhere", 404),
        ("/viz/path?source=kor&target=nowhere", 404),
        ("/viz/ego?slug=kor&depth=4", 422),
        ("/viz/ego?slug=kor&depth=0", 422),
        ("/viz/galaxy", 422),
        ("/viz/ego", 422),
        ("/viz/path?source=kor", 422),
        ("/viz/ego?slug=kor&lang=fr", 422),
        ("/viz/ego?slug=kor&format=gif", 422),
        ("/viz/frameworks?slug=kor", 400),
    ],
)
def test_bad_input(client: TestClient, url: str, status: int) -> None:
    assert client.get(url).status_code == status


def test_nothing_to_show_is_200_with_a_message(client: TestClient) -> None:
    response = client.get("/viz/path?source=kor&target=lonely")
    assert response.status_code == 200 and "Nothing to show" in response.text


def test_size_limit_is_refused_with_a_suggestion(
    client: TestClient, tiny_store: OxigraphStore
) -> None:
    from viz.settings import VizSettings

    client.app.state.viz_settings = VizSettings(max_nodes=2)  # type: ignore[attr-defined]
    response = client.get("/viz/overview")
    assert response.status_code == 400
    assert "more than the limit of 2" in response.json()["error"]
