"""The ingested documents a server serves: their named graphs follow their files.

``policygraph build`` loads each ``documents/<slug>/document.ttl`` into the document's named
graph. A review decision rewrites that file — from the web or from the command line — and a
``policygraph ingest`` adds a folder; the server serves the change at once, without a
build: :class:`DocumentGraphs` keeps, for one served generation, the document graphs whose
files differ from what the generation holds, and :class:`~serving.edits.EditService` serves
a copy of the generation with those graphs replaced (and ``inferred``, hence the documents'
``pg:mentions``, derived again), exactly as it serves an accepted edit.

What differs is found by the files' keys (modification time, size, inode), read once a
second by the server's watch (:mod:`serving.reload`) and right after a decision on the web.
When a generation is opened, each document graph it holds is compared with its file's
triples (blank nodes aside): a decision taken while no server ran, and not built yet, is
served too. A rebuild afterwards loads the same files, so it serves the same graph.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph.build.sources import DOCUMENTS_DIR, document_graph
from graph.errors import PolicyGraphError
from graph.ingest.folder import DOCUMENT_FILE
from graph.ingest.review import document_quads, list_documents

__all__ = ["DECISION_WARM_SECONDS", "DocumentGraphs"]

_LOG = logging.getLogger(__name__)

#: The longest a decision waits for the caches of the store that serves it, in seconds: the
#: analyst is waiting for the page, and what a page needs is read on first use meanwhile
#: (an accepted SPARQL edit waits up to ``POLICYGRAPH_WARM_SECONDS``).
DECISION_WARM_SECONDS = 1.0

#: A file's modification time, size and inode: what changes when it is rewritten.
_FileKey = tuple[int, int, int]


def _key(path: Path) -> _FileKey | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _shape(quads: Iterable[ox.Quad]) -> Counter[tuple[str, str, str]]:
    """The triples of ``quads`` with every blank node written as ``_``: two parses of one
    file give different blank nodes, and a decision never changes only those."""

    def name(term: object) -> str:
        return "_" if isinstance(term, ox.BlankNode) else str(term)

    return Counter((name(q.subject), str(q.predicate), name(q.object)) for q in quads)


class DocumentGraphs:
    """The document graphs of one served generation that its files have changed since the
    build, read from the data directories ``data_dirs`` (as the build reads them)."""

    def __init__(self, data_dirs: Iterable[Path]) -> None:
        self.data_dirs = list(data_dirs)
        self._lock = threading.Lock()
        #: The key of each document's files when last read (slug → keys, one per directory).
        self._seen: dict[str, tuple[_FileKey | None, ...]] = {}
        #: The graphs that replace the generation's: graph IRI → quads.
        self._changed: dict[str, list[ox.Quad]] = {}

    @property
    def changed(self) -> dict[str, list[ox.Quad]]:
        """The document graphs to serve instead of the generation's (IRI → quads)."""
        with self._lock:
            return dict(self._changed)

    def start(self, generation: ox.Store) -> bool:
        """Take the files as they are now, and keep those whose triples differ from the
        graphs of ``generation``; whether any do."""
        with self._lock:
            self._seen = self._keys()
            self._changed = {}
            for slug in self._seen:
                quads = self._read(slug)
                if quads is None:
                    continue
                graph = ox.NamedNode(document_graph(slug))
                held = generation.quads_for_pattern(None, None, None, graph)
                stored = ox.Store()  # literals as a store keeps them ("0.500" is 0.5)
                stored.extend(quads)
                if _shape(stored) != _shape(held):
                    self._changed[graph.value] = quads
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
                    self._changed[document_graph(slug)] = quads
                    found = True
            return found

    def reread(self) -> None:
        """Forget what was read, so that the next :meth:`refresh` reads every document again
        (after a copy with them could not be served)."""
        with self._lock:
            self._seen = {}

    def _keys(self) -> dict[str, tuple[_FileKey | None, ...]]:
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
