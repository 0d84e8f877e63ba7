"""``policygraph`` with faults injected, for tests that kill or starve a real server.

Run as ``python -m tests.hardening.edits.faulty_serve serve …`` (the CLI's arguments),
with these environment variables:

* ``FAULTY_SLOW=module:name:seconds`` — the function ``name`` of ``module`` (or a method,
  ``Class.method``) sleeps ``seconds`` before it runs, after creating the file named by
  ``FAULTY_SIGNAL``: a test waits for that file, then kills the server in the middle of
  the step;
* ``FAULTY_FULL_DISK=1`` — the disk has room for one served copy only: copying the store
  fails with ``ENOSPC`` while another served copy lies beside the target (as a killed
  server's copy holds the space a new one needs).
"""

from __future__ import annotations

import errno
import functools
import importlib
import os
import shutil
import time
from pathlib import Path
from typing import Any


def _slow_down(spec: str, signal: Path | None) -> None:
    module_name, name, seconds = spec.split(":")
    owner: Any = importlib.import_module(module_name)
    *path, attribute = name.split(".")
    for part in path:
        owner = getattr(owner, part)
    real = getattr(owner, attribute)

    @functools.wraps(real)
    def slow(*args: Any, **kwargs: Any) -> Any:
        if signal is not None:
            signal.touch()
        time.sleep(float(seconds))
        return real(*args, **kwargs)

    setattr(owner, attribute, slow)


def _fill_disk_but_one_copy() -> None:
    real = shutil.copytree

    def copytree(source: Any, target: Any, *args: Any, **kwargs: Any) -> Any:
        target = Path(target)
        if any(p != target for p in target.parent.glob(".*.served-*")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(source, target, *args, **kwargs)

    shutil.copytree = copytree  # type: ignore[assignment]


def main() -> None:
    """Install the faults the environment names, then run the CLI."""
    signal = os.environ.get("FAULTY_SIGNAL")
    if spec := os.environ.get("FAULTY_SLOW"):
        _slow_down(spec, Path(signal) if signal else None)
    if os.environ.get("FAULTY_FULL_DISK"):
        _fill_disk_but_one_copy()
    from cli.main import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
