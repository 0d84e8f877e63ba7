"""The plain text of a document to ingest, normalised into stable numbered lines.

``.txt`` and ``.md`` keep their lines; ``.html`` gives one line per block element (pypdf and
BeautifulSoup do the extraction); ``.pdf`` the text of its pages as pypdf extracts it. Every
line is then NFC-normalised, stripped of control characters and trailing white space.

A document's own title is the text of an HTML page's ``<title>`` (else its first ``<h1>``)
or of the heading a Markdown file opens with, without its markup (markdown-it-py parses it):
``# A note`` is titled "A note".
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from graph.errors import UsageError

__all__ = [
    "SUFFIXES",
    "ExtractedText",
    "detect_language",
    "extract_text",
    "markdown_title",
    "normalise_lines",
]

#: The file types ``policygraph ingest`` reads.
SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")
_BLOCKS = (
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "caption",
    "blockquote", "pre", "figcaption", "address", "div", "section", "article", "body",
)  # fmt: skip
_DROPPED_TAGS = ("script", "style", "noscript", "template", "nav", "head")


@dataclass(frozen=True)
class ExtractedText:
    """A document's normalised lines and the title it gives itself (HTML ``<title>`` or
    ``<h1>``, a Markdown file's opening heading)."""

    lines: list[str]
    title: str | None = None

    @property
    def text(self) -> str:
        """The text as stored: the lines joined by newlines, ending in one."""
        return "\n".join(self.lines) + "\n"


def normalise_lines(lines: list[str]) -> list[str]:
    """NFC, no control characters, no trailing white space, no trailing empty lines.

    >>> normalise_lines(["ｶﾞ\\u00a0 ", "a\\x07b", "", ""])
    ['ｶﾞ', 'ab']
    """
    cleaned = [_CONTROL.sub("", unicodedata.normalize("NFC", line)).rstrip() for line in lines]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    return cleaned


def _decode(raw: bytes, path: Path) -> str:
    for encoding in (
        ("utf-8-sig", "utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",)
    ):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"{path}: not UTF-8 text; convert it to UTF-8 first")


def _html_lines(markup: str) -> tuple[list[str], str | None]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    tags = (soup.find("title"), soup.find("h1"))
    title = next((" ".join(t.get_text().split()) for t in tags if t and t.get_text().strip()), None)
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    lines: list[str] = []
    for block in soup.find_all(_BLOCKS):
        if block.find(_BLOCKS):
            continue  # the innermost blocks carry the text
        lines.append(" ".join(block.get_text().split()))
    return [line for line in lines if line], title or None


def markdown_title(text: str) -> str | None:
    """The plain text of the heading a Markdown document opens with (ATX or setext), or
    ``None`` if it opens with something else.

    >>> markdown_title("# A note on *cooperation* #\\n\\nText."), markdown_title("Intro\\n===")
    ('A note on cooperation', 'Intro')
    >>> markdown_title("Plain first line.\\n# Later heading") is None
    True
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    if len(tokens) < 2 or tokens[0].type != "heading_open":
        return None
    words = [
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for child in tokens[1].children or []
        if child.type in ("text", "code_inline", "softbreak", "hardbreak")
    ]
    return " ".join("".join(words).split()) or None


def _pdf_lines(path: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # a broken file is reported once, as one line
    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise UsageError(f"{path}: not a readable PDF: {exc}") from exc
    finally:
        logger.setLevel(level)
    return "\n".join(pages).splitlines()


def extract_text(path: Path) -> ExtractedText:
    """The normalised lines of the document at ``path``.

    :raises UsageError: a missing or unreadable file, an unknown type, no text at all.
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(
            f"{path}: unknown document type {suffix or '(none)'!r}; "
            f"ingest reads {', '.join(SUFFIXES)}"
        )
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    title = None
    try:
        if suffix == ".pdf":
            raw_lines = _pdf_lines(path)
        else:
            text = _decode(path.read_bytes(), path)
            if suffix in (".html", ".htm"):
                raw_lines, title = _html_lines(text)
            else:
                raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                if suffix == ".md":
                    title = markdown_title(text)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from exc
    lines = normalise_lines(raw_lines)
    if not any(line.strip() for line in lines):
        raise UsageError(f"{path}: no text found in the document")
    if title:
        title = " ".join(_CONTROL.sub("", unicodedata.normalize("NFC", title)).split()) or None
    return ExtractedText(lines=lines, title=title)


def detect_language(lines: list[str]) -> str:
    """``ja``, ``ko`` or ``en`` from the scripts the text is written in: kana or (without
    hangul) many ideographs make it Japanese, hangul Korean, anything else English.

    >>> detect_language(["日本と韓国は協力する。"]), detect_language(["한국과 일본"]), detect_language(["Japan"])
    ('ja', 'ko', 'en')
    """
    kana = hangul = han = letters = 0
    for char in "".join(lines):
        if "\u3040" <= char <= "\u30ff":
            kana += 1
        elif "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff":
            hangul += 1
        elif "\u4e00" <= char <= "\u9fff":
            han += 1
        if char.isalpha():
            letters += 1
    if letters == 0:
        return "en"
    if hangul > kana and hangul >= 0.1 * letters:
        return "ko"
    if kana + han >= 0.1 * letters:
        return "ja"
    return "en"
