"""A document's folder under ``<data>/documents/<slug>/``, written atomically.

A new folder is written in full beside its place under a temporary name and renamed into
place; a rewritten ``document.ttl`` goes through a temporary file renamed over the old one.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from graph.build.sources import DOCUMENTS_DIR
from graph.errors import StoreError, UsageError
from graph.files import replacing

__all__ = [
    "DOCUMENT_FILE",
    "SOURCE_FILE",
    "document_folder",
    "document_sources",
    "write_file",
    "write_folder",
]

SOURCE_FILE = "source.txt"
DOCUMENT_FILE = "document.ttl"


def document_folder(data_dir: Path, slug: str) -> Path:
    """Where the document ``slug`` lives under the data directory ``data_dir``."""
    return data_dir / DOCUMENTS_DIR / slug


def write_file(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` (UTF-8) atomically: a temporary file, then rename.

    :raises StoreError: the file cannot be written; the old one is untouched.
    """
    try:
        with replacing(target, durable=True) as handle:
            handle.write(text.encode("utf-8"))
    except OSError as exc:
        raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from exc


def write_folder(folder: Path, files: dict[str, str], replace: bool = False) -> None:
    """Write ``files`` (name → text) as the folder ``folder``, all or nothing.

    :raises UsageError: the folder exists and ``replace`` is false.
    :raises StoreError: the folder cannot be written.
    """
    if folder.exists() and not replace:
        raise UsageError(f"{folder} exists already; pass --replace to ingest the document again")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as exc:
        raise StoreError(f"cannot write under {folder.parent}: {exc.strerror or exc}") from exc
    old: Path | None = None
    try:
        building.chmod(0o755)
        for name, text in files.items():
            (building / name).write_text(text, encoding="utf-8", newline="\n")
        if folder.exists():
            old = folder.with_name(f".{folder.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        building.rename(folder)
    except OSError as exc:
        if old is not None and not folder.exists():
            old.rename(folder)
        shutil.rmtree(building, ignore_errors=True)
        raise StoreError(f"cannot write {folder}: {exc.strerror or exc}") from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def document_sources(data_dirs: list[Path]) -> list[Path]:
    """The ``source.txt`` of every ingested document under the data directories."""
    return sorted(
        path
        for directory in data_dirs
        for path in (directory / DOCUMENTS_DIR).glob(f"*/{SOURCE_FILE}")
        if path.is_file()
    )
