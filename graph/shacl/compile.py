"""SHACL Core shapes compiled to SPARQL SELECTs that find their violations.

The constraints of a shape that has targets become :class:`Check` s: SELECTs whose rows are
the focus nodes (``?focus``) that violate a constraint and, where pySHACL reports one, the
value (``?value``). Each constraint is a :class:`Finding` with the source shape, path,
severity and messages pySHACL would give and the flag that marks its rows: the constraints
of a shape on the values of its paths share one query, and its counts another, which read
the focus nodes once. Shapes nested in ``sh:or``, ``sh:and``, ``sh:not``, ``sh:xone``,
``sh:node`` and ``sh:qualifiedValueShape`` become boolean SPARQL expressions (``EXISTS`` …)
that say whether a node conforms.

The checks follow pySHACL 0.40's reading of SHACL Core, including where it is stricter or
looser than the specification: a typed literal's well-formedness is checked only for the
datatypes rdflib converts to Python values (``"x"^^xsd:gYear`` passes, as in pySHACL); a
pattern is searched in the string form of IRIs and literals, a blank node never matches;
``sh:languageIn`` accepts a tag whose first part is listed. Python's ``re`` and SPARQL's
REGEX differ in a few corners: a pattern with a look-around is translated only in the form
``^(?!…)`` (a string that does not start with …); any other look-around or back-reference
makes the shape fall back to pySHACL.

A named shape using anything the compiler does not know (SHACL-SPARQL, ``sh:closed``,
``sh:equals``, a shape without ``sh:message`` whose generic message pySHACL would write …)
is not compiled: it is listed in :attr:`CompiledShapes.fallback` with the reason.

>>> from ontology import SHAPES_FILE
>>> compiled = compile_shapes(rdflib.Graph().parse(SHAPES_FILE), subclasses={})
>>> len(compiled.checks) > 50, compiled.fallback
(True, {})
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Set
from dataclasses import dataclass, field

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from graph.shacl.paths import UnsupportedPath, sparql_path

__all__ = ["Check", "CompiledShapes", "Finding", "Unsupported", "compile_shapes"]


class Unsupported(ValueError):
    """A shape uses something the compiler does not translate (the message says what)."""


@dataclass(frozen=True)
class Finding:
    """What one constraint reports on the rows of a :class:`Check` where it is violated."""

    #: The named shape that holds the constraint (what the report is attributed to).
    owner: Node
    #: The shape that states the constraint: pySHACL's ``sh:sourceShape``.
    shape: Node
    #: The constraint parameter, e.g. ``sh:minCount`` (for reading and profiling).
    component: rdflib.URIRef
    path: Node | None
    severity: Node
    messages: tuple[rdflib.Literal, ...]
    #: The boolean variable (without ``?``) true on the rows that violate the constraint;
    #: None when every row does.
    flag: str | None
    #: Whether the row's ``?value`` is the result's value (pySHACL gives none for counts).
    has_value: bool


@dataclass(frozen=True)
class Check:
    """A SPARQL SELECT of ``?focus`` (and ``?value``) rows that violate the constraints of
    :attr:`findings`: the constraints of a shape on its paths' values share one query (its
    counts another), which walks the focus nodes and their values once."""

    sparql: str
    findings: tuple[Finding, ...]

    @property
    def name(self) -> str:
        """What the check is, for a profile: its shape, paths and constraint components
        (``PassageShape lineEnd,quote datatype,maxLength``)."""
        paths = sorted(
            {
                _local(f.path) if isinstance(f.path, rdflib.URIRef) else "(path)"
                for f in self.findings
                if f.path is not None
            }
        )
        components = sorted({_local(f.component) for f in self.findings})
        where = ",".join(paths) or "(node)"
        return f"{_local(self.findings[0].owner)} {where} {','.join(components)}"


def _local(term: Node) -> str:
    """The last part of an IRI (after ``#`` or ``/``), or the term as written."""
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if isinstance(term, rdflib.URIRef) else text


@dataclass
class CompiledShapes:
    """The checks of every compiled shape, and the named shapes left to pySHACL."""

    checks: list[Check] = field(default_factory=list)
    fallback: dict[Node, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- vocabulary

_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
#: Predicates of a shape that state no constraint.
_NOT_CONSTRAINTS = {
    RDF.type, RDFS.label, RDFS.comment, RDFS.isDefinedBy, RDFS.seeAlso,
    SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
    SH.path, SH.property, SH.flags, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint, *_TARGETS,
}  # fmt: skip
#: Constraints on each value node on its own (for a node shape: on the focus node).
_VALUE_CONSTRAINTS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.minLength, SH.maxLength,
    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH["in"],
    SH.languageIn, SH["or"], SH["and"], SH["not"], SH.xone, SH.node,
}  # fmt: skip
_COMPARISONS = {
    SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<",
}  # fmt: skip
_PAIRS = {SH.lessThan: "<", SH.lessThanOrEquals: "<="}
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
#: Datatypes whose lexical forms rdflib parses (and pySHACL rejects when ill-typed); a
#: SPARQL cast of the lexical form succeeds exactly for the well-formed ones.
_WELL_FORMED = {XSD.integer, XSD.decimal, XSD.boolean, XSD.date, XSD.dateTime, XSD.time,
                XSD.float, XSD.double}  # fmt: skip
_LOOKAROUND = re.compile(r"\(\?<?[=!]|\\[1-9]")
_NOT_STARTING_WITH = re.compile(r"^\^\(\?!(.*)\)$", re.DOTALL)


# --------------------------------------------------------------------------- compiling


def compile_shapes(shapes: rdflib.Graph, subclasses: Mapping[Node, Set[Node]]) -> CompiledShapes:
    """The checks of every shape of ``shapes`` that has a target.

    :param subclasses: every class of the data's class hierarchy with all its subclasses,
        direct or not (:func:`graph.shacl.run.subclasses`): an instance of a class is a
        node typed with the class or one of those. Listing them in the queries, rather
        than following ``rdfs:subClassOf*`` for every node, is what makes the checks fast.
    """
    compiled = CompiledShapes()
    for shape in _targeted_shapes(shapes):
        try:
            compiled.checks += list(_Compiler(shapes, subclasses).shape_checks(shape))
        except (Unsupported, UnsupportedPath) as exc:
            compiled.fallback[shape] = str(exc)
    return compiled


def _targeted_shapes(shapes: rdflib.Graph) -> list[Node]:
    found = {s for target in _TARGETS for s in shapes.subjects(target, None)}
    return sorted(found, key=str)


class _Compiler:
    """Compiles one named shape; holds the counter of fresh SPARQL variables."""

    def __init__(self, shapes: rdflib.Graph, subclasses: Mapping[Node, Set[Node]]) -> None:
        self.g = shapes
        self.subclasses = subclasses
        self._names = itertools.count(1)

    def fresh(self) -> str:
        return f"?v{next(self._names)}"

    def instance_of(self, node: str, cls: Node) -> str:
        """A triple pattern matching iff ``node`` is a SHACL instance of ``cls``."""
        classes = sorted({cls} | set(self.subclasses.get(cls, ())), key=str)
        if len(classes) == 1:
            return f"{node} {RDF.type.n3()} {_term(cls)}"
        name = self.fresh()
        listed = " ".join(_term(c) for c in classes)
        return f"{node} {RDF.type.n3()} {name} VALUES {name} {{ {listed} }}"

    # ----------------------------------------------------------------- top level

    def shape_checks(self, shape: Node) -> Iterator[Check]:
        if (shape, RDF.type, RDFS.Class) in self.g:
            raise Unsupported(f"{shape} is also a class (an implicit class target)")
        if self.g.value(shape, SH.deactivated) is not None:
            raise Unsupported(f"{shape} uses sh:deactivated")
        targets = self.targets(shape)
        path = self.g.value(shape, SH.path)
        if path is None:
            yield from self.node_checks(shape, shape, targets)
        else:  # a property shape with its own targets
            yield from _path_checks(targets, [self.property_parts(shape, [shape], targets)])

    def targets(self, shape: Node) -> str:
        """A group graph pattern binding ``?focus`` to each target of ``shape``."""
        parts = []
        for cls in self.g.objects(shape, SH.targetClass):
            parts.append(f"{{ {self.instance_of('?focus', cls)} }}")
        for node in self.g.objects(shape, SH.targetNode):
            parts.append(f"{{ VALUES ?focus {{ {_term(node)} }} }}")
        for predicate in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?focus {_term(predicate)} [] }}")
        for predicate in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ [] {_term(predicate)} ?focus }}")
        return " UNION ".join(parts)

    def constraints(self, shape: Node) -> list[tuple[rdflib.URIRef, Node]]:
        """The constraint parameters of ``shape`` and their values, in a stable order."""
        found = []
        for predicate, value in self.g.predicate_objects(shape):
            if predicate in _NOT_CONSTRAINTS:
                continue
            if not isinstance(predicate, rdflib.URIRef) or not (
                predicate in _VALUE_CONSTRAINTS
                or predicate in _PAIRS
                or predicate
                in {SH.minCount, SH.maxCount, SH.hasValue, SH.uniqueLang, SH.qualifiedValueShape}
            ):
                raise Unsupported(f"{shape} uses {predicate}, which the compiler does not know")
            found.append((predicate, value))
        return sorted(found, key=lambda pair: (str(pair[0]), str(pair[1])))

    def finding(
        self,
        owner: Node,
        shape: Node,
        component: rdflib.URIRef,
        path: Node | None,
        flag: str | None,
        has_value: bool,
    ) -> Finding:
        messages = tuple(
            m for m in self.g.objects(shape, SH.message) if isinstance(m, rdflib.Literal)
        )
        if not messages:
            raise Unsupported(f"{shape} has no sh:message (pySHACL would write a generic one)")
        return Finding(
            owner=owner,
            shape=shape,
            component=component,
            path=path,
            severity=self.g.value(shape, SH.severity) or SH.Violation,
            messages=messages,
            flag=flag.lstrip("?") if flag else None,
            has_value=has_value,
        )

    def node_checks(self, owner: Node, shape: Node, targets: str) -> Iterator[Check]:
        """The checks of node shape ``shape`` on the focus nodes of ``targets``."""
        binds, findings = [], []
        for predicate, value in self.constraints(shape):
            flag = self.fresh()
            if predicate in _VALUE_CONSTRAINTS:
                test = self.value_test(shape, predicate, value, "?focus")
                has_value = True
            elif predicate == SH.hasValue:
                test, has_value = f"sameTerm(?focus, {_term(value)})", False
            else:
                raise Unsupported(f"{shape}: {predicate} on a node shape")
            binds.append(f"BIND(!({test}) AS {flag})")
            findings.append(self.finding(owner, shape, predicate, None, flag, has_value))
        if findings:
            yield _flagged(f"{targets} BIND(?focus AS ?value)", binds, findings)
        by_path: dict[str, list[Node]] = {}
        for nested in sorted(self.g.objects(shape, SH.property), key=str):
            path_node = self.g.value(nested, SH.path)
            if path_node is None:
                raise Unsupported(f"{nested}: an sh:property without sh:path")
            by_path.setdefault(sparql_path(self.g, path_node), []).append(nested)
        paths = [self.property_parts(owner, same_path, targets) for same_path in by_path.values()]
        yield from _path_checks(targets, paths)

    def property_parts(self, owner: Node, shapes: list[Node], targets: str) -> _OnePath:
        """What the property shapes ``shapes`` (all on the same path) check on the focus nodes
        of ``targets``: tests on each value, counts, and a query for each other constraint."""
        path_node = self.g.value(shapes[0], SH.path)
        if path_node is None:
            raise Unsupported(f"{shapes[0]}: an sh:property without sh:path")
        path = sparql_path(self.g, path_node)
        part = _OnePath(path, counted_as=self.fresh())
        constraints = []
        for shape in shapes:
            if self.g.value(shape, SH.property) is not None:
                raise Unsupported(f"{shape}: sh:property inside a property shape")
            constraints += [(shape, p, v) for p, v in self.constraints(shape)]
        for shape, predicate, value in constraints:

            def found(
                component: rdflib.URIRef, flag: str | None, has_value: bool, shape: Node = shape
            ) -> Finding:
                return self.finding(owner, shape, component, path_node, flag, has_value)

            if predicate in _VALUE_CONSTRAINTS:
                test = self.value_test(shape, predicate, value, "?value")
                part.tests.append((test, found(predicate, self.fresh(), True)))
            elif predicate in (SH.minCount, SH.maxCount):
                bound = _integer(value)
                if predicate == SH.maxCount or bound > 0:
                    operator = "<" if predicate == SH.minCount else ">"
                    test = f"COUNT(DISTINCT {part.counted_as}) {operator} {bound}"
                    part.counts.append((test, found(predicate, self.fresh(), False)))
            elif predicate == SH.qualifiedValueShape:
                if self.g.value(shape, SH.qualifiedValueShapesDisjoint) == rdflib.Literal(True):
                    raise Unsupported(f"{shape}: sh:qualifiedValueShapesDisjoint")
                conforming = self.fresh()
                test = self.conforms(value, part.counted_as)
                part.counted.append(
                    f"BIND(IF({test}, {part.counted_as}, ?unbound) AS {conforming})"
                )
                for parameter, operator in (
                    (SH.qualifiedMinCount, "<"),
                    (SH.qualifiedMaxCount, ">"),
                ):
                    limit = self.g.value(shape, parameter)
                    if limit is not None and (operator == ">" or _integer(limit) > 0):
                        test = f"COUNT(DISTINCT {conforming}) {operator} {_integer(limit)}"
                        part.counts.append((test, found(parameter, self.fresh(), False)))
            else:
                sparql = self.other_sparql(shape, predicate, value, path, targets)
                if sparql is not None:
                    part.others.append(
                        Check(sparql, (found(predicate, None, predicate in _PAIRS),))
                    )
        return part

    def other_sparql(
        self, shape: Node, predicate: rdflib.URIRef, value: Node, path: str, targets: str
    ) -> str | None:
        """The SELECT of a constraint on a property shape that is neither on each value
        nor a count: ``sh:hasValue``, ``sh:uniqueLang``, ``sh:lessThan(OrEquals)``."""
        if predicate == SH.hasValue:
            return f"SELECT ?focus WHERE {{ {targets} FILTER NOT EXISTS {{ ?focus {path} {_term(value)} }} }}"
        if predicate == SH.uniqueLang:
            if value != rdflib.Literal(True):
                return None
            shared = (
                f'SELECT ?focus WHERE {{ ?focus {path} ?a FILTER(LANG(?a) != "") }} '
                "GROUP BY ?focus (LCASE(LANG(?a))) HAVING (COUNT(DISTINCT ?a) > 1)"
            )
            return (
                f"SELECT DISTINCT ?focus WHERE {{ {{ SELECT DISTINCT ?focus WHERE {{ {targets} }} }} "
                f"{{ {shared} }} }}"
            )
        if predicate in _PAIRS:
            compare = _compare("?value", _PAIRS[predicate], "?other")
            return (
                f"SELECT DISTINCT ?focus ?value WHERE {{ {targets} ?focus {path} ?value . "
                f"?focus {_term(value)} ?other FILTER(!{compare}) }}"
            )
        raise Unsupported(f"{shape}: {predicate} on a property shape")

    # ----------------------------------------------------------------- conformance

    def conforms(self, shape: Node, node: str) -> str:
        """A SPARQL expression, true iff the node bound to ``node`` conforms to ``shape``."""
        parts: list[str] = []
        path_node = self.g.value(shape, SH.path)
        path = sparql_path(self.g, path_node) if path_node is not None else None
        for predicate, value in self.constraints(shape):
            parts.append(self.nested_test(shape, predicate, value, node, path))
        for nested in self.g.objects(shape, SH.property):
            if path is not None:
                raise Unsupported(f"{shape}: sh:property inside a property shape")
            parts.append(self.conforms(nested, node))
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def nested_test(
        self, shape: Node, predicate: rdflib.URIRef, value: Node, node: str, path: str | None
    ) -> str:
        """One constraint of a nested shape, as a boolean expression on ``node``."""
        if path is None:
            if predicate in _VALUE_CONSTRAINTS:
                return self.value_test(shape, predicate, value, node)
            if predicate == SH.hasValue:
                return f"sameTerm({node}, {_term(value)})"
            raise Unsupported(f"{shape}: {predicate} on a nested node shape")
        v = self.fresh()
        if predicate in _VALUE_CONSTRAINTS:
            test = self.value_test(shape, predicate, value, v)
            return f"NOT EXISTS {{ {node} {path} {v} FILTER(!({test})) }}"
        if predicate == SH.minCount and _integer(value) <= 1:
            return f"EXISTS {{ {node} {path} {v} }}" if _integer(value) == 1 else "true"
        if predicate == SH.maxCount and _integer(value) == 0:
            return f"NOT EXISTS {{ {node} {path} {v} }}"
        if predicate == SH.hasValue:
            return f"EXISTS {{ {node} {path} {_term(value)} }}"
        if predicate == SH.qualifiedValueShape:
            low = self.g.value(shape, SH.qualifiedMinCount)
            high = self.g.value(shape, SH.qualifiedMaxCount)
            if high is None and low is not None and _integer(low) == 1:
                return f"EXISTS {{ {node} {path} {v} FILTER({self.conforms(value, v)}) }}"
        raise Unsupported(f"{shape}: {predicate} {value} in a nested shape")

    def value_test(self, shape: Node, predicate: rdflib.URIRef, value: Node, v: str) -> str:
        """A SPARQL expression, true iff the value node ``v`` satisfies one constraint."""
        build: Callable[[], str] | None = {
            SH["class"]: lambda: f"EXISTS {{ {self.instance_of(v, value)} }}",
            SH.datatype: lambda: _datatype_test(value, v),
            SH.nodeKind: lambda: _NODE_KINDS[value].format(v=v),
            SH.pattern: lambda: _pattern_test(value, self.g.value(shape, SH.flags), v),
            SH.minLength: lambda: f"(!isBlank({v}) && STRLEN(STR({v})) >= {_integer(value)})",
            SH.maxLength: lambda: f"(!isBlank({v}) && STRLEN(STR({v})) <= {_integer(value)})",
            SH["in"]: lambda: _any(f"sameTerm({v}, {_term(m)})" for m in self.items(value)),
            SH.languageIn: lambda: _language_test(self.items(value), v),
            SH["or"]: lambda: _any(self.conforms(s, v) for s in self.items(value)),
            SH["and"]: lambda: _all(self.conforms(s, v) for s in self.items(value)),
            SH.xone: lambda: _exactly_one(self.conforms(s, v) for s in self.items(value)),
            SH["not"]: lambda: f"!{self.conforms(value, v)}",
            SH.node: lambda: self.conforms(value, v),
        }.get(predicate)
        if predicate in _COMPARISONS:
            return _compare(v, _COMPARISONS[predicate], _term(value))
        if build is None:
            raise Unsupported(f"{shape}: {predicate} is not a value constraint")
        if predicate == SH.nodeKind and value not in _NODE_KINDS:
            raise Unsupported(f"{shape}: unknown node kind {value}")
        return build()

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))


