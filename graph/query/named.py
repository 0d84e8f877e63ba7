"""Named queries: the ``.rq`` files of ``graph/queries/``, shared by the CLI, API and views.

A file starts with comment lines that say what it answers and which parameters it takes::

    # question: Which frameworks is an actor a member of?
    # param: actor slug — the actor (for example kor)
    SELECT ?actor ?framework WHERE { ?actor pg:memberOf ?framework }

A parameter is a ``?name`` variable of the query (a SELECT projects it). Its kind follows
its name: ``slug`` (the default when none is given: an entity slug, bound as the entity's
IRI), ``integer`` or ``text`` (a plain string); ``name (kind)`` is read too. Values are
bound by Oxigraph, never put in the text.

>>> q = NamedQuery.parse("m", "# question: Who?\\n# param: f slug — a framework\\n"
...                     "# param: year integer — a year\\n# param: t — a topic\\nSELECT * {}")
>>> q.question, [(p.name, p.kind, p.description) for p in q.params]
('Who?', [('f', 'slug', 'a framework'), ('year', 'integer', 'a year'), ('t', 'slug', 'a topic')])
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.errors import UnknownEntityError, UsageError
from graph.query.bound import entity, query_bound
from graph.store.port import GraphStore, QueryResult

__all__ = ["NamedQuery", "QueryParam", "load_named_queries", "run_named_query"]

ParamKind = Literal["slug", "text", "integer"]

_QUESTION = re.compile(r"^#\s*question:\s*(?P<text>.+?)\s*$")
# ``# param: name — text``, ``# param: name (integer) — text`` or ``# param: name integer — text``;
# ``string`` is accepted for ``text``.
_PARAM = re.compile(
    r"^#\s*param:\s*(?P<name>[A-Za-z_]\w*)\s*"
    r"(?:\(?(?P<kind>slug|text|string|integer)\)?)?"
    r"\s*(?:[—–:-]+\s*(?P<text>.*?))?\s*$"
)
_KINDS: dict[str, ParamKind] = {
    "slug": "slug",
    "text": "text",
    "string": "text",
    "integer": "integer",
}
_NAME = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")


class QueryParam(BaseModel):
    """A parameter of a named query."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: ParamKind = "slug"
    description: str = ""


class NamedQuery(BaseModel):
    """A named query: its name (the file's stem), question, parameters and text."""

    model_config = ConfigDict(frozen=True)

    name: str
    question: str
    params: list[QueryParam]
    sparql: str

    @classmethod
    def parse(cls, name: str, text: str) -> NamedQuery:
        """Read the header comments of a ``.rq`` file's ``text``."""
        question = ""
        params: list[QueryParam] = []
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped:
                continue
            if not stripped.startswith("#"):
                break
            if match := _QUESTION.match(stripped):
                question = match["text"]
            elif match := _PARAM.match(stripped):
                params.append(
                    QueryParam(
                        name=match["name"],
                        kind=_KINDS[match["kind"] or "slug"],
                        description=match["text"] or "",
                    )
                )
        return cls(name=name, question=question, params=params, sparql=text)


def load_named_queries(directory: Path) -> dict[str, NamedQuery]:
    """The named queries in ``directory`` (``*.rq``), by name; none if it does not exist."""
    if not directory.is_dir():
        return {}
    return {
        path.stem: NamedQuery.parse(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.rq"))
        if _NAME.match(path.stem)
    }


def run_named_query(query: NamedQuery, store: GraphStore, values: Mapping[str, str]) -> QueryResult:
    """Run ``query`` with ``values`` (parameter name → text) bound to its parameters.

    :raises UsageError: a parameter is missing, unknown, or its value has the wrong form.
    """
    declared = {param.name: param for param in query.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise UsageError(
            f"{query.name} takes no parameter {', '.join(unknown)}; "
            f"it takes {', '.join(declared) or 'none'}"
        )
    missing = [name for name in declared if name not in values]
    if missing:
        raise UsageError(f"{query.name} needs the parameter(s) {', '.join(missing)}")
    bindings = {name: _term(declared[name], value) for name, value in values.items()}
    return query_bound(store, query.sparql, bindings)


def _term(param: QueryParam, value: str) -> ox.NamedNode | ox.Literal:
    if param.kind == "text":
        return ox.Literal(value)
    if param.kind == "integer":
        if not re.fullmatch(r"-?[0-9]{1,18}", value):
            raise UsageError(f"{param.name} must be an integer, not {value!r}")
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    try:
        return entity(value)
    except UnknownEntityError as exc:
        raise UsageError(f"{param.name} must be an entity slug: {exc}") from exc
