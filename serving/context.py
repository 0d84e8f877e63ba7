"""One served store and everything the server reads from it once: :class:`StoreContext`.

A served store never changes while it is served — a rebuild or an accepted edit publishes
a new store, in a new context (:mod:`serving.publish`) — so what the pages read from the
whole store (the label index, the proposal catalogue, the cards, the framework and
ontology tables, the projection and its measures) is read once, kept in the context's
:class:`~graph.memo.Memo`, and goes with the context when it is retired. There is no
module-level cache keyed by store and no check of the store's size: on a remote store that
check was a ``COUNT(*)`` over the endpoint for every lookup.

Routes get the context of their request through one dependency
(:func:`api.deps.get_context`); :meth:`StoreContext.warm_up` fills it in the background
before it is published, so first visits are fast.
"""

from __future__ import annotations

import gc
import logging
import pickle
import subprocess
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from graph.errors import StoreError
from graph.store.port import GraphStore
from serving import collector, store_lane, warm_cache
from serving.analytics import StoreAnalytics
from serving.catalogue import ProposalCatalogue
from serving.settings import Settings
from serving.store_reads import StoreReads, WarmStep

if TYPE_CHECKING:
    from graph.query.entity import EntityDescription
    from serving.edits import EditService
    from viz.data import GraphData

__all__ = ["DESCRIBED_AT_WARM_UP", "DESCRIPTIONS_KEPT", "StoreContext", "WarmStep"]

_LOG = logging.getLogger(__name__)

#: Entity descriptions kept per context (each costs a few hundred milliseconds to read).
DESCRIPTIONS_KEPT = 512
#: The most connected entities described by the warm-up: their pages are the heaviest
#: (Korea's took half a second on a first visit), and the most visited.
DESCRIBED_AT_WARM_UP = 8


