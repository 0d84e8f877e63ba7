"""The named queries that take an entity, offered on its page with their answer counts.

A query's parameter says what it takes by its name: ``actor`` takes a ``pg:Actor``,
``framework`` a ``pg:Framework`` … (the class of the same name); ``entity`` and ``subject``
take anything, and are offered only where they have an answer. A query without parameters
that names the entity in its text (``id:jk-vision-group``) is about it too. Counts are the rows each
query gives, computed once per store and entity and kept (a rebuilt store is a new store).

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

import re
import threading
from collections import OrderedDict
from collections.abc import Collection, Mapping
from weakref import WeakKeyDictionary

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict

from graph.query.named import NamedQuery, run_named_query
from graph.store.port import GraphStore

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


_counts: WeakKeyDictionary[GraphStore, OrderedDict[tuple[str, str], int]] = WeakKeyDictionary()
_lock = threading.Lock()


def questions_for(
    store: GraphStore, queries: Mapping[str, NamedQuery], slug: str, types: Collection[str]
) -> list[EntityQuestion]:
    """The named queries whose one parameter takes the entity ``slug`` (of the ``pg:``
    classes ``types``), with their answer counts; most answers first."""
    found = []
    for query in queries.values():
        if not query.params and re.search(rf"\bid:{re.escape(slug)}(?![\w-])", query.sparql):
            count = _count(store, query, None, slug)
            found.append(EntityQuestion(query=query.name, question=query.question, count=count))
            continue
        if len(query.params) != 1 or query.params[0].kind != "slug":
            continue
        param = query.params[0].name
        if param not in _ANY and param.capitalize() not in types:
            continue
        count = _count(store, query, param, slug)
        if count or param not in _ANY:
            found.append(
                EntityQuestion(query=query.name, question=query.question, param=param, count=count)
            )
    return sorted(found, key=lambda q: (-q.count, q.query))


def _count(store: GraphStore, query: NamedQuery, param: str | None, slug: str) -> int:
    key = (query.name, slug)
    with _lock:
        kept = _counts.setdefault(store, OrderedDict())
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    result = run_named_query(query, store, {param: slug} if param else {})
    count = sum(1 for _ in result) if isinstance(result, ox.QuerySolutions) else 0
    with _lock:
        kept[key] = count
        while len(kept) > _KEEP * 8:
            kept.popitem(last=False)
    return count
