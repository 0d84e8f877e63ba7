"""Finding and parsing the Turtle that goes into a build.

Files directly in a data directory go to the ``curated`` graph, files in its
``background/`` subdirectory to the ``background`` graph, the Turtle of an ingested document
in ``documents/<slug>/`` to that document's own graph ``documents/<slug>``; the ontology to
``ontology``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import DataSyntaxError, UsageError
from graph.iris import GRAPH_BASE, graph_iri

__all__ = [
    "DOCUMENTS_DIR",
    "DataFile",
    "discover",
    "document_graph",
    "file_origins",
    "load_file",
    "parse_file",
]

#: The subdirectory of a data directory that holds one folder per ingested document.
DOCUMENTS_DIR = "documents"

#: A Turtle file at least this large goes to a store on disk through the bulk loader.
BULK_BYTES = 200_000

# pyoxigraph's message repeats the position we print ourselves.
_PARSER_NOISE = re.compile(r"^Parser error (at|between) [^:]*: | \(line \d+\)$")


@dataclass(frozen=True)
class DataFile:
    """One Turtle file and the named graph it is loaded into."""

    path: Path
    graph: str

    @property
    def graph_name(self) -> str:
        """The short name of the graph (``curated``, ``background``, ``documents/<slug>`` …)."""
        return self.graph.removeprefix(GRAPH_BASE)


def document_graph(slug: str) -> str:
    """The IRI of the named graph of the ingested document ``slug``.

    >>> document_graph("note-2026")
    'https://w3id.org/policygraph/graph/documents/note-2026'
    """
    return graph_iri(f"{DOCUMENTS_DIR}/{slug}")


def discover(data_dirs: list[Path]) -> list[DataFile]:
    """The Turtle files of the given data directories, in a stable order.

    :raises UsageError: a directory does not exist.
    """
    files: list[DataFile] = []
    for directory in data_dirs:
        if not directory.is_dir():
            raise UsageError(f"data directory not found: {directory}")
        files += [DataFile(p, graph_iri("curated")) for p in sorted(directory.glob("*.ttl"))]
        background = directory / "background"
        files += [DataFile(p, graph_iri("background")) for p in sorted(background.glob("*.ttl"))]
        for folder in sorted(p for p in (directory / DOCUMENTS_DIR).glob("*") if p.is_dir()):
            graph = document_graph(folder.name)
            files += [DataFile(p, graph) for p in sorted(folder.glob("*.ttl"))]
    return files


def parse_file(path: Path, graph: str) -> list[ox.Quad]:
    """Parse one Turtle file into quads of ``graph``.

    :raises DataSyntaxError: the file does not parse; the message names file, line and column.
    """
    try:
        with path.open("rb") as handle:
            parsed = list(
                ox.parse(
                    handle,
                    format=ox.RdfFormat.TURTLE,
                    base_iri=path.resolve().as_uri(),
                    without_named_graphs=True,
                    rename_blank_nodes=True,
                )
            )
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from exc
    except OSError as exc:
        raise DataSyntaxError(f"{path}: cannot read: {exc.strerror}") from exc
    target = ox.NamedNode(graph)
    return [ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed]


def load_file(store: ox.Store, data_file: DataFile, *, bulk: bool = True) -> None:
    """Parse one Turtle file straight into ``store``: no Python object per triple, and each
    file's blank nodes its own, as with :func:`parse_file`.

    :param bulk: with Oxigraph's bulk loader if the file is larger than
        :data:`BULK_BYTES` (not one transaction: for a store no one else reads yet, such as
        a build's new store); else in one transaction, which costs less CPU in a store in
        memory (at 1M triples 2.4 s against 3.4) and for a small file on disk (the bulk
        loader writes and ingests files of its own each time: about 0.1 s, 15 ms of CPU;
        a transaction takes longer past about 200 kB).

    :raises DataSyntaxError: the file does not parse or cannot be read (the message names
        file, line and column); what was loaded before stays in ``store``.
    :raises OSError: writing the store failed.
    """
    path = data_file.path
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise DataSyntaxError(f"{path}: cannot read: {exc.strerror}") from exc
    load = store.bulk_load if bulk and len(text) > BULK_BYTES else store.load
    try:
        load(
            text,
            format=ox.RdfFormat.TURTLE,
            base_iri=path.resolve().as_uri(),
            to_graph=ox.NamedNode(data_file.graph),
        )
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from exc


def file_origins(files: list[DataFile]) -> dict[ox.NamedNode | ox.BlankNode, Path]:
    """The file that first states something about each subject, parsing ``files`` again:
    what a report of violations names, needed only when there are some."""
    origins: dict[ox.NamedNode | ox.BlankNode, Path] = {}
    for data_file in files:
        for quad in parse_file(data_file.path, data_file.graph):
            origins.setdefault(quad.subject, data_file.path)  # type: ignore[arg-type]
    return origins


def _syntax_error(path: Path, exc: SyntaxError) -> DataSyntaxError:
    """The error a user reads: file, line and column, then the parser's own words."""
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "offset", None)
    where = f"{path}:{line}:{column}" if line else str(path)
    message = _PARSER_NOISE.sub("", str(exc))
    return DataSyntaxError(f"{where}: Turtle syntax error: {message}")
