"""``policygraph build``: Turtle → validated (SHACL) → materialised → store, atomically.

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
import rdflib

from graph.build.materialise import materialise
from graph.build.sources import DataFile, discover, parse_file
from graph.build.validate import check_shapes
from graph.errors import DataSyntaxError, StoreError
from graph.iris import graph_iri
from graph.stats import class_counts, graph_sizes
from graph.store import OxigraphStore, StoreLocation
from graph.store.edits import edits_file, read_edits
from graph.store.location import write_marker
from graph.terms import quads_to_rdflib_graph, to_rdflib
from ontology import ONTOLOGY_FILE, SHAPES_FILE

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
    """Check the data against the SHACL shapes.

    :raises ValidationError: with a readable report of every violation.
    """
    shapes = rdflib.Graph()
    try:
        shapes.parse(SHAPES_FILE, format="turtle")
    except Exception as exc:  # rdflib raises several kinds on bad Turtle
        raise DataSyntaxError(f"{SHAPES_FILE}: cannot parse the shapes: {exc}") from exc
    check_shapes(
        quads_to_rdflib_graph(sources.data),
        shapes,
        quads_to_rdflib_graph(sources.ontology),
        {to_rdflib(node): path for node, path in sources.origins.items()},
    )


def build_store(data_dirs: list[Path], store_path: Path) -> BuildReport:
    """Build the store at ``store_path`` from the ontology and ``data_dirs``.

    Parses, validates, materialises, writes a new store beside the old one and swaps it in
    atomically: on any error (or if the process is killed) the previous store is untouched.

    :raises DataSyntaxError, ValidationError, StoreError, UsageError: nothing is written.
    """
    started = time.perf_counter()
    sources = load_sources(data_dirs)
    # Edits accepted by a server (graph.store.edits) go into the new store's edits graph,
    # validated with the curated data.
    sources.data += read_edits(edits_file(store_path))
    validate_sources(sources)
    location = StoreLocation(store_path)
    building = location.new_building_dir()
    try:
        store = OxigraphStore.open(building, read_only=False)
        store.extend(sources.ontology + sources.data)
        store.extend(materialise(store))
        quads_by_graph = graph_sizes(store)
        classes = class_counts(store)
        store.flush()
        store.raw.optimize()
        store.close()
        del store
        gc.collect()  # pyoxigraph releases RocksDB's lock when the Store is collected
        write_marker(building)
        location.commit(building)
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
    )
