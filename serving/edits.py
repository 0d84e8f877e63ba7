"""Writes into the ``edits`` graph: who may, what may change, and how it is committed.

* **Access** (:func:`check_update_token`): updates are off unless the server was started
  with ``POLICYGRAPH_UPDATE_TOKEN``; a write then needs ``Authorization: Bearer <token>``,
  compared with :func:`hmac.compare_digest`. No header is 401, a wrong token 403.
* **Only the edits graph** (:meth:`EditService.update`): a SPARQL update runs first on a
  *scratch copy* — an in-memory store holding the ontology, curated, background and edits
  graphs — and is refused (403) if any graph but ``edits`` (the default graph included)
  differs afterwards. So the rule holds whatever the update's form (``INSERT DATA``,
  ``DELETE/INSERT … WHERE``, ``CLEAR``, ``DROP ALL`` …), with nothing parsed by hand.
  The scratch copy lives in a short-lived child process without network
  (:mod:`graph.store.update_worker`), killed at ``POLICYGRAPH_UPDATE_TIMEOUT`` seconds
  (503), and an update changing more than ``POLICYGRAPH_MAX_UPDATE_TRIPLES`` triples or
  needing more than ``POLICYGRAPH_UPDATE_MEMORY_MB`` is refused (400): a crash or a runaway
  update costs the child, never the server.
* **SHACL before commit**: the curated, background and new edits triples are validated with
  the ontology against the shapes; a violation is 422 with the readable report, and
  nothing is written. Once the edits served are known to conform (a whole validation
  passed: in the background when the service starts with ``check_base``, or at an edit),
  an edit validates only the focus nodes whose shapes read a triple it changes
  (:func:`~graph.build.validate.check_changes`, in the served copy made for it) — the
  same verdict, in a fraction of a second at a million triples where the whole took 18
  CPU seconds; a change that cannot be bounded is validated whole
  (:func:`~graph.build.validate_sources`). Which edits are known to conform, with which
  shapes, is kept beside the generation's data (:data:`CONFORMS_FILE`), so a restart does
  not validate them whole again.
* **Data only** (:meth:`EditService._check_data_only`, for updates and Graph Store writes alike):
  an edit that would change what the ontology means (:mod:`graph.store.ontology_lock`), or
  whose blank node is a node of another graph (:func:`~graph.store.edits.borrowed_blank_node`),
  is refused (403) with the first such triple. Graph Store bodies get fresh blank nodes.
* **Commit, exactly once**: the served copy of the store with the new edits is made,
  validated and opened first; then the edits file is replaced atomically and durably
  (:mod:`graph.store.edits`) — the commit point; then the copy is swapped in for readers.
  A failure before the commit point removes the copy and leaves the old file: an error
  means nothing was written, also after a restart; 204 means the edit is on disk.
  At start, what a killed server left beside the store is removed first.

Updates are serialised by one lock; readers never wait for them.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from graph.errors import (
    EditRejectedError,
    UpdateRefusedError,
    UpdateUnauthorizedError,
)
from graph.errors import ValidationError as ShapesError
from graph.files import write_atomically
from graph.iris import graph_iri
from graph.query.guard import guard_update
from graph.store.edits import (
    EDITS_GRAPH,
    borrowed_blank_node,
    discard_served_copy,
    fresh_blank_nodes,
    make_served_copy,
    read_edits,
    remove_leftovers,
    remove_served_copies,
    write_edits,
)
from graph.store.ontology_lock import ontology_change, ontology_terms
from graph.store.oxigraph import OxigraphStore
from graph.store.update_worker import DEFAULT_LIMITS, UpdateLimits, run_update
from ontology import SHAPES_FILE
from serving.documents import DECISION_WARM_SECONDS, DocumentGraphs
from serving.settings import Settings

__all__ = ["CONFORMS_FILE", "EditService", "Publish", "check_update_token", "update_limits"]

_LOG = logging.getLogger(__name__)
#: The graphs an edit is validated with (the ingested documents' are validated by a build).
_VALIDATED = ("ontology", "curated", "background", "edits")
#: In a generation's directory: the digests of the shapes and of the edits last known to
#: conform with its data.
CONFORMS_FILE = "policygraph-conforms.json"

_UPDATES_OFF = (
    "this server serves the graph read-only: updates are off; start it with "
    "POLICYGRAPH_UPDATE_TOKEN set to allow writes into the edits graph"
)


def check_update_token(settings: Settings, authorization: str | None) -> None:
    """Let a write through only with the configured bearer token.

    :raises UpdateRefusedError: no token is configured, or the one given is wrong (403).
    :raises UpdateUnauthorizedError: no ``Authorization: Bearer`` header (401).
    """
    if settings.update_token is None:
        raise UpdateRefusedError(_UPDATES_OFF)
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise UpdateUnauthorizedError(
            "a write needs the header 'Authorization: Bearer <POLICYGRAPH_UPDATE_TOKEN>'"
        )
    expected = settings.update_token.get_secret_value().encode()
    if not hmac.compare_digest(given.strip().encode(), expected):
        raise UpdateRefusedError("the bearer token is not this server's update token")


class Publish(Protocol):
    """How a service hands a new store to the server: published after its caches warm for
    at most ``wait`` seconds (``None``: the server's ``POLICYGRAPH_WARM_SECONDS``)."""

    def __call__(self, store: OxigraphStore, wait: float | None = None) -> None: ...


class EditService:
    """The edits of one served store: validate, commit, and publish them to readers.

    ``publish`` is called with each newly opened store (the app swaps it in).
    """

    def __init__(
        self,
        generation: OxigraphStore,
        edits_path: Path,
        publish: Publish,
        documents: DocumentGraphs | None = None,
        *,
        check_base: bool = False,
    ) -> None:
        assert generation.location is not None
        self.generation = generation
        self.edits_path = edits_path
        self._publish = publish
        #: The ingested documents whose graphs the served copies replace (serving/documents.py).
        self.documents = documents
        self._lock = threading.Lock()
        self._served: list[Path] = []
        #: Served copies still read beside the newest (the explorer's pages' while the
        #: newest warms: serving/publish.py), kept when older copies are removed.
        self.in_use: Callable[[], list[Path]] = list
        #: The edits last known to conform with the rest of the data (a whole validation
        #: passed, or an edit's): the base an edit's own validation starts from.
        self._conforming: frozenset[ox.Quad] | None = None
        self._check_base = check_base

    def open_served(self) -> OxigraphStore:
        """The store to serve at start: the generation itself when its ``edits`` graph is
        the edits file's content (as after a build), else a served copy with the file's.

        Served copies and temporary edits files that killed servers left are removed first:
        they may hold the disk space a new copy needs."""
        assert self.generation.location is not None
        remove_leftovers(self.generation.location)
        edits = read_edits(self.edits_path)
        try:
            self._check_data_only(edits)
        except UpdateRefusedError as exc:  # written before the rule: served until removed
            _LOG.warning("the edits file %s holds a refused triple: %s", self.edits_path, exc)
        documents_changed = self.documents is not None and self.documents.start(self.generation.raw)
        if self._check_base and self._known_to_conform(edits):
            self._conforming = frozenset(edits)
        elif self._check_base:
            threading.Thread(
                target=self._validate_base, args=(edits,), name="policygraph-edits-base",
                daemon=True,
            ).start()  # fmt: skip
        if not documents_changed and set(edits) == set(
            self._graph(self.generation.raw, EDITS_GRAPH)
        ):
            return self.generation
        return self._adopt(self._prepare(edits))

    def refresh_documents(self, *, wait: bool = True) -> bool:
        """Serve the ingested documents whose files changed since they were last served (a
        review decision, an ingest); whether any had (blocks: call it in a thread).

        It returns once the files as they are now are served: a refresh under way in another
        thread (the watch, another decision) may have read them first, and is waited for.
        Without ``wait`` (the watch, which looks once a second) it returns at once if no
        file changed since last read, not waiting for a running edit.

        :raises StoreError: the copy with them cannot be written (the old one stays served).
        """
        if self.documents is None or (not wait and not self.documents.stale()):
            return False
        with self._lock:
            if not self.documents.refresh():
                return False
            try:
                served = self._adopt(self._prepare(self.current_edits()))
            except BaseException:
                self.documents.reread()  # the watch tries again within a second
                raise
            self._publish(served, wait=DECISION_WARM_SECONDS)
            return True

    def current_edits(self) -> list[ox.Quad]:
        """The committed edits."""
        return read_edits(self.edits_path)

    def update(
        self,
        sparql: str,
        limits: UpdateLimits = DEFAULT_LIMITS,
        base_iri: str | None = None,
    ) -> None:
        """Run the SPARQL update ``sparql`` on the edits, if it writes only there (blocks:
        call it in a thread).

        It is evaluated in a sandboxed child process (:mod:`graph.store.update_worker`),
        killed past ``limits.timeout``; the edit lock is held meanwhile, and the result is
        committed here.

        :raises UpdateRefusedError: it would change another graph, or fetch something.
        :raises QuerySyntaxError: it does not parse, or nests too deeply.
        :raises QueryRefusedError: it changes more than ``limits.max_triples`` triples, or
            crashed the process evaluating it.
        :raises QueryTimeoutError: it ran past ``limits.timeout`` (nothing written).
        :raises EditRejectedError: the result violates the shapes.
        """
        guard_update(sparql)  # SERVICE, LOAD, deep nesting: refused before any parser
        assert self.generation.location is not None
        with self._lock:
            edits = run_update(
                self.generation.location, self.current_edits(), sparql, limits, base_iri
            )
            self._commit(edits)

    def replace(self, triples: list[ox.Triple] | None, *, add: bool = False) -> bool:
        """Replace the edits with ``triples`` (Graph Store ``PUT``; ``DELETE`` with
        ``None``), or add them (``POST`` with ``add=True``); whether there were none before.

        The body's blank nodes are fresh: ``_:x`` names a node of this request only.

        :raises UpdateRefusedError: the result would change the ontology.
        :raises EditRejectedError: the result violates the shapes.
        """
        graph = ox.NamedNode(EDITS_GRAPH)
        fresh = fresh_blank_nodes(triples or [])
        new = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in fresh]
        with self._lock:
            before = self.current_edits()
            quads = list({*before, *new}) if add else new
            self._commit(quads)
            return not before  # the graph was empty: the Graph Store answers 201 Created

    def close(self) -> None:
        """Remove the served copies this service made.

        The stores opened on them are closed by now, but RocksDB lets go of a directory only
        when its store is collected, and may write into it until then: removed first, a copy
        was once left behind (as a refused build's directory was, see graph/build)."""
        assert self.generation.location is not None
        gc.collect()
        remove_served_copies(self.generation.location)

    def _commit(self, edits: list[ox.Quad]) -> None:
        """Make ``edits`` the committed edits, exactly once.

        Everything that can fail comes before the commit point, the replacement of the edits
        file: validation, then the served copy, made and opened. A failure there removes the
        copy and leaves the old file. After it, only the swap for readers is left, and its
        failure is logged, not raised: the edit is on disk, and served from the next start.
        """
        self._check_data_only(edits)
        served = self._prepare(edits)
        try:
            self._validate(edits, served)
            write_edits(self.edits_path, edits)  # the commit point
        except BaseException:
            self._discard(served)
            raise
        self._conforming = frozenset(edits)
        self._keep_verdict(edits)
        try:
            self._publish(self._adopt(served))
        except Exception:
            _LOG.exception("the edit is written, but serving it failed; a restart serves it")

    def _prepare(self, edits: list[ox.Quad]) -> OxigraphStore:
        """A served copy of the generation with ``edits``, opened read-only, not yet used.

        :raises StoreError: it cannot be written or opened (nothing of it is left).
        """
        assert self.generation.location is not None
        changes = self.documents.changed.values() if self.documents is not None else []
        removed = [quad for gone, _ in changes for quad in gone]
        added = [quad for _, new in changes for quad in new]
        directory = make_served_copy(self.generation.location, edits, removed, added)
        try:
            return OxigraphStore.open(directory, read_only=True)
        except BaseException:
            discard_served_copy(directory)
            raise

    @staticmethod
    def _discard(served: OxigraphStore) -> None:
        """Close and remove a served copy that was never used."""
        assert served.location is not None
        served.close()
        discard_served_copy(served.location)

    def _adopt(self, served: OxigraphStore) -> OxigraphStore:
        """Keep ``served``'s copy, and the previous one (readers may still use it); remove
        this process's older copies."""
        assert self.generation.location is not None and served.location is not None
        self._served = [*self._served[-1:], served.location]
        try:
            keep = [*self._served, *self.in_use()]
            remove_served_copies(self.generation.location, keep=keep)
        except OSError:  # they go at the next start; the new copy is served all the same
            _LOG.exception("removing an old served copy failed")
        return served

    def _validate(self, edits: list[ox.Quad], served: OxigraphStore) -> None:
        """Refuse ``edits``, served in ``served``, unless they satisfy the shapes: only what
        they change if the edits before are known to conform, else everything.

        :raises EditRejectedError: the shapes are violated.
        """
        from graph.build.validate import check_changes

        base = self._conforming
        if base is not None:
            changed = base.symmetric_difference(edits)
            graphs = [ox.NamedNode(graph_iri(name)) for name in _VALIDATED]
            try:
                if check_changes(served.raw, changed, graphs) is not None:
                    return
            except ShapesError as exc:
                raise EditRejectedError(
                    f"the edit was not written: {exc}".replace("the data does", "the data would")
                ) from exc
            _LOG.info("an edit validated whole: what it changes reaches too far")
        self._validate_whole(edits)

    def _validate_base(self, edits: list[ox.Quad]) -> None:
        """Validate the data served with ``edits`` whole, in the background: if it conforms
        and no edit came meanwhile, the next edit validates only what it changes."""
        try:
            self._validate_whole(edits)
        except EditRejectedError as exc:
            _LOG.warning("the edits served do not conform to the shapes: %s", exc)
            return
        except Exception:  # pragma: no cover - logged: each edit then validates whole
            _LOG.exception("validating the served edits failed")
            return
        with self._lock:
            if self._conforming is None and set(edits) == set(self.current_edits()):
                self._conforming = frozenset(edits)
                self._keep_verdict(edits)

    def _known_to_conform(self, edits: list[ox.Quad]) -> bool:
        """Whether :data:`CONFORMS_FILE` says ``edits`` conform with the current shapes."""
        assert self.generation.location is not None
        try:
            kept = json.loads((self.generation.location / CONFORMS_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            return False
        return bool(kept == _verdict(edits))

    def _keep_verdict(self, edits: list[ox.Quad]) -> None:
        """Record that ``edits`` conform (best effort: a failure costs a whole validation)."""
        assert self.generation.location is not None
        data = json.dumps(_verdict(edits)).encode()
        try:
            write_atomically(self.generation.location / CONFORMS_FILE, data)
        except OSError as exc:
            _LOG.warning("cannot keep the edits' verdict in %s: %s", CONFORMS_FILE, exc)

    def _validate_whole(self, edits: list[ox.Quad]) -> None:
        """Validate the curated, background and ``edits`` triples with the ontology.

        :raises EditRejectedError: the shapes are violated.
        """
        from graph.build import Sources, validate_sources

        raw = self.generation.raw
        data = [q for name in ("curated", "background") for q in self._graph(raw, graph_iri(name))]
        sources = Sources(
            ontology=self._graph(raw, graph_iri("ontology")), data=data + edits, files=[]
        )
        try:
            validate_sources(sources)
        except ShapesError as exc:
            raise EditRejectedError(
                f"the edit was not written: {exc}".replace("the data does", "the data would")
            ) from exc

    def _check_data_only(self, edits: list[ox.Quad]) -> None:
        """Refuse an edits triple that describes the ontology, or that uses a blank node of
        another graph (the store serves both together: it would be the same node).

        :raises UpdateRefusedError: one does, named in the message.
        """
        for quad in edits:
            reason = ontology_change(quad, self._ontology_terms)
            if reason is not None:
                raise UpdateRefusedError(
                    f"an edit may not change what the ontology means: {quad.triple} — "
                    f"{reason}; change the ontology's files and rebuild instead"
                )
        borrowed = borrowed_blank_node(edits, self.generation.raw)
        if borrowed is not None:
            quad, found = borrowed
            graph = found.graph_name
            where = f"<{graph.value}>" if isinstance(graph, ox.NamedNode) else "the default graph"
            raise UpdateRefusedError(
                f"an edit may not use a blank node of other data: {quad.triple} — that node "
                f"is in {where}; give the thing an IRI to refer to it"
            )

    @functools.cached_property
    def _ontology_terms(self) -> frozenset[str]:
        """The IRIs the generation's ontology graph describes (it never changes)."""
        return ontology_terms(self._graph(self.generation.raw, graph_iri("ontology")))

    @staticmethod
    def _graph(store: ox.Store, iri: str) -> list[ox.Quad]:
        return list(store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))


def _verdict(edits: list[ox.Quad]) -> dict[str, str]:
    """What :data:`CONFORMS_FILE` holds for ``edits``: their digest and the shapes'."""
    quads = ox.serialize(sorted(edits, key=str), format=ox.RdfFormat.N_QUADS) or b""
    return {
        "shapes": hashlib.sha256(SHAPES_FILE.read_bytes()).hexdigest(),
        "edits": hashlib.sha256(quads).hexdigest(),
    }


def update_limits(settings: Settings) -> UpdateLimits:
    """The limits of one update on the server of ``settings``."""
    return UpdateLimits(
        timeout=settings.update_timeout,
        max_triples=settings.max_update_triples,
        memory_mb=settings.update_memory_mb,
    )
