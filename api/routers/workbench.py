"""``/query``: the SPARQL workbench — an editor, the named queries as examples, and
results drawn as a table, a graph or a bar chart by ``/static/js/workbench.js``.

The query lives in the URL (``/query?query=…``), so a link to the page reproduces it; the
page runs it against ``/sparql`` when it opens. A browser asking ``GET /sparql`` without a
query gets this page too. ``/api/labels`` names the IRIs of the results in the language the
reader picks (:mod:`graph.query.labels`), as the Wikidata Query Service's label service.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from api.deps import NamedQueriesDep, PageContextDep, StoreDep
from api.entity_names import (
    Choice,
    ParamNameError,
    choice_links,
    problem_sentence,
    resolve_params,
)
from api.pages import render_page
from graph.errors import UsageError
from graph.iris import ENTITY_BASE, PREFIXES
from graph.query.filled import example_values, filled_text
from graph.query.labels import MAX_IRIS, LabelLanguage, labels_of
from graph.query.named import NamedQuery
from serving.context import StoreContext

__all__ = ["ExampleGroup", "LabelRequest", "group_examples", "router", "workbench_page"]

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

#: What a named query is about, from the entity it takes (its first parameter) or else the
#: first word of its name: word → heading. The headings are listed in this order.
_SUBJECTS: dict[str, str] = {
    "actor": "Actors and people",
    "actors": "Actors and people",
    "country": "Actors and people",
    "people": "Actors and people",
    "memberships": "Actors and people",
    "framework": "Frameworks",
    "frameworks": "Frameworks",
    "proposed": "Frameworks",
    "proposal": "Proposals",
    "proposals": "Proposals",
    "summary": "Proposals",
    "section": "Sections of the report",
    "place": "Places and events",
    "events": "Places and events",
    "from": "Places and events",
    "topic": "Topics and figures",
    "topics": "Topics and figures",
    "subject": "Topics and figures",
    "statistics": "Topics and figures",
    "entity": "Names and labels",
    "labels": "Names and labels",
    "korean": "Names and labels",
}
_OTHER = "Other questions"


class ExampleGroup(BaseModel):
    """Named queries about one kind of thing, under a heading."""

    heading: str
    queries: list[NamedQuery]


def group_examples(queries: dict[str, NamedQuery]) -> list[ExampleGroup]:
    """The named queries grouped by what they are about: the entity they take, or the first
    word of their name ("framework-members" → Frameworks), in the order of ``_SUBJECTS``.

    >>> q = NamedQuery.parse("framework-members", "# param: framework slug — x\\nSELECT * {}")
    >>> [(g.heading, [x.name for x in g.queries]) for g in group_examples({q.name: q})]
    [('Frameworks', ['framework-members'])]
    """
    grouped: dict[str, list[NamedQuery]] = {}
    for query in queries.values():
        word = query.params[0].name if query.params else query.name.split("-")[0]
        grouped.setdefault(_SUBJECTS.get(word, _OTHER), []).append(query)
    order = [*dict.fromkeys(_SUBJECTS.values()), _OTHER]
    return [ExampleGroup(heading=h, queries=grouped[h]) for h in order if h in grouped]


@router.get("/query", response_class=HTMLResponse, summary="The SPARQL workbench")
def query_page(
    request: Request,
    context: PageContextDep,
    queries: NamedQueriesDep,
    query: Annotated[str | None, Query(max_length=100_000, description="A SPARQL query.")] = None,
    example: Annotated[
        str | None, Query(max_length=100, description="The named query shown.")
    ] = None,
) -> HTMLResponse:
    """The workbench, with ``query`` in the editor (and run) or an example; an example's
    parameters given in the URL (``?example=actor-asks&actor=jpn``) are filled in and run."""
    return workbench_page(request, context, queries, query, example)


def workbench_page(
    request: Request,
    context: StoreContext,
    queries: dict[str, NamedQuery],
    query: str | None = None,
    example: str | None = None,
) -> HTMLResponse:
    """The workbench page (also served by ``GET /sparql`` to a browser)."""
    chosen = queries.get(example) if example else None
    values: dict[str, str] = {}
    problem = None
    choices: list[Choice] = []
    autorun = query is not None
    if chosen is not None and query is None:
        values = {p.name: v[:200] for p in chosen.params if (v := request.query_params.get(p.name))}
        try:
            values |= _entities_named(context, chosen, values)
            text = filled_text(chosen, values)
            autorun = len(values) == len(chosen.params)  # every value given: run it
        except ParamNameError as exc:
            text, problem = chosen.sparql, problem_sentence(exc)
            choices = choice_links(request, exc, anchor="#params-form")
        except UsageError as exc:
            text, problem = chosen.sparql, str(exc)
    else:
        text = query if query is not None else DEFAULT_QUERY
    return render_page(
        request,
        "query.html",
        {
            "query": text,
            "autorun": autorun,
            "groups": group_examples(queries),
            "example": chosen,
            "values": values,
            "example_values": {q.name: example_values(q) for q in queries.values()},
            "problem": problem,
            "choices": choices,
            "prefixes": PREFIXES,
            "terms": [t.name for t in context.ontology_terms],
            "entity_base": ENTITY_BASE,
            "graphs": context.store.graph_names(),
        },
    )


def _entities_named(
    context: StoreContext, query: NamedQuery, values: dict[str, str]
) -> dict[str, str]:
    """The slugs of the entity parameters given by name ("Korea", "韓国"), each of the
    class its parameter is named after (``actor``: a ``pg:Actor``) or any.

    :raises ParamNameError: a name is ambiguous or names no such entity.
    """
    wanted = {
        p.name: ([values[p.name]], None if p.name in _ANY_CLASS else {p.name.capitalize()})
        for p in query.params
        if p.kind == "slug" and p.name in values
    }
    return {name: slugs[0] for name, slugs in resolve_params(context.labels, wanted).items()}


#: Entity parameters that take any entity (the rest are named after a ``pg:`` class).
_ANY_CLASS = frozenset({"entity", "subject"})


class LabelRequest(BaseModel):
    """The IRIs to name, and the language wanted."""

    iris: list[str] = Field(max_length=MAX_IRIS, description="IRIs to name.")
    lang: LabelLanguage = "en"


@router.post("/api/labels", include_in_schema=True, tags=["entities"], summary="Name IRIs")
def post_labels(body: LabelRequest, store: StoreDep) -> dict[str, str]:
    """IRI → its ``rdfs:label`` in ``lang`` (else English, else any); IRIs without a label
    are left out."""
    return labels_of(store, body.iris, body.lang)


@router.get("/api/labels", include_in_schema=True, tags=["entities"], summary="Name IRIs")
def get_labels(
    store: StoreDep,
    iri: Annotated[list[str], Query(max_length=200, description="IRIs to name.")],
    lang: Annotated[LabelLanguage, Query(description="Label language.")] = "en",
) -> dict[str, str]:
    """As ``POST /api/labels``, for a few IRIs in the URL."""
    return labels_of(store, iri, lang)
