"""Validating what a change can affect: the focus nodes whose shapes read a changed triple.

A compiled check (:mod:`graph.shacl.compile`) decides about a focus node from the triples
its shape reads: the focus node's own (its types, for the targets; its values, along each
``sh:path``), and, for each value reached, that node's types (``sh:class``) and what the
nested shapes read from it along their paths. :class:`Reach` is what the shapes read: the
predicates followed subject → object (``forward``) and object → subject (``inverse``), and
the most path steps from a focus node to a node whose triples are read (``depth``; a
``sh:class`` reads the types of the node it reaches, so it adds no step).

So a changed triple ``s p o`` can change the verdict only of a focus node within ``depth``
reading steps of ``s`` (a forward read of ``p``, a type, a target by subject) or of ``o``
(an inverse read, a target by object); nothing reads a triple of another predicate.
:func:`validate_changes` finds those focus nodes, copies what their shapes read into a
store in memory — their triples out to ``depth`` steps, the types of the nodes there, and
the class hierarchy — runs the compiled checks there and keeps the results on those focus
nodes. If the data before the change conformed, the data after conforms exactly when
they have no violation: every other focus node reads what it read before.

It gives up (returns ``None``, and the caller validates everything) when the reach cannot
be bounded — a repeated path (``sh:zeroOrMorePath`` …), a shape nested in itself, a shape
left to pySHACL — or when the change touches the class or property hierarchy, or when
the nodes to check or the triples to copy exceed the limits given (a change of ``rdf:type``
on thousands of nodes costs a full validation anyway).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection as RdfList
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from graph.shacl.compile import compile_shapes
from graph.shacl.report import Report
from graph.shacl.run import subclasses, validate_store
from graph.terms import to_rdflib

__all__ = ["Reach", "Unbounded", "reach_of", "validate_changes"]

#: Focus nodes to check at most before a change is validated whole instead.
MAX_FOCUS = 20_000
#: Triples to copy at most before a change is validated whole instead.
MAX_COPIED = 500_000

_TYPE = ox.NamedNode(str(RDF.type))
_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
#: Predicates of the hierarchy: a change of one may change what a class or path means.
_HIERARCHY = {str(RDFS.subClassOf), str(RDFS.subPropertyOf)}
#: Constraints whose values are shapes evaluated on the same node (lists of them, or one).
_SHAPE_LISTS = (SH["or"], SH["and"], SH.xone)
_SHAPE_VALUES = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property)
#: Constraints that read another predicate of the focus node.
_PAIRED = (SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint)
_REPEATS = (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)


class Unbounded(ValueError):
    """The shapes read further than any fixed number of steps (the message says why)."""


@dataclass(frozen=True)
class Reach:
    """What the shapes read around a focus node (see the module's docstring)."""

    depth: int
    forward: frozenset[str]
    inverse: frozenset[str]
    #: ``sh:targetSubjectsOf`` and ``sh:targetObjectsOf`` predicates.
    subjects_of: frozenset[str]
    objects_of: frozenset[str]

    def reads(self, predicate: str) -> bool:
        """Whether some shape reads triples of ``predicate`` (types are always read)."""
        return predicate == str(RDF.type) or predicate in (
            self.forward | self.inverse | self.subjects_of | self.objects_of
        )


def reach_of(shapes: rdflib.Graph) -> Reach:
    """What ``shapes`` read around a focus node.

    :raises Unbounded: a path repeats, or a shape is nested in itself.
    """
    return _reach(shapes, len(shapes))  # the size stands for the graph's version


@functools.lru_cache(maxsize=4)
def _reach(shapes: rdflib.Graph, _size: int) -> Reach:
    forward: set[str] = set()
    inverse: set[str] = set()
    for path in shapes.objects(None, SH.path):
        _path_predicates(shapes, path, forward, inverse, inverted=False)
    for paired in _PAIRED:
        forward |= {str(p) for p in shapes.objects(None, paired)}
    targeted = {s for t in (SH.targetClass, SH.targetNode) for s in shapes.subjects(t, None)}
    targeted |= {s for t in (SH.targetSubjectsOf, SH.targetObjectsOf) for s in shapes.subjects(t)}
    depth = max((_depth(shapes, shape, frozenset()) for shape in targeted), default=0)
    return Reach(
        depth=depth,
        forward=frozenset(forward),
        inverse=frozenset(inverse),
        subjects_of=frozenset(str(p) for p in shapes.objects(None, SH.targetSubjectsOf)),
        objects_of=frozenset(str(p) for p in shapes.objects(None, SH.targetObjectsOf)),
    )


def _path_predicates(
    shapes: rdflib.Graph, path: Node, forward: set[str], inverse: set[str], *, inverted: bool
) -> None:
    """Add the predicates of ``path`` to ``forward`` or ``inverse`` (swapped if ``inverted``)."""
    if isinstance(path, rdflib.URIRef):
        (inverse if inverted else forward).add(str(path))
        return
    if shapes.value(path, RDF.first) is not None:
        for step in RdfList(shapes, path):
            _path_predicates(shapes, step, forward, inverse, inverted=inverted)
        return
    if (inner := shapes.value(path, SH.inversePath)) is not None:
        _path_predicates(shapes, inner, forward, inverse, inverted=not inverted)
        return
    if (options := shapes.value(path, SH.alternativePath)) is not None:
        for option in RdfList(shapes, options):
            _path_predicates(shapes, option, forward, inverse, inverted=inverted)
        return
    raise Unbounded(f"the path {path!r} repeats or is not a SHACL path")


def _steps(shapes: rdflib.Graph, path: Node) -> int:
    """The most predicates ``path`` follows from a node to one of its values."""
    if isinstance(path, rdflib.URIRef):
        return 1
    if shapes.value(path, RDF.first) is not None:
        return sum(_steps(shapes, step) for step in RdfList(shapes, path))
    if (inner := shapes.value(path, SH.inversePath)) is not None:
        return _steps(shapes, inner)
    if (options := shapes.value(path, SH.alternativePath)) is not None:
        return max((_steps(shapes, o) for o in RdfList(shapes, options)), default=0)
    if any(shapes.value(path, repeat) is not None for repeat in _REPEATS):
        raise Unbounded(f"the path {path!r} repeats: no number of steps bounds it")
    raise Unbounded(f"unknown SHACL path {path!r}")


def _depth(shapes: rdflib.Graph, shape: Node, inside: frozenset[Node]) -> int:
    """The most steps from the node ``shape`` is evaluated on to a node whose triples it
    reads: its path's, then those of the shapes evaluated on each value."""
    if shape in inside:
        raise Unbounded(f"the shape {shape} is nested in itself")
    inside |= {shape}
    path = shapes.value(shape, SH.path)
    own = _steps(shapes, path) if path is not None else 0
    nested: list[Node] = [n for p in _SHAPE_VALUES for n in shapes.objects(shape, p)]
    for listing in _SHAPE_LISTS:
        for items in shapes.objects(shape, listing):
            nested += list(RdfList(shapes, items))
    return own + max((_depth(shapes, n, inside) for n in nested), default=0)


Term = ox.NamedNode | ox.BlankNode


def validate_changes(
    store: ox.Store,
    shapes: rdflib.Graph,
    changed: Iterable[ox.Quad],
    graphs: Collection[ox.NamedNode] | None = None,
    *,
    max_focus: int = MAX_FOCUS,
    max_copied: int = MAX_COPIED,
) -> Report | None:
    """The results, on the focus nodes a change can affect, of validating ``store`` (the
    data after the change, read in ``graphs`` only, all by default) against ``shapes``;
    ``None`` if the change cannot be bounded (see the module's docstring).

    :param changed: the quads added and the quads removed.
    """
    try:
        reach = reach_of(shapes)
    except Unbounded:
        return None
    view = _View(store, graphs)
    seeds: set[Term] = set()
    for quad in changed:
        predicate = quad.predicate.value
        if predicate in _HIERARCHY:
            return None
        if not reach.reads(predicate):
            continue
        if predicate in reach.forward | reach.subjects_of or quad.predicate == _TYPE:
            seeds.add(quad.subject)  # type: ignore[arg-type]
        if predicate in reach.inverse | reach.objects_of and _is_node(quad.object):
            seeds.add(quad.object)  # type: ignore[arg-type]
    focus = _readers(view, seeds, reach, max_focus)
    if focus is None:
        return None
    copied = _what_they_read(view, focus, reach, max_copied)
    if copied is None:
        return None
    region = ox.Store()
    region.extend(copied)
    compiled = compile_shapes(shapes, subclasses(region))
    if compiled.fallback:
        return None
    report = validate_store(region, shapes)
    wanted = {to_rdflib(node) for node in focus}
    report.results = {r for r in report.results if r.focus in wanted}
    return report


class _View:
    """The quads of ``store`` in ``graphs`` (all if ``None``)."""

    def __init__(self, store: ox.Store, graphs: Collection[ox.NamedNode] | None) -> None:
        self.store = store
        self.graphs = None if graphs is None else set(graphs)

    def quads(
        self, subject: Term | None, predicate: ox.NamedNode | None, obj: Term | None
    ) -> Iterable[ox.Quad]:
        for quad in self.store.quads_for_pattern(subject, predicate, obj):
            if self.graphs is None or quad.graph_name in self.graphs:
                yield quad


def _is_node(term: object) -> bool:
    return isinstance(term, ox.NamedNode | ox.BlankNode)


def _readers(view: _View, seeds: set[Term], reach: Reach, limit: int) -> set[Term] | None:
    """The nodes within ``reach.depth`` reading steps before a seed: the focus nodes that
    may read a changed triple; ``None`` past ``limit`` of them."""
    found, frontier = set(seeds), set(seeds)
    for _ in range(reach.depth):
        before: set[Term] = set()
        for node in frontier:
            for predicate in reach.forward:  # reader --predicate--> node
                before |= {q.subject for q in view.quads(None, ox.NamedNode(predicate), node)}  # type: ignore[misc]
            for predicate in reach.inverse:  # node --predicate--> reader
                before |= {
                    q.object  # type: ignore[misc]
                    for q in view.quads(node, ox.NamedNode(predicate), None)
                    if _is_node(q.object)
                }
            if len(found | before) > limit:
                return None
        frontier = before - found
        found |= before
    return found


def _what_they_read(
    view: _View, focus: set[Term], reach: Reach, limit: int
) -> list[ox.Quad] | None:
    """Every quad the shapes read from the ``focus`` nodes, with the class hierarchy;
    ``None`` past ``limit`` quads."""
    copied: dict[ox.Quad, None] = dict.fromkeys(view.quads(None, _SUBCLASS, None))
    inverse = reach.inverse | reach.objects_of
    seen, frontier = set(focus), set(focus)
    for step in range(reach.depth + 1):
        after: set[Term] = set()
        for node in frontier:
            for quad in view.quads(node, None, None):  # its types, values, labels …
                copied[quad] = None
                if quad.predicate.value in reach.forward and _is_node(quad.object):
                    after.add(quad.object)  # type: ignore[arg-type]
            if step < reach.depth or step == 0:  # step 0: the targets by object too
                for predicate in inverse:
                    for quad in view.quads(None, ox.NamedNode(predicate), node):
                        copied[quad] = None
                        after.add(quad.subject)  # type: ignore[arg-type]
            if len(copied) > limit:
                return None
        frontier = after - seen
        seen |= after
    return list(copied)
