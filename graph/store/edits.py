"""The ``edits`` graph: what clients write through the API, kept in one N-Quads file.

The built store is read-only while served, and a build replaces it, so accepted edits live
beside it in ``<store>.edits.nq`` (``var/store.edits.nq`` by default), every quad in the
graph :data:`EDITS_GRAPH`. The file is replaced atomically (write a temporary file, fsync,
``rename(2)``): a reader — or a crash — sees the old edits or the new ones, never half.

``policygraph build`` loads the file into the new store's ``edits`` graph (validated with
the curated data), so edits survive rebuilds. A running server that accepts an edit serves
a *served copy*: the live generation's files (immutable SST files hard-linked, the rest
copied) with the ``edits`` graph replaced and the ``inferred`` graph derived again, in a
hidden ``.<store>.served-<pid>-<n>`` directory beside it; it is opened read-only like any
generation, and removed when the server stops or a newer copy replaces it.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph.errors import DataSyntaxError, StoreError
from graph.iris import graph_iri

__all__ = [
    "EDITS_GRAPH",
    "edits_file",
    "fresh_blank_nodes",
    "make_served_copy",
    "read_edits",
    "remove_served_copies",
    "write_edits",
]

#: The one graph that clients may write.
EDITS_GRAPH = graph_iri("edits")
_COUNTER = itertools.count(1)


def edits_file(store_path: Path) -> Path:
    """Where the edits of the store at ``store_path`` are kept.

    >>> edits_file(Path("var/store")).as_posix()
    'var/store.edits.nq'
    """
    return store_path.parent / f"{store_path.name}.edits.nq"


def read_edits(path: Path) -> list[ox.Quad]:
    """The quads of the edits file (none if it does not exist), all in :data:`EDITS_GRAPH`.

    :raises DataSyntaxError: the file does not parse.
    :raises StoreError: the file exists but cannot be read.
    """
    try:
        with path.open("rb") as handle:
            quads = list(ox.parse(handle, format=ox.RdfFormat.N_QUADS))
    except (FileNotFoundError, NotADirectoryError):  # no edits (yet) where the store goes
        return []
    except SyntaxError as exc:
        raise DataSyntaxError(f"{path}: the edits file does not parse: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"cannot read the edits file {path}: {exc.strerror}") from exc
    graph = ox.NamedNode(EDITS_GRAPH)
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def fresh_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """``triples`` with each blank node replaced by a new one, the same for every occurrence
    of a label within ``triples``: what a Graph Store request's ``_:x`` means (a node of
    this request only), so a label copied from another answer never names existing data.

    >>> a = ox.BlankNode("x")
    >>> p = ox.NamedNode("http://example.org/p")
    >>> one, two = fresh_blank_nodes([ox.Triple(a, p, ox.Literal("1")), ox.Triple(a, p, a)])
    >>> one.subject == two.subject == two.object != a
    True
    """
    renamed: dict[ox.BlankNode, ox.BlankNode] = {}

    def fresh(term: ox.BlankNode) -> ox.BlankNode:
        return renamed.setdefault(term, ox.BlankNode())

    def rename(triple: ox.Triple) -> ox.Triple:
        subject, obj = triple.subject, triple.object
        return ox.Triple(
            fresh(subject) if isinstance(subject, ox.BlankNode) else subject,
            triple.predicate,
            fresh(obj)
            if isinstance(obj, ox.BlankNode)
            else rename(obj)
            if isinstance(obj, ox.Triple)
            else obj,
        )

    return [rename(t) for t in triples]


def write_edits(path: Path, quads: Iterable[ox.Quad]) -> None:
    """Replace the edits file with ``quads`` atomically (and durably).

    :raises StoreError: the directory cannot be written.
    """
    data = ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS) or b""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError as exc:
        raise StoreError(f"cannot write the edits to {path}: {exc}") from exc


def make_served_copy(generation: Path, edits: list[ox.Quad]) -> Path:
    """A copy of the store in ``generation`` whose ``edits`` graph is ``edits`` (and whose
    ``inferred`` graph is derived again); returns its directory, closed and ready to open.

    :raises StoreError: the copy cannot be written.
    """
    from graph.build.materialise import materialise
    from graph.store.oxigraph import OxigraphStore

    target = generation.parent / f".{_store_name(generation)}.served-{os.getpid()}-{next(_COUNTER)}"
    try:
        shutil.copytree(generation, target, copy_function=_link_or_copy)
        store = OxigraphStore.open(target, read_only=False)
        store.raw.remove_graph(ox.NamedNode(EDITS_GRAPH))
        store.raw.remove_graph(ox.NamedNode(graph_iri("inferred")))
        store.extend(edits)
        store.extend(materialise(store))
        store.close()
        del store
        gc.collect()  # pyoxigraph releases RocksDB's lock when the Store is collected
    except (OSError, RuntimeError) as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise StoreError(f"cannot write the edited store beside {generation}: {exc}") from exc
    return target


def remove_served_copies(generation: Path, keep: Iterable[Path] = ()) -> None:
    """Remove the served copies of ``generation``'s store made by this process or by
    processes that are gone, except ``keep``."""
    kept = {Path(p).resolve() for p in keep}
    for entry in generation.parent.glob(f".{_store_name(generation)}.served-*"):
        pid = entry.name.rsplit("-", 2)[-2]
        mine = pid == str(os.getpid())
        if entry.resolve() in kept or (not mine and pid.isdigit() and _alive(int(pid))):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _store_name(generation: Path) -> str:
    """``store`` for ``store.gen-…`` (the name the user gave), else the directory's name."""
    return generation.name.split(".gen-", 1)[0]


def _link_or_copy(source: str, target: str) -> str:
    """Hard-link RocksDB's immutable table files, copy everything else."""
    if source.endswith(".sst"):
        try:
            os.link(source, target)
            return target
        except OSError:
            pass
    return str(shutil.copy2(source, target))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