class StoreContext(StoreReads):
    """The store one server publishes, its edits, and what is read from it once: the reads
    of the store alone (:class:`~serving.store_reads.StoreReads`), the projection and what
    follows from it.

    ``generation`` is the directory holding exactly the data served — the store
    generation, or the served copy of it with the accepted edits — or ``None`` for a store
    in memory or behind a remote endpoint. ``kept``: what is computed once (the warm caches,
    the network measures) is read from and kept in ``generation`` for a later server — a
    built generation's, not a served copy's: no later server opens a served copy (each
    makes its own), and a file written there by a warm-up still running when the copy is
    removed would keep its directory from going. ``release`` closes what only this context
    uses (called by :meth:`close`, once no request uses the context any more).
    """

    def __init__(
        self,
        store: GraphStore,
        settings: Settings,
        *,
        generation: Path | None = None,
        edits: EditService | None = None,
        release: Callable[[], None] | None = None,
        kept: bool = True,
    ) -> None:
        super().__init__(store)
        self.settings = settings
        self.generation = generation
        self.kept = kept and generation is not None
        self.edits = edits
        #: Set once :meth:`warm_up` has filled the caches and kept them (or tried and failed).
        self.warm = threading.Event()
        self._release = release
        self._closed = False
        self._warming: threading.Thread | None = None
        self._lock = threading.Lock()
        self._descriptions: OrderedDict[str, EntityDescription] = OrderedDict()
        self._child: subprocess.Popen[bytes] | None = None
        #: The pages' steps given to :meth:`warm_up`.
        self._also: list[WarmStep] = []

    def __repr__(self) -> str:
        return f"StoreContext({self.store!r}, generation={self.generation})"

    @property
    def section_links(self) -> dict[str, Markup]:
        """Each section's proposals as the home page lists them (``<li>`` links), by section
        slug: the template's loop over every proposal took most of the page's time at 1M
        triples (37,664 links), and making them 108 CPU ms of its first visit."""
        return self.memo.get("home_sections", lambda: _section_links(self.catalogue))

    @property
    def analytics(self) -> StoreAnalytics:
        """The projection and its network measures."""
        return self.memo.get(
            "analytics",
            lambda: StoreAnalytics(self.store, self.generation, self.memo, kept=self.kept),
        )

    @property
    def graph_data(self) -> GraphData:
        """What the views draw from (:func:`viz.data.graph_data`)."""
        from viz.data import graph_data

        return graph_data(self.store, self.memo)

    def description(self, slug: str) -> EntityDescription:
        """The description of the entity ``slug`` (the most recent few hundred are kept).

        :raises UnknownEntityError: no entity has that slug.
        """
        from graph.query.entity import describe_entity

        if "hub_descriptions" in self.memo:
            hubs: Mapping[str, EntityDescription] = self.memo.get("hub_descriptions", dict)
            if slug in hubs:
                return hubs[slug]
        with self._lock:
            if slug in self._descriptions:
                self._descriptions.move_to_end(slug)
                return self._descriptions[slug]
        found = describe_entity(self.store, slug)
        with self._lock:
            self._descriptions[slug] = found
            while len(self._descriptions) > DESCRIPTIONS_KEPT:
                self._descriptions.popitem(last=False)
        return found

    @property
    def hub_descriptions(self) -> Mapping[str, EntityDescription]:
        """The descriptions of the :data:`DESCRIBED_AT_WARM_UP` most connected entities,
        read once (kept with the warm caches) and kept for the context's life."""
        from graph.query.entity import describe_entity

        def read() -> Mapping[str, EntityDescription]:
            # Models, not rows made models on each visit (serving.model_rows.KeptModels):
            # at 5M triples 226 MB against 79, but a hub's first visit once warm took
            # 319 ms at 1M as rows (the goal is 300), 226 as models.
            hubs = self.analytics.most_connected(top=DESCRIBED_AT_WARM_UP)
            return {hub.slug: describe_entity(self.store, hub.slug) for hub in hubs}

        return self.memo.get("hub_descriptions", read)

    def _count_hub_questions(self) -> None:
        """Count the answers of the named queries offered on the most connected entities'
        pages (kept in the memo): a hub's take seconds at 1M triples."""
        from graph.query.entity_questions import questions_for
        from graph.query.named import load_named_queries

        queries = load_named_queries(self.settings.queries)
        for slug, hub in self.hub_descriptions.items():
            types = {t.name for t in hub.types if t.name}
            questions_for(self.store, queries, slug, types, self.memo)

    # Warming and closing ----------------------------------------------------------------

    def warm_up(self, also: Sequence[WarmStep] = ()) -> threading.Thread:
        """Fill the caches in a daemon thread (once; later calls return the same thread),
        and then make ``also``: what the web app's pages compute once (they come after the
        store's reads, in that lane; ``serving`` does not import the pages).

        Betweenness (behind centrality, communities and brokers) is computed in a child
        process meanwhile (:meth:`StoreAnalytics.prefetch`): it is pure Python holding the
        interpreter lock for seconds — minutes on large graphs — and computing it in a
        thread of the server slowed every request answered meanwhile.
        """
        with self._lock:
            if self._warming is not None:
                return self._warming
            self._also = list(also)
            self._warming = threading.Thread(
                target=self._fill, name="policygraph-warm-up", daemon=True
            )
        self._warming.start()
        return self._warming

    def warm_lanes(self) -> tuple[list[WarmStep], list[WarmStep]]:
        """What :meth:`warm_up` reads, in two lanes run side by side, each in order; each
        step named as its log line names it.

        The first lane is the projection and what follows from it, the second the reads of
        the store alone (:meth:`~serving.store_reads.StoreReads.store_lane`), then what
        follows from those. pyoxigraph 0.5 holds the interpreter lock while it evaluates
        (``bench.engine_lock``), so two lanes in threads hardly overlap: for a large store
        on disk a child process makes the store's reads (:mod:`serving.store_lane`), on
        the other core, and hands them back. The pages' steps given to :meth:`warm_up` end
        the second lane.
        """
        analytics = self.analytics
        from_projection: list[WarmStep] = [
            ("projection", lambda: analytics.graph),
            ("measures started", analytics.prefetch),
            ("most connected", lambda: analytics.most_connected(top=1)),
            ("the most connected entities' descriptions", lambda: self.hub_descriptions),
            ("the most connected entities' questions", self._count_hub_questions),
            ("views' data", lambda: self.graph_data),
            ("framework overlap", lambda: analytics.overlap()),
            ("the most overlapping frameworks", lambda: analytics.overlap_pairs()),
            ("evidence", lambda: analytics.provenance),
            ("network measures", lambda: analytics.centrality(top=1)),  # the child's
        ]
        from_store: list[WarmStep] = [
            *self.store_lane(),
            ("home page's section lists", lambda: self.section_links),
            *self._also,
        ]
        return from_projection, from_store

    def warm_steps(self) -> list[WarmStep]:
        """Every step of :meth:`warm_lanes`, one lane after the other."""
        first, second = self.warm_lanes()
        return [*first, *second]

    def _fill(self) -> None:
        started = time.monotonic()
        restored: list[str] = []
        try:
            import viz.html  # noqa: F401 - the views import pyvis and numpy: half a second

            if self.generation is not None and self.kept:
                step = time.monotonic()
                restored = warm_cache.restore(self.generation, self.memo, quads=self.triples)
                if restored:
                    _LOG.info(
                        "warm-up: %d caches read from %s in %.1f s",
                        len(restored), warm_cache.WARM_FILE, time.monotonic() - step,
                    )  # fmt: skip
            first, second = self.warm_lanes()
            with tempfile.TemporaryDirectory(prefix="policygraph-warm-") as scratch:
                child = _ChildLane(Path(scratch)) if self._reads_in_child(restored) else None
                beside: Future[bool] = Future()
                threading.Thread(  # a daemon, as this one: a shutdown does not wait for it
                    target=lambda: _settle(beside, lambda: self._walk_beside(second, child)),
                    name="policygraph-warm-up-store", daemon=True,
                ).start()  # fmt: skip
                walked = self._walk(first) and (child is None or self._take_over(child))
                if not (beside.result() and walked):  # the other lane's error is raised here
                    return
                # Models' sets held once (the child's values were, by the child).
                warm_cache.share_field_sets(self.memo, [*restored, *(child.keys if child else [])])
                collector.freeze_survivors()  # unfrozen when a context closes
                self._keep(restored, child)
            _LOG.info("caches warm in %.1f s", time.monotonic() - started)
        except StoreError as exc:  # closed by a shutdown or a swap meanwhile, or damaged
            # The message only: the exception holds frames with query results, which must
            # not be dropped by another thread (a log record may outlive this one).
            _LOG.warning("warming the caches stopped: %s", str(exc))
            return
        except Exception:  # pragma: no cover - a broken store shows its error on use
            _LOG.exception("warming the caches failed")
            return
        finally:
            self.warm.set()

    def _walk_beside(self, steps: list[WarmStep], child: _ChildLane | None) -> bool:
        """The second lane: the store's reads made by a ``child`` process and handed back
        when that pays (:mod:`serving.store_lane`; the server's own lane takes over those it
        has not begun), the rest read here."""
        if child is not None:
            assert self.generation is not None
            step = time.monotonic()
            try:
                made = store_lane.make_in_child(self.generation, child.scratch, started=self._track)
                child.keys = warm_cache.hand_over(child.file, self.memo)
            except (RuntimeError, OSError, EOFError, pickle.UnpicklingError) as exc:
                if self._closed:
                    return False
                _LOG.warning("warm-up: the store's reads are made here: %s", exc)
            else:
                for name, seconds in made:
                    _LOG.info("warm-up: %s (child process) in %.1f s", name, seconds)
                _LOG.info(
                    "warm-up: the store's reads handed back by a child process in %.1f s",
                    time.monotonic() - step,
                )
                # The child made the first of them, and the other lane took over the rest.
                lane = {name for name, _ in self.store_lane()}
                steps = [(name, read) for name, read in steps if name not in lane]
        return self._walk(steps)

    def _take_over(self, child: _ChildLane) -> bool:
        """Make the store's reads the ``child`` has not begun, from the last one back, until
        one it holds (:class:`serving.store_lane.Claims`); ``False`` if the context closed."""
        steps = self.store_lane()
        for index in reversed(range(len(steps))):
            if not child.claims.claim(index):
                return True  # the child's, as is every read before it
            if not self._walk([steps[index]]):
                return False
        return True

    def _reads_in_child(self, restored: list[str]) -> bool:
        """Whether a child process makes the store's reads: for a store on disk of at least
        :data:`serving.store_lane.CHILD_QUADS` quads, when no warm caches were ``restored``."""
        return (
            self.generation is not None and not restored and self.triples >= store_lane.CHILD_QUADS
        )

    def _track(self, child: subprocess.Popen[bytes]) -> None:
        """Hold the store lane's child, ended by :meth:`close` if it runs then."""
        self._child = child
        if self._closed:
            child.kill()

    def _keep(self, restored: list[str], child: _ChildLane | None) -> None:
        """Write the caches read now (not ``restored``) beside the generation, for the next
        server — once per generation, before the context says it is warm. The values a
        child made are copied from ``handed``'s file as they are.

        Writing them is pickling that holds the interpreter lock (5 s at 1M triples, 33 s at
        5M): done once warm, it ran beside the first visits, which took two to seven times
        as long. A first start is warm that much later; a restart reads them and keeps
        nothing.
        """
        read_now = [key for key in warm_cache.KEPT if key in self.memo and key not in restored]
        if self.generation is None or not self.kept or self._closed or not read_now:
            return
        step = time.monotonic()
        handed = child.keys if child is not None else []
        kept = warm_cache.keep(
            self.generation, self.memo, quads=self.triples,
            handed=child.file if child is not None and handed else None, handed_keys=handed,
        )  # fmt: skip
        _LOG.info(
            "warm-up: caches %s %s in %.1f s",
            "kept in" if kept else "not kept in", warm_cache.WARM_FILE, time.monotonic() - step,
        )  # fmt: skip

    def _walk(self, steps: list[WarmStep]) -> bool:
        """Read ``steps`` in order, logging each; ``False`` if the context closed meanwhile."""
        for name, read in steps:
            if self._closed:
                return False
            step = time.monotonic()
            with collector.held_off():  # what a step makes lives on: nothing to collect
                read()
            _LOG.info("warm-up: %s in %.1f s", name, time.monotonic() - step)
        return True

    def close(self) -> None:
        """Forget what was read and release what only this context holds (once)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._child is not None and self._child.poll() is None:
            self._child.kill()  # the store lane's: its values would go unread
        self.memo.clear()
        self._descriptions.clear()
        gc.unfreeze()  # its values, frozen by a warm-up, are collected again
        if self._release is not None:
            self._release()


def _section_links(catalogue: ProposalCatalogue) -> dict[str, Markup]:
    """:attr:`StoreContext.section_links` of ``catalogue``, each label escaped."""
    by_section: dict[str, list[str]] = {}
    for section, slug, label in catalogue.in_sections():  # from the columns, no models
        by_section.setdefault(section, []).append(
            f'<li><a href="/id/{escape(slug)}">{escape(label)}</a></li>'
        )
    return {slug: Markup("".join(items)) for slug, items in by_section.items()}


@dataclass
class _ChildLane:
    """A store lane's child: its scratch directory, the server's claims of its reads, and
    the keys of the values it handed back."""

    scratch: Path
    keys: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.claims = store_lane.Claims(self.scratch)

    @property
    def file(self) -> Path:
        """The file the child pickles its values into."""
        return self.scratch / store_lane.VALUES_FILE


def _settle(future: Future[bool], work: Callable[[], bool]) -> None:
    """Run ``work`` and put its answer, or its error, in ``future``."""
    try:
        future.set_result(work())
    except StoreError as exc:
        # Only the message goes on (see ``_fill``): the frames of the failed step, which
        # hold query results, are let go here, in the thread that made them.
        future.set_exception(StoreError(str(exc)))
    except BaseException as exc:  # re-raised by the waiting thread
        future.set_exception(exc)
