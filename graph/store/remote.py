"""The remote adapter: a :class:`~graph.store.port.GraphStore` on a SPARQL 1.1 server over HTTP.

Queries go to the query endpoint as an HTML-form POST (the SPARQL 1.1 Protocol's most widely
supported form), updates to the update endpoint, quads to the Graph Store Protocol endpoint
as N-Quads. Results are parsed by pyoxigraph (``parse_query_results`` for SELECT/ASK,
``parse`` for CONSTRUCT/DESCRIBE), so callers get the same result objects as from the
embedded store; a graph result is loaded into a small in-memory store and re-queried so that
it is a genuine ``QueryTriples``.

**The union default graph.** policygraph's contract is that the default graph of a query is
the union of all named graphs. SPARQL servers differ: Oxigraph server and Fuseki answer from
their own (empty) default graph unless told otherwise; GraphDB, Virtuoso and Neptune use
the union (or all data) already. ``union_default_graph`` says how to get the union:

``explicit`` (the default, portable)
    name every non-empty named graph as ``default-graph-uri`` and ``named-graph-uri``
    (the list is cached for a few seconds and refreshed after every write through this client);
``oxigraph``
    add Oxigraph server's ``union-default-graph`` request parameter;
``server``
    send nothing: the server's default graph is already the union (GraphDB, Neptune,
    Fuseki with ``tdb2:unionDefaultGraph true``, ``oxigraph serve --union-default-graph``).

**The server's own graphs.** Some servers keep graphs of their own beside the data (Virtuoso:
``virtrdf#``, ``ldp#``, ``localuriqaserver``); ``graph_prefix`` keeps only the named graphs whose
IRI starts with it, in :meth:`RemoteSparqlStore.graph_names`, the explicit union and the size.
With a prefix, or with ``server``, the size counts the named graphs only (the server's
default graph is then the union of all graphs, not a graph of its own).

**Result formats.** ``result_format`` says which SPARQL results format to ask for: ``json``
(the default) or ``xml`` (Virtuoso 7 writes booleans as ``"1"`` in JSON, ``"true"`` in XML).

**Writes.** Without a graph store, quads go as ``INSERT DATA``; a batch with blank nodes goes
as ``INSERT { … } WHERE { BIND(1 AS ?one) }`` instead, whose template makes one fresh node
per label for its one solution, as the data means (Virtuoso refuses blank nodes in
``INSERT DATA``; every engine accepts the template).

**Reading answers.** A blank node label that is not an RDF one (Virtuoso: ``nodeID://b1``)
is rewritten before pyoxigraph parses the results (:func:`portable_blank_nodes`), and an
``ASK`` answered with rows instead of a boolean (Virtuoso 7) is read as true when it has a
row that is not 0 or false.

**Bindings** are applied as a ``VALUES`` block built from pyoxigraph's own term
serialisations, first in the outermost ``WHERE`` group (so that the group's ``FILTER`` s
see the values, as with substitution); user text is never spliced.

>>> bind_values("SELECT ?l WHERE { ?s rdfs:label ?l }", {"s": ox.NamedNode("urn:x")})
'SELECT ?l WHERE { VALUES (?s) { (<urn:x>) }  ?s rdfs:label ?l }'
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal, TypeAlias
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from graph.errors import QuerySyntaxError, StoreError
from graph.iris import PREFIXES
from graph.store.port import QueryResult

__all__ = [
    "RemoteSparqlStore",
    "ResultFormat",
    "UnionMode",
    "ask_answer",
    "bind_values",
    "derive_endpoints",
    "portable_blank_nodes",
]

UnionMode: TypeAlias = Literal["explicit", "oxigraph", "server"]
ResultFormat: TypeAlias = Literal["json", "xml"]

#: A graph IRI that names nothing: the protocol's way to ask for an empty default graph.
EMPTY_GRAPH = "urn:policygraph:empty-default-graph"
#: What to accept for each kind of answer: a server may answer in the first type it can
#: write whatever the query (Virtuoso writes a CONSTRUCT as JSON rows when asked JSON first).
_RESULT_TYPES: dict[ResultFormat, str] = {
    "json": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
    "xml": "application/sparql-results+xml, application/sparql-results+json;q=0.9",
}
_GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9"
_PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_GRAPH_CACHE_SECONDS = 5.0
_XML_BNODE = re.compile(rb"<bnode>([^<]*)</bnode>")
_BNODE_LABEL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-.]*$")


def derive_endpoints(query_endpoint: str) -> tuple[str, str | None]:
    """The update and Graph Store Protocol URLs of an Oxigraph-style server (``/query``,
    ``/update``, ``/store``); elsewhere the update endpoint is the query endpoint and there
    is no graph store (writes go through SPARQL Update).

    >>> derive_endpoints("http://127.0.0.1:7878/query")
    ('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> derive_endpoints("http://db:8890/sparql")
    ('http://db:8890/sparql', None)
    """
    parts = urlsplit(query_endpoint)
    if parts.path.endswith("/query"):
        base = parts.path[: -len("/query")]
        return (
            urlunsplit(parts._replace(path=base + "/update", query="")),
            urlunsplit(parts._replace(path=base + "/store", query="")),
        )
    return query_endpoint, None


def bind_values(sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``sparql`` with its outermost ``WHERE`` group joined with a one-row ``VALUES`` block.

    :raises QuerySyntaxError: a variable name is not a SPARQL variable name, or the query has
        no ``WHERE`` group to bind in (``DESCRIBE <x>``, the short ``CONSTRUCT WHERE``).
    """
    from graph.query.lexer import tokens  # here: graph.query imports the store package

    names = list(bindings)
    for name in names:
        if not _VARIABLE.match(name):
            raise QuerySyntaxError(f"cannot bind {name!r}: not a SPARQL variable name")
    values = " ".join(str(bindings[name]) for name in names)  # N-Triples syntax, escaped
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }}"
    form: str | None = None
    seen_where = False
    depth = 0
    start = -1
    opened = False  # the previous token opened the WHERE group
    for token in tokens(sparql):
        word = token.upper if token.kind == "word" else ""
        if opened:
            opened = False
            if word != "SELECT":  # join with the group itself: its FILTERs see the values
                return f"{sparql[: start + 1]} {block} {sparql[start + 1 :]}"
        if form is None and word in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            form = word
        elif depth == 0 and word == "WHERE":
            seen_where = True
        if token.kind != "punct" or token.text not in "{}":
            continue
        if token.text == "{":
            if (
                depth == 0
                and start < 0
                and form is not None
                and (seen_where or form in ("SELECT", "ASK"))
            ):
                start = token.start
                opened = True
            depth += 1
        else:
            depth -= 1
            if depth == 0 and start >= 0:
                body = sparql[start + 1 : token.start]  # a sub-select must be a group of its own
                return f"{sparql[:start]}{{ {block} {{ {body} }} }}{sparql[token.start + 1 :]}"
    raise QuerySyntaxError("cannot bind parameters: the query has no WHERE group to bind them in")


