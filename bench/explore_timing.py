"""Interactive views: each view's HTML, warm, on the report's graph, and what its page
draws first (the focus) and how soon, in headless Chromium.

Run: ``.venv/bin/python -m bench.explore_timing`` — builds the curated data into a
temporary store, prints a Markdown section and rewrites the "Interactive views" section of
``docs/benchmarks.md``. Needs Debian's ``chromium`` at ``/usr/bin/chromium`` for the browser
figures.

"Warm" is a view of a store whose projection is already read (as in a server): the median
of :data:`RUNS` runs of view + HTML. "Stable" is the time from navigation start until the
page has drawn its focus, the median of :data:`BROWSER_RUNS` page loads.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import write_section
from bench.viz_timing import ARGS, CHROMIUM
from graph import DATA_DIR
from graph.build import build_store
from graph.store import GraphStore, open_store
from viz import views
from viz.html import render_html
from viz.view import View

RUNS = 11
BROWSER_RUNS = 3

VIEWS: dict[str, Callable[[GraphStore], View]] = {
    "ego `kor` depth 2": lambda s: views.ego(s, "kor", 2),
    "ego `jpn` depth 2": lambda s: views.ego(s, "jpn", 2),
    "ego `kor` depth 1 (entity page)": lambda s: views.ego(s, "kor", 1),
    "frameworks (all)": lambda s: views.frameworks(s),
    "frameworks `ipef cptpp msp`": lambda s: views.frameworks(s, ["ipef", "cptpp", "msp"]),
    "proposals (all)": lambda s: views.proposals(s),
    "path `kor` → `aukus-pillar-2`": lambda s: views.path(s, "kor", "aukus-pillar-2"),
    "overview": lambda s: views.overview(s),
    "memberships `jpn kor`": lambda s: views.memberships(s, ["jpn", "kor"], as_of="2025-09-18"),
}


def _warm_ms(store: GraphStore, make: Callable[[GraphStore], View]) -> float:
    render_html(make(store))
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        render_html(make(store))
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _in_browser(pages: list[Path]) -> list[tuple[float, int]]:
    """(ms to stable, nodes drawn first) of each page."""
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for path in pages:
            times, nodes = [], 0
            for _ in range(BROWSER_RUNS):
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.route(
                    "**/*",
                    lambda route: (
                        route.continue_()
                        if route.request.url.startswith("file:")
                        else route.abort()
                    ),
                )
                page.goto(path.as_uri())
                page.wait_for_selector("body[data-stable='1']", state="attached", timeout=60_000)
                times.append(float(page.evaluate("window.pgStableAt")))
                nodes = int(page.evaluate("window.pgNodes.length"))
                page.close()
            found.append((statistics.median(times), nodes))
        browser.close()
    return found


def measure() -> list[tuple[str, str, str, str, str]]:
    """Rows of (view, entities in the view, HTML warm, drawn first, stable)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        build_store([DATA_DIR], path)
        store = open_store(path)
        pages = []
        try:
            for i, (name, make) in enumerate(VIEWS.items()):
                view = make(store)
                warm = _warm_ms(store, make)
                page = Path(tmp) / f"view{i}.html"
                page.write_text(render_html(view), encoding="utf-8")
                pages.append(page)
                rows.append([name, f"{len(view.nodes)}", f"{warm:.0f} ms", "", ""])
        finally:
            store.close()
        if Path(CHROMIUM).exists():
            for row, (stable, nodes) in zip(rows, _in_browser(pages), strict=True):
                row[3], row[4] = str(nodes), f"{stable:.0f} ms"
    return [(a, b, c, d, e) for a, b, c, d, e in rows]


def render(rows: list[tuple[str, str, str, str, str]]) -> str:
    lines = [
        "## Interactive views",
        "",
        "Each interactive view of the report's graph (curated data of `graph/data/`): its "
        f"HTML warm (view + page, median of {RUNS} runs; goal < 100 ms), the nodes its page "
        "draws first (the focus: the entity and its neighbours, large groups as one aggregate "
        "node; goal about 50 at most) and the time to that first drawing in headless Chromium "
        f"(median of {BROWSER_RUNS} page loads, network blocked). "
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, 2 cores, load average {os.getloadavg()[0]:.1f} when "
        "measured (other work shares the cores: compare with the same load). "
        "Reproduce: `.venv/bin/python -m bench.explore_timing`.",
        "",
        "| view | entities in the view | HTML, warm | nodes drawn first | first drawn |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    lines += [
        "",
        "Where the time goes: a page carries every entity of its view (so a file opens and "
        "expands offline), and the view function writes each node's and edge's tooltip and "
        "evidence in Python: about 2,400 edges for ego `kor` depth 2, which is most of its "
        "time, with the JSON of the page (edge tooltips are written by the page itself, "
        "which halved it). The proposals' summaries are read once per served store "
        "(`graph.query.proposals`; reading them was two thirds of `proposals (all)`, 135 ms "
        "before), `path` spends its time in the shortest-connections search. The "
        "page draws its focus (20–30 nodes) whatever the view's size.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    write_section(render(measure()))


if __name__ == "__main__":
    main()