# --------------------------------------------------------------------------- queries


@dataclass
class _OnePath:
    """What the property shapes on one path check on their focus nodes."""

    path: str
    #: The variable of the path's values in the query of the counts.
    counted_as: str
    #: Tests on each value (``?value``), true if it conforms, with their findings.
    tests: list[tuple[str, Finding]] = field(default_factory=list)
    #: Aggregate tests, true on a violation, with their findings.
    counts: list[tuple[str, Finding]] = field(default_factory=list)
    #: BINDs of the values that conform to a qualified shape (what the counts count).
    counted: list[str] = field(default_factory=list)
    #: A query of its own for each other constraint.
    others: list[Check] = field(default_factory=list)


def _path_checks(targets: str, paths: list[_OnePath]) -> Iterator[Check]:
    """The checks of the property shapes on ``paths`` of the same focus nodes: one query for
    the tests on every path's values, one for every count, one for each other constraint.

    The focus nodes and each path's values are read in subqueries of their own, so that
    Oxigraph joins them by hashing rather than looking up each focus node's values one by
    one (about three times faster at 1M triples); one query over all the paths of a shape,
    rather than one per path, reads the focus nodes once (a third less CPU at 1M).
    """
    focus = f"{{ SELECT DISTINCT ?focus WHERE {{ {targets} }} }}"
    for part in paths:
        yield from part.others
    valued = [part for part in paths if part.tests]
    if len(valued) == 1:
        values = f"{{ SELECT ?focus ?value WHERE {{ ?focus {valued[0].path} ?value }} }}"
        binds = [f"BIND(!({test}) AS ?{finding.flag})" for test, finding in valued[0].tests]
        yield _flagged(f"{focus} {values}", binds, [f for _, f in valued[0].tests])
    elif valued:  # ?which tells the paths apart
        values = " UNION ".join(
            f"{{ SELECT ?focus ?value ({i} AS ?which) WHERE {{ ?focus {part.path} ?value }} }}"
            for i, part in enumerate(valued)
        )
        binds = [
            f"BIND(?which = {i} && !({test}) AS ?{finding.flag})"
            for i, part in enumerate(valued)
            for test, finding in part.tests
        ]
        findings = [finding for part in valued for _, finding in part.tests]
        yield _flagged(f"{focus} {{ {values} }}", binds, findings)
    counted = [part for part in paths if part.counts]
    if counted:
        values = " UNION ".join(
            f"{{ SELECT ?focus (?value AS {part.counted_as}) WHERE {{ ?focus {part.path} ?value }} }}"
            for part in counted
        )
        counts = [count for part in counted for count in part.counts]
        qualified = " ".join(bind for part in counted for bind in part.counted)
        flags = " ".join(f"(({test}) AS ?{finding.flag})" for test, finding in counts)
        violated = " || ".join(test for test, _ in counts)
        yield Check(
            f"SELECT ?focus {flags} WHERE {{ {focus} OPTIONAL {{ {values} }} {qualified} }} "
            f"GROUP BY ?focus HAVING ({violated})",
            tuple(finding for _, finding in counts),
        )


