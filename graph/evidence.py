"""Checking every evidence passage against the source text it points into.

A passage's quote must be an exact substring of its lines taken together — each line
stripped of surrounding white space, empty lines dropped, the rest joined with no
separator — and at most 80 characters; the document's ``pg:sha256`` must match the file.
The report's passages are checked against its text; an ingested document's against its own
``source.txt``, found by its SHA-256 among the document sources given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import EvidenceError
from graph.iris import slug_of
from graph.store.port import GraphStore

__all__ = ["MAX_QUOTE", "Mismatch", "check_evidence", "joined_lines"]

MAX_QUOTE = 80

_PASSAGES = """
SELECT ?doc ?sha ?owner ?start ?end ?quote
WHERE {
    ?passage a pg:Passage ; pg:inDocument ?doc .
    OPTIONAL { ?doc pg:sha256 ?sha }
    OPTIONAL { ?owner pg:evidence ?passage }
    OPTIONAL { ?passage pg:lineStart ?start }
    OPTIONAL { ?passage pg:lineEnd ?end }
    OPTIONAL { ?passage pg:quote ?quote }
}
ORDER BY ?doc ?start ?end ?quote
"""


@dataclass(frozen=True)
class Mismatch:
    """A passage (or document) that does not match the source text."""

    locator: str
    problem: str

    def __str__(self) -> str:
        return f"{self.locator}: {self.problem}"


def joined_lines(lines: list[str], start: int, end: int) -> str:
    """Lines ``start``..``end`` (1-based, inclusive) taken together as the contract says.

    >>> joined_lines(["  日韓 ", "", " 協力 "], 1, 3)
    '日韓協力'
    """
    return "".join(line.strip() for line in lines[start - 1 : end] if line.strip())


def _read_source(path: Path) -> tuple[str, list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"cannot read the source text {path}: {exc.strerror}") from exc
    return hashlib.sha256(raw).hexdigest(), raw.decode("utf-8").split("\n")


def check_evidence(
    store: GraphStore, source: Path, documents: Sequence[Path] = ()
) -> tuple[int, list[Mismatch]]:
    """Check every passage of the documents whose text is ``source`` (the report) or one of
    ``documents`` (the ``source.txt`` of ingested documents).

    Returns the number of passages checked and the mismatches found.

    :raises EvidenceError: a source file cannot be read.
    """
    digest, report_lines = _read_source(source)
    texts = {digest: report_lines}
    for path in documents:
        other, document_lines = _read_source(path)
        texts.setdefault(other, document_lines)
    result = store.query(_PASSAGES)
    assert isinstance(result, ox.QuerySolutions)
    mismatches: dict[str, Mismatch] = {}
    checked = 0
    for row in result:
        doc = row["doc"].value
        sha = row["sha"]
        if sha is None:
            continue  # not a text document (a background source)
        doc_name = slug_of(doc) or doc
        lines = texts.get(sha.value)
        if lines is None:
            others = f" nor any of {len(documents)} document sources" if documents else ""
            mismatches[doc] = Mismatch(
                doc_name,
                f"sha256 {sha.value[:12]}… does not match {source.name} ({digest[:12]}…){others}",
            )
            continue
        checked += 1
        owner = row["owner"]
        owner_name = (
            (slug_of(owner.value) or owner.value)
            if isinstance(owner, ox.NamedNode)
            else "a blank node"
        )
        start, end, quote = row["start"], row["end"], row["quote"]
        locator = f"{doc_name} lines {start.value if start else '?'}-{end.value if end else '?'} (evidence of {owner_name})"
        problem = _problem(lines, start, end, quote)
        if problem:
            mismatches[locator + problem] = Mismatch(locator, problem)
    return checked, sorted(mismatches.values(), key=str)


def _problem(
    lines: list[str],
    start: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
    end: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
    quote: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
) -> str | None:
    if not (
        isinstance(start, ox.Literal)
        and isinstance(end, ox.Literal)
        and isinstance(quote, ox.Literal)
    ):
        return "passage lacks pg:lineStart, pg:lineEnd or pg:quote"
    first, last, text = int(start.value), int(end.value), quote.value
    if not 1 <= first <= last <= len(lines):
        return f"line range {first}-{last} is outside 1-{len(lines)}"
    if len(text) > MAX_QUOTE:
        return f"quote is {len(text)} characters, more than {MAX_QUOTE}"
    if text not in joined_lines(lines, first, last):
        return f"quote {text!r} is not in these lines"
    return None
