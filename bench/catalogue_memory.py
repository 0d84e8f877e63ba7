"""The resident megabytes of the proposal catalogue and of the proposals' summaries, each
read back alone from a pickle as a restart reads the warm caches, with the bytes of each
part of the catalogue (:func:`bench.cache_memory.measure`).

    .venv/bin/python -m bench.catalogue_memory --store /tmp/s2/1m/store --out /tmp/cat
    .venv/bin/python -m bench.catalogue_memory --measure /tmp/cat/catalogue.pkl

``--store`` reads the catalogue of a store generation in process, as a warm-up does (its
models' field sets shared, :func:`serving.warm_cache.share_field_sets`), and pickles it
and the summaries into ``--out``; ``--measure`` reads one such pickle (or a value kept by
other code, made of classes this code still has) in a fresh process and prints what it
holds.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import time
from pathlib import Path

from bench.cache_memory import measure, rss

_KEYS = ("catalogue", "proposal_summaries")


def make(store: Path, out: Path) -> dict[str, object]:
    """Read the catalogue of ``store`` and pickle it and the summaries into ``out``."""
    from graph.memo import Memo
    from graph.store.oxigraph import OxigraphStore
    from serving.catalogue import ProposalCatalogue
    from serving.warm_cache import share_field_sets

    opened = OxigraphStore.open(store, read_only=True)
    memo = Memo()
    started = time.process_time()
    memo.get("catalogue", lambda: ProposalCatalogue.read(opened, memo))
    seconds = time.process_time() - started
    share_field_sets(memo)
    out.mkdir(parents=True, exist_ok=True)
    for key in _KEYS:
        with (out / f"{key}.pkl").open("wb") as handle:
            pickle.dump(memo.get(key, dict), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return {"CPU s to read": round(seconds, 2)}


def measured(file: Path) -> dict[str, object]:
    """What the value pickled in ``file`` holds, read alone into this process."""
    import graph.analysis.overlap  # noqa: F401 - the classes a kept value may name
    import serving.context  # noqa: F401
    import viz.data  # noqa: F401
    from serving.warm_cache import DataUnpickler

    gc.disable()
    before, started = rss(), time.process_time()
    with file.open("rb") as handle:
        value = DataUnpickler(handle).load()
    seconds, after = time.process_time() - started, rss()
    key = file.stem
    return {
        "resident MB gained": round(after - before, 1),
        "CPU s to read": round(seconds, 2),
        "parts": measure({key: value}),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store generation, opened read-only")
    parser.add_argument("--out", type=Path, help="where --store pickles the two values")
    parser.add_argument("--measure", type=Path, help="a pickled catalogue or summaries")
    args = parser.parse_args(argv)
    if args.store and args.out:
        print(json.dumps(make(args.store, args.out)))
    elif args.measure:
        print(json.dumps(measured(args.measure), indent=1, ensure_ascii=False))
    else:
        parser.error("give --store and --out, or --measure")


if __name__ == "__main__":
    main()