# --------------------------------------------------------------------------- terms


def _flagged(pattern: str, binds: list[str], findings: list[Finding]) -> Check:
    """A check whose rows are those of ``pattern`` where any of the flags is true."""
    flags = " ".join(f"?{f.flag}" for f in findings)
    violated = " || ".join(f"?{f.flag}" for f in findings)
    return Check(
        f"SELECT ?focus ?value {flags} WHERE {{ {pattern} {' '.join(binds)} FILTER({violated}) }}",
        tuple(findings),
    )


def _term(term: Node) -> str:
    if isinstance(term, rdflib.BNode):
        raise Unsupported(f"a blank node {term} as a constraint value")
    return str(term.n3())


def _integer(value: Node) -> int:
    if not isinstance(value, rdflib.Literal) or not isinstance(value.value, int):
        raise Unsupported(f"{value!r} is not an integer")
    return int(value.value)


def _any(tests: Iterator[str] | list[str]) -> str:
    found = list(tests)
    return "(" + " || ".join(found) + ")" if found else "false"


def _all(tests: Iterator[str] | list[str]) -> str:
    found = list(tests)
    return "(" + " && ".join(found) + ")" if found else "true"


def _exactly_one(tests: Iterator[str]) -> str:
    return "(" + " + ".join(f"IF({test}, 1, 0)" for test in tests) + ") = 1"


