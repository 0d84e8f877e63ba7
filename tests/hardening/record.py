"""The tally behind ``docs/reliability.md``: what the hardening tests tried, and what held.

Tests add to ``var/reliability/inputs.json`` after their assertions passed, so the tally
counts only what was handled as it should be. Three tables, each class → count:

* ``inputs`` (:func:`record_inputs`): hostile inputs sent — requests, payloads, queries;
* ``faults`` (:func:`record_faults`): faults injected — killed builds, a full disk, a
  damaged store, a killed worker, a store swapped in under load …;
* ``checks`` (:func:`record_checks`): checks that no data was lost — the store whole after
  a fault, nothing written by a refused edit, every build served.

:mod:`bench.reliability` clears the file before a run and reads it after.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from graph import REPO_ROOT

__all__ = [
    "BREAKOUT_INPUTS",
    "HOSTILE_PAGES",
    "INPUTS",
    "TABLES",
    "read_tally",
    "record_checks",
    "record_faults",
    "record_inputs",
]

INPUTS = REPO_ROOT / "var" / "reliability" / "inputs.json"
Table = Literal["inputs", "faults", "checks"]
#: Classes of inputs that several test modules count.
BREAKOUT_INPUTS = "break-outs in URL parameters (slugs, named-query values, search)"
HOSTILE_PAGES = (
    "pages and views rendered over hostile data (script tags, attribute break-outs, "
    "javascript: links)"
)
TABLES: tuple[Table, ...] = ("inputs", "faults", "checks")


def record_inputs(kind: str, count: int, path: Path = INPUTS) -> None:
    """Add ``count`` hostile inputs of class ``kind`` (best effort, never fails a test)."""
    _add("inputs", kind, count, path)


def record_faults(kind: str, count: int, path: Path = INPUTS) -> None:
    """Add ``count`` injected faults of class ``kind`` (best effort)."""
    _add("faults", kind, count, path)


def record_checks(kind: str, count: int, path: Path = INPUTS) -> None:
    """Add ``count`` passed checks that no data was lost, of class ``kind`` (best effort)."""
    _add("checks", kind, count, path)


def read_tally(path: Path = INPUTS) -> dict[Table, dict[str, int]]:
    """The three tables (empty ones for a missing or unreadable file).

    >>> import tempfile
    >>> tally = Path(tempfile.mkdtemp()) / "inputs.json"
    >>> record_faults("killed builds", 2, tally); record_faults("killed builds", 1, tally)
    >>> read_tally(tally)["faults"], read_tally(tally)["inputs"]
    ({'killed builds': 3}, {})
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    return {table: dict(data.get(table, {})) for table in TABLES}


def _add(table: Table, kind: str, count: int, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tally = read_tally(path)
        tally[table][kind] = tally[table].get(kind, 0) + count
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(tally, indent=1, sort_keys=True, ensure_ascii=False))
        os.replace(temporary, path)
    except OSError:
        pass
