"""Where a view's facts come from: the lines of each document its passages are in, and the
outside sources of its background facts — what a caption or a figure's source line names.

The report's passages keep the report's own name; a passage of any other document (an
ingested note, a joint statement) is credited to that document by its title, so a view with
passages from several documents names each with its lines.

>>> from graph.analysis import DocumentName, Evidence
>>> note = DocumentName("note", (("ja", "試験用メモ"),))
>>> found = sources_of([Evidence(14, 15, "q"), Evidence(1, 1, "q", document="note"),
...                     Evidence(3, 3, "q", document="jkvg2025"), Evidence(source="MFAT")],
...                    {"note": note})
>>> [(d.document.slug if d.document else "the report", d.ranges) for d in found.documents]
[('the report', ((3, 3), (14, 15))), ('note', ((1, 1),))]
>>> found.background
('MFAT',)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graph.analysis import DocumentName, Evidence

__all__ = ["DocumentLines", "Sources", "sources_of"]


@dataclass(frozen=True)
class DocumentLines:
    """The line ranges cited in one document; ``document`` is ``None`` for the report."""

    document: DocumentName | None
    ranges: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Sources:
    """A view's documents with their lines (the report first, then by title) and the
    outside sources of its background facts (sorted, each with its as-of date)."""

    documents: tuple[DocumentLines, ...] = ()
    background: tuple[str, ...] = ()


def sources_of(evidence: Iterable[Evidence], documents: Mapping[str, DocumentName]) -> Sources:
    """The documents and outside sources of ``evidence``; ``documents`` names the documents
    by slug (one not in it is named by its slug)."""
    ranges: dict[str, set[tuple[int, int]]] = {}
    outside: set[str] = set()
    for e in evidence:
        if e.line_start is not None:
            key = "" if e.in_report else e.document
            ranges.setdefault(key, set()).add((e.line_start, e.line_end or e.line_start))
        elif e.source:
            outside.add(f"{e.source} (as of {e.as_of})" if e.as_of else e.source)
    cited = [
        DocumentLines(
            None if not slug else documents.get(slug) or DocumentName(slug), tuple(sorted(found))
        )
        for slug, found in ranges.items()
    ]
    return Sources(tuple(sorted(cited, key=_report_first)), tuple(sorted(outside)))


def _report_first(found: DocumentLines) -> tuple[bool, str, str]:
    if found.document is None:
        return (False, "", "")
    return (True, found.document.title("en"), found.document.slug)
