"""The ``edits`` graph: what clients write through the API, kept in one N-Quads file.

The built store is read-only while served, and a build replaces it, so accepted edits live
beside it in ``<store>.edits.nq`` (``var/store.edits.nq`` by default), every quad in the
graph :data:`EDITS_GRAPH`. The file is replaced atomically and durably
(:func:`write_edits`): when it returns the new edits are on disk, and when it fails the old
file is what is there — also after a crash or a restart.

``policygraph build`` loads the file into the new store's ``edits`` graph (validated with
the curated data), so edits survive rebuilds. A running server that accepts an edit serves
a *served copy*: the live generation's files (immutable SST files hard-linked, the rest
copied; the generation's kept measures, warm caches and temporary files left out) with the
``edits`` graph replaced and the ``inferred`` graph derived again, in a hidden
``.<store>.served-<pid>-<n>`` directory beside it; it is opened read-only like any
generation, and removed when the server stops or a newer copy replaces it.

Each served copy and temporary file is *claimed* by the process that made it
(:mod:`graph.store.claims`); a killed server's are removed by the next one before it makes
anything (:func:`remove_leftovers`), so they never fill the disk it needs to start.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import secrets
import shutil
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.errors import DataSyntaxError, StoreError
from graph.files import fsync_directory, replacing
from graph.iris import graph_iri
from graph.store.claims import Claim, remove_path, remove_unclaimed
from graph.store.location import MEASURES_FILE, WARM_FILE

__all__ = [
    "EDITS_GRAPH",
    "borrowed_blank_node",
    "discard_served_copy",
    "edits_file",
    "fresh_blank_nodes",
    "make_served_copy",
    "read_edits",
    "remove_leftovers",
    "remove_served_copies",
    "write_edits",
]

#: The one graph that clients may write.
EDITS_GRAPH = graph_iri("edits")
_COUNTER = itertools.count(1)
#: The served copies this process made and still holds, by resolved path.
_COPIES: dict[Path, Claim] = {}
_COPIES_LOCK = threading.Lock()


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


def borrowed_blank_node(
    edits: Iterable[ox.Quad], store: ox.Store
) -> tuple[ox.Quad, ox.Quad] | None:
    """An edits quad with a blank node that also occurs in another graph of ``store`` (not
    ``edits``, nor ``inferred``, which is derived from it), and that occurrence; or ``None``.

    A blank node is local to its graph's data: one label shared with the curated graph
    would, in the store that serves both, attach the edit to curated data.
    """
    own = {ox.NamedNode(EDITS_GRAPH), ox.NamedNode(graph_iri("inferred"))}
    seen: set[ox.BlankNode] = set()
    for quad in edits:
        for term in (quad.subject, quad.object):
            if not isinstance(term, ox.BlankNode) or term in seen:
                continue
            seen.add(term)
            for found in (
                *store.quads_for_pattern(term, None, None),
                *store.quads_for_pattern(None, None, term),
            ):
                if found.graph_name not in own:
                    return quad, found
    return None


def write_edits(path: Path, quads: Iterable[ox.Quad]) -> None:
    """Replace the edits file with ``quads`` atomically and durably.

    The quads go to a temporary file beside it (written and fsynced, claimed while it is
    written), which is renamed over the file; the directory is then fsynced
    (:func:`graph.files.replacing`). Should any step fail, the old file is put back (a hard
    link to it was kept): nothing was written.

    :raises StoreError: a step failed (a full disk, an unwritable directory …).
    """
    data = ox.serialize(sorted(quads, key=str), format=ox.RdfFormat.N_QUADS) or b""
    previous: Claim | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            kept = path.parent / f".{path.name}.{secrets.token_hex(6)}.previous"
            os.link(path, kept)
            previous = Claim(kept)
        try:
            with replacing(path, durable=True, claim=True) as handle:
                _write_all(handle.fileno(), data)
        except BaseException:
            _put_back(path, previous.path if previous is not None else None)
            raise
    except OSError as exc:
        raise StoreError(f"cannot write the edits to {path}: {exc}") from exc
    finally:
        if previous is not None:
            previous.remove()


def _write_all(fd: int, data: bytes) -> None:
    """Write ``data`` to the new edits file's descriptor ``fd`` (unbuffered: the file is
    synced right after)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _put_back(path: Path, previous: Path | None) -> None:
    """Undo a rename over ``path`` whose durability is unknown: the ``previous`` file (a
    hard link to the old one) takes its place again, or there was none. Before the rename,
    this changes nothing: ``previous`` is the file ``path`` names."""
    if previous is not None:
        with contextlib.suppress(FileNotFoundError):
            os.replace(previous, path)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    with contextlib.suppress(OSError):  # best effort: the step that just failed
        fsync_directory(path.parent)


