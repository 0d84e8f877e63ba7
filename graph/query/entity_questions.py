"""The named queries that take an entity, offered on its page with their answer counts.

A query's parameter says what it takes by its name: ``actor`` takes a ``pg:Actor``,
``framework`` a ``pg:Framework`` … (the class of the same name); ``entity`` and ``subject``
take anything, and are offered only where they have an answer. A query without parameters
that names the entity in its text (``id:jk-vision-group``) is about it too. Counts are the rows each
query gives, computed once per served store and entity and kept in its memo
(:class:`graph.memo.Memo`; the most recent 8,192 counts).

>>> from graph.query.named import NamedQuery
>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { id:kor a pg:Actor ; pg:memberOf id:ip4 } }')
>>> q = NamedQuery.parse("actor-frameworks", "# question: Which frameworks?\\n"
...     "# param: actor slug — x\\nSELECT ?actor ?f WHERE { ?actor pg:memberOf ?f }")
>>> [(a.query, a.param, a.count) for a in questions_for(s, {q.name: q}, "kor", {"Actor"})]
[('actor-frameworks', 'actor', 1)]
>>> questions_for(s, {q.name: q}, "ip4", {"Framework"})
[]
>>> about = NamedQuery.parse("korea", "# question: Korea?\\nSELECT ?f WHERE { id:kor pg:memberOf ?f }")
>>> [(a.query, a.param, a.count) for a in questions_for(s, {"korea": about}, "kor", set())]
[('korea', None, 1)]
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Collection, Mapping

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.errors import QuerySyntaxError
from graph.memo import Memo
from graph.query.about import about_text, entity
from graph.query.named import NamedQuery, run_named_query
from graph.store.port import GraphStore, QueryResult

__all__ = ["EntityQuestion", "questions_for"]

#: Parameters that take any entity: offered only when they answer something.
_ANY = frozenset({"entity", "subject"})
#: Counts kept per store (entities).
_KEEP = 1024


class EntityQuestion(BaseModel):
    """A named query to ask about one entity, and how many rows it answers."""

    model_config = ConfigDict(frozen=True)

    query: str
    question: str
    #: The parameter the entity is given to; ``None``: the query names the entity itself.
    param: str | None = None
    count: int


class _Counts:
    """Answer counts by (query, the digest of its text, entity), the most recent ``keep``
    of them. Kept with the warm caches (:mod:`serving.warm_cache`): the text's digest keeps
    a count from outliving a change to its query."""

    def __init__(self, keep: int = _KEEP * 8) -> None:
        self.keep = keep
        self._kept: OrderedDict[tuple[str, str, str], int] = OrderedDict()
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, object]:
        with self._lock:  # a request may count meanwhile
            return {"keep": self.keep, "_kept": OrderedDict(self._kept)}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> int | None:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
            return None

    def put(self, key: tuple[str, str, str], count: int) -> None:
        with self._lock:
            self._kept[key] = count
            while len(self._kept) > self.keep:
                self._kept.popitem(last=False)


def questions_for(
    store: GraphStore,
    queries: Mapping[str, NamedQuery],
    slug: str,
    types: Collection[str],
    memo: Memo | None = None,
) -> list[EntityQuestion]:
    """The named queries whose one parameter takes the entity ``slug`` (of the ``pg:``
    classes ``types``), with their answer counts (kept in ``memo``); most answers first."""
    counts = _Counts() if memo is None else memo.get("entity_question_counts", _Counts)
    found = []
    for query in queries.values():
        if not query.params and re.search(rf"\bid:{re.escape(slug)}(?![\w-])", query.sparql):
            count = _count(store, counts, query, None, slug)
            found.append(EntityQuestion(query=query.name, question=query.question, count=count))
            continue
        if len(query.params) != 1 or query.params[0].kind != "slug":
            continue
        param = query.params[0].name
        if param not in _ANY and param.capitalize() not in types:
            continue
        count = _count(store, counts, query, param, slug)
        if count or param not in _ANY:
            found.append(
                EntityQuestion(query=query.name, question=query.question, param=param, count=count)
            )
    return sorted(found, key=lambda q: (-q.count, q.query))


def _count(
    store: GraphStore, counts: _Counts, query: NamedQuery, param: str | None, slug: str
) -> int:
    key = (query.name, hashlib.sha256(query.sparql.encode()).hexdigest(), slug)
    kept = counts.get(key)
    if kept is not None:
        return kept
    result = _answer(store, query, param, slug)
    count = sum(1 for _ in result) if isinstance(result, ox.QuerySolutions) else 0
    counts.put(key, count)
    return count


def _answer(store: GraphStore, query: NamedQuery, param: str | None, slug: str) -> QueryResult:
    """The answer of ``query`` with the entity given to ``param``: its IRI written into the
    query (:mod:`graph.query.about`), so the engine starts from it — a bound parameter was
    applied after planning, and a hub's counts read every membership and proposal of the
    store (2.7 s for an actor's page at 1M triples). A query that cannot be so written is
    run with the parameter bound, as the query pages run it."""
    if param is not None:
        try:
            return store.query(_unordered(about_text(query.sparql, param, entity(slug))))
        except QuerySyntaxError:
            pass
    return run_named_query(query, store, {param: slug} if param else {})


#: A query's end that is an ORDER BY alone: no LIMIT or OFFSET (the rows counted depend on
#: those), no group, string or comment (where a brace or keyword could hide).
_ORDER_ONLY = re.compile(r"\s*ORDER\s+BY\b[^{}\"'#]*\Z", re.IGNORECASE)
_LIMITED = re.compile(r"\b(?:LIMIT|OFFSET)\b", re.IGNORECASE)


def _unordered(sparql: str) -> str:
    """``sparql`` without the ORDER BY it ends with, when that is all that follows its
    WHERE group: the rows are counted, and sorting them took a third of a hub's counts at
    1M triples (an actor's proposals: 1.1 CPU s ordered, 0.36 s not). Any other query is
    returned as it is.

    >>> _unordered("SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a (STR(?b))")
    'SELECT ?a WHERE { ?a ?b ?c }'
    >>> _unordered("SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a LIMIT 3")
    'SELECT ?a WHERE { ?a ?b ?c } ORDER BY ?a LIMIT 3'
    """
    end = sparql.rfind("}")
    tail = sparql[end + 1 :]
    if end < 0 or not _ORDER_ONLY.match(tail) or _LIMITED.search(tail):
        return sparql
    return sparql[: end + 1]