class RemoteSparqlStore:
    """A :class:`~graph.store.port.GraphStore` on a SPARQL 1.1 Protocol server.

    :param query_endpoint: the SPARQL query URL (``http://host:7878/query``).
    :param update_endpoint: the SPARQL update URL (default: derived, see
        :func:`derive_endpoints`).
    :param graph_store: the Graph Store Protocol URL that accepts N-Quads (default: derived;
        without one, :meth:`extend` sends ``INSERT DATA`` to the update endpoint).
    :param union_default_graph: how queries see the union of the named graphs (see above).
    :param graph_prefix: only named graphs whose IRI starts with it are the data ("" = all).
    :param result_format: the SPARQL results format to ask for, ``json`` or ``xml``.
    """

    def __init__(
        self,
        query_endpoint: str,
        *,
        update_endpoint: str | None = None,
        graph_store: str | None = None,
        union_default_graph: UnionMode = "explicit",
        graph_prefix: str = "",
        result_format: ResultFormat = "json",
        timeout: float = 60.0,
    ) -> None:
        derived_update, derived_store = derive_endpoints(query_endpoint)
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint or derived_update
        self.graph_store = graph_store or derived_store
        self.union_default_graph: UnionMode = union_default_graph
        self.graph_prefix = graph_prefix
        self.result_format: ResultFormat = result_format
        self._client: httpx.Client | None = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"User-Agent": "policygraph"},
        )
        self._graphs: tuple[float, list[str]] | None = None

    def __repr__(self) -> str:
        return f"RemoteSparqlStore({self.query_endpoint!r})"

    # -- the port ---------------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] | None = None,
        named_graphs: Sequence[str] | None = None,
        bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL query on the server (see :class:`GraphStore`)."""
        text = bind_values(sparql, bindings) if bindings else sparql
        # The protocol has no parameter for the base: a BASE first (Virtuoso wants it before
        # any PREFIX, which SPARQL does not require).
        base = f"BASE {ox.NamedNode(base_iri)}\n" if base_iri is not None else ""
        form: dict[str, str | list[str]] = {"query": base + _PROLOGUE + text}
        if default_graphs is not None:
            form["default-graph-uri"] = list(default_graphs) or [EMPTY_GRAPH]
        elif self.union_default_graph == "oxigraph":
            form["union-default-graph"] = ""
        elif self.union_default_graph == "explicit":
            graphs = self._cached_graph_names()
            form["default-graph-uri"] = graphs or [EMPTY_GRAPH]
            if named_graphs is None and graphs:
                form["named-graph-uri"] = graphs
        if named_graphs:
            form["named-graph-uri"] = list(named_graphs)
        kind = _query_form(text)
        result = self._query(form, graph_answer=kind in ("CONSTRUCT", "DESCRIBE"))
        if isinstance(result, ox.QuerySolutions) and len(result.variables) == 1 and kind == "ASK":
            return ask_answer(result)
        return result

    def update(self, sparql: str) -> None:
        """Run a SPARQL update on the server's update endpoint."""
        self._post(
            self.update_endpoint,
            what="update",
            data={"update": _PROLOGUE + sparql},
        )
        self._graphs = None

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one request: N-Quads to the graph store, or ``INSERT DATA``."""
        quad_list = list(quads)
        if not quad_list:
            return
        if self.graph_store is not None:
            body = ox.serialize(quad_list, format=ox.RdfFormat.N_QUADS)
            assert body is not None
            self._post(
                self.graph_store,
                what="Graph Store Protocol",
                content=body,
                headers={"Content-Type": "application/n-quads"},
            )
            self._graphs = None
        else:
            self.update(_insert(quad_list))

    def graph_names(self) -> list[str]:
        """The IRIs of the non-empty named graphs (under the graph prefix), sorted."""
        result = self._query(
            {"query": f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._in_prefix()} }}"}
        )
        assert isinstance(result, ox.QuerySolutions)
        names = sorted(row["g"].value for row in result if isinstance(row["g"], ox.NamedNode))
        self._graphs = (time.monotonic(), names)
        return names

    def __len__(self) -> int:
        named = f"GRAPH ?g {{ ?s ?p ?o }} {self._in_prefix()}"
        if self.graph_prefix or self.union_default_graph == "server":
            return self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {named} }}")
        return self._count(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ ?s ?p ?o }} UNION {{ {named} }} }}"
        )

    def count_graph(self, iri: str) -> int:
        """The number of triples in the named graph ``iri`` (0 if there is none)."""
        return self._count(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(iri)} {{ ?s ?p ?o }} }}"
        )

    def close(self) -> None:
        """Close the HTTP connections; the store must not be used afterwards."""
        if self._client is not None:
            self._client.close()
        self._client = None

    # -- HTTP -------------------------------------------------------------------------------

    def _in_prefix(self) -> str:
        """A ``FILTER`` keeping the graphs ``?g`` under the graph prefix ("" without one)."""
        if not self.graph_prefix:
            return ""
        return f"FILTER(STRSTARTS(STR(?g), {ox.Literal(self.graph_prefix)}))"

    def _cached_graph_names(self) -> list[str]:
        if self._graphs is not None and time.monotonic() - self._graphs[0] < _GRAPH_CACHE_SECONDS:
            return self._graphs[1]
        return self.graph_names()

    def _count(self, sparql: str) -> int:
        result = self._query({"query": sparql})
        assert isinstance(result, ox.QuerySolutions)
        for row in result:
            value = row["n"]
            return int(value.value) if isinstance(value, ox.Literal) else 0
        return 0

    def _query(
        self, form: Mapping[str, str | list[str]], *, graph_answer: bool = False
    ) -> QueryResult:
        response = self._post(
            self.query_endpoint,
            what="query",
            data=form,
            headers={"Accept": _GRAPH_TYPES if graph_answer else _RESULT_TYPES[self.result_format]},
        )
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        results_format = ox.QueryResultsFormat.from_media_type(media_type)
        try:
            if results_format is not None:
                content = portable_blank_nodes(response.content, results_format)
                return ox.parse_query_results(content, results_format)
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is None:
                raise StoreError(
                    f"the SPARQL endpoint {self.query_endpoint} answered with an unknown "
                    f"media type {media_type or '(none)'!r}"
                )
            graph = ox.Store()
            graph.bulk_extend(ox.parse(response.content, rdf_format))
            return graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        except SyntaxError as exc:
            raise StoreError(
                f"the SPARQL endpoint {self.query_endpoint} sent results that do not parse: "
                f"{_one_line(str(exc))}"
            ) from exc

    def _post(
        self,
        url: str,
        *,
        what: str,
        data: Mapping[str, str | list[str]] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        if self._client is None:
            raise StoreError(f"the connection to {url} is closed")
        try:
            response = self._client.post(url, data=data, content=content, headers=headers)
        except httpx.TimeoutException as exc:
            raise StoreError(
                f"the SPARQL {what} endpoint {url} timed out ({type(exc).__name__})"
            ) from exc
        except httpx.HTTPError as exc:
            raise StoreError(
                f"cannot reach the SPARQL {what} endpoint {url}: {_one_line(str(exc))}"
            ) from exc
        if response.status_code >= 400:
            message = _one_line(response.text)[:300] or response.reason_phrase
            if response.status_code == 400 and what in ("query", "update"):
                raise QuerySyntaxError(
                    f"the SPARQL {what} endpoint {url} refused the {what}: {message}"
                )
            raise StoreError(
                f"the SPARQL {what} endpoint {url} answered {response.status_code}: {message}"
            )
        return response


def portable_blank_nodes(content: bytes, results_format: ox.QueryResultsFormat) -> bytes:
    """SPARQL results whose blank node labels all parse as RDF blank node labels.

    The results formats allow any string as a label; pyoxigraph wants an N-Triples label.
    A label that is not one (Virtuoso's ``nodeID://b10001``) becomes ``x`` and its UTF-8 in
    hex, the same label for the same node throughout the results.

    >>> portable_blank_nodes(b"<bnode>nodeID://b1</bnode><bnode>b2</bnode>",
    ...                      ox.QueryResultsFormat.XML)
    b'<bnode>x6e6f646549443a2f2f6231</bnode><bnode>b2</bnode>'
    """
    if results_format == ox.QueryResultsFormat.XML:
        return _XML_BNODE.sub(
            lambda m: b"<bnode>" + _label(m.group(1).decode()).encode() + b"</bnode>", content
        )
    if results_format == ox.QueryResultsFormat.JSON and b'"bnode"' in content:
        data = json.loads(content)
        for row in data.get("results", {}).get("bindings", []):
            for term in row.values():
                if term.get("type") == "bnode":
                    term["value"] = _label(term["value"])
        return json.dumps(data).encode()
    return content


def _query_form(sparql: str) -> str:
    """The form of ``sparql``: its first query-form keyword, upper case ("" if none)."""
    from graph.query.lexer import tokens  # here: graph.query imports the store package

    for token in tokens(sparql):
        if token.kind == "word" and token.upper in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            return token.upper
    return ""


def ask_answer(rows: ox.QuerySolutions) -> ox.QueryBoolean:
    """The boolean of an ``ASK`` answered as rows (Virtuoso 7: one ``__ASK_RETVAL`` column,
    a row with 1 for true, no row for false)."""
    answer = any(
        not (isinstance(row[0], ox.Literal) and row[0].value in ("0", "false")) for row in rows
    )
    document = b'{"head": {}, "boolean": %s}' % (b"true" if answer else b"false")
    result = ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    assert isinstance(result, ox.QueryBoolean)
    return result


def _label(label: str) -> str:
    return label if _BNODE_LABEL.match(label) else "x" + label.encode().hex()


def _insert(quads: Sequence[ox.Quad]) -> str:
    """An update adding ``quads`` (terms in N-Triples syntax, grouped by graph): ``INSERT
    DATA``, or ``INSERT { … } WHERE { BIND(1 AS ?one) }`` when a quad has a blank node:
    one solution, so one fresh node per label. (The one-row ``WHERE`` rather than ``{}``:
    Virtuoso 7.2 answers 500 to an empty one when the template spans graphs, after writing.)

    >>> print(_insert([ox.Quad(ox.BlankNode("b"), ox.NamedNode("urn:p"), ox.Literal("x"))]))
    INSERT {
    _:b <urn:p> "x" .
    } WHERE { BIND(1 AS ?one) }
    """
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        triple = f"{quad.subject} {quad.predicate} {quad.object} ."
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(quad.graph_name)
        by_graph.setdefault(graph, []).append(triple)
    parts = [
        "\n".join(lines) if not graph else f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}"
        for graph, lines in by_graph.items()
    ]
    body = "{\n" + "\n".join(parts) + "\n}"
    blank = any(
        isinstance(term, ox.BlankNode) for quad in quads for term in (quad.subject, quad.object)
    )
    return f"INSERT {body} WHERE {{ BIND(1 AS ?one) }}" if blank else f"INSERT DATA {body}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
