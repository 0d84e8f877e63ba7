"""What the review pages show of an ingested document: where it is, its counts, its text
with the mentions marked, and the entities it links (read from its folder, not the store).

The folder's ``document.ttl`` is the review's state of record: a decision rewrites it, and
the next read sees it. Records are kept per file while it is unchanged
(:func:`graph.ingest.review.load_document`), so a page of a long document does not parse
its Turtle again.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, combinations
from pathlib import Path

from graph.errors import DataSyntaxError, UnknownEntityError
from graph.ingest.folder import DOCUMENT_FILE, SOURCE_FILE, document_folder
from graph.ingest.model import DocumentRecord, ReviewItem
from graph.ingest.review import list_documents, load_document
from graph.iris import ENTITY_BASE, is_slug

__all__ = [
    "LINKED",
    "CoMention",
    "Counts",
    "Line",
    "ProposalCandidate",
    "Segment",
    "co_mentions",
    "counts",
    "find_document",
    "linked_entity",
    "marked_lines",
    "proposal_candidates",
    "read_record",
    "read_source",
    "records",
    "search_lines",
]

#: The statuses whose entity reaches the graph as ``pg:mentions``.
LINKED = ("AutoLinked", "Accepted")


def find_document(data_dirs: Iterable[Path], slug: str) -> Path:
    """The data directory holding the document ``slug`` (the first, as the build reads).

    :raises UnknownEntityError: no data directory holds it.
    """
    if is_slug(slug):
        for data_dir in data_dirs:
            if (document_folder(data_dir, slug) / DOCUMENT_FILE).is_file():
                return data_dir
    raise UnknownEntityError(f"no ingested document {slug!r}")


def read_record(data_dir: Path, slug: str) -> DocumentRecord:
    """The document as last written (parsed again only when its file changed: see
    :func:`graph.ingest.review.load_document`). Shared: do not change it.

    :raises UnknownEntityError: no such document.
    """
    return load_document(data_dir, slug)


def records(
    data_dirs: Iterable[Path], problems: list[str] | None = None
) -> Iterator[DocumentRecord]:
    """Every ingested document under ``data_dirs`` (a slug in two directories: the first).

    A document whose Turtle cannot be read is left out, and the reason added to
    ``problems`` when given: one broken file does not hide the others.
    """
    seen: set[str] = set()
    for data_dir in data_dirs:
        for slug in list_documents(data_dir):
            if slug not in seen:
                seen.add(slug)
                try:
                    yield read_record(data_dir, slug)
                except DataSyntaxError as exc:
                    if problems is not None:
                        problems.append(str(exc))


def read_source(data_dir: Path, slug: str) -> list[str]:
    """The lines of the document's stored text (line ``n`` is item ``n - 1``)."""
    path = document_folder(data_dir, slug) / SOURCE_FILE
    return path.read_text(encoding="utf-8").splitlines()


@dataclass(frozen=True)
class Counts:
    """A document's review figures."""

    mentions: int  #: mentions whose entity reaches the graph
    open_candidates: int  #: entity and proposal candidates waiting for a decision
    ambiguous: int  #: mentions of several possible entities waiting for a decision


def counts(record: DocumentRecord) -> Counts:
    """The figures the list of documents shows."""
    return Counts(
        mentions=sum(1 for i in record.items if linked_entity(i) is not None),
        open_candidates=sum(1 for i in record.items if i.kind != "mention" and i.is_open),
        ambiguous=sum(1 for i in record.items if i.kind == "mention" and i.is_open),
    )


def linked_entity(item: ReviewItem) -> str | None:
    """The slug of the entity ``item`` adds to the graph, if it adds one."""
    if item.entity is None or item.status not in LINKED:
        return None
    return item.entity.removeprefix(ENTITY_BASE)


@dataclass(frozen=True)
class Segment:
    """A piece of a line: plain text, or a name an item marks."""

    text: str
    item: ReviewItem | None = None
    matched: bool = False  #: what a search looked for


@dataclass(frozen=True)
class Line:
    """One numbered line of the document, cut into segments."""

    number: int
    segments: list[Segment]
    proposal: bool  #: a proposal candidate's passage covers it


def _spans(line: str, names: list[tuple[str, ReviewItem]]) -> list[tuple[int, int, ReviewItem]]:
    """Where the names occur in ``line``: longest first wins, no overlaps, left to right."""
    found: list[tuple[int, int, ReviewItem]] = []
    for text, item in sorted(names, key=lambda pair: -len(pair[0])):
        start = line.find(text)
        while start >= 0:
            end = start + len(text)
            if all(end <= s or start >= e for s, e, _ in found):
                found.append((start, end, item))
            start = line.find(text, end)
    return sorted(found, key=lambda span: span[0])