def make_served_copy(
    generation: Path,
    edits: list[ox.Quad],
    removed: Sequence[ox.Quad] = (),
    added: Sequence[ox.Quad] = (),
) -> Path:
    """A copy of the store in ``generation`` whose ``edits`` graph is ``edits``, without the
    quads ``removed`` and with the quads ``added`` (e.g. what a review decision changed in
    an ingested document's graph), and whose ``inferred`` graph is derived again; returns
    its directory, closed and ready to open.

    The copy is claimed by this process until :func:`discard_served_copy` or
    :func:`remove_served_copies` removes it. On failure nothing of it is left.

    :raises StoreError: the copy cannot be written.
    """
    target = _new_copy_directory(generation)
    try:
        shutil.copytree(
            generation,
            target,
            copy_function=_link_or_copy,
            dirs_exist_ok=True,
            ignore=_not_copied,
        )
        _replace_edits(target, edits, removed, added)
    except BaseException as exc:
        discard_served_copy(target)
        if isinstance(exc, OSError | RuntimeError | StoreError):
            raise StoreError(f"cannot write the edited store beside {generation}: {exc}") from exc
        raise
    return target


def _not_copied(directory: str, names: list[str]) -> set[str]:
    """What a served copy leaves out of the generation's files: the kept measures and warm
    caches (its graph differs), and hidden files — the temporary files of side files being
    replaced (:func:`graph.files.replacing`), which a warm-up or a verdict may rename away
    between the listing and the copy (RocksDB names none of its files with a dot)."""
    return {name for name in names if name.startswith(".") or name in _OWN_SIDE_FILES}


_OWN_SIDE_FILES = frozenset({MEASURES_FILE, WARM_FILE})


def _new_copy_directory(generation: Path) -> Path:
    """Create and claim an empty directory for a served copy of ``generation``."""
    stem = f".{_store_name(generation)}.served-{os.getpid()}"
    while True:
        target = generation.parent / f"{stem}-{next(_COUNTER)}"
        try:
            target.mkdir(mode=0o700)
        except FileExistsError:
            continue  # a killed server's, with this pid: the next number is free
        except OSError as exc:
            raise StoreError(f"cannot write the edited store beside {generation}: {exc}") from exc
        break
    try:
        claim = Claim(target)
    except OSError as exc:
        remove_path(target)
        raise StoreError(f"cannot write the edited store beside {generation}: {exc}") from exc
    with _COPIES_LOCK:
        _COPIES[target.resolve()] = claim
    return target


def _replace_edits(
    directory: Path, edits: list[ox.Quad], removed: Sequence[ox.Quad], added: Sequence[ox.Quad]
) -> None:
    """Put ``edits`` in the ``edits`` graph of the store in ``directory``, remove
    ``removed`` and add ``added``, and derive its ``inferred`` graph again: what the change
    alters of it (:func:`~graph.build.materialise.derive_changes`), or all of it if that
    cannot be said. At a million triples, removing and deriving all of it again took 9.5
    CPU seconds."""
    from graph.build.materialise import derive_changes, materialise
    from graph.store.oxigraph import OxigraphStore

    store = OxigraphStore.open(directory, read_only=False)
    graph = ox.NamedNode(EDITS_GRAPH)
    try:
        before = set(store.raw.quads_for_pattern(None, None, None, graph))
        changed = {q.triple for q in before.symmetric_difference(edits)}
        changed |= {q.triple for q in (*removed, *added)}
        store.raw.remove_graph(graph)
        for quad in removed:
            store.raw.remove(quad)
        store.extend(edits)
        store.extend(list(added))
        changes = derive_changes(store, changed)
        if changes is None:
            store.raw.remove_graph(ox.NamedNode(graph_iri("inferred")))
            store.extend(materialise(store))
        else:
            gone, new = changes
            for quad in gone:
                store.raw.remove(quad)
            store.extend(new)
    finally:
        store.close()
        del store
        gc.collect()  # pyoxigraph releases RocksDB's lock when the Store is collected


def discard_served_copy(directory: Path) -> None:
    """Remove the served copy in ``directory`` (made by this process) and its claim."""
    with _COPIES_LOCK:
        claim = _COPIES.pop(directory.resolve(), None)
    if claim is not None:
        claim.remove()
    else:
        remove_path(directory)


def remove_served_copies(generation: Path, keep: Iterable[Path] = ()) -> None:
    """Remove the served copies of ``generation``'s store made by this process or left by
    processes that are gone, except ``keep``."""
    kept = {Path(p).resolve() for p in keep}
    for entry in generation.parent.glob(f".{_store_name(generation)}.served-*"):
        resolved = entry.resolve()
        if resolved in kept:
            continue
        with _COPIES_LOCK:
            claim = _COPIES.pop(resolved, None)
        if claim is not None:
            claim.remove()
        else:
            remove_unclaimed([entry])


def remove_leftovers(generation: Path) -> list[Path]:
    """Remove what killed servers left beside ``generation``'s store: served copies and
    temporary edits files that no live process claims. Returns what was removed."""
    parent, name = generation.parent, _store_name(generation)
    candidates = [*parent.glob(f".{name}.served-*"), *parent.glob(f".{name}.edits.nq.*")]
    return remove_unclaimed(sorted(candidates))


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
