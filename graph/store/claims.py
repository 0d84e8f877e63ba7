"""Which files and directories beside the store a live process is still using.

A server makes temporary things beside the store — a *served copy* of it with the edits
(:func:`graph.store.edits.make_served_copy`), a temporary edits file while it replaces the
file — and removes them itself when it is done. A server killed with ``SIGKILL`` cannot,
so the next one must tell a leftover from something another live server is using.

Process ids cannot tell: a restarted container gives its server the very pid of the dead
one, and an unrelated process may have taken the pid meanwhile. So the maker *claims* each
thing it makes with an exclusive :func:`fcntl.flock` on it, held until it removes the
thing; the kernel drops the lock when the process dies, however it dies. A thing nobody
holds a lock on is a leftover (:func:`remove_unclaimed`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = ["Claim", "remove_unclaimed"]


class Claim:
    """An exclusive lock on ``path`` (a file or a directory), held until :meth:`release`.

    :raises BlockingIOError: another open claim holds it (in this process or another).
    :raises OSError: ``path`` cannot be opened.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Let go of the lock (the thing itself stays)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)

    def remove(self) -> None:
        """Remove the thing, then let go of the lock."""
        try:
            remove_path(self.path)
        finally:
            self.release()


def remove_path(path: Path) -> None:
    """Remove a file or a directory tree, if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def remove_unclaimed(paths: Iterable[Path]) -> list[Path]:
    """Remove each of ``paths`` that no live process claims; returns those removed."""
    removed = []
    for path in paths:
        try:
            claim = Claim(path)
        except BlockingIOError:
            continue  # a live process is using it
        except OSError:
            continue  # gone meanwhile, or not ours to open
        claim.remove()
        removed.append(path)
    return removed
