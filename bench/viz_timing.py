"""View timing: generating the ego (depth 2) and overview HTML, and the overview's time to a
stable layout in headless Chromium.

Run: ``.venv/bin/python -m bench.viz_timing`` — builds the curated data into a temporary
store, prints a Markdown section and rewrites the "Views" section of ``docs/benchmarks.md``.
Needs Debian's ``chromium`` at ``/usr/bin/chromium`` for the browser figures.

"Cold" is the first view of a freshly opened store (it reads the projection, evidence and
memberships, then caches them for that store); "warm" is every later view, as in a server.
"Stable" is the time from navigation start until the page reports its layout final:
physics stopped after stabilisation, or, above 250 nodes, the first drawing of the
precomputed positions.
"""

from __future__ import annotations

import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import write_section
from graph import DATA_DIR
from graph.build import build_store
from graph.store import GraphStore, open_store
from viz import views
from viz.html import render_html
from viz.view import View

RUNS = 15
BROWSER_RUNS = 5
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _cold_ms(path: Path, make: Callable[[GraphStore], View]) -> float:
    store = open_store(path)
    try:
        started = time.perf_counter()
        render_html(make(store))
        return (time.perf_counter() - started) * 1000
    finally:
        store.close()


def _stable_ms(page_path: Path) -> tuple[float, int]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        times, nodes = [], 0
        for _ in range(BROWSER_RUNS):
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file:") else route.abort()
                ),
            )
            page.goto(page_path.as_uri())
            page.wait_for_selector("body[data-stable='1']", state="attached", timeout=60_000)
            times.append(float(page.evaluate("window.pgStableAt")))
            nodes = int(page.evaluate("window.pgNodes.length"))
            page.close()
        browser.close()
    return statistics.median(times), nodes


def measure() -> list[tuple[str, str, str]]:
    """Rows of (what, figure, goal)."""
    ego: Callable[[GraphStore], View] = lambda s: views.ego(s, "kor", 2)  # noqa: E731
    overview: Callable[[GraphStore], View] = lambda s: views.overview(s)  # noqa: E731
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        build_store([DATA_DIR], path)
        rows.append(("ego `kor` depth 2 → HTML, cold", f"{_cold_ms(path, ego):.0f} ms", ""))
        rows.append(("overview → HTML, cold", f"{_cold_ms(path, overview):.0f} ms", ""))
        store = open_store(path)
        try:
            render_html(overview(store))
            ego_view, overview_view = ego(store), overview(store)
            warm_ego = _median_ms(lambda: render_html(ego(store)))
            warm_overview = _median_ms(lambda: render_html(overview(store)))
            rows.append(
                (
                    f"ego `kor` depth 2 → HTML, warm ({len(ego_view.nodes)} nodes, "
                    f"{len(ego_view.edges)} edges)",
                    f"{warm_ego:.0f} ms",
                    "< 100 ms",
                )
            )
            rows.append(
                (
                    f"overview → HTML, warm ({len(overview_view.nodes)} nodes, "
                    f"{len(overview_view.edges)} edges)",
                    f"{warm_overview:.0f} ms",
                    "",
                )
            )
            page = Path(tmp) / "overview.html"
            page.write_text(render_html(overview_view), encoding="utf-8")
            ego_page = Path(tmp) / "ego.html"
            ego_page.write_text(render_html(ego_view), encoding="utf-8")
        finally:
            store.close()
        if Path(CHROMIUM).exists():
            stable, nodes = _stable_ms(page)
            rows.append(
                (
                    f"overview stable in headless Chromium ({nodes} nodes)",
                    f"{stable:.0f} ms",
                    "< 2 s",
                )
            )
            stable, nodes = _stable_ms(ego_page)
            rows.append(
                (f"ego `kor` depth 2 stable in Chromium ({nodes} nodes)", f"{stable:.0f} ms", "")
            )
        else:
            rows.append(
                ("overview stable in headless Chromium", "not measured: no chromium", "< 2 s")
            )
    return rows


def render(rows: list[tuple[str, str, str]]) -> str:
    lines = [
        "## Views",
        "",
        f"Curated data of `graph/data/`; warm figures are medians of {RUNS} runs, browser "
        f"figures medians of {BROWSER_RUNS} page loads (Debian chromium, headless, network "
        "blocked). "
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, 2 cores. Reproduce: `.venv/bin/python -m bench.viz_timing`.",
        "",
        "| what | time | goal |",
        "|---|---:|---|",
    ]
    lines += [f"| {what} | {figure} | {goal} |" for what, figure, goal in rows]
    lines += [
        "",
        "Cold runs include reading the projection, evidence and memberships of the store "
        "(cached per store afterwards, as in the server). Above 250 nodes the browser runs no "
        "physics: positions are computed in Python (seeded), so stable means first drawn.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    write_section(render(measure()))


if __name__ == "__main__":
    main()