def _compare(left: str, operator: str, right: str) -> str:
    """``left operator right``, false when SPARQL cannot compare them (pySHACL's verdict);
    two IRIs compare as strings, as pySHACL compares them."""
    return (
        f"COALESCE(IF(isIRI({left}) && isIRI({right}), "
        f"STR({left}) {operator} STR({right}), {left} {operator} {right}), false)"
    )


def _datatype_test(datatype: Node, v: str) -> str:
    if datatype == RDFS.Literal:
        return f"isLiteral({v})"
    if datatype == RDF.langString:
        return f'(isLiteral({v}) && LANG({v}) != "")'
    if datatype == XSD.string:
        return f'(isLiteral({v}) && LANG({v}) = "" && DATATYPE({v}) = {XSD.string.n3()})'
    typed = f"isLiteral({v}) && DATATYPE({v}) = {_term(datatype)}"
    if datatype not in _WELL_FORMED:
        return f"({typed})"
    # An ill-typed literal ("1.5"^^xsd:integer) does not cast to its own datatype.
    return f"({typed} && COALESCE(isLiteral({_term(datatype)}(STR({v}))), false))"


def _pattern_test(pattern: Node, flags: Node | None, v: str) -> str:
    if not isinstance(pattern, rdflib.Literal):
        raise Unsupported(f"sh:pattern {pattern!r} is not a string")
    text = str(pattern)
    flag_text = f", {rdflib.Literal(str(flags)).n3()}" if flags is not None else ""
    negated = _NOT_STARTING_WITH.match(text)
    if negated and not _LOOKAROUND.search(negated.group(1)):
        inner = rdflib.Literal(f"^(?:{negated.group(1)})").n3()
        return f"(!isBlank({v}) && !REGEX(STR({v}), {inner}{flag_text}))"
    if _LOOKAROUND.search(text):
        raise Unsupported(f"sh:pattern {text!r}: a look-around or back-reference")
    return f"(!isBlank({v}) && COALESCE(REGEX(STR({v}), {pattern.n3()}{flag_text}), false))"


def _language_test(languages: list[Node], v: str) -> str:
    tags = {str(tag).lower() for tag in languages}
    if "*" in tags:
        return f'(isLiteral({v}) && LANG({v}) != "")'
    if not any("-" in tag for tag in tags):
        # langMatches("en-GB", "en") is pySHACL's rule for a one-part tag, and quicker.
        matches = " || ".join(
            f"langMatches(LANG({v}), {rdflib.Literal(tag).n3()})" for tag in sorted(tags)
        )
        return f"(isLiteral({v}) && ({matches}))"
    listed = ", ".join(rdflib.Literal(tag).n3() for tag in sorted(tags))
    first_part = f'LCASE(STRBEFORE(CONCAT(LANG({v}), "-"), "-"))'
    return (
        f'(isLiteral({v}) && LANG({v}) != "" && '
        f"(LCASE(LANG({v})) IN ({listed}) || {first_part} IN ({listed})))"
    )
