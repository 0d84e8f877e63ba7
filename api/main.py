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

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api.edits import EditService
from api.errors import error_response
from api.limits import BodyLimitMiddleware, UrlLimitMiddleware
from api.query_pool import shared_pool
from api.routers import (
    analysis,
    analysis_pages,
    docs,
    entities,
    frameworks,
    graph_store,
    health,
    home,
    linked_data,
    named_queries,
    ontology,
    proposal_pages,
    proposals,
    sparql,
    stats,
    viz,
    workbench,
)
from api.security import SecurityHeadersMiddleware
from api.settings import Settings
from api.warmup import warm_up
from graph.errors import PolicyGraphError
from graph.store import OxigraphStore, open_store
from graph.store.edits import edits_file

__all__ = ["STATIC_DIR", "create_app"]

#: The explorer's scripts, styles and vendored libraries, served at ``/static``.
STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The policygraph web application for ``settings`` (default: from the environment).

    The store opens read-only when the app starts and closes when it stops.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = open_store(Path(settings.store) if settings.store != "memory:" else "memory:")
        app.state.store, app.state.edits = opened, None
        if isinstance(opened, OxigraphStore) and opened.location is not None:
            # Accepted edits are served from a copy of the store (see api/edits.py).
            app.state.edits = EditService(
                opened, edits_file(Path(settings.store)), lambda s: setattr(app.state, "store", s)
            )
            app.state.store = app.state.edits.open_served()
        warm_up(app.state.store)
        if isinstance(app.state.store, OxigraphStore) and app.state.store.location is not None:
            # Workers take about a second to start: have them ready before the first query.
            await anyio.to_thread.run_sync(
                app.state.query_pool.start, str(app.state.store.location), 30.0
            )
        try:
            yield
        finally:
            app.state.store.close()
            opened.close()
            if app.state.edits is not None:
                app.state.edits.close()

    app = FastAPI(
        title="policygraph",
        version="0.1.0",
        summary="The policygraph knowledge graph over SPARQL, REST and Linked Data.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.query_pool = shared_pool(settings.query_workers)  # workers start on first use
    for module in (
        health, sparql, entities, frameworks, proposals, named_queries, stats,
        linked_data, ontology, docs, viz, home, proposal_pages, workbench, analysis,
        analysis_pages, graph_store,
    ):  # fmt: skip
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(PolicyGraphError, error_response)  # type: ignore[arg-type]
    app.add_middleware(SecurityHeadersMiddleware)
    # Outermost last: CORS headers reach every answer, the limits' 413 and 414 included.
    app.add_middleware(BodyLimitMiddleware, max_body=settings.max_body)
    app.add_middleware(UrlLimitMiddleware, max_url=settings.max_url)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        expose_headers=["Policygraph-Truncated", "Policygraph-Row-Limit"],
        allow_credentials=False,
        max_age=3600,
    )
    return app
