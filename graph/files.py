"""Files written whole or not at all: the one way policygraph replaces a file.

Every file a user or a server reads while it may be rewritten — exports, figures, the
edits file, the measures kept beside a store — is written to a temporary file beside it
and renamed over it (:func:`replacing`, :func:`write_atomically`): a reader sees the old
file or the new one, never half of one, and a failed write leaves the old file as it was
and no temporary file behind.

:func:`tempfile.mkstemp` creates its file with mode ``0600`` whatever the umask, and a
file renamed into place keeps that mode: exports and figures other users (or a web
server) should read came out private. :func:`create_beside` opens a fresh temporary file
with ``0666`` and lets the kernel apply the umask, as :func:`open` does (``0644`` under
the usual ``022``), without changing the process-wide umask to read it.

>>> import tempfile
>>> target = Path(tempfile.mkdtemp()) / "out.txt"
>>> write_atomically(target, b"whole")
>>> target.read_bytes(), sorted(p.name for p in target.parent.iterdir())
(b'whole', ['out.txt'])
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "FileKey",
    "create_beside",
    "file_key",
    "fsync_directory",
    "replacing",
    "write_atomically",
]

#: A file's modification time, size and inode: what changes when it is rewritten.
FileKey = tuple[int, int, int]

_ATTEMPTS = 100


def file_key(path: Path) -> FileKey:
    """What changes when ``path`` is rewritten: its modification time, size and inode (a
    file renamed over it, as :func:`replacing` does, has a new inode even within the
    clock's resolution).

    :raises OSError: the file cannot be read (missing, a vanished directory).
    """
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


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


@contextlib.contextmanager
def replacing(target: Path, *, durable: bool = False, claim: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write ``target``'s new content into, renamed over ``target`` when
    the block ends without an exception, removed when it raises.

    ``durable``: the file's data, then the rename, are flushed to the disk before the
    block's end returns (``fsync`` of the file and of its directory). ``claim``: the
    temporary file is claimed (:class:`graph.store.claims.Claim`) until it is renamed, so
    that another process clearing leftovers beside a store does not take it for one.

    :raises OSError: the directory cannot be written, or a write, flush or rename failed
        (``target`` is then as it was — but when only the final directory ``fsync`` failed,
        the rename happened and may or may not survive a crash).
    """
    from graph.store.claims import Claim

    fd, temporary = create_beside(target)
    held: Claim | None = None
    renamed = False
    try:
        if claim:
            held = Claim(temporary)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temporary, target)
        renamed = True
    finally:
        if held is not None:
            held.release()
        if not renamed:
            with contextlib.suppress(OSError):
                temporary.unlink()
    if durable:
        fsync_directory(target.parent)


def write_atomically(target: Path, data: bytes, *, durable: bool = False) -> None:
    """Replace ``target`` with ``data`` (see :func:`replacing`).

    :raises OSError: the file cannot be written; ``target`` is then as it was.
    """
    with replacing(target, durable=durable) as handle:
        handle.write(data)


def fsync_directory(directory: Path) -> None:
    """Make the renames and removals in ``directory`` durable.

    :raises OSError: the directory cannot be opened or flushed.
    """
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
