"""``policygraph build``: Turtle → store → validated (SHACL) → materialised, atomically.

The Turtle files are loaded into a new store beside the current one; the shapes, compiled
to SPARQL, run on that store (:mod:`graph.build.validate`); only a store whose data conforms
is materialised and swapped in. :class:`BuildReport` keeps each stage's time.

>>> from graph import DATA_DIR
>>> sources = load_sources([DATA_DIR])
>>> len(sources.ontology) > 100 and len(sources.files) > 5
True
"""

from __future__ import annotations

import gc
import threading
import time
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.build.materialise import Derived, derive
from graph.build.sources import DataFile, discover, file_origins, load_file, parse_file
from graph.build.validate import check_store
from graph.errors import StoreError
from graph.iris import ONTOLOGY_NS, graph_iri
from graph.shacl import Report
from graph.stats import class_counts, graph_sizes
from graph.store import OxigraphStore, StoreLocation
from graph.store.edits import edits_file, read_edits
from graph.store.location import write_marker
from ontology import ONTOLOGY_FILE

__all__ = ["BuildReport", "Sources", "build_store", "load_sources", "validate_sources"]

_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass
class Sources:
    """Everything a build reads: the ontology and the data files, parsed."""

    ontology: list[ox.Quad]
    data: list[ox.Quad]
    files: list[DataFile]
    origins: dict[ox.NamedNode | ox.BlankNode, Path] = field(default_factory=dict)


@dataclass
class BuildReport:
    """What a build did: where, how much, how long."""

    store: Path
    quads_by_graph: dict[str, int]
    classes: dict[str, int]
    seconds: float
    #: Seconds of each stage. Two threads run at once: "load (memory)" then "validate" in
    #: one, "load (disk)", "materialise" then "count" in the other; "optimise + swap" after
    #: both. So the stages do not add up to :attr:`seconds`.
    stages: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of the whole build, all its threads (Oxigraph's bulk loader runs threads
    #: of its own): on a busy machine, the cost.
    cpu_seconds: float = 0.0
    #: CPU seconds of each compiled SHACL check (:attr:`graph.shacl.Check.name`).
    checks_cpu: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of each materialise rule (:data:`graph.build.materialise.RULES`).
    rules_cpu: dict[str, float] = field(default_factory=dict)

    @property
    def quads(self) -> int:
        """All quads written."""
        return sum(self.quads_by_graph.values())


def load_sources(data_dirs: list[Path]) -> Sources:
    """Parse the ontology and every data file.

    :raises DataSyntaxError: a file does not parse.
    :raises UsageError: a data directory does not exist.
    """
    ontology = parse_file(ONTOLOGY_FILE, graph_iri("ontology"))
    files = discover(data_dirs)
    data: list[ox.Quad] = []
    origins: dict[ox.NamedNode | ox.BlankNode, Path] = {}
    for data_file in files:
        quads = parse_file(data_file.path, data_file.graph)
        for quad in quads:
            origins.setdefault(quad.subject, data_file.path)  # type: ignore[arg-type]
        data += quads
    return Sources(ontology=ontology, data=data, files=files, origins=origins)


def validate_sources(sources: Sources) -> None:
    """Check the data (with the ontology) against the SHACL shapes, in a store in memory.

    :raises ValidationError: with a readable report of every violation.
    :raises DataSyntaxError: the shapes do not parse.
    """
    store = ox.Store()
    store.extend(sources.ontology + sources.data)
    check_store(store, sources.origins)


def build_store(data_dirs: list[Path], store_path: Path) -> BuildReport:
    """Build the store at ``store_path`` from the ontology and ``data_dirs``.

    Validates, materialises, writes a new store beside the old one and swaps it in
    atomically: on any error (or if the process is killed) the previous store is untouched.

    Two threads work at once, each parsing the Turtle files with Oxigraph straight into a
    store (no Python object per triple): one into a store in memory, where the compiled
    shapes run (about two thirds of the CPU time they take on RocksDB) and the graphs and
    classes are counted, the other into the new on-disk store, which it materialises. Only a
    conforming build is optimised and swapped in.

    :raises DataSyntaxError, ValidationError, StoreError, UsageError: nothing is written.
    """
    started = time.perf_counter(), time.process_time()
    files = [DataFile(ONTOLOGY_FILE, graph_iri("ontology")), *discover(data_dirs)]
    # Edits accepted by a server (graph.store.edits) go into the new store's edits graph,
    # validated with the curated data.
    edits = read_edits(edits_file(store_path))
    location = StoreLocation(store_path)
    building = location.new_building_dir()
    clock = _Clock()
    stop = threading.Event()
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="build-store") as beside:
            writing = beside.submit(_write, building, files, edits, clock, stop)
            try:
                report, counted = _validate(files, edits, clock)
            except BaseException:
                stop.set()  # the new store will not be kept: stop writing it
                raise
            finally:
                futures.wait([writing])
            done = writing.result()
        assert done is not None  # it stops early only when the validation failed
        store, derived = done
        quads_by_graph, classes = _with_derived(*counted, derived.quads)
        optimise = clock.start()
        store.raw.optimize()
        store.close()
        del store, done
        gc.collect()  # pyoxigraph releases RocksDB's lock when the Store is collected
        write_marker(building)
        location.commit(building)
        clock.lap(optimise, "optimise + swap")
    except OSError as exc:  # a full disk, a vanished directory: keep the old store
        gc.collect()
        location.discard(building)
        raise StoreError(f"writing the store under {location.parent} failed: {exc}") from exc
    except BaseException:
        gc.collect()  # the writer's store, closed, is let go of by RocksDB only when collected
        location.discard(building)
        raise
    return BuildReport(
        store=location.path,
        quads_by_graph=quads_by_graph,
        classes=classes,
        seconds=time.perf_counter() - started[0],
        stages=clock.stages,
        cpu_seconds=time.process_time() - started[1],
        checks_cpu=report.cpu,
        rules_cpu=derived.cpu,
    )


