"""``/query``: the SPARQL workbench — an editor, the named queries as examples, and
results drawn as a table, a graph or a bar chart by ``/static/js/workbench.js``.

The query lives in the URL (``/query?query=…``), so a link to the page reproduces it; the
page runs it against ``/sparql`` when it opens. A browser asking ``GET /sparql`` without a
query gets this page too.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import NamedQueriesDep, StoreDep
from api.pages import render_page
from api.store_cache import PerStore
from graph.iris import ENTITY_BASE, PREFIXES
from graph.query.named import NamedQuery
from graph.query.ontology_terms import OntologyTerm, ontology_terms

__all__ = ["router", "workbench_page"]

router = APIRouter(tags=["pages"], include_in_schema=False)

#: The query the editor opens with when the URL holds none.
DEFAULT_QUERY = """\
# Which frameworks is Korea a member of?
SELECT ?framework ?label
WHERE {
  id:kor pg:memberOf ?framework .
  ?framework rdfs:label ?label FILTER (lang(?label) = "en")
}
ORDER BY ?label"""

terms_of: PerStore[list[OntologyTerm]] = PerStore(ontology_terms)


@router.get("/query", response_class=HTMLResponse, summary="The SPARQL workbench")
def query_page(
    request: Request,
    store: StoreDep,
    queries: NamedQueriesDep,
    query: Annotated[str | None, Query(max_length=100_000, description="A SPARQL query.")] = None,
    example: Annotated[
        str | None, Query(max_length=100, description="The named query shown.")
    ] = None,
) -> HTMLResponse:
    """The workbench, with ``query`` in the editor (and run) or an example."""
    return workbench_page(request, store, queries, query, example)


def workbench_page(
    request: Request,
    store: StoreDep,
    queries: dict[str, NamedQuery],
    query: str | None = None,
    example: str | None = None,
) -> HTMLResponse:
    """The workbench page (also served by ``GET /sparql`` to a browser)."""
    chosen = queries.get(example) if example else None
    text = query if query is not None else (chosen.sparql if chosen else DEFAULT_QUERY)
    return render_page(
        request,
        "query.html",
        {
            "query": text,
            "autorun": query is not None,
            "examples": list(queries.values()),
            "example": chosen,
            "prefixes": PREFIXES,
            "terms": [t.name for t in terms_of(store)],
            "entity_base": ENTITY_BASE,
            "graphs": store.graph_names(),
        },
    )
