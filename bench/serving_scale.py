"""Serving at scale: the server's memory with its workers, its warm-up, and a restart.

For each size, on a synthetic store (``bench/synth.py``, built through
:func:`graph.build.build_store`, or an existing one given with ``--store``)::

    .venv/bin/python -m bench.serving_scale --triples 1000000 --work /tmp/serving-scale

1. **projection** — the resident memory one :class:`~graph.analysis.projection.Projection`
   takes (graph, evidence, degree), and two of them, as the analytics and the views each
   read and held one before they shared it (each measured in a fresh process);
2. **first start** — ``policygraph serve`` on the store with no measures kept: seconds until
   ``/healthz`` says ``warm: true``, and the resident memory of the server and every process
   it started (query workers, renderers, the measures' child), at its peak and once warm;
3. **restart** — the server stopped and started again on the same generation: the measures
   and the warm caches kept beside it (:mod:`serving.warm_cache`) are read, not computed
   (the seconds to warm again, and the memory).

Each start also records the CPU seconds the server and its living children had used when
it was warm (a busy machine inflates them less than the wall time), the load average then,
the resident memory of each process (the server, its query workers, the measures' child)
and the seconds of each warm-up step as the server logs them. ``--steps`` measures each
step alone instead, in one fresh process: its CPU seconds and the memory its cache holds::

    .venv/bin/python -m bench.serving_scale --store STORE --steps

The figures go to standard output as JSON and as a Markdown table for
``docs/benchmarks.md``. Nothing here is asserted: a shared 2-core machine varies.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil

from graph import REPO_ROOT
from graph.store.location import MEASURES_FILE, WARM_FILE

__all__ = ["main", "measure_size"]

#: Seconds a server may take to get warm before the run gives up on it.
WARM_LIMIT = 3600.0
MB = 2**20


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of ``process`` and all its descendants (workers, children)."""
    total = 0
    for member in (process, *process.children(recursive=True)):
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def tree_cpu(process: psutil.Process) -> float:
    """CPU seconds (user and system) of ``process`` and its descendants so far: the living
    ones, and those that ended and were waited for (the warm-up's children: the store's
    reads, the network measures)."""
    total = 0.0
    for member in (process, *process.children(recursive=True)):
        with contextlib.suppress(psutil.Error):
            times = member.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
    return total