def _validate(
    files: list[DataFile], edits: list[ox.Quad], clock: _Clock
) -> tuple[Report, tuple[dict[str, int], dict[str, int]]]:
    """Load ``files`` and ``edits`` into a store in memory, check it against the shapes and
    count its quads by graph and its instances by class.

    :raises DataSyntaxError: a file does not parse.
    :raises ValidationError: the data does not conform.
    """
    lap = clock.start()
    store = ox.Store()
    for data_file in files:
        load_file(store, data_file, bulk=False)
    store.extend(edits)
    lap = clock.lap(lap, "load (memory)")
    # The files that define the nodes of a report, found only if there are violations.
    report = check_store(store, lambda: file_origins(files))
    lap = clock.lap(lap, "validate")
    counts = graph_sizes(OxigraphStore(store)), class_counts(OxigraphStore(store))
    clock.lap(lap, "count")
    return report, counts


def _with_derived(
    sizes: dict[str, int], classes: dict[str, int], derived: list[ox.Quad]
) -> tuple[dict[str, int], dict[str, int]]:
    """The counts of the data (:func:`graph_sizes`, :func:`class_counts`) with the derived
    quads added: they are all in the ``inferred`` graph, and the types among them are not
    stated in the data (the type closure derives only those), so they add to the counts."""
    for quad in derived:
        kind = quad.object
        if (
            quad.predicate == _TYPE
            and isinstance(kind, ox.NamedNode)
            and kind.value.startswith(ONTOLOGY_NS)
        ):
            name = kind.value[len(ONTOLOGY_NS) :]
            classes[name] = classes.get(name, 0) + 1
    if derived:
        sizes = {**sizes, "inferred": len(derived)}
    largest_first = sorted(classes.items(), key=lambda pair: (-pair[1], pair[0]))
    return dict(sorted(sizes.items())), dict(largest_first)


def _write(
    building: Path,
    files: list[DataFile],
    edits: list[ox.Quad],
    clock: _Clock,
    stop: threading.Event,
) -> tuple[OxigraphStore, Derived] | None:
    """Load ``files`` and ``edits`` into a new store in ``building``, with the derived quads;
    ``None`` if ``stop`` was set on the way (the store will be discarded)."""
    store = OxigraphStore.open(building, read_only=False)
    try:
        derived = _fill(store, files, edits, clock, stop)
    except BaseException:
        store.close()  # RocksDB lets go of the directory before the build removes it
        raise
    if derived is None:
        store.close()
        return None
    return store, derived


def _fill(
    store: OxigraphStore,
    files: list[DataFile],
    edits: list[ox.Quad],
    clock: _Clock,
    stop: threading.Event,
) -> Derived | None:
    """The files, the edits and the derived quads written into ``store``; ``None`` if
    ``stop`` was set on the way."""
    lap = clock.start()
    for data_file in files:
        if stop.is_set():
            return None
        load_file(store.raw, data_file)
    store.bulk_extend(edits)
    lap = clock.lap(lap, "load (disk)")
    if stop.is_set():
        return None
    derived = derive(store)
    store.bulk_extend(derived.quads)
    store.flush()
    clock.lap(lap, "materialise")
    return derived


class _Clock:
    """The seconds of each stage, under its name (stages in two threads overlap)."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    @staticmethod
    def start() -> float:
        return time.perf_counter()

    def lap(self, since: float, name: str) -> float:
        """Record the stage ``name`` that began at ``since``; the next begins now."""
        now = self.start()
        self.stages[name] = now - since
        return now
