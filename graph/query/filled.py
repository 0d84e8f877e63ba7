"""A named query with its parameters written into the text, for the SPARQL workbench.

The API binds parameters through Oxigraph (:func:`graph.query.named.run_named_query`); the
workbench runs text, so a chosen value goes in as an inline ``VALUES`` at the start of the
query's first ``WHERE`` group — inside the group, so its filters see the value, as they do
a bound one. Values are checked (a slug, an integer) or escaped (text) before they go in.

>>> q = NamedQuery.parse("m", "# param: actor slug — x\\nSELECT ?actor ?f WHERE { ?actor pg:memberOf ?f }")
>>> print(filled_text(q, {"actor": "kor"}))
# param: actor slug — x
SELECT ?actor ?f WHERE {
  VALUES (?actor) { (id:kor) }
 ?actor pg:memberOf ?f }
>>> filled_text(q, {"actor": "Not A Slug"})
Traceback (most recent call last):
...
graph.errors.UsageError: actor must be an entity slug: 'Not A Slug' is not a slug (lowercase kebab-case)
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from graph.errors import UnknownEntityError, UsageError
from graph.query.bound import entity
from graph.query.named import NamedQuery, QueryParam

__all__ = ["example_values", "filled_text"]

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_EXAMPLE = re.compile(r"for example ([A-Za-z0-9-]+)")


def example_values(query: NamedQuery) -> dict[str, str]:
    """Each parameter's example value, read from its description ("for example kor")."""
    found = {}
    for param in query.params:
        if match := _EXAMPLE.search(param.description):
            found[param.name] = match.group(1)
    return found


def filled_text(query: NamedQuery, values: Mapping[str, str]) -> str:
    """``query``'s text with ``values`` (parameter → value) as an inline ``VALUES``;
    parameters without a value stay open.

    :raises UsageError: a value has the wrong form for its parameter.
    """
    given = [p for p in query.params if values.get(p.name)]
    if not given:
        return query.sparql
    names = " ".join(f"?{p.name}" for p in given)
    row = " ".join(_term(p, values[p.name]) for p in given)
    clause = f"\n  VALUES ({names}) {{ ({row}) }}\n"
    return _WHERE.sub(lambda m: m.group(0) + clause, query.sparql, count=1)


def _term(param: QueryParam, value: str) -> str:
    if param.kind == "integer":
        if not re.fullmatch(r"-?[0-9]{1,18}", value):
            raise UsageError(f"{param.name} must be an integer, not {value!r}")
        return value
    if param.kind == "text":
        return '"' + value.translate(_ESCAPES) + '"'
    try:
        entity(value)  # a slug, so id:slug is a well-formed prefixed name
        return f"id:{value}"
    except UnknownEntityError as exc:
        raise UsageError(f"{param.name} must be an entity slug: {exc}") from exc
