"""What each warm cache of a served store holds in memory, and in which kinds of objects.

Reads the warm caches a server kept beside a store generation (``policygraph-warm.pickle``,
:mod:`serving.warm_cache`: what a restart holds) — or, with ``--store``, makes each of them
in this process as a warm-up does (what a first start holds) — and counts, for each cache
and each part of the largest ones, the bytes of every object reachable from it that no
earlier cache reached (``sys.getsizeof``, each object once), with the kinds of objects
that hold most of them. The resident memory the process gained is printed beside.

    .venv/bin/python -m bench.cache_memory --pickle STORE/policygraph-warm.pickle
    .venv/bin/python -m bench.cache_memory --store STORE

A kept file written by other code is read all the same (its first line names the code
that wrote it; a server would refuse it): the file is read with the caches' own
unpickler, so it must be made of classes this code still has.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import types
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

MB = 2**20

#: The parts of a cache counted on their own (attribute paths from the cache's value).
PARTS = {
    "projection": ("graph", "provenance.evidence", "provenance.memberships",
                   "provenance.affiliations", "provenance.labels_ko"),
    "catalogue": ("proposals", "details", "_sections", "outline", "index", "_involving"),
}  # fmt: skip
#: Objects that belong to the program, not to a cache.
_SHARED = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
           types.MethodType, types.CodeType)  # fmt: skip


def rss() -> float:
    """This process's resident megabytes."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def reachable(root: object, seen: set[int]) -> Iterator[object]:
    """Every object reachable from ``root`` not in ``seen`` (added to it), once each."""
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, _SHARED):
            continue
        seen.add(id(obj))
        yield obj
        stack.extend(gc.get_referents(obj))


def footprint(root: object, seen: set[int]) -> tuple[float, Counter[str], Counter[str]]:
    """The megabytes of what ``root`` reaches beyond ``seen``, and the bytes and count of
    each kind of object among them."""
    size: Counter[str] = Counter()
    count: Counter[str] = Counter()
    for obj in reachable(root, seen):
        kind = type(obj).__name__
        size[kind] += sys.getsizeof(obj)
        if isinstance(obj, np.ndarray) and not obj.flags.owndata:  # bytes it does not reach
            size[kind] += obj.nbytes
        count[kind] += 1
    return size.total() / MB, size, count


def part(value: object, path: str) -> object:
    """The attribute ``path`` (dotted) of ``value``."""
    for name in path.split("."):
        value = value.__dict__[name] if hasattr(value, "__dict__") else getattr(value, name)
    return value


def kept_caches(file: Path) -> dict[str, object]:
    """The values in a kept warm-caches file (its header line skipped)."""
    from serving.warm_cache import _load

    with file.open("rb") as handle:
        handle.readline()
        values = _load(handle)
    assert isinstance(values, dict)
    return values


def made_caches(store: Path) -> Iterator[tuple[str, object]]:
    """Each warm cache of ``store`` made as a warm-up makes it, one after the other."""
    from graph.store.oxigraph import OxigraphStore
    from serving import warm_cache
    from serving.context import StoreContext
    from serving.settings import Settings

    opened = OxigraphStore.open(store, read_only=True)
    context = StoreContext(opened, Settings())
    for name, read in context.warm_steps():
        if name in ("measures started", "network measures"):
            continue
        started = time.process_time()
        read()
        print(f"# {name}: {time.process_time() - started:.1f} CPU s", file=sys.stderr)
    for key in warm_cache.KEPT:
        if key in context.memo:
            yield key, context.memo.get(key, dict)


def measure(caches: dict[str, object], only: set[str] | None = None) -> dict[str, object]:
    """Each cache's megabytes (and its largest parts'), with the kinds that hold most;
    ``only`` these caches (walking every cache of a 5M-triple store held 4 GB more)."""
    seen: set[int] = set()
    found: dict[str, object] = {}
    for key, value in caches.items():
        if only and key not in only:
            continue
        entry: dict[str, object] = {}
        for path in PARTS.get(key, ()):
            mb, size, count = footprint(part(value, path), seen)
            entry[path] = _summary(mb, size, count)
        mb, size, count = footprint(value, seen)
        entry["(the rest)" if key in PARTS else "all"] = _summary(mb, size, count)
        found[key] = entry
    return found


def _summary(mb: float, size: Counter[str], count: Counter[str]) -> dict[str, object]:
    return {
        "MB": round(mb, 1),
        "top": {k: [round(v / MB, 1), count[k]] for k, v in size.most_common(5)},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--pickle", type=Path, help="a kept policygraph-warm.pickle")
    source.add_argument("--store", type=Path, help="a store generation, opened read-only")
    parser.add_argument("--only", help="the caches to count, comma-separated (default: all)")
    args = parser.parse_args(argv)
    gc.collect()
    before = rss()
    started = time.process_time()
    caches = kept_caches(args.pickle) if args.pickle else dict(made_caches(args.store))
    gc.collect()
    after = rss()
    result = {
        "resident MB gained": round(after - before),
        "CPU s to read": round(time.process_time() - started, 1),
        "caches": measure(caches, set(args.only.split(",")) if args.only else None),
    }
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
