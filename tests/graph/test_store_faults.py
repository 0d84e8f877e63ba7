"""Faults around the store: damaged, foreign or busy stores and failing disks are clear
errors, and the previous store survives them."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph.build import build_store
from graph.errors import StoreError
from graph.store import OxigraphStore, open_store
from graph.store.location import MARKER
from tests.conftest import MINIMAL_DATA, run_cli
from tests.hardening.record import record_checks, record_faults


def test_a_store_without_marker_is_refused_with_the_rebuild_command(
    minimal_store_path: Path,
) -> None:
    (minimal_store_path.resolve() / MARKER).unlink()
    with pytest.raises(StoreError, match=r"not a policygraph store.*policygraph build --store"):
        open_store(minimal_store_path)
    record_faults("foreign store (no marker, another format)", 1)


def test_a_store_of_another_format_is_refused(minimal_store_path: Path) -> None:
    (minimal_store_path.resolve() / MARKER).write_text(json.dumps({"format": 999}))
    with pytest.raises(StoreError, match=r"has format 999.*policygraph build"):
        open_store(minimal_store_path)
    record_faults("foreign store (no marker, another format)", 1)


def test_a_damaged_store_is_a_one_line_error(minimal_store_path: Path) -> None:
    directory = minimal_store_path.resolve()
    for path in directory.iterdir():
        if path.name != MARKER:
            path.write_bytes(b"\0garbage")
    result = run_cli("stats", "--store", minimal_store_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "policygraph build" in result.stderr
    record_faults("damaged store (garbage in its files)", 1)


def test_a_store_held_for_writing_by_another_process_is_a_clear_error(
    minimal_store_path: Path,
) -> None:
    directory = minimal_store_path.resolve()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import pyoxigraph, sys; s = pyoxigraph.Store({str(directory)!r}); print('ok', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="cannot open the store"):
            OxigraphStore.open(directory, read_only=False)
    finally:
        holder.communicate("", timeout=30)
    record_faults("store held for writing by another process", 1)


def test_an_unwritable_location_keeps_nothing_and_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot write the store"):
        build_store([MINIMAL_DATA], blocker / "store")
    record_faults("unwritable store location", 1)


def test_a_full_disk_during_build_keeps_the_old_store(
    minimal_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = minimal_store_path.resolve()

    def disk_full(self: OxigraphStore, quads: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(OxigraphStore, "bulk_extend", disk_full)
    with pytest.raises(StoreError, match="No space left on device"):
        build_store([MINIMAL_DATA], minimal_store_path)
    assert minimal_store_path.resolve() == before
    assert not list(minimal_store_path.parent.glob(".store.building-*"))
    assert open_store(minimal_store_path).query("ASK { id:kor ?p ?o }")
    record_faults("full disk during a build", 1)
    record_checks("previous store whole and answering after a failed build", 1)
