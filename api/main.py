"""``create_app(settings)``: assembles the routers; opens nothing at import time.

>>> from serving.settings import Settings
>>> app = create_app(Settings(store="memory:"))
>>> app.title
'policygraph'
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api.errors import error_response
from api.http_methods import add_http_methods
from api.limits import BodyLimitMiddleware, UrlLimitMiddleware
from api.public_host import PublicHostMiddleware
from api.readers import ReadersMiddleware
from api.routers import (
    analysis,
    analysis_pages,
    docs,
    documents,
    downloads,
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
from api.sparql_fast_path import SparqlFastPath
from graph.errors import PolicyGraphError
from serving.context import StoreContext
from serving.publish import Publication
from serving.query_pool import shared_pool
from serving.reload import serving
from serving.settings import Settings

__all__ = ["STATIC_DIR", "create_app", "run"]

#: The explorer's scripts, styles and vendored libraries, served at ``/static``.
STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The policygraph web application for ``settings`` (default: from the environment).

    The store opens read-only when the app starts and closes when it stops; a store on disk
    is replaced by each new build, and by each accepted edit, while the app runs
    (:mod:`serving.reload`). Each is published in a :class:`~serving.context.StoreContext`
    that routes read as ``app.state.context`` (:func:`api.deps.get_context`).
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Opens the store, and swaps in each new build of an on-disk one (serving/reload.py).
        async with serving(app.state.publication, settings, app.state.query_pool):
            yield

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

    def show(context: StoreContext) -> None:
        app.state.context = context

    # What requests read (app.state.context), and the requests in flight for its swaps.
    app.state.publication = Publication(
        show=show, page_steps=proposal_pages.warm_steps, warm_seconds=settings.warm_seconds
    )
    app.state.readers = app.state.publication.readers
    for module in (
        health, sparql, entities, frameworks, proposals, named_queries, stats,
        linked_data, ontology, docs, viz, home, proposal_pages, workbench, analysis,
        analysis_pages, graph_store, downloads, documents,
    ):  # fmt: skip
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(PolicyGraphError, error_response)  # type: ignore[arg-type]
    app.add_middleware(ReadersMiddleware, readers=app.state.readers)
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
    # Outermost of all: a plain query to /sparql skips the stack above (same answers).
    app.add_middleware(SparqlFastPath, fastapi_app=app)
    add_http_methods(app)  # HEAD on every GET route (outermost), Allow on every 405
    # Before everything: the app never sees the client's Host, only the public URL's.
    app.add_middleware(PublicHostMiddleware, public_url=settings.public_base_url())
    return app


def run(settings: Settings) -> None:
    """Serve the app of ``settings`` with uvicorn until stopped (``policygraph serve``)."""
    import uvicorn

    from api.http_protocol import bounded_protocol

    # The serving runtime's own lines (each warm-up step and its seconds) beside uvicorn's.
    served = logging.getLogger("serving")
    served.setLevel(logging.INFO)
    served.addHandler(logging.StreamHandler())
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=settings.access_log,
        # Header size and header deadline: uvicorn has neither (api/http_protocol.py).
        http=bounded_protocol(settings.max_header, settings.header_timeout),
    )
