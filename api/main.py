"""``create_app(settings)``: assembles the routers; opens nothing at import time.

>>> from api.settings import Settings
>>> app = create_app(Settings(store="memory:"))
>>> app.title
'policygraph'
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.routers import health
from api.settings import Settings
from graph.errors import PolicyGraphError, StoreError, UnknownEntityError
from graph.store import open_store

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The policygraph web application for ``settings`` (default: from the environment).

    The store opens read-only when the app starts and closes when it stops.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = open_store(
            Path(settings.store) if settings.store != "memory:" else "memory:"
        )
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(title="policygraph", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.include_router(health.router)
    app.add_exception_handler(PolicyGraphError, _error_response)  # type: ignore[arg-type]
    return app


_STATUS: dict[type[PolicyGraphError], int] = {UnknownEntityError: 404, StoreError: 503}


async def _error_response(request: Request, exc: PolicyGraphError) -> JSONResponse:
    status = next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)
    return JSONResponse({"error": str(exc)}, status_code=status)
