"""The ingested documents a server serves: their named graphs follow their files.

``policygraph build`` loads each ``documents/<slug>/document.ttl`` into the document's named
graph. A review decision rewrites that file — from the web or from the command line — and a
``policygraph ingest`` adds a folder; the server serves the change at once, without a
build: :class:`DocumentGraphs` keeps, for one served generation, how the document graphs of
the files differ from those the generation holds (quads to remove, quads to add), and
:class:`~serving.edits.EditService` serves a copy of the generation with those changes (and
``inferred``, hence the documents' ``pg:mentions``, derived again), exactly as it serves an
accepted edit.

The difference is taken triple by triple, and blank node by blank node (a passage, an
alternative: each a node of its own, with only IRIs and literals below it, as the review
tool writes them), because two parses of a file give different blank nodes: a decision on a
long document changes a few quads of the copy, not the tens of thousands of its graph. A
graph of another form is replaced whole.

What differs is found by the files' keys (modification time, size, inode), read once a
second by the server's watch (:mod:`serving.reload`) and right after a decision on the web.
When a generation is opened, each document graph it holds is compared with its file's
triples in the same way: a decision taken while no server ran, and not built yet, is served
too. A rebuild afterwards loads the same files, so it serves the same graph.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph.build.sources import DOCUMENTS_DIR, document_graph
from graph.errors import PolicyGraphError
from graph.files import FileKey, file_key
from graph.ingest.folder import DOCUMENT_FILE
from graph.ingest.review import document_quads, list_documents

__all__ = ["DECISION_WARM_SECONDS", "Change", "DocumentGraphs"]

_LOG = logging.getLogger(__name__)

#: The longest a decision waits for the caches of the store that serves it, in seconds: the
#: analyst is waiting for the page, and what a page needs is read on first use meanwhile
#: (an accepted SPARQL edit waits up to ``POLICYGRAPH_WARM_SECONDS``).
DECISION_WARM_SECONDS = 1.0


def _key(path: Path) -> FileKey | None:
    """:func:`graph.files.file_key`, or ``None`` for a file that is not there (any more)."""
    try:
        return file_key(path)
    except OSError:
        return None


#: A document graph's triples without blank nodes, and its blank nodes as trees keyed by
#: what points to them and what they hold (written as text).
_Split = tuple[set[ox.Quad], dict[tuple[tuple[str, ...], ...], list[list[ox.Quad]]]]

#: What changes in one graph: the quads to remove, the quads to add.
Change = tuple[list[ox.Quad], list[ox.Quad]]


def _split(quads: Iterable[ox.Quad]) -> _Split | None:
    """The quads without blank nodes, and each blank node with the one quad that points to
    it and its own quads, keyed by those quads with the node left out; None if a blank node
    holds or shares another (not a form the review tool writes)."""
    free: set[ox.Quad] = set()
    own: dict[ox.BlankNode, list[ox.Quad]] = {}
    pointing: dict[ox.BlankNode, list[ox.Quad]] = {}
    for quad in quads:
        subject, value = quad.subject, quad.object
        if isinstance(subject, ox.BlankNode):
            if isinstance(value, ox.BlankNode):
                return None
            own.setdefault(subject, []).append(quad)
        elif isinstance(value, ox.BlankNode):
            pointing.setdefault(value, []).append(quad)
        else:
            free.add(quad)
    trees: dict[tuple[tuple[str, ...], ...], list[list[ox.Quad]]] = {}
    for node in own.keys() | pointing.keys():
        into, held = pointing.get(node, []), own.get(node, [])
        if len(into) > 1:
            return None
        key = (
            tuple(f"{q.subject} {q.predicate}" for q in into),
            tuple(sorted(f"{q.predicate} {q.object}" for q in held)),
        )
        trees.setdefault(key, []).append(into + held)
    return free, trees


def _change(held: list[ox.Quad], new: list[ox.Quad]) -> Change:
    """What turns the graph ``held`` into ``new`` (isomorphic to it afterwards)."""
    before, after = _split(held), _split(new)
    if before is None or after is None:
        return held, new
    removed = list(before[0] - after[0])
    added = list(after[0] - before[0])
    for key in before[1].keys() | after[1].keys():
        old, fresh = before[1].get(key, []), after[1].get(key, [])
        removed += [q for tree in old[len(fresh) :] for q in tree]
        added += [q for tree in fresh[len(old) :] for q in tree]
    return removed, added


class DocumentGraphs:
    """The document graphs of one served generation that its files have changed since the
    build, read from the data directories ``data_dirs`` (as the build reads them)."""

    def __init__(self, data_dirs: Iterable[Path]) -> None:
        self.data_dirs = list(data_dirs)
        self._lock = threading.Lock()
        #: The key of each document's files when last read (slug → keys, one per directory).
        self._seen: dict[str, tuple[FileKey | None, ...]] = {}
        #: How the files' graphs differ from the generation's: graph IRI → change.
        self._changed: dict[str, Change] = {}
        self._generation: ox.Store | None = None

    @property
    def changed(self) -> dict[str, Change]:
        """How the document graphs to serve differ from the generation's (IRI → quads to
        remove, quads to add)."""
        with self._lock:
            return dict(self._changed)

    def start(self, generation: ox.Store) -> bool:
        """Take the files as they are now, and keep those whose triples differ from the
        graphs of ``generation``; whether any do."""
        with self._lock:
            self._generation = generation
            self._seen = self._keys()
            self._changed = {}
            for slug in self._seen:
                quads = self._read(slug)
                if quads is not None:
                    self._note(slug, quads)
            return bool(self._changed)

    def stale(self) -> bool:
        """Whether a document's files changed since last read (a look, nothing read)."""
        with self._lock:
            seen = dict(self._seen)
        return self._keys() != seen

    def refresh(self) -> bool:
        """Read the documents whose files changed since last read (a decision, an ingest,
        a folder removed); whether any did."""
        with self._lock:
            keys = self._keys()
            found = False
            for slug in sorted(set(keys) | set(self._seen)):
                if keys.get(slug) == self._seen.get(slug):
                    continue
                if slug in keys:
                    self._seen[slug] = keys[slug]
                    quads = self._read(slug)
                else:  # the folder is gone: so is the document's graph
                    del self._seen[slug]
                    quads = []
                if quads is not None:  # unreadable: what was read before stays served
                    self._note(slug, quads)
                    found = True
            return found

    def _note(self, slug: str, quads: list[ox.Quad]) -> None:
        """Keep how ``quads``, the document's graph now, differ from the generation's."""
        graph = ox.NamedNode(document_graph(slug))
        held: list[ox.Quad] = []
        if self._generation is not None:
            held = list(self._generation.quads_for_pattern(None, None, None, graph))
        stored = ox.Store()  # literals as a store keeps them ("0.500" is 0.5)
        stored.extend(quads)
        removed, added = _change(held, list(stored))
        if removed or added:
            self._changed[graph.value] = (removed, added)
        else:
            self._changed.pop(graph.value, None)

    def reread(self) -> None:
        """Forget what was read, so that the next :meth:`refresh` reads every document again
        (after a copy with them could not be served)."""
        with self._lock:
            self._seen = {}

    def _keys(self) -> dict[str, tuple[FileKey | None, ...]]:
        """The keys of every document's files, by slug."""
        slugs = {slug for directory in self.data_dirs for slug in list_documents(directory)}
        return {
            slug: tuple(
                _key(directory / DOCUMENTS_DIR / slug / DOCUMENT_FILE)
                for directory in self.data_dirs
            )
            for slug in sorted(slugs)
        }

    def _read(self, slug: str) -> list[ox.Quad] | None:
        """The document's quads from every data directory that holds it (as the build
        loads them), or None if one does not parse (logged)."""
        quads: list[ox.Quad] = []
        for directory in self.data_dirs:
            if not (directory / DOCUMENTS_DIR / slug / DOCUMENT_FILE).is_file():
                continue
            try:
                quads += document_quads(directory, slug)
            except PolicyGraphError as exc:
                _LOG.warning("the document %s is not served anew: %s", slug, exc)
                return None
        return quads
