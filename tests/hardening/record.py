"""Counts of the hostile inputs the hardening tests send, for ``docs/reliability.md``.

Each test adds to ``var/reliability/inputs.json`` (class → count); :mod:`bench.reliability`
clears the file before a run and reads it after.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from graph import REPO_ROOT

__all__ = ["INPUTS", "record_inputs"]

INPUTS = REPO_ROOT / "var" / "reliability" / "inputs.json"


def record_inputs(kind: str, count: int, path: Path = INPUTS) -> None:
    """Add ``count`` inputs of class ``kind`` to the tally (best effort, never fails a test)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tally: dict[str, int] = json.loads(path.read_text()) if path.exists() else {}
        tally[kind] = tally.get(kind, 0) + count
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(tally, indent=1, sort_keys=True))
        os.replace(temporary, path)
    except (OSError, ValueError):
        pass