def marked_lines(lines: list[str], items: list[ReviewItem]) -> list[Line]:
    """The document's lines with the names of its mentions and entity candidates marked
    (rejected ones are not), and the lines proposal candidates cite flagged."""
    names: dict[int, list[tuple[str, ReviewItem]]] = {}
    proposals: set[int] = set()
    for item in items:
        for passage in item.passages:
            numbers = range(passage.line_start, passage.line_end + 1)
            if item.kind == "proposal":
                proposals.update(numbers)
            elif item.text and item.status != "Rejected":
                for number in numbers:
                    names.setdefault(number, []).append((item.text, item))
    marked: list[Line] = []
    for number, text in enumerate(lines, start=1):
        segments: list[Segment] = []
        at = 0
        for start, end, item in _spans(text, names.get(number, [])):
            if start > at:
                segments.append(Segment(text[at:start]))
            segments.append(Segment(text[start:end], item))
            at = end
        if at < len(text):
            segments.append(Segment(text[at:]))
        marked.append(Line(number, segments, number in proposals))
    return marked


@dataclass(frozen=True)
class CoMention:
    """Two entities linked on the same lines of documents."""

    first: str
    second: str
    lines: int  #: lines, over all documents, that mention both
    documents: list[str]  #: the documents with such a line


def co_mentions(documents: Iterable[DocumentRecord]) -> list[CoMention]:
    """Pairs of entities linked on a same line, most lines first (then by slug)."""
    lines: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], list[str]] = {}
    for record in documents:
        per_line: dict[int, set[str]] = {}
        for item in record.items:
            entity = linked_entity(item)
            if entity is None:
                continue
            for passage in item.passages:
                for number in range(passage.line_start, passage.line_end + 1):
                    per_line.setdefault(number, set()).add(entity)
        for entities in per_line.values():
            for pair in combinations(sorted(entities), 2):
                lines[pair] += 1
                if record.slug not in where.setdefault(pair, []):
                    where[pair].append(record.slug)
    ranked = sorted(lines.items(), key=lambda kv: (-kv[1], kv[0]))
    return [CoMention(a, b, n, where[(a, b)]) for (a, b), n in ranked]


def _fold(text: str) -> str:
    """Text as compared by the search: compatibility forms (full-width Latin, half-width
    kana) made plain, case ignored."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_lines(lines: list[str], query: str) -> list[tuple[int, list[Segment]]]:
    """The lines containing ``query`` (width and case ignored), with the matches cut out
    as marked segments (an item-less :class:`Segment` flagged by ``matched``)."""
    wanted = _fold(query.strip())
    found: list[tuple[int, list[Segment]]] = []
    if not wanted:
        return found
    for number, line in enumerate(lines, start=1):
        folded = [_fold(c) for c in line]  # per character: positions stay those of the line
        flat = "".join(folded)
        if wanted not in flat:
            continue
        ends = list(accumulate(len(f) for f in folded))  # folded offset → end of character
        segments: list[Segment] = []
        at = start = 0
        while (start := flat.find(wanted, start)) >= 0:
            first = bisect_right(ends, start)
            last = bisect_left(ends, start + len(wanted))
            if first > at:
                segments.append(Segment(line[at:first]))
            segments.append(Segment(line[first : last + 1], matched=True))
            at, start = last + 1, start + len(wanted)
        if at < len(line):
            segments.append(Segment(line[at:]))
        found.append((number, segments))
    return found


@dataclass(frozen=True)
class ProposalCandidate:
    """A recommendation-like sentence of a document, with the entities linked on its lines."""

    document: DocumentRecord
    item: ReviewItem
    entities: list[str]


def proposal_candidates(
    documents: Iterable[DocumentRecord], entity: str = "", statuses: Iterable[str] = ()
) -> list[ProposalCandidate]:
    """The proposal candidates of ``documents`` in their order, only those with ``entity``
    linked on their lines when it is given, and only of ``statuses`` when given."""
    wanted = set(statuses)
    found: list[ProposalCandidate] = []
    for record in documents:
        per_line: dict[int, list[str]] = {}
        for item in record.items:
            linked = linked_entity(item)
            if linked is not None:
                for passage in item.passages:
                    for number in range(passage.line_start, passage.line_end + 1):
                        if linked not in per_line.setdefault(number, []):
                            per_line[number].append(linked)
        for item in record.items:
            if item.kind != "proposal" or (wanted and item.status not in wanted):
                continue
            entities: list[str] = []
            for passage in item.passages:
                for number in range(passage.line_start, passage.line_end + 1):
                    entities += [e for e in per_line.get(number, []) if e not in entities]
            if not entity or entity in entities:
                found.append(ProposalCandidate(record, item, entities))
    return found
