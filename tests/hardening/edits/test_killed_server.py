"""A real ``policygraph serve`` killed with ``SIGKILL`` in the middle of an edit.

The server is slowed at one step of the commit (:mod:`tests.hardening.edits.faulty_serve`),
a client adds a country through ``/store``, and the server is killed while that step runs.
It is then started twice in a row on a disk with room for one served copy only (the dead
server's copy must go before a new one fits: the failure seen in issue 14). Each restart
must come up; what the dead server left beside the store must be gone; and the edit must
be all there (killed after the commit point) or not at all (killed before it) — never a
part of it. A client that got no answer cannot tell which; one answered 204 always finds
its edit (tests/hardening/edits/test_faults.py covers the answers).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from graph import REPO_ROOT
from graph.store.edits import EDITS_GRAPH, edits_file
from tests.api.conftest import QUERIES, free_port
from tests.hardening.access.conftest import TOKEN
from tests.hardening.record import record_checks, record_faults

pytestmark = pytest.mark.slow

AUTH = {"Authorization": f"Bearer {TOKEN}"}
USA = (
    "@prefix pg: <https://w3id.org/policygraph/ontology#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<https://w3id.org/policygraph/id/usa> a pg:Country ; rdfs:label "United States"@en, "米国"@ja, "미국"@ko .\n'
)
USA_TRIPLES = 4
#: Seconds a server may take to start, a slowed step to begin.
START_WITHIN, STEP_WITHIN = 60.0, 60.0

#: (slowed step, whether the edit is committed when the server dies there)
STEPS = [
    ("graph.build.materialise:derive_changes", False),
    ("graph.store.edits:_write_all", False),
    ("serving.edits:EditService._adopt", True),
]


@contextmanager
def serve(store: Path, log: Path, **faults: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Start the faulty server on ``store`` (waits until it answers); stop it afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYGRAPH_", "FAULTY_"))}
    env |= {"POLICYGRAPH_QUERIES": str(QUERIES), "POLICYGRAPH_UPDATE_TOKEN": TOKEN, **faults}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.hardening.edits.faulty_serve", "serve",
             "--port", str(port), "--store", str(store)],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_WITHIN
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=2).raise_for_status()
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the server did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _usa_triples(url: str) -> int:
    query = f"SELECT * {{ GRAPH <{EDITS_GRAPH}> {{ id:usa ?p ?o }} }}"
    response = httpx.get(f"{url}/sparql", params={"query": query, "format": "json"}, timeout=30)
    response.raise_for_status()
    return len(response.json()["results"]["bindings"])


def _beside(store: Path) -> set[str]:
    return {p.name for p in store.parent.iterdir() if p.name.startswith(".")}


@pytest.mark.parametrize(("step", "committed"), STEPS, ids=[s.split(":")[1] for s, _ in STEPS])
def test_an_edit_killed_midway_is_all_or_nothing_and_restarts_succeed(
    store_path: Path, tmp_path: Path, step: str, committed: bool
) -> None:
    started = tmp_path / "step-started"
    answers: list[int | str] = []
    with serve(
        store_path, tmp_path / "killed.log", FAULTY_SLOW=f"{step}:60", FAULTY_SIGNAL=str(started)
    ) as (url, process):

        def post() -> None:
            try:
                response = httpx.post(
                    f"{url}/store?graph={EDITS_GRAPH}", content=USA, timeout=90,
                    headers={"Content-Type": "text/turtle", **AUTH},
                )  # fmt: skip
                answers.append(response.status_code)
            except httpx.TransportError as exc:
                answers.append(type(exc).__name__)

        client = threading.Thread(target=post)
        client.start()
        deadline = time.monotonic() + STEP_WITHIN
        while not started.exists():
            assert time.monotonic() < deadline, f"the slowed step never started: {answers}"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        client.join(timeout=30)
    assert answers and not isinstance(answers[0], int), answers  # the client got no answer
    left = _beside(store_path)
    assert left, "the killed server left nothing behind: the step was not reached"

    for restart in (1, 2):
        with serve(store_path, tmp_path / f"restart-{restart}.log", FAULTY_FULL_DISK="1") as (
            url,
            _,
        ):
            assert not left & _beside(store_path), "a killed server's leftovers were kept"
            assert _usa_triples(url) == (USA_TRIPLES if committed else 0)
    edits = edits_file(store_path)
    text = edits.read_text(encoding="utf-8") if edits.exists() else ""
    assert text.count("/id/usa>") == (USA_TRIPLES if committed else 0)
    record_faults("server killed with SIGKILL in the middle of an edit", 1)
    record_checks("restart after a server was killed mid-edit (disk full but for one copy)", 2)
    record_checks("edit killed mid-commit all there or absent after restarts", 1)
