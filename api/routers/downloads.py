"""``GET /query/results.csv?query=…``: a query's results as a CSV file for spreadsheets.

The explorer's "Download CSV". The query runs exactly as at ``/sparql`` (:func:`run_query`:
guard, worker process, time limit, row cap); its SPARQL CSV is then rewritten cell by cell
through :func:`graph.spreadsheet.spreadsheet_cell`, so a value that a spreadsheet would run
as a formula (``=HYPERLINK(…)``) arrives as text. ``/sparql``'s own ``text/csv`` stays the
SPARQL 1.1 Query Results CSV format, unchanged: that is a data format for programs.
Graph results (CONSTRUCT, DESCRIBE) have no CSV form: 406, as at ``/sparql``.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ContextDep, QueryPoolDep, SettingsDep
from api.errors import NotAcceptableError
from api.routers.sparql import run_query
from graph.spreadsheet import spreadsheet_row

__all__ = ["router"]

router = APIRouter(tags=["sparql"])


@router.get(
    "/query/results.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, 406: {"description": "a graph result"}},
    summary="A query's results as CSV for spreadsheets",
)
async def spreadsheet_csv(
    context: ContextDep,
    settings: SettingsDep,
    pool: QueryPoolDep,
    query: Annotated[str, Query(min_length=1, description="A SELECT (or ASK) query.")],
) -> Response:
    """The results of ``query`` as a CSV attachment whose cells never run as formulas."""
    result = await run_query(context, settings, pool, query, [("format", "csv")], None)
    if result.format.name != "csv":
        raise NotAcceptableError(
            "a CONSTRUCT or DESCRIBE query has no CSV form: download it as Turtle from "
            "/sparql?format=turtle"
        )
    out = io.StringIO()
    writer = csv.writer(out)  # CRLF line ends, as RFC 4180 and SPARQL CSV
    for row in csv.reader(io.StringIO(result.data.decode("utf-8"), newline="")):
        writer.writerow(spreadsheet_row(row))
    headers = {"Content-Disposition": 'attachment; filename="results.csv"'}
    if result.truncated:
        headers["Policygraph-Truncated"] = "true"
        headers["Policygraph-Row-Limit"] = str(settings.max_rows)
    return Response(
        out.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8", headers=headers
    )
