"""``policygraph ingest``: a document file → its folder of text and review items.

The steps: extract and normalise the text (graph.ingest.text), pick the language, load the
gazetteer from the store, find the mentions, the entity and proposal candidates, render
the Turtle and write the folder atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from graph.errors import DataSyntaxError, UsageError
from graph.ingest.candidates import entity_candidates, proposal_candidates
from graph.ingest.carry import carry_over
from graph.ingest.folder import DOCUMENT_FILE, SOURCE_FILE, document_folder, write_folder
from graph.ingest.gazetteer import Gazetteer, load_gazetteer
from graph.ingest.mentions import find_names, mention_items
from graph.ingest.model import DocumentRecord, ReviewItem
from graph.ingest.segments import segments_of
from graph.ingest.text import detect_language, extract_text
from graph.ingest.tokens import LineTokens, tokenizer_for
from graph.ingest.turtle import read_document, render_document
from graph.iris import entity_iri, is_slug
from graph.store.port import GraphStore

__all__ = ["LANGUAGES", "RESERVED_SLUGS", "IngestResult", "analyse_lines", "ingest_file"]

LANGUAGES = ("ja", "en", "ko")

#: The names of the web app's own pages under ``/documents/``: a document with one of them
#: as its slug could not be reached at ``/documents/<slug>`` (tests/ingest compare this with
#: the app's routes).
RESERVED_SLUGS = frozenset({"co-mentions", "proposals", "search"})
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class IngestResult:
    """What an ingest wrote, and how long each step took (seconds)."""

    record: DocumentRecord
    folder: Path
    line_count: int
    seconds: dict[str, float] = field(default_factory=dict)
    decisions_kept: int = 0

    def counts(self) -> dict[str, int]:
        """Items by kind and status: ``mentions linked``, ``mentions to review`` …"""
        items = self.record.items
        return {
            "mentions linked": sum(i.kind == "mention" and not i.is_open for i in items),
            "mentions to review": sum(i.kind == "mention" and i.is_open for i in items),
            "entity candidates": sum(i.kind == "entity" for i in items),
            "proposal candidates": sum(i.kind == "proposal" for i in items),
        }


def _check_date(date: str) -> str:
    if not _DATE.match(date):
        raise UsageError(f"--date must be YYYY, YYYY-MM or YYYY-MM-DD, not {date!r}")
    try:
        dt.date.fromisoformat((date + "-01-01")[:10])
    except ValueError as exc:
        raise UsageError(f"--date {date!r} is not a real date") from exc
    return date


def _check_url(url: str) -> str:
    parsed = urlparse(url)
    if (
        parsed.scheme not in ("http", "https")
        or not parsed.netloc
        or any(c in url for c in ' "<>\\')
    ):
        raise UsageError(f"--url must be an http(s) URL, not {url!r}")
    return url


def default_slug(path: Path, sha256: str) -> str:
    """A slug from the file's name (lowercase ASCII kebab-case), else ``doc-<hash>``.

    >>> default_slug(Path("Joint Statement_2026.pdf"), "ab" * 32)
    'joint-statement-2026'
    >>> default_slug(Path("共同声明.txt"), "ab" * 32)
    'doc-ababababab'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug if slug else f"doc-{sha256[:10]}"


def analyse_lines(
    lines: list[str], language: str, gazetteer: Gazetteer
) -> tuple[list[ReviewItem], list[ReviewItem], list[ReviewItem]]:
    """Mentions, entity candidates and proposal candidates of ``lines``."""
    tokenizer = tokenizer_for(language)
    segments = segments_of(lines, language)
    cache: dict[int, LineTokens] = {}

    def tokens_of(index: int) -> LineTokens:
        if index not in cache:
            cache[index] = tokenizer.analyse(segments[index].text)
        return cache[index]

    matches = find_names(segments, gazetteer, tokens_of, language)
    mentions = mention_items(segments, matches, gazetteer, language)
    entities = entity_candidates(segments, tokens_of, matches)
    proposals = proposal_candidates(segments, language)
    return mentions, entities, proposals


def ingest_file(
    path: Path,
    data_dir: Path,
    store: GraphStore,
    *,
    language: str | None = None,
    title: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    slug: str | None = None,
    replace: bool = False,
) -> IngestResult:
    """Ingest the document at ``path`` into ``data_dir/documents/<slug>/``.

    With ``replace``, the decisions taken on the old document's items are kept for the
    same items (graph.ingest.carry).

    :raises UsageError: a missing file, an unknown type, no text, a bad option, a slug
        taken by an entity or (without ``replace``) by a document; nothing is written.
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    if language is not None and language not in LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}, not {language!r}")
    date = _check_date(date) if date else None
    url = _check_url(url) if url else None
    if slug is not None and not is_slug(slug):
        raise UsageError(
            f"--slug must be lowercase kebab-case (e.g. joint-statement-2026), not {slug!r}"
        )
    extracted = extract_text(path)
    text = extracted.text
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    slug = slug or default_slug(path, sha256)
    if slug in RESERVED_SLUGS:
        raise UsageError(
            f"the slug {slug!r} is the name of a page under /documents/; choose another with --slug"
        )
    folder = document_folder(data_dir, slug)
    if folder.exists() and not replace:
        raise UsageError(f"a document {slug!r} exists already ({folder}); pass --replace or --slug")
    if store.query(
        f"ASK {{ <{entity_iri(slug)}> ?p ?o FILTER NOT EXISTS {{ <{entity_iri(slug)}> a pg:Document }} }}"
    ):
        raise UsageError(
            f"the slug {slug!r} names an entity of the graph; choose another with --slug"
        )
    language = language or detect_language(extracted.lines)
    seconds["text"] = time.perf_counter() - started

    mark = time.perf_counter()
    gazetteer = load_gazetteer(store)
    seconds["gazetteer"] = time.perf_counter() - mark
    mark = time.perf_counter()
    mentions, entities, proposals = analyse_lines(extracted.lines, language, gazetteer)
    seconds["analysis"] = time.perf_counter() - mark

    first_line = next((line.strip() for line in extracted.lines if line.strip()), "")
    record = DocumentRecord(
        slug=slug,
        title=(
            title or extracted.title or (first_line if len(first_line) <= 120 else path.stem)
        ).strip(),
        language=language,
        sha256=sha256,
        date=date,
        publisher=publisher.strip() if publisher else None,
        url=url,
        items=[*mentions, *entities, *proposals],
    )
    kept = 0
    if replace and (folder / DOCUMENT_FILE).is_file():
        try:
            kept = carry_over(read_document(folder / DOCUMENT_FILE, slug), record)
        except DataSyntaxError:
            kept = 0  # an unreadable old file has no decisions to keep
    mark = time.perf_counter()
    write_folder(folder, {SOURCE_FILE: text, DOCUMENT_FILE: render_document(record)}, replace)
    seconds["write"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - started
    return IngestResult(record, folder, len(extracted.lines), seconds, kept)
