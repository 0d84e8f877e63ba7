"""``policygraph export``: the built graph in RDF formats, in exchange formats (GraphML,
GEXF, Cytoscape JSON, a Kumu workbook: :mod:`graph.exchange`), or as CSV tables.

Every export is written to a temporary file beside its target and renamed into place, so
an error leaves nothing half-written; the file gets the usual mode (``0666`` less the
umask, :mod:`graph.files`). The CSV tables are meant for spreadsheets: a cell that would
run as a formula is defused (:mod:`graph.spreadsheet`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pyoxigraph as ox

from graph.analysis.projection import project
from graph.errors import UsageError
from graph.exchange import EXCHANGE_FORMATS, read_exchange_graph
from graph.files import replacing
from graph.iris import PREFIXES
from graph.spreadsheet import spreadsheet_row
from graph.store.oxigraph import OxigraphStore

__all__ = ["EXPORT_FORMATS", "export"]

_RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}

#: Every format ``export`` writes.
EXPORT_FORMATS = ("turtle", "trig", "nquads", "jsonld", *EXCHANGE_FORMATS, "csv")


def export(store: OxigraphStore, fmt: str, output: Path) -> list[Path]:
    """Write the store's content as ``fmt`` to ``output`` (a directory for ``csv``).

    Returns the files written.

    :raises UsageError: an unknown format, or an output path that cannot be written.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(
            f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    if fmt == "csv":
        graph = project(store)
        return [
            _atomic_write(output / "nodes.csv", lambda f: _write_nodes(graph, f), make_parent=True),
            _atomic_write(output / "edges.csv", lambda f: _write_edges(graph, f), make_parent=True),
        ]
    if fmt == "turtle":
        triples = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert isinstance(triples, ox.QueryTriples)
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        return [_atomic_write(output, lambda f: f.write(data), binary=True)]
    if fmt in _RDF_FORMATS:
        data = store.raw.dump(
            format=_RDF_FORMATS[fmt], prefixes=PREFIXES if fmt == "trig" else None
        )
        return [_atomic_write(output, lambda f: f.write(data), binary=True)]
    return [_export_exchange(store, fmt, output)]


def _export_exchange(store: OxigraphStore, fmt: str, output: Path) -> Path:
    """One of :data:`graph.exchange.EXCHANGE_FORMATS`, written atomically."""
    graph = read_exchange_graph(store)
    write = EXCHANGE_FORMATS[fmt]
    return _atomic_write(output, lambda f: write(graph, f), binary=True)


def _write_nodes(graph: nx.MultiDiGraph, handle: IO[str]) -> None:
    writer = csv.writer(handle)
    writer.writerow(["id", "label", "label_ja", "type"])
    for slug, data in sorted(graph.nodes(data=True)):
        writer.writerow(spreadsheet_row([slug, data["label"], data["label_ja"], data["type"]]))


def _write_edges(graph: nx.MultiDiGraph, handle: IO[str]) -> None:
    writer = csv.writer(handle)
    writer.writerow(["source", "target", "predicate"])
    for source, target, predicate in sorted(graph.edges(keys=True)):
        writer.writerow(spreadsheet_row([source, target, predicate]))


def _atomic_write(
    target: Path,
    write: Callable[[IO[Any]], object],
    *,
    binary: bool = False,
    make_parent: bool = False,
) -> Path:
    """Write ``target`` through ``write`` (:func:`graph.files.replacing`): a text handle
    (UTF-8, newlines as written) unless ``binary``.

    :raises UsageError: the target is a directory or cannot be written.
    """
    try:
        if make_parent:
            target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            raise UsageError(f"cannot write {target}: it is a directory")
        with replacing(target) as handle:
            if binary:
                write(handle)
            else:
                text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
                write(text)
                text.flush()
                text.detach()  # the handle is closed by replacing, not by the wrapper
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target
