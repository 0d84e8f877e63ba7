"""Explorer page timing: how long each kind of page takes to load from `policygraph serve`.

Starts the server on the built store (``var/store``, built first if missing) on a free
loopback port and measures, for each page below: its *first* visit right after the
server's first answer (caches cold, the warm-up still running beside it), its first visit
once ``/healthz`` says the caches are warm, and the median of later visits. Each request is
a plain GET with ``Accept: text/html`` over one keep-alive connection, timed to the last
byte (the server's work; the browser's drawing of a view is in the "Views" section).

Then, on the same server (started with an update token), one accepted SPARQL update
through ``POST /sparql`` (a country added to the edits graph): the update's own time, each
page's first visit right after the update answered (the new store is published after at
most :data:`serving.publish.WARM_SECONDS` of warming), and its first visit once ``/healthz``
says the edited store is warm.

Run::

    .venv/bin/python -m bench.page_timing [--store var/store] [--runs 7]
    .venv/bin/python -m bench.page_timing --store STORE --synthetic  # a bench/synth.py store

It prints a Markdown table and rewrites the "Explorer pages" section of
``docs/benchmarks.md`` (with ``--synthetic`` it only prints it: the pages differ).

``--after-edit`` measures the edit alone, on one server, and prints its table: once
``/healthz`` says warm, the accepted update, then (a) each page's first visit right after
it (the pages read the last warm store until the edited one is warm, and say so:
serving/publish.py), (b) the seconds until ``/healthz`` says the edited store warm, (c)
each page's first visit once it is — a first visit on the edited store, whose caches no
page filled before. The server's peak memory (its process and its children) is sampled
from the update until (b)::

    .venv/bin/python -m bench.page_timing --store STORE --synthetic --after-edit

A page slower than ``--slow`` seconds on its first visit once warm (the unfiltered proposal
browser at a million triples took minutes) is not visited again: its later cells are
left empty, so the run ends and the other pages are not measured beside its work.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from bench.report import write_section
from bench.servers import answers, free_port, launched, policygraph_serve
from graph import REPO_ROOT
from graph.store.edits import EDITS_GRAPH

#: (what a user opens, path) — one of each kind of page, the heaviest instance where it
#: matters (Korea has the most relations and evidence).
PAGES = (
    ("home", "/"),
    ("search", "/search?q=IPEF"),
    ("entity page, a framework", "/id/ipef"),
    ("entity page, Korea", "/id/kor"),
    ("entity page, a part of the report", "/id/jkvg2025-part-3"),
    ("proposal browser", "/proposals"),
    ("proposal browser, filtered", "/proposals?actor=kor&topic=topic-supply-chains"),
    ("SPARQL workbench", "/query"),
    ("analytics", "/analysis"),
    ("ontology", "/ontology"),
    ("API docs", "/docs"),
    ("ego view of Korea", "/viz/ego?slug=kor"),
    ("framework view (Quad)", "/viz/frameworks?slug=quad"),
    ("proposals view (section 1-1)", "/viz/proposals?section=jkvg2025-section-1-1"),
    ("path view Korea → AUKUS Pillar II", "/viz/path?source=kor&target=aukus-pillar-2"),
)
#: The same kinds of page on a synthetic store (``bench/synth.py``; index 0 is each kind's
#: hub, the heaviest instance).
SYNTHETIC_PAGES = (
    ("home", "/"),
    ("search", "/search?q=Framework+1"),
    ("entity page, a framework", "/id/synth-framework-0"),
    ("entity page, the largest actor", "/id/synth-actor-0"),
    ("entity page, an ordinary actor", "/id/synth-actor-500"),
    ("entity page, a part of the report", "/id/synth-report-1-ch-1"),
    ("proposal browser", "/proposals"),
    ("proposal browser, filtered", "/proposals?actor=synth-actor-0&topic=synth-topic-0"),
    ("SPARQL workbench", "/query"),
    ("analytics", "/analysis"),
    ("ontology", "/ontology"),
    ("API docs", "/docs"),
    # The hubs' views are refused (over 1,000 entities), so ordinary ones.
    ("ego view of an ordinary actor", "/viz/ego?slug=synth-actor-500"),
    ("framework view", "/viz/frameworks?slug=synth-framework-100"),
    ("proposals view (a section)", "/viz/proposals?section=synth-report-1-ch-1-s-1"),
    ("path view", "/viz/path?source=synth-actor-1&target=synth-framework-0"),
)
#: The update token of the measured server (loopback only, for the edit below).
TOKEN = "page-timing-token-0123456789abcdef"
#: The accepted edit: a country, named in three languages, member of ``{framework}``.
EDIT = (
    "PREFIX pg: <https://w3id.org/policygraph/ontology#> "
    "PREFIX id: <https://w3id.org/policygraph/id/> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "INSERT DATA {{ GRAPH <{graph}> {{ id:page-timing-land a pg:Country ; "
    'rdfs:label "Page Timing Land"@en, "ページ計測国"@ja, "페이지 측정국"@ko ; '
    "pg:memberOf id:{framework} }} }}"
)
#: The explorer's goal (issue 6): every page in under this many milliseconds.
GOAL_MS = 300.0
#: Seconds a page's first visit once warm may take before it is visited no more (a visit
#: the client gives up on would go on in the server, beside the next pages).
SLOW_SECONDS = 60.0


@contextmanager
def _server(store: Path) -> Iterator[str]:
    """``policygraph serve`` on ``store`` (with an update token); its URL once it answers."""
    with _launched(store) as (url, _process):
        yield url


@contextmanager
def _launched(store: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """:func:`_server`, and the server's process."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    env["POLICYGRAPH_UPDATE_TOKEN"] = TOKEN
    with launched(
        policygraph_serve(store, port), ready=answers(f"{url}/healthz"), env=env, timeout=900
    ) as process:
        yield url, process


