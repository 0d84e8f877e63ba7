"""The ``pg:`` class hierarchy, for filtering the projection's nodes by a class or a superclass.

The projection gives each node its most specific class only (``Minilateral``); a filter by
``Framework`` or ``Actor`` must also match the subclasses. The hierarchy is read once from the
ontology file (it does not depend on the data).

>>> "Framework" in superclasses("Minilateral")
True
>>> type_filter(["framework"])("Minilateral"), type_filter(["Country"])("Minilateral")
(True, False)
>>> type_filter(None)("Anything")
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from graph.errors import UsageError
from graph.iris import ONTOLOGY_NS
from ontology import ONTOLOGY_FILE

__all__ = ["known_classes", "superclasses", "type_filter"]

_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


@functools.cache
def _broader() -> dict[str, frozenset[str]]:
    """Every ``pg:`` class with its ``pg:`` superclasses (transitively), by local name."""
    direct: dict[str, set[str]] = {}
    with ONTOLOGY_FILE.open("rb") as turtle:
        for triple in ox.parse(turtle, format=ox.RdfFormat.TURTLE):
            s, p, o = triple.subject, triple.predicate, triple.object
            if (
                p.value == _SUBCLASS_OF
                and isinstance(s, ox.NamedNode)
                and isinstance(o, ox.NamedNode)
                and s.value.startswith(ONTOLOGY_NS)
            ):
                narrower = s.value[len(ONTOLOGY_NS) :]
                direct.setdefault(narrower, set())
                if o.value.startswith(ONTOLOGY_NS):
                    direct[narrower].add(o.value[len(ONTOLOGY_NS) :])
    closed: dict[str, frozenset[str]] = {}
    for name in direct:
        seen: set[str] = set()
        todo = list(direct[name])
        while todo:
            cls = todo.pop()
            if cls not in seen:
                seen.add(cls)
                todo.extend(direct.get(cls, ()))
        closed[name] = frozenset(seen)
    return closed


def superclasses(name: str) -> frozenset[str]:
    """The ``pg:`` superclasses of the class ``name`` (a local name), not ``name`` itself."""
    return _broader().get(name, frozenset())


def known_classes() -> frozenset[str]:
    """Every ``pg:`` class that is a subclass or a superclass of another, by local name."""
    broader = _broader()
    return frozenset(broader).union(*broader.values())


def type_filter(types: Iterable[str] | None) -> Callable[[str], bool]:
    """A test of a node's ``type``: true if it is, or is a subclass of, one of ``types``.

    Class names are matched without regard to case (``country``, ``Framework``). No types (or
    ``None``) keeps everything.

    :raises UsageError: a name is not a ``pg:`` class.
    """
    by_lower = {name.lower(): name for name in known_classes()}
    wanted: set[str] = set()
    for given in types or ():
        name = by_lower.get(given.strip().lower())
        if name is None:
            raise UsageError(
                f"unknown class {given!r}; choose a pg: class such as Country, Framework, Actor"
            )
        wanted.add(name)
    if not wanted:
        return lambda _type: True
    return lambda node_type: node_type in wanted or bool(wanted & superclasses(node_type))
