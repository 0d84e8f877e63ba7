"""The framework overlap matrix of a large store: CPU seconds, size, and the same answers.

Run: ``.venv/bin/python -m bench.overlap_compact STORE [--kept KEPT] [--before PY]
[--pickle OUT]``. Opens ``STORE`` read-only, reads its projection as the served store does
(:func:`graph.analysis.projection.projection_of`), and times, in CPU seconds of this
process, :func:`graph.analysis.framework_overlap` and the analytics page's first pairs
(:func:`serving.analytics.top_pairs`, with the peak of the memory it allocates, traced).

``--kept`` compares with the matrix an earlier release kept in the warm caches (the
``framework_overlap`` value of ``policygraph-warm.pickle``, pickled alone): the same
frameworks, members and frameworks left out, every value equal and printed the same in JSON.
``--kept-pairs`` compares the analytics page's pairs with the ``framework_overlap_pairs``
value kept beside it. ``--before`` times the ``framework_overlap`` (and ``top_pairs``, if
it has one) of another copy of ``graph/analysis/overlap.py`` on the same projection and
compares everything with it: values, JSON rows, every pair and the first pairs.
``--pickle`` writes the matrix pickled as the warm caches pickle it, to measure alone.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import pickle
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from graph.analysis import framework_overlap
from graph.analysis.projection import projection_of
from graph.store import OxigraphStore
from serving.analytics import PAIRS_SHOWN, top_pairs
from serving.warm_cache import DataUnpickler

T = TypeVar("T")


def _cpu(label: str, work: Callable[[], T]) -> T:
    started, wall = time.process_time(), time.perf_counter()
    result = work()
    print(f"{label}: {time.process_time() - started:.2f} CPU s, {time.perf_counter() - wall:.2f} s")
    return result


def _traced(label: str, work: Callable[[], T]) -> T:
    gc.collect()
    tracemalloc.start()
    result = _cpu(label, work)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{label}: {peak / 2**20:.1f} MB allocated at the peak")
    return result


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("overlap_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _rows(pairs: list[Any]) -> list[tuple[Any, ...]]:
    """Pairs as plain tuples (an earlier copy's pairs are of its own class)."""
    return [(p.first, p.second, p.shared, p.union, p.jaccard) for p in pairs]


def _same(label: str, mine: Any, theirs: Any) -> bool:
    """Whether two matrices give the same answers: frameworks, members, those left out, and
    every row (the values equal and the JSON of each row the same)."""
    checks = {
        "frameworks": mine.frameworks == theirs.frameworks,
        "members": mine.members == theirs.members,
        "partial_left_out": mine.partial_left_out == theirs.partial_left_out,
        "rows": len(mine.values) == len(theirs.values),
    }
    for row, other in zip(mine.values, theirs.values, strict=True):
        if tuple(row) != tuple(other) or json.dumps(list(row)) != json.dumps(list(other)):
            checks["rows"] = False
            break
    print(
        f"same as {label}: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in checks.items())
    )
    return all(checks.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--kept", type=Path, help="the kept framework_overlap, pickled alone")
    parser.add_argument("--kept-pairs", type=Path, help="the kept framework_overlap_pairs")
    parser.add_argument("--before", type=Path, help="another overlap.py to time and compare")
    parser.add_argument("--pickle", type=Path, help="write the matrix here, pickled")
    args = parser.parse_args(argv)
    store = OxigraphStore.open(args.store, read_only=True)
    graph = _cpu("projection", lambda: projection_of(store).graph)
    matrix = _cpu("framework_overlap", lambda: framework_overlap(graph))
    first, _, _ = matrix.values.sharing_pairs()
    print(f"{len(matrix.frameworks)} frameworks, {len(first)} pairs sharing a member")
    pairs = _traced("top_pairs", lambda: top_pairs(matrix, PAIRS_SHOWN))
    same = True
    if args.kept:
        with args.kept.open("rb") as handle:
            kept = DataUnpickler(handle).load()
        same &= _same("kept", matrix, kept)
        del kept
    if args.kept_pairs:
        with args.kept_pairs.open("rb") as handle:
            kept_pairs = DataUnpickler(handle).load()
        print(f"first pairs as kept: {'yes' if _rows(pairs) == _rows(kept_pairs) else 'NO'}")
        same &= _rows(pairs) == _rows(kept_pairs)
    if args.before:
        before = _module(args.before)
        old = _cpu("framework_overlap before", lambda: before.framework_overlap(graph))
        same &= _same("before", matrix, old)
        if hasattr(before, "top_pairs"):
            old_pairs = _traced("top_pairs before", lambda: before.top_pairs(old, PAIRS_SHOWN))
            print(f"first pairs as before: {'yes' if _rows(pairs) == _rows(old_pairs) else 'NO'}")
            same &= _rows(pairs) == _rows(old_pairs)
        every = _rows(_cpu("pairs()", matrix.pairs))
        every_before = _rows(_cpu("pairs() before", old.pairs))
        print(f"every pair as before: {'yes' if every == every_before else 'NO'} ({len(every)})")
        same &= every == every_before
    if args.pickle:
        with args.pickle.open("wb") as handle:
            pickle.dump(matrix, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
