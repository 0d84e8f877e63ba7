"""Swap under load: the server keeps answering readers while a new build is swapped in.

A real ``policygraph serve`` answers client threads that query ``/sparql`` and
``/api/entities/kor`` without pause while ``policygraph build`` rebuilds the store at the
same path three times, each time with another English label for Korea. No request may
fail (no 5xx, no connection error), every build must be served soon after it ends, and no
reader may see an older build after a newer one.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import running_server
from tests.conftest import MINIMAL_DATA, run_cli
from tests.hardening.record import record_checks, record_faults, record_inputs

pytestmark = pytest.mark.slow

BUILDS = 3
#: Seconds a build may take to be served before the test gives up (it takes about one).
SERVED_WITHIN = 30.0
LABEL_QUERY = 'SELECT ?l WHERE { id:kor rdfs:label ?l FILTER (lang(?l) = "en") }'


def korea_label(build: int) -> str:
    """Korea's English label in the data of ``build`` (0: the fixture's own)."""
    return "Republic of Korea" if build == 0 else f"Republic of Korea (build {build})"


def write_data(directory: Path, build: int) -> None:
    """The fixture data set, with Korea's English label of ``build``."""
    shutil.rmtree(directory, ignore_errors=True)
    shutil.copytree(MINIMAL_DATA, directory)
    world = directory / "world.ttl"
    text = world.read_text(encoding="utf-8")
    old = '"Republic of Korea"@en'
    assert old in text
    world.write_text(text.replace(old, f'"{korea_label(build)}"@en'), encoding="utf-8")


def build_seen(text: str) -> int:
    """Which build's label an answer carries."""
    for build in range(BUILDS, 0, -1):
        if korea_label(build) in text:
            return build
    assert korea_label(0) in text, text[:300]
    return 0


@dataclass
class Reader:
    """A client thread that asks one thing again and again until told to stop."""

    name: str
    ask: Callable[[httpx.Client], httpx.Response]
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    #: Builds seen, in the order of the answers (repeats collapsed).
    seen: list[int] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + len(self.errors)

    def run(self, url: str, stop: threading.Event) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            while not stop.is_set():
                try:
                    response = self.ask(client)
                except httpx.HTTPError as exc:
                    self.errors.append(repr(exc))
                    continue
                self.statuses[response.status_code] += 1
                if response.status_code != 200:
                    self.errors.append(f"{response.status_code}: {response.text[:200]}")
                    continue
                build = build_seen(response.text)
                if not self.seen or self.seen[-1] != build:
                    self.seen.append(build)


def ask_sparql(client: httpx.Client) -> httpx.Response:
    return client.get("/sparql", params={"query": LABEL_QUERY, "format": "json"})


def ask_entity(client: httpx.Client) -> httpx.Response:
    return client.get("/api/entities/kor")


def wait_until_served(url: str, build: int) -> None:
    """Return once both routes answer with ``build``'s label; fail after SERVED_WITHIN s."""
    deadline = time.monotonic() + SERVED_WITHIN
    with httpx.Client(base_url=url, timeout=30) as client:
        while True:
            answers = [ask_sparql(client), ask_entity(client)]
            if all(korea_label(build) in answer.text for answer in answers):
                return
            assert time.monotonic() < deadline, (
                f"build {build} not served after {SERVED_WITHIN} s: "
                f"{[answer.text[:200] for answer in answers]}"
            )
            time.sleep(0.1)


def test_readers_never_fail_while_new_builds_are_swapped_in(tmp_path: Path) -> None:
    data, store = tmp_path / "data", tmp_path / "store"
    write_data(data, 0)
    assert run_cli("build", "--data", data, "--store", store).returncode == 0
    readers = [
        Reader("sparql-1", ask_sparql),
        Reader("sparql-2", ask_sparql),
        Reader("entity-1", ask_entity),
        Reader("entity-2", ask_entity),
    ]
    with running_server(store, "--query-workers", "2") as server:
        stop = threading.Event()
        threads = [
            threading.Thread(target=reader.run, args=(server.url, stop), name=reader.name)
            for reader in readers
        ]
        for thread in threads:
            thread.start()
        generations = [store.resolve()]
        try:
            for build in range(1, BUILDS + 1):
                write_data(data, build)
                result = run_cli("build", "--data", data, "--store", store)
                assert result.returncode == 0, result.stderr
                generations.append(store.resolve())
                wait_until_served(server.url, build)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        log = server.output()

    total = sum(reader.requests for reader in readers)
    for reader in readers:
        assert reader.errors == [], (reader.name, reader.errors[:5], log[-3000:])
        assert reader.requests > 0, reader.name
        # Each reader saw the builds in order, and never an older one after a newer one.
        assert reader.seen == sorted(reader.seen), (reader.name, reader.seen)
        assert reader.seen[-1] == BUILDS, (reader.name, reader.seen)
    # The server let go of the generations it no longer served, and the builds removed them;
    # the previous one is kept for readers that may still have it open.
    remaining = sorted(p.resolve() for p in store.parent.glob("store.gen-*"))
    assert remaining == sorted(generations[-2:]), remaining
    record_inputs("requests answered while new builds were swapped in", total)
    record_faults("new build swapped in under load (policygraph build while serving)", BUILDS)
    record_checks("reader saw every build in order, never an older one after a newer", len(readers))