#: Pages answered with an error, by path: shown as refused (a view too large to draw at
#: a million triples answers 400), not timed.
REFUSED: dict[str, int] = {}


def _ms(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path, headers={"accept": "text/html"})
    elapsed = (time.perf_counter() - started) * 1000
    if 400 <= response.status_code < 500:
        REFUSED[path] = response.status_code
        return math.nan
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:200]}")
    return elapsed


def _cell(path: str, ms: float) -> str:
    if math.isnan(ms):
        return f"refused ({REFUSED[path]})" if path in REFUSED else "—"
    return f"{ms:,.0f}"


def _until_warm(client: httpx.Client, limit: float = 3600) -> float:
    """Seconds until ``/healthz`` says ``warm: true``."""
    started = time.monotonic()
    while not client.get("/healthz").json()["warm"]:
        if time.monotonic() - started > limit:
            raise RuntimeError(f"the caches were not warm after {limit:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - started


@dataclass
class Timing:
    """What one run measured (milliseconds per page path, seconds otherwise)."""

    pages: tuple[tuple[str, str], ...]
    cold: dict[str, float] = field(default_factory=dict)
    first: dict[str, float] = field(default_factory=dict)
    median: dict[str, float] = field(default_factory=dict)
    warm_after: float = 0.0
    edit_ms: float = 0.0
    edit_refused: str = ""
    after_edit: dict[str, float] = field(default_factory=dict)
    edit_warm_after: float = 0.0
    after_edit_warm: dict[str, float] = field(default_factory=dict)
    load: list[float] = field(default_factory=list)
    #: Pages slower than the limit once warm, visited no more.
    slow: set[str] = field(default_factory=set)


def measure(
    store: Path,
    runs: int,
    pages: tuple[tuple[str, str], ...] = PAGES,
    framework: str = "aukus",
    slow: float = SLOW_SECONDS,
) -> Timing:
    """Every figure of :class:`Timing` on ``store``; the edit joins ``framework``; a page
    slower than ``slow`` seconds once warm is visited no more."""
    found = Timing(pages)
    with _server(store) as url, httpx.Client(base_url=url, timeout=600) as client:
        for _name, path in pages:
            found.cold[path] = _ms(client, path)
    with _server(store) as url, httpx.Client(base_url=url, timeout=600) as client:
        found.warm_after = _until_warm(client)
        found.load.append(os.getloadavg()[0])
        for _name, path in pages:
            found.first[path] = _ms(client, path)
            if found.first[path] > slow * 1000:
                found.slow.add(path)
                continue
            found.median[path] = statistics.median(_ms(client, path) for _ in range(runs))
        pages = tuple((name, path) for name, path in pages if path not in found.slow)
        found.edit_ms, found.edit_refused = _edit(client, framework)
        if found.edit_refused:
            # If the edit outlasts the server's update time limit (503), the pages of the
            # store as it was are what was measured.
            return found
        found.load.append(os.getloadavg()[0])
        for _name, path in pages:
            found.after_edit[path] = _ms(client, path)
        found.edit_warm_after = _until_warm(client)
        for _name, path in pages:
            found.after_edit_warm[path] = _ms(client, path)
        found.load.append(os.getloadavg()[0])
    return found


def _edit(client: httpx.Client, framework: str) -> tuple[float, str]:
    """Post the accepted update joining ``framework``: its milliseconds, and the refusal
    (status and text) if it was not accepted."""
    started = time.perf_counter()
    answer = client.post(
        "/sparql",
        content=EDIT.format(graph=EDITS_GRAPH, framework=framework).encode(),
        headers={"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"},
    )
    elapsed = (time.perf_counter() - started) * 1000
    refused = "" if answer.status_code == 204 else f"{answer.status_code}: {answer.text[:200]}"
    return elapsed, refused


class PeakMemory:
    """The peak resident memory of a process and its children together, and of the
    process alone, sampled every 0.1 s in a thread while the block runs (megabytes)."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak_mb = 0.0
        self.peak_alone_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def now_mb(self) -> float:
        """The process's and its children's resident memory now."""
        total = 0
        for process in (self.process, *self.process.children(recursive=True)):
            with contextlib.suppress(psutil.Error):
                total += process.memory_info().rss
        return total / 2**20

    def _sample(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                self.peak_mb = max(self.peak_mb, self.now_mb())
                alone = self.process.memory_info().rss / 2**20
                self.peak_alone_mb = max(self.peak_alone_mb, alone)
            self._stop.wait(0.1)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class EditTiming:
    """What an ``--after-edit`` run measured (milliseconds per page path, seconds, MB)."""

    pages: tuple[tuple[str, str], ...]
    warm_after: float = 0.0
    edit_ms: float = 0.0
    edit_refused: str = ""
    #: (a) first visits right after the edit, and the pages that showed the notice.
    after_edit: dict[str, float] = field(default_factory=dict)
    noticed: set[str] = field(default_factory=set)
    #: (b) seconds from the edit's answer until /healthz said the edited store warm.
    edit_warm_after: float = 0.0
    pages_field: list[str] = field(default_factory=list)
    #: (c) first visits once the edited store is warm.
    after_edit_warm: dict[str, float] = field(default_factory=dict)
    memory_warm_mb: float = 0.0
    memory_peak_mb: float = 0.0
    memory_peak_alone_mb: float = 0.0
    memory_warm_alone_mb: float = 0.0
    memory_end_mb: float = 0.0
    load: list[float] = field(default_factory=list)


#: The page notice's class: the pages that show the graph as before the edit say so.
NOTICE = 'class="behind-notice"'


def measure_edit(
    store: Path, pages: tuple[tuple[str, str], ...] = PAGES, framework: str = "aukus"
) -> EditTiming:
    """Every figure of :class:`EditTiming` on ``store``: one server, warm, then one edit."""
    found = EditTiming(pages)
    with _launched(store) as (url, process), httpx.Client(base_url=url, timeout=900) as client:
        found.warm_after = _until_warm(client)
        memory = PeakMemory(process.pid)
        found.memory_warm_mb = memory.now_mb()
        found.memory_warm_alone_mb = memory.process.memory_info().rss / 2**20
        found.load.append(os.getloadavg()[0])
        with memory:
            found.edit_ms, found.edit_refused = _edit(client, framework)
            if found.edit_refused:
                return found
            edited = time.monotonic()
            found.pages_field.append(client.get("/healthz").json().get("pages", "?"))
            for _name, path in pages:
                started = time.perf_counter()
                response = client.get(path, headers={"accept": "text/html"})
                found.after_edit[path] = (time.perf_counter() - started) * 1000
                if response.status_code >= 400:
                    REFUSED[path] = response.status_code
                    found.after_edit[path] = math.nan
                if NOTICE in response.text:
                    found.noticed.add(path)
            found.load.append(os.getloadavg()[0])
            _until_warm(client)
            found.edit_warm_after = time.monotonic() - edited
            found.pages_field.append(client.get("/healthz").json().get("pages", "?"))
        found.memory_peak_mb = memory.peak_mb
        found.memory_peak_alone_mb = memory.peak_alone_mb
        for _name, path in pages:
            found.after_edit_warm[path] = _ms(client, path)
        found.memory_end_mb = memory.now_mb()
        found.load.append(os.getloadavg()[0])
    return found


def _verdict(
    pages: tuple[tuple[str, str], ...], ms: dict[str, float], met: str = "met by every page."
) -> str:
    """Whether every page of ``pages`` took under the goal by ``ms`` (by path), in words."""
    slow = [name for name, path in pages if ms.get(path, 0.0) >= GOAL_MS]
    return f"not met by {', '.join(slow)}." if slow else met


def report_edit(found: EditTiming, what: str) -> str:
    """The ``--after-edit`` table, with what was measured and how."""
    loads = ", ".join(f"{x:.1f}" for x in found.load)
    if found.edit_refused:
        return f"The edit was refused ({found.edit_refused}); nothing measured after it."
    lines = [
        f"`policygraph serve` on {what}; caches warm {found.warm_after:.1f} s after the "
        f"server's first answer; the edit answered in {found.edit_ms:,.0f} ms (204). "
        f"`/healthz` said `pages: {found.pages_field[0]}` right after the edit, "
        f"`warm: true` {found.edit_warm_after:.1f} s after it (then `pages: "
        f"{found.pages_field[-1]}`). Load average {loads} (before the edit, after the first "
        f"visits, at the end). Server's memory (its process and children, RSS): "
        f"{found.memory_warm_mb:,.0f} MB warm before the edit, peak "
        f"{found.memory_peak_mb:,.0f} MB from the edit until the edited store was warm, "
        f"{found.memory_end_mb:,.0f} MB at the end; the server process alone "
        f"{found.memory_warm_alone_mb:,.0f} MB warm, peak {found.memory_peak_alone_mb:,.0f} MB.",
        "",
        "| page | path | (a) right after the edit ms | notice | (c) edited, warm ms |",
        "|---|---|---:|:-:|---:|",
    ]
    for name, path in found.pages:
        after = _cell(path, found.after_edit.get(path, math.nan))
        warm = _cell(path, found.after_edit_warm.get(path, math.nan))
        notice = "yes" if path in found.noticed else "no"
        lines.append(f"| {name} | `{path}` | {after} | {notice} | {warm} |")
    lines += [
        "",
        f"Goal (issue 18): every page under {GOAL_MS:.0f} ms. Right after the edit: "
        + _verdict(found.pages, found.after_edit)
        + " Once the edited store is warm (first visits): "
        + _verdict(found.pages, found.after_edit_warm),
        "",
    ]
    return "\n".join(lines)


def report(
    found: Timing, runs: int, what: str = "the built store (the report, 17,371 quads)"
) -> str:
    """The "Explorer pages" section of docs/benchmarks.md."""
    loads = ", ".join(f"{x:.1f}" for x in found.load)
    lines = [
        "## Explorer pages",
        "",
        f"`policygraph serve` on {what}; each page fetched "
        "as HTML over one keep-alive connection, timed to the last byte. *Cold*: the first "
        "visit right after the server's first answer, while its warm-up still runs; *first "
        "(warm)*: the first visit once `/healthz` reports `warm: true` (a fresh server, so "
        f"nothing of that page was cached by a visit); *median*: {runs} visits after it. "
        "*After an edit*: the first visit right after an accepted SPARQL update through "
        f"`POST /sparql` (answered in {found.edit_ms:,.0f} ms; a country added to the edits "
        "graph), which publishes a new store; *edited, warm*: the first visit once "
        f"`/healthz` says that store is warm ({found.edit_warm_after:.1f} s after the update "
        f"answered). Caches were warm {found.warm_after:.1f} s after the server's first "
        "answer.",
        f"Machine: {platform.machine()}, CPython {platform.python_version()}, 2 cores; load "
        f"average {loads} (when warm, after the edit, at the end). "
        "Reproduce: `.venv/bin/python -m bench.page_timing`.",
        "",
        "| page | path | cold ms | first (warm) ms | median ms | after an edit ms "
        "| edited, warm ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, path in found.pages:
        cells = (found.cold, found.first, found.median, found.after_edit, found.after_edit_warm)
        lines.append(
            f"| {name} | `{path}` | "
            + " | ".join(_cell(path, c.get(path, math.nan)) for c in cells)
            + " |"
        )
    warm = {p: max(found.first[p], found.median.get(p, 0.0)) for _, p in found.pages}
    cold = sum(found.cold[p] >= GOAL_MS for _, p in found.pages)
    lines += [
        "",
        f"Goal (issues 6 and 18): every page under {GOAL_MS:.0f} ms. Once warm: "
        + _verdict(found.pages, warm, met="met by every page, first visit included.")
        + " Right after an accepted edit: "
        + _verdict(found.pages, found.after_edit)
        + f" Cold (during the warm-up): {cold} of {len(found.pages)} pages over "
        f"{GOAL_MS:.0f} ms."
        + (
            f" Refused (not timed): {', '.join(n for n, p in found.pages if p in REFUSED)}."
            if REFUSED
            else ""
        )
        + (f" The edit was refused ({found.edit_refused})." if found.edit_refused else "")
        + (
            " Visited once only (slower than the limit once warm): "
            + ", ".join(n for n, p in found.pages if p in found.slow)
            + "."
            if found.slow
            else ""
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=REPO_ROOT / "var" / "store")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--slow",
        type=float,
        default=SLOW_SECONDS,
        help="seconds a page's first visit once warm may take before it is visited no more",
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="a bench/synth.py store: its pages, and the section printed, not written",
    )
    parser.add_argument(
        "--after-edit",
        action="store_true",
        help="only the edit: pages right after it, until the edited store is warm, and after",
    )
    args = parser.parse_args()
    if args.after_edit:
        pages, framework = (
            (SYNTHETIC_PAGES, "synth-framework-0") if args.synthetic else (PAGES, "aukus")
        )
        what = f"the synthetic store {args.store}" if args.synthetic else "the built store"
        print(report_edit(measure_edit(args.store, pages, framework), what))
    elif args.synthetic:
        found = measure(args.store, args.runs, SYNTHETIC_PAGES, "synth-framework-0", args.slow)
        print(report(found, args.runs, f"the synthetic store {args.store}"))
    else:
        write_section(report(measure(args.store, args.runs, slow=args.slow), args.runs))


if __name__ == "__main__":
    main()
