"""Writing a view to a file: the format from the name, only where the user said, atomically.

>>> from pathlib import Path
>>> format_of(Path("kor.html")), format_of(Path("fw.SVG")), format_of(Path("s.png"))
('html', 'svg', 'png')
>>> format_of(Path("fw.pdf")), format_of(Path("brief.pptx"))
('pdf', 'pptx')
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from graph import files
from graph.errors import UsageError

__all__ = ["FORMATS", "STATIC_FORMATS", "format_of", "target_path", "write_atomically"]

#: Output formats and their file suffixes.
FORMATS = {"html": ".html", "svg": ".svg", "png": ".png", "pdf": ".pdf", "pptx": ".pptx"}
#: The formats drawn by :func:`viz.static.render_static` (and so taking the figure options).
STATIC_FORMATS = ("svg", "png", "pdf")
_SUFFIXES = {".htm": "html", **{suffix: fmt for fmt, suffix in FORMATS.items()}}
_SAFE = re.compile(r"[^a-z0-9-]+")


def format_of(path: Path, fmt: str | None = None) -> str:
    """The format asked for (``fmt``), else the one the file name's suffix says.

    :raises UsageError: the format is unknown, or neither is given.
    """
    if fmt is not None:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}; choose html, svg, png, pdf or pptx")
        return fmt
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise UsageError(
            f"cannot tell the format from {path.name!r}: name it .html, .svg, .png, .pdf "
            "or .pptx, or pass --format"
        )
    return found


def target_path(output: Path | None, stem: str, fmt: str | None) -> tuple[Path, str]:
    """Where to write and in which format.

    ``output`` is a file, or a directory (existing, or written with a trailing ``/``) in
    which the file is named after the view (``stem``, reduced to ``[a-z0-9-]``); ``None``
    is the current directory. The file always lands in the directory the user named.

    :raises UsageError: the directory does not exist, or the name would leave it.
    """
    name = _SAFE.sub("-", stem.lower()).strip("-")[:120] or "view"
    if output is None or output.is_dir() or str(output).endswith(os.sep):
        directory = Path(output or ".")
        chosen = format_of(Path("x.html"), fmt or "html")
        path = directory / (name + FORMATS[chosen])
    else:
        directory = output.parent
        chosen = format_of(output, fmt)
        path = output
    if not directory.is_dir():
        raise UsageError(f"cannot write {path}: the directory {directory} does not exist")
    if path.resolve().parent != directory.resolve() or path.name in ("", ".", ".."):
        raise UsageError(f"refusing to write {path}: it is outside {directory}")
    return path, chosen


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all (:func:`graph.files.write_atomically`),
    synced to the disk.

    :raises UsageError: the directory cannot be written.
    """
    try:
        files.write_atomically(path, content, durable=True)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc
