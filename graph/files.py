"""Files written for the user: a temporary file beside the target, with the usual mode.

:func:`tempfile.mkstemp` creates its file with mode ``0600`` whatever the umask, and a
file renamed into place keeps that mode: exports and figures other users (or a web
server) should read came out private. :func:`create_beside` opens a fresh temporary file
with ``0666`` and lets the kernel apply the umask, as :func:`open` does (``0644`` under
the usual ``022``), without changing the process-wide umask to read it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

__all__ = ["create_beside"]

_ATTEMPTS = 100


def create_beside(target: Path) -> tuple[int, Path]:
    """A new, empty temporary file in ``target``'s directory: its descriptor (open for
    writing) and path, named ``.NAME.RANDOM.tmp``, mode ``0666 & ~umask``.

    :raises OSError: the directory cannot be written.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_ATTEMPTS):
        candidate = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(candidate, flags, 0o666), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")
