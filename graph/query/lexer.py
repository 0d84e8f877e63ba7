"""A small lexical scanner for SPARQL: just enough to see keywords, IRIs and prefixes.

It reads strings (``'…'``, ``"…"``, ``'''…'''``, ``\"\"\"…\"\"\"``), IRIs (``<…>``) and ``#``
comments as whole tokens, so a keyword inside a literal or an IRI is never mistaken for one.
It does not parse: the query engine does that. It never fails; anything it does not know
becomes a one-character ``punct`` token.

>>> [(t.kind, t.text) for t in tokens('SELECT * { ?s rdfs:label "SERVICE" } # LOAD')]
[('word', 'SELECT'), ('punct', '*'), ('punct', '{'), ('var', '?s'), ('word', 'rdfs:label'), ('string', '"SERVICE"'), ('punct', '}')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = ["Token", "TokenKind", "tokens"]

TokenKind = Literal["word", "var", "iri", "string", "punct"]

# IRIREF of the SPARQL grammar: no white space, no <>"{}|^`\ inside.
_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_SPACE = re.compile(r"\s+")
# Names, keywords, prefixed names and numbers: letters, digits and the characters that
# PN_CHARS, PLX and numbers allow. Unicode letters count (``\w``).
_WORD = re.compile(r"[\w:%\\.\-]+")
_VAR = re.compile(r"[?$]\w+")


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text as written and where it starts."""

    kind: TokenKind
    text: str
    start: int

    @property
    def upper(self) -> str:
        """The text in upper case (keywords are case-insensitive)."""
        return self.text.upper()


def tokens(sparql: str) -> Iterator[Token]:
    """The tokens of ``sparql``, skipping white space and comments.

    A word's trailing dots are separate tokens (``pg:x.`` ends a triple).

    >>> [t.text for t in tokens("PREFIX a: <x#y> ASK { a:b a:c '''it's''' . }")]
    ['PREFIX', 'a:', '<x#y>', 'ASK', '{', 'a:b', 'a:c', "'''it's'''", '.', '}']
    >>> [t.kind for t in tokens("FILTER(?a<?b && ?b>3)")]
    ['word', 'punct', 'var', 'punct', 'var', 'punct', 'punct', 'var', 'punct', 'word', 'punct']
    """
    pos, end = 0, len(sparql)
    while pos < end:
        char = sparql[pos]
        if char.isspace():
            match = _SPACE.match(sparql, pos)
            assert match is not None
            pos = match.end()
        elif char == "#":
            newline = sparql.find("\n", pos)
            pos = end if newline < 0 else newline + 1
        elif char in "'\"":
            stop = _string_end(sparql, pos)
            yield Token("string", sparql[pos:stop], pos)
            pos = stop
        elif char == "<" and (iri := _IRI.match(sparql, pos)):
            yield Token("iri", iri.group(), pos)
            pos = iri.end()
        elif char in "?$" and (var := _VAR.match(sparql, pos)):
            yield Token("var", var.group(), pos)
            pos = var.end()
        elif (word := _WORD.match(sparql, pos)) and word.group().strip("."):
            text = word.group().rstrip(".")
            yield Token("word", text, pos)
            pos += len(text)
        else:
            yield Token("punct", char, pos)
            pos += 1


def _string_end(sparql: str, start: int) -> int:
    """The index just past the string literal that opens at ``start`` (or the end of text)."""
    quote = sparql[start]
    delimiter = quote * 3 if sparql.startswith(quote * 3, start) else quote
    pos = start + len(delimiter)
    while pos < len(sparql):
        if sparql[pos] == "\\":
            pos += 2
        elif sparql.startswith(delimiter, pos):
            return pos + len(delimiter)
        elif len(delimiter) == 1 and sparql[pos] == "\n":
            return pos  # a short string cannot span lines: let the parser report it
        else:
            pos += 1
    return len(sparql)
