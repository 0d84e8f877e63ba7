"""Offline API docs, and the server settings' validation."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.main import create_app
from serving.settings import Settings

API_DIR = Path(__file__).resolve().parents[2] / "api"


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_load_only_local_assets(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert assets, "the page loads its assets"
    for asset in assets:
        assert asset.startswith("/static/docs/"), asset
        assert client.get(asset).status_code == 200
    assert "://" not in response.text.replace("openapi.json", "")


def test_only_the_bundled_assets_are_served(client: TestClient) -> None:
    assert client.get("/static/docs/..%2F..%2Fapi%2Fmain.py").status_code in (404, 422)
    assert client.get("/static/docs/other.js").status_code == 422


def test_no_external_url_in_the_api_package() -> None:
    for path in API_DIR.rglob("*"):
        if path.suffix in {".py", ".html"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"https?://(?!127\.0\.0\.1|localhost)", text), path


def test_openapi_documents_the_rest_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/api/entities", "/api/entities/{slug}", "/api/frameworks", "/api/proposals",
                  "/api/queries", "/api/queries/{name}", "/api/stats", "/sparql"):  # fmt: skip
        assert route in paths


def test_every_operation_has_its_own_id() -> None:
    # A generated client names one function per operation id: the graph store's PUT, POST
    # and DELETE once shared one (and FastAPI warned while writing the document).
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        paths = create_app(Settings(store="memory:")).openapi()["paths"]
    ids = Counter(
        operation["operationId"]
        for methods in paths.values()
        for operation in methods.values()
        if isinstance(operation, dict) and "operationId" in operation
    )
    assert [name for name, count in ids.items() if count > 1] == []
    for path in ("/store", "/store/{path}"):
        assert set(paths[path]) == {"get", "put", "post", "delete"}


@pytest.mark.parametrize(
    "settings",
    [{"query_timeout": 0}, {"query_timeout": -1}, {"max_body": 0}, {"port": 70000},
     {"cors_origins": "elsewhere.test"}, {"cors_origins": "http://a.test/path"}],
)  # fmt: skip
def test_invalid_settings_are_rejected(settings: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings(**settings)  # type: ignore[arg-type]


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYGRAPH_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("POLICYGRAPH_MAX_BODY", "2048")
    monkeypatch.setenv("POLICYGRAPH_CORS_ORIGINS", "http://a.test, https://b.test:8443")
    settings = Settings()
    assert settings.query_timeout == 2.5
    assert settings.max_body == 2048
    assert settings.cors_origins == ["http://a.test", "https://b.test:8443"]


def test_defaults() -> None:
    settings = Settings()
    assert (settings.query_timeout, settings.max_body, settings.cors_origins) == (
        10.0,
        1_000_000,
        ["*"],
    )
