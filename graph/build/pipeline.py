"""``policygraph build``: Turtle → store → validated (SHACL) → materialised, atomically.

The parsed quads are written into a new store beside the current one; the shapes, compiled
to SPARQL, run on that store (:mod:`graph.build.validate`); only a store whose data conforms
is materialised and swapped in. :class:`BuildReport` keeps each stage's time.

>>> from graph import DATA_DIR
>>> sources = load_sources([DATA_DIR])
>>> len(sources.ontology) > 100 and len(sources.files) > 5
True
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.build.materialise import materialise
from graph.build.sources import DataFile, discover, parse_file
from graph.build.validate import check_store
from graph.errors import StoreError
from graph.iris import graph_iri
from graph.stats import class_counts, graph_sizes
from graph.store import OxigraphStore, StoreLocation
from graph.store.edits import edits_file, read_edits
from graph.store.location import write_marker
from ontology import ONTOLOGY_FILE

__all__ = ["BuildReport", "Sources", "build_store", "load_sources", "validate_sources"]


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
    #: Seconds of each stage, in order: parse, write, validate, materialise, optimise + swap.
    stages: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of each stage (all the process's threads): on a busy machine, the cost.
    cpu: dict[str, float] = field(default_factory=dict)

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

    Parses, validates, materialises, writes a new store beside the old one and swaps it in
    atomically: on any error (or if the process is killed) the previous store is untouched.

    :raises DataSyntaxError, ValidationError, StoreError, UsageError: nothing is written.
    """
    started = time.perf_counter()
    lap = _Lap()
    sources = load_sources(data_dirs)
    # Edits accepted by a server (graph.store.edits) go into the new store's edits graph,
    # validated with the curated data.
    sources.data += read_edits(edits_file(store_path))
    lap("parse")
    location = StoreLocation(store_path)
    building = location.new_building_dir()
    try:
        store = OxigraphStore.open(building, read_only=False)
        # Oxigraph's bulk loader, not one transaction: five times less CPU at 1M triples, and
        # the new store is nobody else's until the swap (a failed build discards it).
        store.bulk_extend(sources.ontology + sources.data)
        lap("write")
        check_store(store.raw, sources.origins)
        lap("validate")
        del sources  # the parsed quads (gigabytes at 5M triples) are in the store now
        store.bulk_extend(materialise(store))  # a list: read first, then written
        quads_by_graph = graph_sizes(store)
        classes = class_counts(store)
        lap("materialise")
        store.flush()
        store.raw.optimize()
        store.close()
        del store
        gc.collect()  # pyoxigraph releases RocksDB's lock when the Store is collected
        write_marker(building)
        location.commit(building)
        lap("optimise + swap")
    except OSError as exc:  # a full disk, a vanished directory: keep the old store
        location.discard(building)
        raise StoreError(f"writing the store under {location.parent} failed: {exc}") from exc
    except BaseException:
        location.discard(building)
        raise
    return BuildReport(
        store=location.path,
        quads_by_graph=quads_by_graph,
        classes=classes,
        seconds=time.perf_counter() - started,
        stages=lap.stages,
        cpu=lap.cpu,
    )


class _Lap:
    """The seconds and CPU seconds since the previous lap, under each lap's name."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.last = (time.perf_counter(), time.process_time())

    def __call__(self, name: str) -> None:
        now = (time.perf_counter(), time.process_time())
        self.stages[name] = now[0] - self.last[0]
        self.cpu[name] = now[1] - self.last[1]
        self.last = now
