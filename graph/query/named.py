"""Named queries: the competency questions in ``graph/queries/*.rq``, shared by CLI, API and views.

A named query is a SPARQL file whose first comment lines say what it answers and which
parameters it takes::

    # question: Which frameworks is an actor a member of, and in what role?
    # param: actor slug — the actor (for example kor)
    SELECT ?actor ?framework ?role WHERE { … }

A parameter kind is ``slug`` (bound as the entity IRI), ``string`` or ``integer``. Values
are bound with Oxigraph's substitutions, never spliced into the query text, so each
parameter variable must appear in the query's projection (``SELECT ?actor …`` or ``*``).
A parameter that is not given stays a free variable.

>>> from graph import QUERIES_DIR
>>> query = NamedQuery.parse(
...     "members",
...     "# question: Who is a member of a framework?\\n"
...     "# param: framework slug — the framework\\n"
...     "SELECT ?framework ?member WHERE { ?member pg:memberOf ?framework }",
... )
>>> query.question, [p.name for p in query.params]
('Who is a member of a framework?', ['framework'])
>>> query.bind({"framework": "ip4"})["framework"]
<NamedNode value=https://w3id.org/policygraph/id/ip4>
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import UsageError
from graph.iris import entity_iri, is_slug
from graph.store.port import GraphStore, QueryResult

__all__ = ["NamedQuery", "Parameter", "load_named_queries", "run_named_query"]

_HEADER = re.compile(r"^#\s*(question|param):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<kind>slug|string|integer)\s*[—-]+\s*(?P<doc>.*)$"
)
_INTEGER = re.compile(r"^-?[0-9]{1,12}$")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query."""

    name: str
    kind: str
    description: str

    def term(self, value: str) -> ox.NamedNode | ox.Literal:
        """The RDF term for a user's ``value``.

        :raises UsageError: the value is not a slug / an integer as the kind requires.
        """
        if self.kind == "slug":
            if not is_slug(value):
                raise UsageError(
                    f"parameter {self.name}: {value!r} is not a slug (like kor or aukus-pillar-2)"
                )
            return ox.NamedNode(entity_iri(value))
        if self.kind == "integer":
            if not _INTEGER.match(value):
                raise UsageError(f"parameter {self.name}: {value!r} is not an integer")
            return ox.Literal(
                value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
            )
        return ox.Literal(value)


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file: its name, the question it answers, its parameters and its text."""

    name: str
    question: str
    params: tuple[Parameter, ...]
    sparql: str

    @classmethod
    def parse(cls, name: str, text: str) -> NamedQuery:
        """Read the header comments of a query file.

        :raises UsageError: no ``# question:`` line, or a malformed ``# param:`` line.
        """
        question = ""
        params: list[Parameter] = []
        for line in text.splitlines():
            header = _HEADER.match(line.strip())
            if not header:
                if line.strip() and not line.lstrip().startswith("#"):
                    break
                continue
            key, value = header.groups()
            if key == "question":
                question = value.strip()
                continue
            param = _PARAM.match(value.strip())
            if not param:
                raise UsageError(f"query {name}: malformed parameter line {line.strip()!r}")
            params.append(Parameter(param["name"], param["kind"], param["doc"].strip()))
        if not question:
            raise UsageError(f"query {name}: no '# question:' line")
        return cls(name=name, question=question, params=tuple(params), sparql=text)

    def bind(self, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """The bindings for the given parameter values (missing ones stay free).

        :raises UsageError: an unknown parameter or a value of the wrong kind.
        """
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise UsageError(f"query {self.name} has no parameter {', '.join(unknown)}")
        return {name: known[name].term(value) for name, value in values.items() if value != ""}


def load_named_queries(directory: Path) -> dict[str, NamedQuery]:
    """Every ``*.rq`` file of ``directory``, by name (the file name without ``.rq``)."""
    return {
        path.stem: NamedQuery.parse(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.rq"))
    }


def run_named_query(store: GraphStore, query: NamedQuery, values: Mapping[str, str]) -> QueryResult:
    """Run ``query`` on ``store`` with the parameter ``values`` bound."""
    return store.query(query.sparql, bindings=query.bind(values))
