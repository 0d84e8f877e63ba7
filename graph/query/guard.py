"""The guard a query passes before it runs: nothing that reaches outside the dataset.

``SERVICE`` and ``LOAD`` would make the server fetch an arbitrary URL, and so would
``FROM``/``FROM NAMED`` with an IRI that is not one of the dataset's named graphs; updates
are refused on a read-only endpoint. The check reads tokens (:mod:`graph.query.lexer`), so
the same words inside a string literal, an IRI or a comment are left alone.

>>> shape = guard_query('SELECT ?s FROM <urn:g> WHERE { ?s ?p "SERVICE" }', {"urn:g"})
>>> shape.form, shape.default_graphs
('SELECT', ('urn:g',))
>>> guard_query("SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }", set())
Traceback (most recent call last):
...
graph.errors.QueryRefusedError: SERVICE is not allowed: this endpoint never queries other servers
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import urljoin

from graph.errors import QueryRefusedError, UpdateRefusedError
from graph.iris import PREFIXES
from graph.query.lexer import Token, tokens

__all__ = ["QueryForm", "QueryShape", "guard_query", "inspect_query"]

QueryForm = Literal["SELECT", "CONSTRUCT", "DESCRIBE", "ASK"]

_FORMS: frozenset[str] = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
_UPDATES: frozenset[str] = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


@dataclass(frozen=True)
class QueryShape:
    """What the tokens of a query say about it, before any parsing.

    ``form`` is ``None`` when no query form keyword comes first (an update, or garbage the
    parser will reject). ``default_graphs``/``named_graphs`` (the ``FROM`` and ``FROM NAMED``
    IRIs) keep a prefixed name they cannot resolve as written.
    """

    form: QueryForm | None
    first_keyword: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    keywords: frozenset[str]

    @property
    def is_update(self) -> bool:
        """Whether the text starts like a SPARQL update."""
        return self.first_keyword in _UPDATES


#: Queries up to this many characters have their shape remembered (the last
#: :data:`_REMEMBERED` of them): dashboards and scripts send the same text again and again,
#: and reading its tokens in Python was a tenth of a small query's time. Longer texts are
#: read each time, so the memory kept stays small (at most about 4 MB).
_CACHEABLE_CHARS = 8 * 1024
_REMEMBERED = 512


def inspect_query(sparql: str) -> QueryShape:
    """Read the form, the ``FROM``/``FROM NAMED`` graphs and the keywords of ``sparql``.

    >>> inspect_query("PREFIX ex: <urn:ex:> ASK FROM NAMED ex:g { ?s ?p ?o }").named_graphs
    ('urn:ex:g',)
    >>> inspect_query("insert data { <a> <b> <c> }").is_update
    True
    """
    if len(sparql) <= _CACHEABLE_CHARS:
        return _remembered_shape(sparql)
    return _shape(sparql)


@lru_cache(maxsize=_REMEMBERED)
def _remembered_shape(sparql: str) -> QueryShape:
    return _shape(sparql)


def _shape(sparql: str) -> QueryShape:
    prefixes = dict(PREFIXES)
    base: str | None = None
    form: QueryForm | None = None
    first: str | None = None
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    keywords: set[str] = set()
    stream = list(tokens(sparql))
    for index, token in enumerate(stream):
        if token.kind != "word" or ":" in token.text:
            continue
        word = token.upper
        keywords.add(word)
        following = stream[index + 1 : index + 4]
        if word == "PREFIX" and len(following) >= 2 and following[1].kind == "iri":
            prefixes[following[0].text.rstrip(":")] = _resolve(following[1].text[1:-1], base)
            continue
        if word == "BASE" and following and following[0].kind == "iri":
            base = _resolve(following[0].text[1:-1], base)
            continue
        if first is None and word not in {"PREFIX", "BASE"}:
            first = word
            if word in _FORMS:
                form = word  # type: ignore[assignment]
        if word == "FROM" and following:
            if following[0].kind == "word" and following[0].upper == "NAMED":
                target, into = following[1:2], named_graphs
            else:
                target, into = following[:1], default_graphs
            into.append(_graph_iri(target[0] if target else None, prefixes, base))
    return QueryShape(
        form=form,
        first_keyword=first,
        default_graphs=tuple(default_graphs),
        named_graphs=tuple(named_graphs),
        keywords=frozenset(keywords),
    )


def guard_query(sparql: str, dataset_graphs: Collection[str]) -> QueryShape:
    """Check ``sparql`` may run on a read-only dataset of ``dataset_graphs``; its shape.

    :raises UpdateRefusedError: the text is a SPARQL update (other than ``LOAD``).
    :raises QueryRefusedError: ``SERVICE``, ``LOAD``, or ``FROM``/``FROM NAMED`` with an
        IRI that is not a named graph of the dataset.
    """
    shape = inspect_query(sparql)
    if "SERVICE" in shape.keywords:
        raise QueryRefusedError("SERVICE is not allowed: this endpoint never queries other servers")
    if "LOAD" in shape.keywords:
        raise QueryRefusedError("LOAD is not allowed: this endpoint never fetches documents")
    if shape.is_update:
        raise UpdateRefusedError(
            f"{shape.first_keyword} is an update: this endpoint serves the graph read-only"
        )
    for iri in (*shape.default_graphs, *shape.named_graphs):
        if iri not in dataset_graphs:
            raise QueryRefusedError(
                f"FROM {iri} is not allowed: name one of the dataset's graphs "
                f"({', '.join(sorted(dataset_graphs)) or 'none'})"
            )
    return shape


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri


def _graph_iri(token: Token | None, prefixes: dict[str, str], base: str | None) -> str:
    """The IRI a ``FROM`` names, as far as tokens tell (an unresolvable name stays as is)."""
    if token is None:
        return ""
    if token.kind == "iri":
        return _resolve(token.text[1:-1], base)
    prefix, colon, local = token.text.partition(":")
    if colon and prefix in prefixes:
        return prefixes[prefix] + local
    return token.text
