"""What a killed server leaves beside the store is removed at the next start — and what a
live server uses is not.

Ownership is an ``flock`` held by the maker (:mod:`graph.store.claims`), not a pid: a
restarted container gives its server the dead one's pid, and another process may hold the
dead one's pid meanwhile. Both used to keep a leftover forever (or collide with its name).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from graph.store.edits import EDITS_GRAPH, edits_file, remove_leftovers, write_edits
from graph.store.location import MEASURES_FILE, WARM_FILE, StoreLocation
from serving.context import StoreContext
from tests.hardening.access.conftest import client_over
from tests.hardening.record import record_checks, record_faults

#: A file only leftovers hold (a new copy may take a leftover's name once it is gone).
MARK = "left-by-a-killed-server"
LEFTOVERS = "leftovers of killed servers beside the store (pid reused, pid alive, temp files)"
KOREA_COMMENT = ox.Quad(
    ox.NamedNode("https://w3id.org/policygraph/id/kor"),
    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
    ox.Literal("edited", language="en"),
    ox.NamedNode(EDITS_GRAPH),
)


def _leftover_copy(store_path: Path, name: str) -> Path:
    """A served copy as a killed server leaves it: a directory with some files."""
    copy = store_path.parent / name
    copy.mkdir()
    (copy / "CURRENT").write_text("MANIFEST-000005\n")
    (copy / "000007.log").write_bytes(b"\0" * 4096)
    (copy / MARK).touch()
    return copy


def test_a_restart_removes_what_a_killed_server_left(store_path: Path) -> None:
    write_edits(edits_file(store_path), [KOREA_COMMENT])  # the start must make a served copy
    leftovers = [
        _leftover_copy(store_path, f".store.served-{os.getpid()}-1"),  # this pid, reused
        _leftover_copy(store_path, ".store.served-1-1"),  # a pid that is alive (init)
        _leftover_copy(store_path, ".store.served-999999999-3"),  # a pid that is gone
    ]
    for name in (".store.edits.nq.k2j4h1", ".store.edits.nq.0a1b2c3d4e5f.previous"):
        (store_path.parent / name).write_text("<urn:half> <urn:written> ")
        leftovers.append(store_path.parent / name)
    with client_over(store_path) as client:
        assert [p.name for p in leftovers if p.is_file()] == []
        assert list(store_path.parent.glob(f".store.served-*/{MARK}")) == []
        served = list(store_path.parent.glob(".store.served-*"))
        assert len(served) == 1, served  # its own, under a fresh name
        ask = 'ASK { id:kor rdfs:comment "edited"@en }'
        assert client.get("/sparql", params={"query": ask, "format": "json"}).json()["boolean"]
    assert not list(store_path.parent.glob(".store.served-*"))  # and it removes its own
    record_faults(LEFTOVERS, len(leftovers))
    record_checks("restart after leftovers of a killed server", 1)


def test_a_copy_a_live_process_claims_is_kept_until_it_dies(store_path: Path) -> None:
    copy = _leftover_copy(store_path, ".store.served-424242-1")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys\n"
         f"fd = os.open({str(copy)!r}, os.O_RDONLY)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX)\n"
         "print('held', flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        generation = StoreLocation(store_path).current()
        assert remove_leftovers(generation) == []
        assert copy.exists()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        assert remove_leftovers(generation) == [copy]
        assert not copy.exists()
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.wait(timeout=30)
    record_faults(LEFTOVERS, 1)
    record_checks("served copy of a live server kept, removed once it was killed", 1)


def test_a_served_copy_keeps_nothing_computed_in_its_directory(store_path: Path) -> None:
    """The warm caches and measures of a served copy are not written into it: no later
    server opens a copy, and a file a warm-up was still writing when the server stopped kept
    the copy's directory from being removed (a clean-clone run left one behind)."""
    write_edits(edits_file(store_path), [KOREA_COMMENT])  # the start makes a served copy
    with client_over(store_path) as client:
        context: StoreContext = client.app.state.context  # type: ignore[attr-defined]
        context.warm_up().join(timeout=120)
        assert context.warm.is_set()
        assert context.analytics.centrality(top=1)  # the measures are computed all the same
        assert context.generation is not None and ".store.served-" in context.generation.name
        names = {path.name for path in context.generation.iterdir()}
        assert "CURRENT" in names
        assert names & {WARM_FILE, MEASURES_FILE} == set(), names
        assert not [name for name in names if name.startswith(".")], names
    assert not list(store_path.parent.glob(".store.served-*"))
    record_checks("a served copy keeps no caches of its own", 1)
