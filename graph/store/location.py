"""Where a built store lives on disk, and how a new build replaces it atomically.

The store path the user names (``var/store`` by default) is a symbolic link to a
*generation* directory beside it (``store.gen-20251118T101500-k2x9a1-4242``). A build writes a
hidden ``.store.building-…`` directory, renames it to a generation, and swaps the link with
one ``rename(2)``: a reader sees either the old store or the new one, never a mix, and a
build that fails or is killed leaves the link — and so the previous store — as it was.
The previous generation is kept for readers that still have it open; older ones go, except
those a running server still reads: a server holds each generation it may read with a
shared lock on its marker file (:func:`hold_generation`), and a build removes only the
generations whose marker it can lock exclusively (``flock(2)``; the lock goes with the
process that held it, a killed server included).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from graph.errors import StoreError

__all__ = [
    "FORMAT_VERSION",
    "MARKER",
    "MEASURES_FILE",
    "WARM_FILE",
    "GenerationLease",
    "StoreLocation",
    "check_marker",
    "hold_generation",
    "write_marker",
]

#: The layout of what a build writes; bump it when a new build is needed to read old stores.
FORMAT_VERSION = 1
#: The file in each generation that records who wrote it.
MARKER = "policygraph-store.json"
#: The file in a generation that keeps its network measures once computed
#: (:mod:`graph.analysis.measures`); it goes with the generation.
MEASURES_FILE = "policygraph-measures.json"
#: The warm caches kept beside a generation (:mod:`serving.warm_cache`).
WARM_FILE = "policygraph-warm.pickle"


class StoreLocation:
    """The store path a user names, with its generations.

    >>> loc = StoreLocation(Path("/tmp/pg-doc/var/store"))
    >>> loc.building_prefix
    '.store.building-'
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(os.path.abspath(path))
        self.parent = self.path.parent
        self.name = self.path.name
        self.building_prefix = f".{self.name}.building-"
        self.generation_prefix = f"{self.name}.gen-"

    def exists(self) -> bool:
        """Whether a built store is there."""
        return self.path.is_dir()

    def current(self) -> Path:
        """The directory of the live store.

        :raises StoreError: nothing has been built at this path yet.
        """
        if not self.path.exists():
            raise StoreError(f"no store at {self.path}: run `policygraph build` first")
        return self.path.resolve()

    def new_building_dir(self) -> Path:
        """Create and return an empty, hidden directory for a build to write into.

        :raises StoreError: the parent directory cannot be created or written.
        """
        self.remove_stale_builds()
        stamp = time.strftime("%Y%m%dT%H%M%S")
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            target = Path(
                tempfile.mkdtemp(
                    prefix=f"{self.building_prefix}{stamp}-",
                    suffix=f"-{os.getpid()}",
                    dir=self.parent,
                )
            )
        except OSError as exc:
            raise StoreError(f"cannot write the store under {self.parent}: {exc.strerror}") from exc
        return target

    def commit(self, built: Path) -> Path:
        """Make the fully written ``built`` directory the live store, atomically.

        Returns the new generation's directory.
        """
        generation = self.parent / (
            self.generation_prefix + built.name[len(self.building_prefix) :]
        )
        previous = self.path.resolve() if self.path.is_symlink() else None
        try:
            built.rename(generation)
            if self.path.is_dir() and not self.path.is_symlink():
                # A plain directory from elsewhere: keep it as a generation, then link.
                self.path.rename(
                    self.parent / (self.generation_prefix + "legacy-" + str(os.getpid()))
                )
            link = self.parent / f".{self.name}.link-{os.getpid()}"
            with contextlib.suppress(FileNotFoundError):
                link.unlink()
            link.symlink_to(generation.name)
            os.replace(link, self.path)
        except OSError as exc:
            raise StoreError(f"cannot swap in the new store at {self.path}: {exc}") from exc
        self._prune(keep={generation, previous})
        return generation

    def discard(self, built: Path) -> None:
        """Remove a build directory that will not be committed."""
        shutil.rmtree(built, ignore_errors=True)

    def remove_stale_builds(self) -> None:
        """Remove build directories left by builds whose process is gone (killed builds)."""
        if not self.parent.is_dir():
            return
        for entry in self.parent.glob(self.building_prefix + "*"):
            pid = entry.name.rsplit("-", 1)[-1]
            if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
                continue
            shutil.rmtree(entry, ignore_errors=True)

    def _prune(self, keep: set[Path | None]) -> None:
        """Remove the generations outside ``keep`` that no server holds."""
        for entry in self.parent.glob(self.generation_prefix + "*"):
            if entry.resolve() in keep:
                continue
            with _unless_held(entry) as free:
                if free:
                    shutil.rmtree(entry, ignore_errors=True)


class GenerationLease:
    """A shared lock on one generation's marker: no build removes the generation while it
    is held (see :func:`hold_generation`)."""

    def __init__(self, directory: Path, fd: int) -> None:
        self.directory = directory
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        """Whether the lease has not been released yet."""
        return self._fd is not None

    def release(self) -> None:
        """Let builds remove the generation again (a second call does nothing)."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor drops its flock


def hold_generation(directory: Path) -> GenerationLease:
    """Hold the generation ``directory`` so that no build removes it until the lease is
    released (or the process ends).

    Waits while a build is removing it, and then fails: a reader holds only what exists.

    :raises StoreError: the directory has no marker (not a generation), or a build removed
        it meanwhile.
    """
    try:
        fd = os.open(directory / MARKER, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as exc:
        raise StoreError(f"cannot hold the store at {directory}: {exc.strerror}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        if os.fstat(fd).st_nlink == 0:
            raise StoreError(f"the store at {directory} was removed by a newer build")
    except BaseException:
        os.close(fd)
        raise
    return GenerationLease(directory, fd)


@contextlib.contextmanager
def _unless_held(generation: Path) -> Iterator[bool]:
    """Lock ``generation`` exclusively for its removal; yield whether that was possible
    (``False`` while a server holds it). A generation without a marker cannot be held."""
    try:
        fd = os.open(generation / MARKER, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def write_marker(directory: Path) -> None:
    """Record in a freshly built store which format and Oxigraph version wrote it."""
    marker = {"format": FORMAT_VERSION, "pyoxigraph": _pyoxigraph_version()}
    (directory / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")


def check_marker(directory: Path) -> None:
    """Refuse a store that this version of policygraph did not write.

    :raises StoreError: the marker is missing, unreadable or names another format, with
        the command that rebuilds the store.
    """
    rebuild = f"rebuild it with `policygraph build --store {directory.parent / directory.name}`"
    try:
        marker = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(
            f"{directory} is not a policygraph store (no {MARKER}): {rebuild}"
        ) from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"the store at {directory} is damaged ({exc}): {rebuild}") from exc
    if not isinstance(marker, dict) or marker.get("format") != FORMAT_VERSION:
        found = marker.get("format") if isinstance(marker, dict) else marker
        raise StoreError(
            f"the store at {directory} has format {found!r}, this policygraph reads "
            f"{FORMAT_VERSION}: {rebuild}"
        )


def _pyoxigraph_version() -> str:
    from importlib.metadata import version

    return version("pyoxigraph")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
