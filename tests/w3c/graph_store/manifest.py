"""Read the vendored W3C Graph Store Protocol manifests into plain requests and responses.

The manifests (``manifest.ttl`` including ``manifest-direct.ttl`` and
``manifest-indirect.ttl``) describe each test as an ``ht:Connection``: requests to send in
order, each with the response it must get (``mf:expectedStatus``, headers, a body whose
graph must be isomorphic to the answer's, ``mf:expectedLocation``). This module turns them
into :class:`Entry` and :class:`Step` values with pyoxigraph; nothing here talks HTTP.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

import pyoxigraph as ox

__all__ = ["HERE", "Entry", "Step", "entry_names", "read_manifest"]

HERE = Path(__file__).parent
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
HTS = "http://www.w3.org/2011/http-statusCodes#"
CNT = "http://www.w3.org/2011/content#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#: ``hts:NoContent`` → 204 …: the vocabulary's local names are the reason phrases, unspaced.
_STATUS_BY_NAME = {status.phrase.replace(" ", ""): status.value for status in HTTPStatus}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class Step:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: str | None
    statuses: frozenset[int]
    location_variable: str | None
    response_headers: tuple[tuple[str, str], ...]
    response_body: str | None


@dataclass(frozen=True)
class Entry:
    """One test: its local name (``put_get_repeat_indirect``), title and requests."""

    name: str
    title: str
    requires: frozenset[str]
    listed: bool
    steps: tuple[Step, ...]


class _Graph:
    """The triples of the manifest files, by subject."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self._by_subject: dict[Term, list[tuple[str, Term]]] = defaultdict(list)
        for t in triples:
            self._by_subject[t.subject].append((t.predicate.value, t.object))

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        return [o for p, o in self._by_subject.get(subject, []) if p == predicate]

    def one(self, subject: Term, predicate: str) -> Term | None:
        found = self.objects(subject, predicate)
        assert len(found) <= 1, f"{subject} has several {predicate}"
        return found[0] if found else None

    def text(self, subject: Term, predicate: str) -> str | None:
        term = self.one(subject, predicate)
        return None if term is None else _value(term)

    def items(self, head: Term | None) -> list[Term]:
        """The members of the RDF list starting at ``head``."""
        members: list[Term] = []
        while head is not None and head != ox.NamedNode(RDF + "nil"):
            first = self.one(head, RDF + "first")
            assert first is not None
            members.append(first)
            head = self.one(head, RDF + "rest")
        return members

    def subjects_of_type(self, kind: str) -> list[Term]:
        return [
            s
            for s, pairs in self._by_subject.items()
            if (RDF + "type", ox.NamedNode(kind)) in pairs
        ]


def _value(term: Term) -> str:
    assert not isinstance(term, ox.Triple)
    return term.value


def _local(term: Term) -> str:
    return _value(term).rsplit("#", 1)[-1]


def _load(path: Path, triples: list[ox.Triple], manifests: list[Term]) -> None:
    """Parse ``path`` and every manifest it ``mf:include``s (files beside it)."""
    base = path.resolve().as_uri()
    found = [q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=base)]
    triples += found
    manifests.append(ox.NamedNode(base))
    graph = _Graph(found)
    for included in graph.items(graph.one(ox.NamedNode(base), MF + "include")):
        _load(path.parent / _value(included).rsplit("/", 1)[-1], triples, manifests)


def read_manifest(path: Path = HERE / "manifest.ttl") -> list[Entry]:
    """Every test of the manifest at ``path`` and its includes: the ones ``mf:entries``
    lists, in order, then any test defined but not listed (``listed=False``)."""
    triples: list[ox.Triple] = []
    manifests: list[Term] = []
    _load(path, triples, manifests)
    graph = _Graph(triples)
    listed = [e for m in manifests for e in graph.items(graph.one(m, MF + "entries"))]
    defined = graph.subjects_of_type(MF + "GraphStoreProtocolTest")
    unlisted = sorted((t for t in defined if t not in listed), key=_value)
    return [_entry(graph, test, test in listed) for test in [*listed, *unlisted]]


def entry_names(path: Path) -> list[str]:
    """The local names of the tests ``mf:entries`` lists in the manifest at ``path`` (for
    the deprecated prose manifest, whose requests are not machine-readable)."""
    base = path.resolve().as_uri()
    triples = [q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE, base_iri=base)]
    graph = _Graph(triples)
    return [_local(e) for e in graph.items(graph.one(ox.NamedNode(base), MF + "entries"))]


def _entry(graph: _Graph, test: Term, listed: bool) -> Entry:
    action = graph.one(test, MF + "action")
    requests = graph.items(graph.one(action, HT + "requests")) if action is not None else []
    return Entry(
        name=_local(test),
        title=graph.text(test, MF + "name") or "",
        requires=frozenset(_local(r) for r in graph.objects(test, MF + "requires")),
        listed=listed,
        steps=tuple(_step(graph, request) for request in requests),
    )


def _step(graph: _Graph, request: Term) -> Step:
    response = graph.one(request, HT + "resp")
    assert response is not None, "every request of the manifests has a response"
    statuses = {_STATUS_BY_NAME[_local(s)] for s in graph.objects(response, MF + "expectedStatus")}
    return Step(
        method=graph.text(request, HT + "methodName") or "",
        path=graph.text(request, HT + "absolutePath") or "",
        headers=_headers(graph, request),
        body=_body(graph, request),
        statuses=frozenset(statuses),
        location_variable=graph.text(response, MF + "expectedLocation"),
        response_headers=_headers(graph, response),
        response_body=_body(graph, response),
    )


def _headers(graph: _Graph, message: Term) -> tuple[tuple[str, str], ...]:
    return tuple(
        (graph.text(h, HT + "fieldName") or "", graph.text(h, HT + "fieldValue") or "")
        for h in graph.items(graph.one(message, HT + "headers"))
    )


def _body(graph: _Graph, message: Term) -> str | None:
    body = graph.one(message, HT + "body")
    return None if body is None else graph.text(body, CNT + "chars")