class TreeWatch:
    """The peak resident memory of a process tree, sampled twice a second."""

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.process))
            self._stop.wait(0.5)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(store: Path, log: Path) -> Iterator[tuple[str, psutil.Popen]]:
    """``policygraph serve`` on ``store`` while the block runs (stopped with SIGTERM)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    with log.open("a") as out:
        process = psutil.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--store", str(store), "--port", str(port)],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        with contextlib.suppress(psutil.NoSuchProcess):  # it stopped by itself
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except psutil.TimeoutExpired:
                process.kill()


def warm_start(store: Path, log: Path, *, keeps: bool = False) -> dict[str, object]:
    """Start a server on ``store``: seconds to ``warm: true``, peak and warm memory (MB),
    the load average then, and each warm-up step's seconds as the server logged them.

    ``keeps``: the server writes its warm caches beside the generation once warm; it is
    stopped only once it has (the restart reads them), and the seconds that took are kept.
    """
    logged = log.stat().st_size if log.exists() else 0
    started = time.monotonic()
    with serving(store, log) as (url, process):
        watch = TreeWatch(process)
        warm = False
        while time.monotonic() - started < WARM_LIMIT:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {log}")
            with contextlib.suppress(httpx.HTTPError, ValueError):
                warm = bool(httpx.get(f"{url}/healthz", timeout=5).json().get("warm"))
            if warm:
                break
            time.sleep(0.5)
        seconds = time.monotonic() - started
        load = os.getloadavg()[0]
        cpu = tree_cpu(process)
        time.sleep(2.0)  # let the measures' child and the warm-up threads finish
        settled = tree_rss(process)
        by_process = _rss_by_process(process)
        while keeps and time.monotonic() - started < WARM_LIMIT and process.poll() is None:
            if any(k.startswith(("caches kept", "caches not kept")) for k in _steps(log, logged)):
                break
            time.sleep(0.5)
        peak = max(watch.stop(), settled)  # the writing of the warm caches included
    if not warm:
        raise RuntimeError(f"not warm after {WARM_LIMIT:.0f} s; see {log}")
    return {
        "warm s": round(seconds, 1),
        "warm CPU s": round(cpu, 1),
        "peak MB": round(peak / MB),
        "warm MB": round(settled / MB),
        "load average": round(load, 1),
        "warm MB by process": by_process,
        "steps s": _steps(log, logged),
    }


def _rss_by_process(process: psutil.Process) -> dict[str, int]:
    """MB resident in the server and in each process it started, by command line."""
    found: dict[str, int] = {}
    for member in (process, *process.children(recursive=True)):
        with contextlib.suppress(psutil.Error):
            command = " ".join(member.cmdline())
            name = (
                "server" if member.pid == process.pid
                else "query workers" if "worker_main" in command
                else "measures' child" if "graph.analysis.measures" in command
                else command[:60]
            )  # fmt: skip
            found[name] = found.get(name, 0) + round(member.memory_info().rss / MB)
    return found


def _steps(log: Path, offset: int) -> dict[str, float]:
    """The warm-up steps the server logged after ``offset`` (``warm-up: NAME in S s``)."""
    steps: dict[str, float] = {}
    with log.open("rb") as handle:
        handle.seek(offset)
        for line in handle.read().decode(errors="replace").splitlines():
            if line.startswith("warm-up: ") and line.endswith(" s") and " in " in line:
                name, _, seconds = line[len("warm-up: ") : -2].rpartition(" in ")
                with contextlib.suppress(ValueError):
                    steps[name] = float(seconds)
    return steps


def projection_memory(store: Path, copies: int) -> float:
    """MB of resident memory that ``copies`` projections of ``store`` add, in a fresh process."""
    code = (
        "import gc, json, os, sys\n"
        "from pathlib import Path\n"
        "from graph.analysis.projection import Projection\n"
        "from graph.store.oxigraph import OxigraphStore\n"
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE')\n"
        "store = OxigraphStore.open(Path(sys.argv[1]), read_only=True)\n"
        "len(store); gc.collect(); before = rss()\n"
        "held = [Projection.read(store) for _ in range(int(sys.argv[2]))]\n"
        "for p in held: p.degree\n"
        "gc.collect(); print(json.dumps((rss() - before) / 2**20))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    done = subprocess.run(
        [sys.executable, "-c", code, str(store), str(copies)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return round(float(done.stdout.strip().splitlines()[-1]))


_STEP_COSTS = """
import gc, json, os, sys, time
from pathlib import Path
from graph.store.oxigraph import OxigraphStore
from serving.context import StoreContext
from serving.settings import Settings
import viz.html
def rss():
    return int(open('/proc/self/statm').read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
store = OxigraphStore.open(Path(sys.argv[1]), read_only=True)
context = StoreContext(store, Settings())  # no generation: nothing kept is read
costs = {"(interpreter, imports, store opened)": [0.0, rss() / 2**20]}
for name, read in context.warm_steps():
    if name in ("measures started", "network measures"):
        continue  # the measures' own child process (bench.analysis_timing measures them)
    gc.collect(); before, cpu = rss(), time.process_time()
    read(); gc.collect()
    costs[name] = [round(time.process_time() - cpu, 1), round((rss() - before) / 2**20)]
print(json.dumps(costs))
"""


def step_costs(store: Path) -> dict[str, list[float]]:
    """Each warm-up step (but the measures) in a fresh process, one after the other: its
    CPU seconds and the resident MB it adds (what each cache holds)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    done = subprocess.run(
        [sys.executable, "-c", _STEP_COSTS, str(store)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    costs: dict[str, list[float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return costs


def build(triples: int, work: Path) -> Path:
    """A synthetic store of about ``triples`` triples under ``work`` (built once)."""
    from bench.synth import generate
    from graph.build import build_store

    store = work / f"store-{triples}"
    if not store.exists():
        corpus = work / f"corpus-{triples}"
        generate(triples, 1, corpus)
        build_store([corpus], store)
    return store


def measure_size(store: Path, log: Path, *, projections: bool = True) -> dict[str, object]:
    """Every figure of one store (its kept measures removed first: a cold first start)."""
    generation = store.resolve()
    (generation / MEASURES_FILE).unlink(missing_ok=True)
    (generation / WARM_FILE).unlink(missing_ok=True)
    result: dict[str, object] = {"store": str(store)}
    if projections:
        result["projection MB (one, shared)"] = projection_memory(store, 1)
        result["projection MB (two, as before)"] = projection_memory(store, 2)
    _progress(result)
    result["first start"] = warm_start(store, log, keeps=True)
    result["measures kept"] = (generation / MEASURES_FILE).is_file()
    result["warm caches kept MB"] = (
        round((generation / WARM_FILE).stat().st_size / MB)
        if (generation / WARM_FILE).is_file()
        else None
    )
    _progress(result)
    result["restart"] = warm_start(store, log)
    return result


def _progress(result: dict[str, object]) -> None:
    print(json.dumps(result), file=sys.stderr, flush=True)


def table(results: dict[str, dict[str, object]]) -> str:
    """The figures as a Markdown table, one row per size."""
    lines = [
        "| size | projection, one / two (MB) | first start: warm (s) | peak / warm RSS (MB) "
        "| restart: warm (s) | peak / warm RSS (MB) |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for size, r in results.items():
        first, again = r["first start"], r["restart"]
        assert isinstance(first, dict) and isinstance(again, dict)
        lines.append(
            f"| {size} | {r.get('projection MB (one, shared)', '—')} "
            f"/ {r.get('projection MB (two, as before)', '—')} "
            f"| {first['warm s']} | {first['peak MB']} / {first['warm MB']} "
            f"| {again['warm s']} | {again['peak MB']} / {again['warm MB']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """The command line (see the module's documentation)."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.serving_scale", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--triples", type=int, action="append", help="a size (repeatable)")
    parser.add_argument("--store", type=Path, action="append", help="an existing store instead")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "var" / "serving-scale")
    parser.add_argument(
        "--no-projections", action="store_true", help="skip measuring one and two projections"
    )
    parser.add_argument(
        "--steps",
        action="store_true",
        help="only each warm-up step's CPU seconds and memory, in one fresh process",
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    stores = {str(p): p for p in args.store or []}
    for triples in args.triples or []:
        stores[f"{triples:,} triples"] = build(triples, args.work)
    if not stores:
        parser.error("give --triples or --store")
    if args.steps:
        for size, store in stores.items():
            print(json.dumps({size: step_costs(store)}, indent=1))
        return
    results = {}
    for size, store in stores.items():
        print(f"measuring {size} ({store}) …", file=sys.stderr, flush=True)
        results[size] = measure_size(
            store, args.work / "serve.log", projections=not args.no_projections
        )
        print(json.dumps({size: results[size]}), flush=True)
    print(table(results))


if __name__ == "__main__":
    main()
