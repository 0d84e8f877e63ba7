"""``/api/queries``: the named queries of ``graph/queries/``, listed and run.

``GET /api/queries/{name}?param=value`` binds each parameter (never splicing it into the
query) and answers like ``/sparql``: SPARQL JSON by default, or per ``Accept``/``?format=``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel

from api.deps import NamedQueriesDep, SettingsDep, StoreDep
from api.representation import pick_format
from graph.errors import UnknownEntityError
from graph.query.named import QueryParam, run_named_query
from graph.query.serialise import SerialisedResult, result_kind, serialise_result
from serving.worker import run_with_timeout

router = APIRouter(prefix="/api/queries", tags=["queries"])

_RESULTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The query's results (SPARQL JSON by default)",
        "content": {
            "application/sparql-results+json": {},
            "text/csv": {},
            "text/turtle": {},
        },
    },
    404: {"description": "No named query has this name", "content": {"application/json": {}}},
}


class NamedQueryInfo(BaseModel):
    """A named query: the question it answers and the parameters it takes."""

    name: str
    question: str
    params: list[QueryParam]


@router.get("", response_model=list[NamedQueryInfo], summary="List named queries")
def list_queries(queries: NamedQueriesDep) -> list[NamedQueryInfo]:
    """Every named query, by name."""
    return [
        NamedQueryInfo(name=q.name, question=q.question, params=q.params) for q in queries.values()
    ]


@router.get("/{name}", response_class=Response, responses=_RESULTS, summary="Run a named query")
async def run_query(
    name: Annotated[str, Path(pattern=r"^[a-z0-9]+([-_][a-z0-9]+)*$", max_length=100)],
    request: Request,
    queries: NamedQueriesDep,
    store: StoreDep,
    settings: SettingsDep,
) -> Response:
    """Run the named query ``name``; its parameters come as query parameters
    (``?actor=kor``), ``format`` chooses the result format."""
    query = queries.get(name)
    if query is None:
        raise UnknownEntityError(f"no named query is called {name!r}")
    values = {k: v for k, v in request.query_params.items() if k != "format"}
    override = request.query_params.getlist("format")
    accept = request.headers.get("accept")

    def work(deadline: float) -> SerialisedResult:
        result = run_named_query(query, store, values)
        fmt = pick_format(result_kind(result), accept, override)
        return serialise_result(result, fmt, deadline=deadline)

    result = await run_with_timeout(work, settings.query_timeout)
    return Response(result.data, media_type=result.format.content_type, headers={"Vary": "Accept"})
