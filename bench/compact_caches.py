"""The hub descriptions, the entity cards and the framework table: CPU seconds to make
each from a store, its pickled size, and the resident memory it takes when read back
alone in a fresh process (as a restart reads it from the warm caches).

    .venv/bin/python -m bench.compact_caches --store STORE --out DIR
    .venv/bin/python -m bench.compact_caches --resident DIR/cards.pkl

``--store`` makes the three values as a warm-up does (the hubs are the eight most
connected entities of the projection, or ``--hubs``), gives the models in them one set of
the fields given per distinct set as the warm-up does before keeping them
(:func:`serving.warm_cache.share_field_sets`), pickles each to ``DIR/KEY.pkl`` and prints a
JSON line per value with the resident MB of reading it back in a fresh process.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

MB = 2**20


def rss() -> float:
    """This process's resident megabytes."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def resident(path: Path) -> float:
    """The megabytes a fresh process gains reading ``path`` with the caches' unpickler."""
    found = subprocess.run(
        [sys.executable, "-m", "bench.compact_caches", "--resident", str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(found.stdout.strip())


def _read_alone(path: Path) -> float:
    import serving.context  # noqa: F401 - the classes, imported before measuring
    import viz.data  # noqa: F401
    from serving.warm_cache import DataUnpickler

    gc.disable()
    before = rss()
    with path.open("rb") as handle:
        value = DataUnpickler(handle).load()
    gained = rss() - before
    del value
    return gained


def makers(store_dir: Path, hubs: list[str]) -> dict[str, Callable[[], object]]:
    """How each value is made, by its memo key, from the store at ``store_dir``."""
    from graph.query.cards import entity_cards
    from graph.query.entity import describe_entity
    from graph.query.frameworks import list_frameworks
    from graph.store.oxigraph import OxigraphStore

    store = OxigraphStore.open(store_dir, read_only=True)
    return {
        # As the context holds them (serving.context.StoreContext.hub_descriptions).
        "hub_descriptions": lambda: {s: describe_entity(store, s) for s in hubs},
        "cards": lambda: entity_cards(store),
        "frameworks": lambda: list_frameworks(store),
    }


def most_connected(store_dir: Path, top: int = 8) -> list[str]:
    """The slugs of the ``top`` most connected entities, as the warm-up picks its hubs."""
    from graph.store.oxigraph import OxigraphStore
    from serving.context import StoreContext
    from serving.settings import Settings

    context = StoreContext(OxigraphStore.open(store_dir, read_only=True), Settings())
    return [hub.slug for hub in context.analytics.most_connected(top=top)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store generation, opened read-only")
    parser.add_argument("--out", type=Path, help="where the values are pickled")
    parser.add_argument("--hubs", help="the hubs' slugs, comma-separated")
    parser.add_argument("--only", help="the values to make, comma-separated (default: all)")
    parser.add_argument("--resident", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.resident:
        print(f"{_read_alone(args.resident):.1f}")
        return
    from serving.model_rows import FieldSets

    hubs = args.hubs.split(",") if args.hubs else most_connected(args.store)
    args.out.mkdir(parents=True, exist_ok=True)
    for key, make in makers(args.store, hubs).items():
        if args.only and key not in args.only.split(","):
            continue
        gc.collect()
        started = time.process_time()
        value = make()
        cpu = time.process_time() - started
        FieldSets().share(value)
        path = args.out / f"{key}.pkl"
        path.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        print(json.dumps({
            "key": key, "cpu_s": round(cpu, 2), "pickle_mb": round(path.stat().st_size / MB, 1),
            "resident_mb": resident(path), "hubs": hubs if key == "hub_descriptions" else None,
            "load": os.getloadavg()[0],
        }), flush=True)  # fmt: skip
        del value


if __name__ == "__main__":
    main()
