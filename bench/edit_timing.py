"""Where an accepted edit's time goes: each stage of one SPARQL update, in this process.

On a built store (``--store``, e.g. the 1M synthetic one of ``bench/synth.py``), one
accepted update — :data:`bench.page_timing.EDIT`, a country joining ``--framework`` — is
committed by an :class:`~serving.edits.EditService` as a server commits it, and each
stage is timed (wall and CPU seconds of this process; the update's child process is
timed from outside, wall only):

* *the update's child* — :func:`graph.store.update_worker.run_update`;
* *served copy* — :func:`graph.store.edits.make_served_copy`: the generation's files
  hard-linked or copied, the edits replaced, the ``inferred`` graph derived for the change;
* *validation* — only what the edit changes (the edits before are taken as conforming,
  as a built store's do);
* with ``--whole``, for comparison: the whole data validated
  (:meth:`EditService._validate_whole`) and the ``inferred`` graph derived from scratch
  (:func:`graph.build.materialise.derive`), as every edit did before.

Nothing is written to the store's edits file: the service keeps its edits in a
temporary file, and its served copies are removed at the end. Run::

    .venv/bin/python -m bench.edit_timing --store var/1m/store --framework synth-framework-0 --whole
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from bench.page_timing import EDIT
from graph.build.materialise import derive
from graph.store.edits import EDITS_GRAPH
from graph.store.oxigraph import OxigraphStore
from graph.store.update_worker import UpdateLimits, run_update
from serving.edits import EditService

T = TypeVar("T")


@contextmanager
def _stage(name: str, rows: list[tuple[str, float, float]]) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    rows.append((name, time.perf_counter() - wall, time.process_time() - cpu))


def _timed(name: str, rows: list[tuple[str, float, float]], call: Callable[[], T]) -> T:
    with _stage(name, rows):
        return call()


def measure(store: Path, framework: str, whole: bool) -> list[tuple[str, float, float]]:
    """(stage, wall seconds, CPU seconds of this process) of one accepted edit."""
    rows: list[tuple[str, float, float]] = []
    generation = OxigraphStore.open(store.resolve(), read_only=True)
    with tempfile.TemporaryDirectory() as scratch:
        service = EditService(generation, Path(scratch) / "edits.nq", lambda *_a, **_k: None)
        service._conforming = frozenset()  # a built store's edits (none) conform
        sparql = EDIT.format(graph=EDITS_GRAPH, framework=framework)
        limits = UpdateLimits(timeout=600, memory_mb=8192)
        assert generation.location is not None
        edits = _timed(
            "the update's child",
            rows,
            lambda: run_update(generation.location, [], sparql, limits),  # type: ignore[arg-type]
        )
        served = _timed("served copy (copy, edits, derived)", rows, lambda: service._prepare(edits))
        _timed("validation of what changed", rows, lambda: service._validate(edits, served))
        if whole:
            _timed("whole validation (before)", rows, lambda: service._validate_whole(edits))
            _timed("whole derivation (before)", rows, lambda: derive(served))
        served.close()
        service.close()
    generation.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--framework", default="aukus")
    parser.add_argument("--whole", action="store_true", help="also the whole validation")
    args = parser.parse_args()
    rows = measure(args.store, args.framework, args.whole)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average at the end: {load}\n")
    print("| stage | wall s | CPU s |\n|---|--:|--:|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
