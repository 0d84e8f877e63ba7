"""``policygraph push``: upload a built store's named graphs to a SPARQL server.

Quads go in batches through the Graph Store Protocol (N-Quads) or, on a server without one
(Virtuoso), as SPARQL updates. A blank node is only the same node within one request, so
every quad that mentions a blank node travels in one batch with all the other quads (of any
graph) that mention it: the batches cut the data between connected groups of blank nodes,
never through one.

With ``replace`` the swap is all or nothing: the graphs are uploaded into temporary graphs
(``…/graph/curated?tmp=RUN``), their sizes are checked against the local store, and one
SPARQL update drops the old graphs and moves the new ones in. A run that fails leaves the
live graphs as they were; the next run finds the temporary graphs it left and clears them
before uploading again.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.errors import StoreError
from graph.iris import GRAPH_BASE, GRAPH_NAMES
from graph.store.oxigraph import OxigraphStore
from graph.store.remote import RemoteSparqlStore

__all__ = ["DEFAULT_BATCH", "PushReport", "batches", "push", "temporary_graph"]

#: Quads per request.
DEFAULT_BATCH = 20_000
_TMP = "?tmp="


@dataclass
class PushReport:
    """What a push did: triples per graph on the server, and how long it took."""

    endpoint: str
    graphs: dict[str, int] = field(default_factory=dict)
    replaced: bool = False
    cleared: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def quads(self) -> int:
        return sum(self.graphs.values())


def temporary_graph(graph: str, run_id: str) -> str:
    """The IRI a graph is uploaded under before the swap.

    >>> temporary_graph("https://w3id.org/policygraph/graph/curated", "r1")
    'https://w3id.org/policygraph/graph/curated?tmp=r1'
    """
    return f"{graph}{_TMP}{run_id}"


def push(
    source: OxigraphStore,
    target: RemoteSparqlStore,
    *,
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
) -> PushReport:
    """Upload every named graph of ``source`` to ``target``.

    Without ``replace`` the quads are added to the graphs on the server as they are.

    :raises StoreError: the server cannot be reached, refuses a request, or holds other
        sizes than the local store after the upload (the live graphs are then untouched).
    """
    started = time.monotonic()
    report = PushReport(endpoint=target.query_endpoint, replaced=replace)
    graphs = source.graph_names()
    expected = {graph: _local_count(source, graph) for graph in graphs}
    if not replace:
        for batch in batches(_quads(source, graphs, {}), batch_size):
            target.extend(batch)
            if progress:
                progress(len(batch))
        report.graphs = {graph: target.count_graph(graph) for graph in graphs}
        report.seconds = time.monotonic() - started
        return report

    report.cleared = _clear_leftovers(target)
    run_id = uuid.uuid4().hex[:12]
    renamed = {graph: temporary_graph(graph, run_id) for graph in graphs}
    for batch in batches(_quads(source, graphs, renamed), batch_size):
        target.extend(batch)
        if progress:
            progress(len(batch))
    for graph, tmp in renamed.items():
        found = target.count_graph(tmp)
        if found != expected[graph]:
            raise StoreError(
                f"the upload to {target.graph_store or target.update_endpoint} is incomplete: "
                f"{tmp} holds {found:,} triples, not {expected[graph]:,}; the live graphs "
                f"are unchanged, run push --replace again"
            )
    stale = [GRAPH_BASE + name for name in GRAPH_NAMES if GRAPH_BASE + name not in renamed]
    target.update(
        " ;\n".join(
            [f"DROP SILENT GRAPH <{graph}>" for graph in stale]
            + [f"MOVE SILENT GRAPH <{tmp}> TO GRAPH <{graph}>" for graph, tmp in renamed.items()]
        )
    )
    report.graphs = {graph: target.count_graph(graph) for graph in graphs}
    report.seconds = time.monotonic() - started
    return report


def batches(quads: Iterable[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    """``quads`` in lists of about ``size``; quads that share blank nodes stay together.

    Quads without blank nodes stream through; those with blank nodes are held until the
    end and grouped by connected blank nodes (a group is never split, even when larger).
    """
    batch: list[ox.Quad] = []
    parent: dict[str, str] = {}
    held: list[tuple[str, ox.Quad]] = []

    def find(node: str) -> str:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for quad in quads:
        blanks = [
            term.value for term in (quad.subject, quad.object) if isinstance(term, ox.BlankNode)
        ]
        if not blanks:
            batch.append(quad)
            if len(batch) >= size:
                yield batch
                batch = []
            continue
        first = find(blanks[0])
        for other in blanks[1:]:
            parent[find(other)] = first
        held.append((blanks[0], quad))
    groups: dict[str, list[ox.Quad]] = {}
    for node, quad in held:
        groups.setdefault(find(node), []).append(quad)
    for group in groups.values():
        batch.extend(group)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _quads(source: OxigraphStore, graphs: list[str], renamed: dict[str, str]) -> Iterator[ox.Quad]:
    for graph in graphs:
        name = ox.NamedNode(renamed.get(graph, graph))
        for quad in source.raw.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, name)


def _local_count(source: OxigraphStore, graph: str) -> int:
    result = source.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    value = next(iter(result))["n"]
    return int(value.value) if isinstance(value, ox.Literal) else 0


def _clear_leftovers(target: RemoteSparqlStore) -> list[str]:
    """Drop the temporary graphs an earlier, failed ``--replace`` left on the server."""
    leftovers = [g for g in target.graph_names() if g.startswith(GRAPH_BASE) and _TMP in g]
    if leftovers:
        target.update(" ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in leftovers))
    return leftovers
